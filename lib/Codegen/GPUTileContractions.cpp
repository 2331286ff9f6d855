//===- GPUTileContractions.cpp - the ds-gpu-tile-contractions pass --------===//
//
// Without this pass a matmul-like linalg.generic becomes one GPU thread per
// output element, each reading a whole row of A and column of B from global
// memory: every input element is read M or N times. Here each such generic
// (on buffers, before the memory plan) becomes one gpu.launch of the classic
// shared-memory schedule: a block of 16 x 16 threads owns a 64 x 64 output
// tile, stages 16-deep slices of A and B in shared memory (each element read
// from global memory once per block), and each thread accumulates a 4 x 4
// register tile from shared memory. Threads own rows ty + 16i and columns
// tx + 16j, so a warp's shared reads of B are consecutive (no bank
// conflicts), its reads of A broadcast, and its stores are coalesced.
//
// The reduction still runs k = 0, 1, ..., K-1 for every output element, in
// the generic's own body: the results are those of the untiled kernel.
// Edges are handled by clamped loads whose values are replaced by zero (a
// zero product adds nothing) and guarded stores.
//
//===----------------------------------------------------------------------===//

#include "RegisterTiles.h"

#include "deepseek/Passes.h"

#include "mlir/Dialect/Arith/IR/Arith.h"
#include "mlir/Dialect/GPU/IR/GPUDialect.h"
#include "mlir/Dialect/Linalg/IR/Linalg.h"
#include "mlir/Dialect/MemRef/IR/MemRef.h"
#include "mlir/Dialect/SCF/IR/SCF.h"
#include "mlir/IR/IRMapping.h"
#include "mlir/Interfaces/SideEffectInterfaces.h"
#include "mlir/Interfaces/ViewLikeInterface.h"

namespace mlir::ds {
#define GEN_PASS_DEF_DSGPUTILECONTRACTIONS
#include "ds/Passes.h.inc"
} // namespace mlir::ds

using namespace mlir;

