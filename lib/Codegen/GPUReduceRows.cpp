//===- GPUReduceRows.cpp - the ds-gpu-reduce-rows pass --------------------===//
//
// Without this pass a reduction such as a LayerNorm's mean or a softmax's
// sum becomes one GPU thread per row, each summing its row alone: BERT-base's
// LayerNorms run 128 threads in all, each reading 768 floats 3 KiB apart
// from its neighbours' (no coalescing). Here each reduction over its
// innermost loop dim, long enough to share, becomes one block per row: the
// block's threads read consecutive elements, each combines a strided share
// of the row, and the shares are combined in a tree in shared memory (a
// barrier per level). Thread 0 combines the result with the row's initial
// value (the fill's value, taken over from the fill, or the output's) and
// stores it.
//
// The combination order differs from the CPU's (left to right): sums may
// differ in the last bits; max and min do not.
//
//===----------------------------------------------------------------------===//

#include "GPUKernelSupport.h"

#include "deepseek/Passes.h"

#include "mlir/Dialect/Arith/IR/Arith.h"
#include "mlir/Dialect/GPU/IR/GPUDialect.h"
#include "mlir/Dialect/Linalg/IR/Linalg.h"
#include "mlir/Dialect/MemRef/IR/MemRef.h"
#include "mlir/Dialect/SCF/IR/SCF.h"
#include "mlir/IR/IRMapping.h"

#include "llvm/Support/MathExtras.h"

namespace mlir::ds {
#define GEN_PASS_DEF_DSGPUREDUCEROWS
#include "ds/Passes.h.inc"
} // namespace mlir::ds

using namespace mlir;