namespace {

// The schedule: kThreads x kThreads threads, each kRegs x kRegs outputs.
constexpr int64_t kThreads = 16;
constexpr int64_t kRegs = 4;
constexpr int64_t kTile = kThreads * kRegs; // output rows and columns per block
constexpr int64_t kDepth = 16;              // k per shared-memory stage
constexpr int64_t kMaxGrid = 65535;         // gridDim.y and .z

/// A matmul-like generic on buffers: out[batch.., m, n] += lhs[.. m .. k ..] *
/// rhs[.. k .. n ..] (each operand's dims in any order).
struct Contraction {
  unsigned m, n, k;
  // An operand's arith.extf in the body (FP16 weights fused in by
  // ds-fuse-elementwise{widen-into-contractions}): applied as it is staged.
  arith::ExtFOp lhsWiden, rhsWiden;
  SmallVector<unsigned> batch; // the other output dims, outermost first
  int64_t batches;             // their product: blockIdx.z's range
  SmallVector<int64_t> ranges;
  OpOperand *lhs, *rhs, *out;
};

/// The loop dim an operand's innermost (contiguous) index is.
unsigned contiguousDim(linalg::GenericOp op, OpOperand *operand) {
  return op.getMatchingIndexingMap(operand).getDimPosition(
      op.getMatchingIndexingMap(operand).getNumResults() - 1);
}

/// The arith.extf that is the only use of |arg|, if any.
arith::ExtFOp widening(BlockArgument arg) {
  return arg.hasOneUse() ? dyn_cast<arith::ExtFOp>(*arg.getUsers().begin()) : nullptr;
}

/// out + a * b, each input possibly widened first by an arith.extf.
bool isWidenedMultiplyAccumulate(linalg::GenericOp op) {
  if (ds::isMultiplyAccumulate(op))
    return true;
  Block &body = op.getRegion().front();
  if (body.getNumArguments() != 3)
    return false;
  unsigned widened = 0;
  Value factors[2];
  for (unsigned i = 0; i < 2; ++i) {
    arith::ExtFOp extend = widening(body.getArgument(i));
    widened += extend != nullptr;
    factors[i] = extend ? extend.getResult() : body.getArgument(i);
  }
  if (widened == 0 || body.getOperations().size() != 3 + widened)
    return false;
  Operation *ops = &*std::next(body.begin(), widened);
  auto mul = dyn_cast<arith::MulFOp>(ops);
  auto add = dyn_cast_if_present<arith::AddFOp>(mul ? mul->getNextNode() : nullptr);
  return mul && add && llvm::is_contained(mul->getOperands(), factors[0]) &&
         llvm::is_contained(mul->getOperands(), factors[1]) && factors[0] != factors[1] &&
         llvm::is_contained(add->getOperands(), mul.getResult()) &&
         llvm::is_contained(add->getOperands(), body.getArgument(2)) &&
         body.getTerminator()->getOperand(0) == add.getResult();
}

std::optional<Contraction> matchContraction(linalg::GenericOp op) {
  if (!op.hasPureBufferSemantics() || op.getNumDpsInputs() != 2 || op.getNumDpsInits() != 1 ||
      op.hasIndexSemantics() || !isWidenedMultiplyAccumulate(op))
    return std::nullopt;
  SmallVector<utils::IteratorType> iterators = op.getIteratorTypesArray();
  if (llvm::count(iterators, utils::IteratorType::reduction) != 1 || iterators.size() < 3)
    return std::nullopt;
  for (AffineMap map : op.getIndexingMapsArray())
    if (!map.isProjectedPermutation(/*allowZeroInResults=*/false) || map.getNumResults() == 0)
      return std::nullopt;
  Contraction c;
  c.out = op.getDpsInitOperand(0);
  c.k = std::distance(iterators.begin(), llvm::find(iterators, utils::IteratorType::reduction));
  AffineMap outMap = op.getMatchingIndexingMap(c.out);
  // Every parallel dim is an output dim, the reduction dim is not.
  if (outMap.getNumResults() != iterators.size() - 1 || outMap.isFunctionOfDim(c.k) ||
      outMap.getNumResults() < 2)
    return std::nullopt;
  c.n = outMap.getDimPosition(outMap.getNumResults() - 1);
  c.lhs = c.rhs = nullptr;
  for (OpOperand *input : op.getDpsInputOperands())
    (op.getMatchingIndexingMap(input).isFunctionOfDim(c.n) ? c.rhs : c.lhs) = input;
  if (!c.lhs || !c.rhs)
    return std::nullopt;
  AffineMap lhsMap = op.getMatchingIndexingMap(c.lhs);
  AffineMap rhsMap = op.getMatchingIndexingMap(c.rhs);
  // m: the innermost other output dim the left-hand side reads.
  std::optional<unsigned> m;
  for (unsigned i = 0; i + 1 < outMap.getNumResults(); ++i)
    if (lhsMap.isFunctionOfDim(outMap.getDimPosition(i)))
      m = outMap.getDimPosition(i);
  if (!m || rhsMap.isFunctionOfDim(*m) || !lhsMap.isFunctionOfDim(c.k) ||
      !rhsMap.isFunctionOfDim(c.k))
    return std::nullopt;
  c.m = *m;
  Block &body = op.getRegion().front();
  c.lhsWiden = widening(body.getArgument(c.lhs->getOperandNumber()));
  c.rhsWiden = widening(body.getArgument(c.rhs->getOperandNumber()));
  for (unsigned i = 0; i + 1 < outMap.getNumResults(); ++i)
    if (outMap.getDimPosition(i) != c.m)
      c.batch.push_back(outMap.getDimPosition(i));
  c.ranges = op.getStaticLoopRanges();
  if (llvm::any_of(c.ranges, ShapedType::isDynamic))
    return std::nullopt;
  c.batches = 1;
  for (unsigned dim : c.batch)
    c.batches *= c.ranges[dim];
  if (c.batches > kMaxGrid || llvm::divideCeil(c.ranges[c.m], kTile) > kMaxGrid)
    return std::nullopt;
  return c;
}

/// The buffer |value| is a view of (its alloc or argument).
Value rootBuffer(Value value) {
  while (auto view = value.getDefiningOp<ViewLikeOpInterface>())
    value = view.getViewSource();
  return value;
}

/// What the tiled kernel takes over from the ops around the product, on
/// buffers before the memory plan: the linalg.fill that sets the product's
/// buffer (its value then starts the accumulators) and the elementwise
/// generic that next reads it (applied to each accumulator before the
/// store, into that generic's output). Either may be absent.
struct Fusion {
  linalg::FillOp fill;
  linalg::GenericOp epilogue;
};

/// |op|'s elementwise consumer, if it can run in the product's stores: the
/// next op touching memory, reading the product at the identity of its loops,
/// its own output at a permutation, nothing read at the element it writes
/// but that element, and nothing it writes read by the product.
linalg::GenericOp findEpilogue(linalg::GenericOp op, const Contraction &c) {
  Value product = c.out->get();
  // Ops that neither read nor write memory may sit between (allocs and
  // views for the epilogue's operands, constants).
  Operation *next = op->getNextNode();
  while (next && (isPure(next) || isa<memref::AllocOp, ViewLikeOpInterface>(next)))
    next = next->getNextNode();
  auto epilogue = dyn_cast_if_present<linalg::GenericOp>(next);
  if (!epilogue || !epilogue.hasPureBufferSemantics() || epilogue.getNumDpsInits() != 1 ||
      epilogue.hasIndexSemantics() ||
      epilogue.getNumParallelLoops() != epilogue.getNumLoops())
    return nullptr;
  auto productType = cast<MemRefType>(product.getType());
  if (epilogue.getStaticLoopRanges() != SmallVector<int64_t>(productType.getShape()))
    return nullptr;
  OpOperand *output = epilogue.getDpsInitOperand(0);
  AffineMap outputMap = epilogue.getMatchingIndexingMap(output);
  Block &body = epilogue.getRegion().front();
  if (!outputMap.isPermutation() || !body.getArgument(output->getOperandNumber()).use_empty())
    return nullptr;
  Value outputRoot = rootBuffer(output->get());
  if (outputRoot == rootBuffer(c.lhs->get()) || outputRoot == rootBuffer(c.rhs->get()))
    return nullptr;
  bool readsProduct = false;
  for (OpOperand *input : epilogue.getDpsInputOperands()) {
    AffineMap map = epilogue.getMatchingIndexingMap(input);
    if (input->get() == product) {
      if (!map.isIdentity())
        return nullptr;
      readsProduct = true;
      continue;
    }
    if (llvm::any_of(map.getResults(), [](AffineExpr e) {
          return !isa<AffineDimExpr, AffineConstantExpr>(e);
        }))
      return nullptr;
    // Another block may still read what this thread overwrites.
    if (rootBuffer(input->get()) == outputRoot && (input->get() != output->get() || map != outputMap))
      return nullptr;
  }
  return readsProduct ? epilogue : nullptr;
}

Fusion findFusion(linalg::GenericOp op, const Contraction &c) {
  Fusion fusion;
  // A buffer of its own (no view of a larger one whose other views could
  // see it): an intermediate's alloc, or a model output.
  Value product = c.out->get();
  bool intermediate = product.getDefiningOp<memref::AllocOp>() != nullptr;
  if (!intermediate && !isa<BlockArgument>(product))
    return fusion;
  Block *block = op->getBlock();
  auto position = [&](Operation *user) { return block->findAncestorOpInBlock(*user); };
  for (Operation *user : product.getUsers())
    if (auto fill = dyn_cast<linalg::FillOp>(user);
        fill && fill.hasPureBufferSemantics() && fill->getBlock() == block &&
        fill->isBeforeInBlock(op) && fill.getOutputs()[0] == product &&
        fill.getInputs()[0].getType() == getElementTypeOrSelf(product.getType()))
      fusion.fill = fill;
  // Nothing may see the buffer between the fill and the product.
  for (Operation *user : product.getUsers()) {
    Operation *at = position(user);
    if (fusion.fill && user != fusion.fill && user != op &&
        (!at || (fusion.fill->isBeforeInBlock(at) && at->isBeforeInBlock(op))))
      fusion.fill = nullptr;
  }
  // The epilogue's stores replace the product's: nothing else may read
  // the product, unless the epilogue writes its result over it (in place),
  // and later readers read that.
  fusion.epilogue = findEpilogue(op, c);
  bool inPlace =
      fusion.epilogue && fusion.epilogue.getDpsInitOperand(0)->get() == product;
  if (!inPlace && !intermediate) // the caller reads the output
    fusion.epilogue = nullptr;
  // In place, each thread must write only the elements it read (its
  // accumulators' initial values, without a fill).
  if (inPlace && !fusion.epilogue.getMatchingIndexingMap(fusion.epilogue.getDpsInitOperand(0))
                      .isIdentity())
    fusion.epilogue = nullptr;
  Operation *epilogue = fusion.epilogue;
  if (!epilogue)
    return fusion;
  for (Operation *user : product.getUsers())
    if (user != op && user != fusion.fill.getOperation() && user != epilogue &&
        !isa<memref::DeallocOp>(user) &&
        !(inPlace && position(user) && epilogue->isBeforeInBlock(position(user))))
      fusion.epilogue = nullptr;
  return fusion;
}

/// Index arithmetic inside the launch body.
struct Builder {
  OpBuilder &b;
  Location loc;
  Value cst(int64_t v) { return arith::ConstantIndexOp::create(b, loc, v); }
  Value add(Value x, Value y) { return arith::AddIOp::create(b, loc, x, y); }
  Value add(Value x, int64_t y) { return y ? add(x, cst(y)) : x; }
  Value mul(Value x, int64_t y) { return arith::MulIOp::create(b, loc, x, cst(y)); }
  Value div(Value x, int64_t y) { return arith::DivUIOp::create(b, loc, x, cst(y)); }
  Value rem(Value x, int64_t y) { return arith::RemUIOp::create(b, loc, x, cst(y)); }
  Value below(Value x, int64_t bound) {
    return arith::CmpIOp::create(b, loc, arith::CmpIPredicate::ult, x, cst(bound));
  }
  Value both(Value x, Value y) { return arith::AndIOp::create(b, loc, x, y); }
  Value clamp(Value x, int64_t bound) { return arith::MinUIOp::create(b, loc, x, cst(bound - 1)); }
  Value zero(Type type) {
    return arith::ConstantOp::create(b, loc, type, b.getZeroAttr(type));
  }
};

/// The generic's loop indices as values: the batch dims' from blockIdx.z,
/// the others zero until the caller sets them.
SmallVector<Value> loopIndices(Builder &ib, const Contraction &c, ArrayRef<Value> batchDims) {
  SmallVector<Value> dims(c.ranges.size(), ib.cst(0));
  for (auto [pos, value] : llvm::zip(c.batch, batchDims))
    dims[pos] = value;
  return dims;
}

/// |operand|'s indices at the loop indices |dims|.
SmallVector<Value> operandIndices(linalg::GenericOp op, OpOperand *operand,
                                  ArrayRef<Value> dims) {
  AffineMap map = op.getMatchingIndexingMap(operand);
  SmallVector<Value> indices;
  for (unsigned i = 0; i < map.getNumResults(); ++i)
    indices.push_back(dims[map.getDimPosition(i)]);
  return indices;
}

/// Stages one kDepth x kTile slice of |operand| (rows: k, columns: the
/// operand's other tiled dim |dim|, starting at |dim0|) in |shared|.
/// Consecutive threads load consecutive elements of the operand's
/// contiguous dim.
void stageSlice(Builder &ib, linalg::GenericOp op, const Contraction &c, OpOperand *operand,
                arith::ExtFOp widen, unsigned dim, Value dim0, Value k0,
                ArrayRef<Value> batchDims, Value thread, Value shared) {
  bool kContiguous = contiguousDim(op, operand) == c.k;
  Type element = cast<MemRefType>(shared.getType()).getElementType();
  for (int64_t r = 0; r < kTile * kDepth / (kThreads * kThreads); ++r) {
    Value e = ib.add(thread, r * kThreads * kThreads);
    Value kk = kContiguous ? ib.rem(e, kDepth) : ib.div(e, kTile);
    Value jj = kContiguous ? ib.div(e, kDepth) : ib.rem(e, kTile);
    Value k = ib.add(k0, kk), j = ib.add(dim0, jj);
    Value inside = ib.both(ib.below(k, c.ranges[c.k]), ib.below(j, c.ranges[dim]));
    SmallVector<Value> dims = loopIndices(ib, c, batchDims);
    dims[c.k] = ib.clamp(k, c.ranges[c.k]);
    dims[dim] = ib.clamp(j, c.ranges[dim]);
    Value loaded = memref::LoadOp::create(ib.b, ib.loc, operand->get(),
                                          operandIndices(op, operand, dims));
    if (widen)
      loaded = arith::ExtFOp::create(ib.b, ib.loc, element, loaded);
    Value value = arith::SelectOp::create(ib.b, ib.loc, inside, loaded, ib.zero(element));
    memref::StoreOp::create(ib.b, ib.loc, value, shared, ValueRange{kk, jj});
  }
}

/// The generic's body applied to (a, b, acc) at the builder's point; a
/// and b are staged values, already widened.
Value multiplyAccumulate(OpBuilder &b, linalg::GenericOp op, const Contraction &c, Value lhs,
                         Value rhs, Value acc) {
  Block &body = op.getRegion().front();
  arith::ExtFOp lhsWiden = c.lhsWiden, rhsWiden = c.rhsWiden;
  IRMapping map;
  map.map(lhsWiden ? lhsWiden.getResult() : Value(body.getArgument(c.lhs->getOperandNumber())),
          lhs);
  map.map(rhsWiden ? rhsWiden.getResult() : Value(body.getArgument(c.rhs->getOperandNumber())),
          rhs);
  map.map(body.getArgument(2), acc);
  for (Operation &nested : body.without_terminator())
    if (&nested != lhsWiden.getOperation() && &nested != rhsWiden.getOperation())
      b.clone(nested, map);
  return map.lookup(body.getTerminator()->getOperand(0));
}

/// Stores |epilogue| applied to the product's element |value| (at
/// |indices| of |product|) into the epilogue's output: its loops are the
/// product's indices, its other inputs are loaded there.
void storeThroughEpilogue(Builder &ib, linalg::GenericOp epilogue, Value product,
                          ArrayRef<Value> indices, Value value) {
  Block &body = epilogue.getRegion().front();
  auto at = [&](AffineMap map) {
    SmallVector<Value> result;
    for (AffineExpr e : map.getResults())
      result.push_back(isa<AffineDimExpr>(e)
                           ? indices[cast<AffineDimExpr>(e).getPosition()]
                           : ib.cst(cast<AffineConstantExpr>(e).getValue()));
    return result;
  };
  IRMapping map;
  for (OpOperand *input : epilogue.getDpsInputOperands()) {
    Value element = input->get() == product
                        ? value
                        : memref::LoadOp::create(ib.b, ib.loc, input->get(),
                                                 at(epilogue.getMatchingIndexingMap(input)));
    map.map(body.getArgument(input->getOperandNumber()), element);
  }
  for (Operation &nested : body.without_terminator())
    ib.b.clone(nested, map);
  OpOperand *output = epilogue.getDpsInitOperand(0);
  memref::StoreOp::create(ib.b, ib.loc, map.lookup(body.getTerminator()->getOperand(0)),
                          output->get(), at(epilogue.getMatchingIndexingMap(output)));
}

void tileOnBlocks(linalg::GenericOp op, const Contraction &c, Fusion fusion,
                  RewriterBase &rewriter) {
  Location loc = op.getLoc();
  // The epilogue's operands are defined by its place; nothing between the
  // product and it touches memory.
  rewriter.setInsertionPoint(fusion.epilogue ? fusion.epilogue : op);
  Builder host{rewriter, loc};
  int64_t M = c.ranges[c.m], N = c.ranges[c.n], K = c.ranges[c.k];
  Attribute workgroup = gpu::AddressSpaceAttr::get(rewriter.getContext(),
                                                   gpu::AddressSpace::Workgroup);
  // Staged widened: each element is widened once, not once per use.
  auto sharedType = [&](OpOperand *operand, arith::ExtFOp widen) {
    Type element = widen ? widen.getType()
                         : cast<MemRefType>(operand->get().getType()).getElementType();
    return MemRefType::get({kDepth, kTile}, element, MemRefLayoutAttrInterface(), workgroup);
  };
  auto launch = gpu::LaunchOp::create(
      rewriter, loc, host.cst(llvm::divideCeil(N, kTile)), host.cst(llvm::divideCeil(M, kTile)),
      host.cst(c.batches), host.cst(kThreads), host.cst(kThreads), host.cst(1),
      /*dynamicSharedMemorySize=*/nullptr, /*asyncTokenType=*/nullptr,
      /*asyncDependencies=*/{},
      TypeRange{sharedType(c.lhs, c.lhsWiden), sharedType(c.rhs, c.rhsWiden)});
  Block &body = launch.getBody().front();
  rewriter.setInsertionPointToStart(&body);
  Builder ib{rewriter, loc};
  Value sharedLhs = launch.getWorkgroupAttributions()[0];
  Value sharedRhs = launch.getWorkgroupAttributions()[1];
  gpu::KernelDim3 block = launch.getBlockIds(), thread = launch.getThreadIds();
  Value tx = thread.x, ty = thread.y;
  Value linear = ib.add(ib.mul(ty, kThreads), tx);
  Value m0 = ib.mul(block.y, kTile), n0 = ib.mul(block.x, kTile);
  // The batch dims, outermost first, from blockIdx.z.
  SmallVector<Value> batchDims(c.batch.size());
  Value z = block.z;
  for (int i = static_cast<int>(c.batch.size()) - 1; i >= 0; --i) {
    batchDims[i] = ib.rem(z, c.ranges[c.batch[i]]);
    z = ib.div(z, c.ranges[c.batch[i]]);
  }
  // This thread's outputs: rows m0 + ty + 16i, columns n0 + tx + 16j.
  SmallVector<Value> rows, cols;
  for (int64_t i = 0; i < kRegs; ++i) {
    rows.push_back(ib.add(ib.add(m0, ty), i * kThreads));
    cols.push_back(ib.add(ib.add(n0, tx), i * kThreads));
  }
  Value outBuffer = c.out->get();
  Type accType = cast<MemRefType>(outBuffer.getType()).getElementType();
  // Clamped for loads outside the guard; stores are inside it.
  auto outIndices = [&](int64_t i, int64_t j, bool clamped) {
    SmallVector<Value> dims = loopIndices(ib, c, batchDims);
    dims[c.m] = clamped ? ib.clamp(rows[i], M) : rows[i];
    dims[c.n] = clamped ? ib.clamp(cols[j], N) : cols[j];
    return operandIndices(op, c.out, dims);
  };
  auto inside = [&](int64_t i, int64_t j) {
    return ib.both(ib.below(rows[i], M), ib.below(cols[j], N));
  };
  // The accumulators start at the fill's value, or at the output's values
  // (the generic accumulates into its init).
  SmallVector<Value> init;
  for (int64_t i = 0; i < kRegs; ++i)
    for (int64_t j = 0; j < kRegs; ++j) {
      if (fusion.fill) {
        init.push_back(fusion.fill.getInputs()[0]);
        continue;
      }
      Value loaded = memref::LoadOp::create(rewriter, loc, outBuffer, outIndices(i, j, true));
      init.push_back(arith::SelectOp::create(rewriter, loc, inside(i, j), loaded,
                                             ib.zero(accType)));
    }
  auto stages = scf::ForOp::create(rewriter, loc, ib.cst(0), ib.cst(K), ib.cst(kDepth), init);
  rewriter.setInsertionPointToStart(stages.getBody());
  Value k0 = stages.getInductionVar();
  stageSlice(ib, op, c, c.lhs, c.lhsWiden, c.m, m0, k0, batchDims, linear, sharedLhs);
  stageSlice(ib, op, c, c.rhs, c.rhsWiden, c.n, n0, k0, batchDims, linear, sharedRhs);
  gpu::BarrierOp::create(rewriter, loc);
  auto steps = scf::ForOp::create(rewriter, loc, ib.cst(0), ib.cst(kDepth), ib.cst(1),
                                  stages.getRegionIterArgs());
  rewriter.setInsertionPointToStart(steps.getBody());
  Value kk = steps.getInductionVar();
  SmallVector<Value> a, bv, acc;
  for (int64_t i = 0; i < kRegs; ++i) {
    a.push_back(memref::LoadOp::create(rewriter, loc, sharedLhs,
                                       ValueRange{kk, ib.add(ty, i * kThreads)}));
    bv.push_back(memref::LoadOp::create(rewriter, loc, sharedRhs,
                                        ValueRange{kk, ib.add(tx, i * kThreads)}));
  }
  for (int64_t i = 0; i < kRegs; ++i)
    for (int64_t j = 0; j < kRegs; ++j)
      acc.push_back(multiplyAccumulate(rewriter, op, c, a[i], bv[j],
                                       steps.getRegionIterArgs()[i * kRegs + j]));
  scf::YieldOp::create(rewriter, loc, acc);
  rewriter.setInsertionPointAfter(steps);
  // Nobody overwrites the slices before everyone has read them.
  gpu::BarrierOp::create(rewriter, loc);
  scf::YieldOp::create(rewriter, loc, steps.getResults());
  rewriter.setInsertionPointAfter(stages);
  for (int64_t i = 0; i < kRegs; ++i)
    for (int64_t j = 0; j < kRegs; ++j) {
      auto guard = scf::IfOp::create(rewriter, loc, inside(i, j), /*withElseRegion=*/false);
      rewriter.setInsertionPointToStart(guard.thenBlock());
      Value result = stages.getResult(i * kRegs + j);
      if (fusion.epilogue)
        storeThroughEpilogue(ib, fusion.epilogue, outBuffer, outIndices(i, j, false), result);
      else
        memref::StoreOp::create(rewriter, loc, result, outBuffer, outIndices(i, j, false));
      rewriter.setInsertionPointAfter(guard);
    }
  gpu::TerminatorOp::create(rewriter, loc);
  rewriter.eraseOp(op);
  if (fusion.fill)
    rewriter.eraseOp(fusion.fill);
  if (fusion.epilogue)
    rewriter.eraseOp(fusion.epilogue);
  if (Operation *alloc = outBuffer.getDefiningOp<memref::AllocOp>(); alloc && alloc->use_empty())
    rewriter.eraseOp(alloc);
}

struct DSGPUTileContractionsPass
    : public ds::impl::DSGPUTileContractionsBase<DSGPUTileContractionsPass> {
  void runOnOperation() override {
    IRRewriter rewriter(&getContext());
    SmallVector<std::pair<linalg::GenericOp, Contraction>> contractions;
    getOperation().walk([&](linalg::GenericOp op) {
      if (op->getParentOfType<gpu::LaunchOp>())
        return;
      if (std::optional<Contraction> c = matchContraction(op))
        contractions.emplace_back(op, std::move(*c));
    });
    for (auto &[op, c] : contractions)
      tileOnBlocks(op, c, findFusion(op, c), rewriter);
  }
};

} // namespace