namespace {

constexpr int64_t kMaxThreads = 256;
constexpr int64_t kMaxBlocks = (int64_t{1} << 31) - 1; // gridDim.x

/// A generic on buffers reducing its last loop dim: out[p..] =
/// combine(out[p..], value(inputs at p.., r)) for r = 0 .. R-1.
struct RowReduction {
  Operation *combine;    // the body's combining op: its operands are the
  Value value;           // accumulator (the output's block argument) and this
  TypedAttr identity;    // combine(identity, x) == x
  SmallVector<int64_t> ranges;
  int64_t rows;          // the product of the parallel dims' ranges
};

/// combine(identity, x) == x for |combine|'s kind, if it is one we know.
TypedAttr identityOf(Operation *combine, FloatType type) {
  const llvm::fltSemantics &semantics = type.getFloatSemantics();
  auto attr = [&](const APFloat &value) { return FloatAttr::get(type, value); };
  if (isa<arith::AddFOp>(combine))
    return attr(APFloat::getZero(semantics, /*Negative=*/true)); // -0 + x == x, also for -0
  if (isa<arith::MulFOp>(combine))
    return attr(APFloat::getOne(semantics));
  if (isa<arith::MaximumFOp, arith::MaxNumFOp>(combine))
    return attr(APFloat::getInf(semantics, /*Negative=*/true));
  if (isa<arith::MinimumFOp, arith::MinNumFOp>(combine))
    return attr(APFloat::getInf(semantics));
  return nullptr;
}

std::optional<RowReduction> matchRowReduction(linalg::GenericOp op, int64_t minLength) {
  if (!op.hasPureBufferSemantics() || op.getNumDpsInits() != 1 || op.hasIndexSemantics() ||
      op.getNumReductionLoops() != 1 || op.getNumLoops() < 2)
    return std::nullopt;
  unsigned r = op.getNumLoops() - 1;
  if (op.getIteratorTypesArray()[r] != utils::IteratorType::reduction)
    return std::nullopt;
  RowReduction reduction;
  reduction.ranges = op.getStaticLoopRanges();
  if (llvm::any_of(reduction.ranges, ShapedType::isDynamic) || reduction.ranges[r] < minLength)
    return std::nullopt;
  reduction.rows = 1;
  for (unsigned i = 0; i < r; ++i)
    reduction.rows *= reduction.ranges[i];
  if (reduction.rows > kMaxBlocks)
    return std::nullopt;
  // The output is indexed by every parallel dim (one element per row).
  AffineMap outMap = op.getMatchingIndexingMap(op.getDpsInitOperand(0));
  if (outMap.getNumResults() != r || !outMap.isProjectedPermutation())
    return std::nullopt;
  // Every input reading the row reads it contiguously (coalesced).
  for (OpOperand &operand : op->getOpOperands()) {
    AffineMap map = op.getMatchingIndexingMap(&operand);
    if (!map.isProjectedPermutation(/*allowZeroInResults=*/true))
      return std::nullopt;
    if (map.isFunctionOfDim(r) && (op.isDpsInit(&operand) || map.getNumResults() == 0 ||
                                   !map.getResult(map.getNumResults() - 1).isFunctionOfDim(r)))
      return std::nullopt;
  }
  // The body: yield combine(acc, value), acc used by nothing else.
  Block &body = op.getRegion().front();
  BlockArgument acc = body.getArgument(op.getDpsInitOperand(0)->getOperandNumber());
  auto type = dyn_cast<FloatType>(acc.getType());
  Value yielded = body.getTerminator()->getOperand(0);
  Operation *combine = yielded.getDefiningOp();
  if (!type || !acc.hasOneUse() || !combine || combine->getBlock() != &body ||
      combine->getNumOperands() != 2 || *acc.getUsers().begin() != combine)
    return std::nullopt;
  reduction.combine = combine;
  reduction.value = combine->getOperand(0) == acc ? combine->getOperand(1) : combine->getOperand(0);
  reduction.identity = identityOf(combine, type);
  if (!reduction.identity || reduction.value == acc)
    return std::nullopt;
  return reduction;
}

/// Index arithmetic inside the launch body.
struct Builder {
  OpBuilder &b;
  Location loc;
  Value cst(int64_t v) { return arith::ConstantIndexOp::create(b, loc, v); }
};

/// |reduction.combine| applied to (acc, value) at the builder's point.
Value combine(OpBuilder &b, linalg::GenericOp op, const RowReduction &reduction, Value acc,
              Value value) {
  IRMapping map;
  map.map(op.getRegion().front().getArgument(op.getDpsInitOperand(0)->getOperandNumber()), acc);
  map.map(reduction.value, value);
  return b.clone(*reduction.combine, map)->getResult(0);
}

void reduceOnBlocks(linalg::GenericOp op, const RowReduction &reduction,
                    linalg::FillOp fill, RewriterBase &rewriter) {
  Location loc = op.getLoc();
  rewriter.setInsertionPoint(op);
  Builder host{rewriter, loc};
  unsigned r = op.getNumLoops() - 1;
  int64_t length = reduction.ranges[r];
  int64_t threads = std::min<int64_t>(kMaxThreads, static_cast<int64_t>(llvm::bit_floor(static_cast<uint64_t>(length))));
  Type element = reduction.identity.getType();
  auto sharedType = MemRefType::get(
      {threads}, element, MemRefLayoutAttrInterface(),
      gpu::AddressSpaceAttr::get(rewriter.getContext(), gpu::AddressSpace::Workgroup));
  auto launch = gpu::LaunchOp::create(
      rewriter, loc, host.cst(reduction.rows), host.cst(1), host.cst(1), host.cst(threads),
      host.cst(1), host.cst(1), /*dynamicSharedMemorySize=*/nullptr, /*asyncTokenType=*/nullptr,
      /*asyncDependencies=*/{}, TypeRange{sharedType});
  rewriter.setInsertionPointToStart(&launch.getBody().front());
  Builder ib{rewriter, loc};
  Value shared = launch.getWorkgroupAttributions()[0];
  Value tx = launch.getThreadIds().x;
  // The row's indices, outermost first, from blockIdx.x.
  SmallVector<Value> dims(op.getNumLoops());
  Value rest = launch.getBlockIds().x;
  for (int i = static_cast<int>(r) - 1; i >= 0; --i) {
    dims[i] = arith::RemUIOp::create(rewriter, loc, rest, ib.cst(reduction.ranges[i]));
    rest = arith::DivUIOp::create(rewriter, loc, rest, ib.cst(reduction.ranges[i]));
  }
  // This thread's share: r = tx, tx + threads, ... (consecutive threads,
  // consecutive elements), each element's value by the generic's body.
  Value identity = arith::ConstantOp::create(rewriter, loc, reduction.identity);
  auto share = scf::ForOp::create(rewriter, loc, tx, ib.cst(length), ib.cst(threads),
                                  ValueRange{identity});
  rewriter.setInsertionPointToStart(share.getBody());
  dims[r] = share.getInductionVar();
  Block &body = op.getRegion().front();
  IRMapping map;
  for (OpOperand *input : op.getDpsInputOperands())
    map.map(body.getArgument(input->getOperandNumber()),
            memref::LoadOp::create(rewriter, loc, input->get(),
                                   ds::indicesAt(rewriter, loc, op.getMatchingIndexingMap(input), dims)));
  for (Operation &nested : body.without_terminator())
    if (&nested != reduction.combine)
      rewriter.clone(nested, map);
  Value value = map.lookupOrDefault(reduction.value);
  scf::YieldOp::create(rewriter, loc,
                       combine(rewriter, op, reduction, share.getRegionIterArgs()[0], value));
  rewriter.setInsertionPointAfter(share);
  // The shares combined in a tree: at each level the lower half of the
  // remaining threads combine the upper half's values into theirs.
  memref::StoreOp::create(rewriter, loc, share.getResult(0), shared, tx);
  gpu::BarrierOp::create(rewriter, loc);
  for (int64_t half = threads / 2; half >= 1; half /= 2) {
    Value lower = arith::CmpIOp::create(rewriter, loc, arith::CmpIPredicate::ult, tx,
                                        ib.cst(half));
    auto guard = scf::IfOp::create(rewriter, loc, lower, /*withElseRegion=*/false);
    rewriter.setInsertionPointToStart(guard.thenBlock());
    Value mine = memref::LoadOp::create(rewriter, loc, shared, tx);
    Value partner = memref::LoadOp::create(
        rewriter, loc, shared, arith::AddIOp::create(rewriter, loc, tx, ib.cst(half)).getResult());
    memref::StoreOp::create(rewriter, loc, combine(rewriter, op, reduction, mine, partner),
                            shared, tx);
    rewriter.setInsertionPointAfter(guard);
    if (half > 1) // the last level is thread 0's own, which reads it next
      gpu::BarrierOp::create(rewriter, loc);
  }
  // Thread 0: the row's initial value combined with the row's result.
  Value first = arith::CmpIOp::create(rewriter, loc, arith::CmpIPredicate::eq, tx, ib.cst(0));
  auto guard = scf::IfOp::create(rewriter, loc, first, /*withElseRegion=*/false);
  rewriter.setInsertionPointToStart(guard.thenBlock());
  OpOperand *out = op.getDpsInitOperand(0);
  SmallVector<Value> outIndices = ds::indicesAt(rewriter, loc, op.getMatchingIndexingMap(out), dims);
  Value initial = fill ? fill.getInputs()[0]
                       : memref::LoadOp::create(rewriter, loc, out->get(), outIndices).getResult();
  Value total = memref::LoadOp::create(rewriter, loc, shared, ib.cst(0));
  memref::StoreOp::create(rewriter, loc, combine(rewriter, op, reduction, initial, total),
                          out->get(), outIndices);
  rewriter.setInsertionPointAfter(guard);
  gpu::TerminatorOp::create(rewriter, loc);
  rewriter.eraseOp(op);
  if (fill)
    rewriter.eraseOp(fill);
}

struct DSGPUReduceRowsPass : public ds::impl::DSGPUReduceRowsBase<DSGPUReduceRowsPass> {
  using Base::Base;
  void runOnOperation() override {
    IRRewriter rewriter(&getContext());
    SmallVector<std::pair<linalg::GenericOp, RowReduction>> reductions;
    getOperation().walk([&](linalg::GenericOp op) {
      if (op->getParentOfType<gpu::LaunchOp>())
        return;
      if (std::optional<RowReduction> reduction = matchRowReduction(op, minLength))
        reductions.emplace_back(op, std::move(*reduction));
    });
    for (auto &[op, reduction] : reductions)
      reduceOnBlocks(op, reduction, ds::fillFeeding(op, op.getDpsInitOperand(0)->get()),
                     rewriter);
  }
};

} // namespace
