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
// Products of FP16 weights (tensor-cores=true, sm_80 on) run on tensor
// cores instead: the same tiles and stages, both slices staged as f16, and
// each warp's piece of the tile computed by mma.sync m16n8k16 (f16 x f16
// products, f32 accumulators). The activations are rounded to f16 there:
// the model chose FP16 weights, and this is the precision FP16 inference
// computes in (the sums stay f32).
//
// On sm_90a (wgmma=true) those products are warpgroup MMAs instead: the
// slices staged as 8 x 8 core matrices (no swizzle) in one shared buffer,
// and each of the block's two warpgroups multiplies the whole 64-row slice
// of A by its 32-column half of B's with one wgmma.mma_async m64n32k16 per
// stage, reading both from shared memory through matrix descriptors
// (scripts/wgmma_layout_probe.cu checks their reading on a Hopper GPU).
//
//===----------------------------------------------------------------------===//

#include "GPUKernelSupport.h"
#include "GPUGatheredOperands.h"
#include "RegisterTiles.h"

#include "deepseek/Passes.h"

#include "mlir/Dialect/Arith/IR/Arith.h"
#include "mlir/Dialect/GPU/IR/GPUDialect.h"
#include "mlir/Dialect/LLVMIR/LLVMDialect.h"
#include "mlir/Dialect/LLVMIR/NVVMDialect.h"
#include "mlir/Dialect/Linalg/IR/Linalg.h"
#include "mlir/Dialect/MemRef/IR/MemRef.h"
#include "mlir/Dialect/NVGPU/IR/NVGPUDialect.h"
#include "mlir/Dialect/UB/IR/UBOps.h"
#include "mlir/Dialect/Vector/IR/VectorOps.h"
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

// The tensor-core schedule (tensor-cores=true, products of an f16 operand):
// the block's 8 warps each own a 16 x 32 piece of the 64 x 64 tile and
// compute it as four m16n8k16 products per stage. Both slices are staged
// as f16 in [row][k] order, rows padded to 24 halves: a warp's 32-bit
// fragment reads (rows g, k pairs q) then fall in 32 different banks.
constexpr int64_t kWarpSize = 32;
constexpr int64_t kWarpRows = 16, kWarpCols = 32, kMmaN = 8;
constexpr int64_t kPaddedDepth = kDepth + 8;
static_assert((kTile / kWarpRows) * (kTile / kWarpCols) * kWarpSize == kThreads * kThreads,
              "one warp per 16 x 32 piece of the tile");

// The warpgroup schedule (wgmma=true): slices staged as core matrices of
// 8 rows x 8 halves (16 bytes a row, 128 contiguous bytes), indexed
// [operand][row / 8][k / 8][row % 8][k % 8] in one buffer: the matrix
// descriptors' leading offset (between core matrices adjacent in k) is
// then 128 bytes and their stride offset (adjacent in rows) 256.
constexpr int64_t kWarpgroup = 128;     // threads
constexpr int64_t kGroupCols = 32;      // the N of wgmma m64n32k16
constexpr int64_t kCoreRows = 8, kCoreBytes = 128;
constexpr int64_t kCoreLeading = kCoreBytes, kCoreStride = kDepth / 8 * kCoreBytes;
constexpr int64_t kSliceBytes = kTile / kCoreRows * kCoreStride;
static_assert(kThreads * kThreads == 2 * kWarpgroup && kTile == 2 * kGroupCols,
              "one warpgroup per 64 x 32 half of the tile");

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
  // An operand an im2col gather wrote: loaded from the gather's input.
  std::optional<ds::Gather> lhsGather, rhsGather;
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
  c.lhsGather = ds::findGather(op, c.lhs);
  c.rhsGather = ds::findGather(op, c.rhs);
  c.batches = 1;
  for (unsigned dim : c.batch)
    c.batches *= c.ranges[dim];
  if (c.batches > kMaxGrid || llvm::divideCeil(c.ranges[c.m], kTile) > kMaxGrid)
    return std::nullopt;
  return c;
}

/// Whether the product may run on tensor cores: f32 accumulators, an
/// operand widened from f16 (the model chose FP16 weights: deepseek-optimize
/// --quantize FP16), the other f16 too or f32 (rounded to f16 as staged).
bool onTensorCores(const Contraction &c) {
  auto fromF16 = [](arith::ExtFOp widen) {
    return widen && widen.getIn().getType().isF16() && widen.getType().isF32();
  };
  auto stagesAsF16 = [&](OpOperand *operand, arith::ExtFOp widen) {
    return fromF16(widen) || (!widen && getElementTypeOrSelf(operand->get().getType()).isF32());
  };
  return getElementTypeOrSelf(c.out->get().getType()).isF32() &&
         (fromF16(c.lhsWiden) || fromF16(c.rhsWiden)) && stagesAsF16(c.lhs, c.lhsWiden) &&
         stagesAsF16(c.rhs, c.rhsWiden);
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
  Value outputRoot = ds::rootBuffer(output->get());
  if (outputRoot == ds::rootBuffer(c.lhs->get()) || outputRoot == ds::rootBuffer(c.rhs->get()))
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
    if (ds::rootBuffer(input->get()) == outputRoot && (input->get() != output->get() || map != outputMap))
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
  fusion.fill = ds::fillFeeding(op, product);
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

/// |value| converted to |element|: widened (FP16 weights on the CUDA
/// cores) or narrowed (f32 activations on the tensor cores).
Value converted(Builder &ib, Value value, Type element) {
  if (value.getType() == element)
    return value;
  if (value.getType().getIntOrFloatBitWidth() < element.getIntOrFloatBitWidth())
    return arith::ExtFOp::create(ib.b, ib.loc, element, value);
  return arith::TruncFOp::create(ib.b, ib.loc, element, value);
}

/// Where a schedule stages element (row jj of the slice, kk of the stage)
/// of an operand: its indices in the shared buffer.
using SliceIndices = std::function<SmallVector<Value>(Value jj, Value kk)>;

/// Stages one kDepth x kTile slice of |operand| (k by the operand's other
/// tiled dim |dim|, starting at |dim0|) in |shared| at |at|, converted to
/// |shared|'s element type. Consecutive threads load consecutive elements
/// of the operand's contiguous dim.
void stageSlice(Builder &ib, linalg::GenericOp op, const Contraction &c, OpOperand *operand,
                const std::optional<ds::Gather> &gather, unsigned dim, Value dim0, Value k0,
                ArrayRef<Value> batchDims, Value thread, Value shared, const SliceIndices &at) {
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
    SmallVector<Value> indices = operandIndices(op, operand, dims);
    Value loaded = gather ? ds::loadThroughGather(ib.b, ib.loc, *gather, indices)
                          : memref::LoadOp::create(ib.b, ib.loc, operand->get(), indices);
    loaded = converted(ib, loaded, element);
    Value value = arith::SelectOp::create(ib.b, ib.loc, inside, loaded, ib.zero(element));
    memref::StoreOp::create(ib.b, ib.loc, value, shared, at(jj, kk));
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
  auto at = [&](AffineMap map) { return ds::indicesAt(ib.b, ib.loc, map, indices); };
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

/// What both schedules' launch bodies share: the product, the block's
/// origin, the batch indices and the staged slices.
struct TileKernel {
  Builder &ib;
  linalg::GenericOp op;
  const Contraction &c;
  Value m0, n0, linear; // the tile's first row and column; the thread's rank
  SmallVector<Value> batchDims;
  Value sharedLhs, sharedRhs;
};

/// Output positions of a thread's accumulators, in accumulator order.
struct ThreadOutputs {
  SmallVector<Value> rows, cols;
};

/// The CUDA-core schedule's outputs: rows m0 + ty + 16i, columns
/// n0 + tx + 16j; accumulator i * kRegs + j.
ThreadOutputs cudaCoreOutputs(TileKernel &t, Value tx, Value ty) {
  ThreadOutputs out;
  for (int64_t i = 0; i < kRegs; ++i)
    for (int64_t j = 0; j < kRegs; ++j) {
      out.rows.push_back(t.ib.add(t.ib.add(t.m0, ty), i * kThreads));
      out.cols.push_back(t.ib.add(t.ib.add(t.n0, tx), j * kThreads));
    }
  return out;
}

/// The loop over k in stages of kDepth, carrying |init|; inside it, both
/// slices staged (at |lhsAt| and |rhsAt|) and a barrier, where the builder
/// is left. With |asyncReaders| (wgmma reads the slices through the async
/// proxy) a proxy fence orders the stores before them.
scf::ForOp beginStages(TileKernel &t, ValueRange init, const SliceIndices &lhsAt,
                       const SliceIndices &rhsAt, bool asyncReaders = false) {
  Builder &ib = t.ib;
  const Contraction &c = t.c;
  auto stages = scf::ForOp::create(ib.b, ib.loc, ib.cst(0), ib.cst(c.ranges[c.k]),
                                   ib.cst(kDepth), init);
  ib.b.setInsertionPointToStart(stages.getBody());
  Value k0 = stages.getInductionVar();
  stageSlice(ib, t.op, c, c.lhs, c.lhsGather, c.m, t.m0, k0, t.batchDims, t.linear, t.sharedLhs,
             lhsAt);
  stageSlice(ib, t.op, c, c.rhs, c.rhsGather, c.n, t.n0, k0, t.batchDims, t.linear, t.sharedRhs,
             rhsAt);
  if (asyncReaders)
    NVVM::FenceProxyOp::create(
        ib.b, ib.loc, NVVM::ProxyKindAttr::get(ib.b.getContext(), NVVM::ProxyKind::async_shared),
        NVVM::SharedSpaceAttr::get(ib.b.getContext(), NVVM::SharedSpace::shared_cta));
  gpu::BarrierOp::create(ib.b, ib.loc);
  return stages;
}

/// The CUDA-core schedule: per stage, 16 steps of a 4 x 4 outer product
/// from shared memory, each in the generic's own body (k in order).
SmallVector<Value> accumulateOnCudaCores(TileKernel &t, Value tx, Value ty,
                                         ArrayRef<Value> init) {
  Builder &ib = t.ib;
  const Contraction &c = t.c;
  auto kByRow = [](Value jj, Value kk) { return SmallVector<Value>{kk, jj}; };
  scf::ForOp stages = beginStages(t, init, kByRow, kByRow);
  auto steps = scf::ForOp::create(ib.b, ib.loc, ib.cst(0), ib.cst(kDepth), ib.cst(1),
                                  stages.getRegionIterArgs());
  ib.b.setInsertionPointToStart(steps.getBody());
  Value kk = steps.getInductionVar();
  SmallVector<Value> a, bv, acc;
  for (int64_t i = 0; i < kRegs; ++i) {
    a.push_back(memref::LoadOp::create(ib.b, ib.loc, t.sharedLhs,
                                       ValueRange{kk, ib.add(ty, i * kThreads)}));
    bv.push_back(memref::LoadOp::create(ib.b, ib.loc, t.sharedRhs,
                                        ValueRange{kk, ib.add(tx, i * kThreads)}));
  }
  for (int64_t i = 0; i < kRegs; ++i)
    for (int64_t j = 0; j < kRegs; ++j)
      acc.push_back(multiplyAccumulate(ib.b, t.op, c, a[i], bv[j],
                                       steps.getRegionIterArgs()[i * kRegs + j]));
  scf::YieldOp::create(ib.b, ib.loc, acc);
  ib.b.setInsertionPointAfter(steps);
  // Nobody overwrites the slices before everyone has read them.
  gpu::BarrierOp::create(ib.b, ib.loc);
  scf::YieldOp::create(ib.b, ib.loc, steps.getResults());
  ib.b.setInsertionPointAfter(stages);
  return SmallVector<Value>(stages.getResults());
}

/// Tensor-core fragments: lane l of a warp is in group g = l / 4 at
/// position q = l % 4 (PTX ISA, mma.m16n8k16 with .f16 operands).
struct Lane {
  Value g, q;
};

/// Where a warp's piece of the tile starts: row and column within the tile.
struct WarpOrigin {
  Value row, col;
};

/// The tensor-core schedules' outputs, from the warp's piece's |origin|:
/// four 16 x 8 accumulator fragments side by side, accumulator 4f + e of
/// fragment f at row g + 8 (e / 2), column 8f + 2q + e % 2 of its fragment
/// (mma.sync m16n8k16's C fragments, and each warp's quarter of wgmma
/// m64n32k16's D, alike).
ThreadOutputs tensorCoreOutputs(TileKernel &t, WarpOrigin origin, Lane lane) {
  Builder &ib = t.ib;
  Value rowBase = ib.add(ib.add(t.m0, origin.row), lane.g);
  Value colBase = ib.add(ib.add(t.n0, origin.col), ib.mul(lane.q, 2));
  ThreadOutputs out;
  for (int64_t f = 0; f < kWarpCols / kMmaN; ++f)
    for (int64_t e = 0; e < 4; ++e) {
      out.rows.push_back(ib.add(rowBase, 8 * (e / 2)));
      out.cols.push_back(ib.add(colBase, f * kMmaN + e % 2));
    }
  return out;
}

/// Two consecutive f16 of a [row][k] slice.
Value loadPair(Builder &ib, Value shared, Value row, Value k) {
  auto pair = VectorType::get({2}, ib.b.getF16Type());
  return vector::LoadOp::create(ib.b, ib.loc, pair, shared, ValueRange{row, k});
}

/// |rows| (vector<2xf16> each) as one vector<|rows| x 2 x f16>.
Value fragment(Builder &ib, ArrayRef<Value> rows) {
  auto type = VectorType::get({static_cast<int64_t>(rows.size()), 2}, ib.b.getF16Type());
  Value result = ub::PoisonOp::create(ib.b, ib.loc, type);
  for (auto [i, row] : llvm::enumerate(rows))
    result = vector::InsertOp::create(ib.b, ib.loc, row, result, static_cast<int64_t>(i));
  return result;
}

/// The tensor-core schedule: per stage (k = 16), each warp multiplies its
/// 16 x 16 slice of the left-hand side by four 16 x 8 slices of the
/// right-hand side with nvgpu.mma.sync (f16 operands, f32 accumulators).
SmallVector<Value> accumulateOnTensorCores(TileKernel &t, WarpOrigin origin, Lane lane,
                                           ArrayRef<Value> init) {
  Builder &ib = t.ib;
  constexpr int64_t fragments = kWarpCols / kMmaN;
  auto accType = VectorType::get({2, 2}, ib.b.getF32Type());
  SmallVector<Value> accumulators;
  for (int64_t f = 0; f < fragments; ++f)
    accumulators.push_back(
        vector::FromElementsOp::create(ib.b, ib.loc, accType, init.slice(4 * f, 4)));
  auto rowByK = [](Value jj, Value kk) { return SmallVector<Value>{jj, kk}; };
  scf::ForOp stages = beginStages(t, accumulators, rowByK, rowByK);
  // A: rows g and g + 8, k 2q and 2q + 8 (registers a0..a3); B: column g,
  // k 2q and 2q + 8 (b0, b1).
  Value row = ib.add(origin.row, lane.g);
  Value k = ib.mul(lane.q, 2);
  Value a = fragment(ib, {loadPair(ib, t.sharedLhs, row, k),
                          loadPair(ib, t.sharedLhs, ib.add(row, 8), k),
                          loadPair(ib, t.sharedLhs, row, ib.add(k, 8)),
                          loadPair(ib, t.sharedLhs, ib.add(row, 8), ib.add(k, 8))});
  Value col = ib.add(origin.col, lane.g);
  SmallVector<Value> results;
  for (int64_t f = 0; f < fragments; ++f) {
    Value n = ib.add(col, f * kMmaN);
    Value b = fragment(ib, {loadPair(ib, t.sharedRhs, n, k),
                            loadPair(ib, t.sharedRhs, n, ib.add(k, 8))});
    results.push_back(nvgpu::MmaSyncOp::create(ib.b, ib.loc, a, b,
                                               stages.getRegionIterArgs()[f],
                                               ib.b.getI64ArrayAttr({16, kMmaN, kDepth})));
  }
  // Nobody overwrites the slices before everyone has read them.
  gpu::BarrierOp::create(ib.b, ib.loc);
  scf::YieldOp::create(ib.b, ib.loc, results);
  ib.b.setInsertionPointAfter(stages);
  SmallVector<Value> scalars;
  for (Value fragmentResult : stages.getResults())
    for (int64_t e = 0; e < 4; ++e)
      scalars.push_back(vector::ExtractOp::create(ib.b, ib.loc, fragmentResult,
                                                  ArrayRef<int64_t>{e / 2, e % 2}));
  return scalars;
}

/// The matrix descriptor (PTX ISA, wgmma) of the core matrices at |offset|
/// bytes into |shared|: address bits 4..17, then the leading and stride
/// offsets in 16-byte units; no swizzle, base offset 0.
Value matrixDescriptor(Builder &ib, Value shared, Value offset) {
  Type i64 = ib.b.getI64Type();
  auto constant = [&](int64_t value) {
    return arith::ConstantOp::create(ib.b, ib.loc, i64, ib.b.getI64IntegerAttr(value));
  };
  Value base = memref::ExtractAlignedPointerAsIndexOp::create(ib.b, ib.loc, shared);
  Value address = arith::IndexCastUIOp::create(ib.b, ib.loc, i64, ib.add(base, offset));
  Value field = arith::ShRUIOp::create(
      ib.b, ib.loc, arith::AndIOp::create(ib.b, ib.loc, address, constant(0x3FFFF)), constant(4));
  return arith::OrIOp::create(ib.b, ib.loc, field,
                              constant((kCoreLeading >> 4) << 16 | (kCoreStride >> 4) << 32));
}

/// The warpgroup schedule: per stage (k = 16), warpgroup w (threads
/// 128w .. 128w + 127) multiplies the slice of A (64 x 16) by columns
/// 32w .. 32w + 31 of B's with one wgmma.mma_async m64n32k16 (f16 operands
/// from shared memory, f32 accumulators in registers: 16 a thread).
SmallVector<Value> accumulateOnWarpgroups(TileKernel &t, Value warpgroup,
                                          ArrayRef<Value> init) {
  Builder &ib = t.ib;
  MLIRContext *context = ib.b.getContext();
  Type f32 = ib.b.getF32Type();
  auto accType = LLVM::LLVMStructType::getLiteral(
      context, SmallVector<Type>(kTile * kGroupCols / kWarpgroup, f32));
  Value acc = LLVM::PoisonOp::create(ib.b, ib.loc, accType);
  for (auto [i, value] : llvm::enumerate(init))
    acc = LLVM::InsertValueOp::create(ib.b, ib.loc, acc, value, static_cast<int64_t>(i));
  auto coreMatrices = [&](int64_t operand) {
    return [&ib, operand](Value jj, Value kk) {
      return SmallVector<Value>{ib.cst(operand), ib.div(jj, kCoreRows), ib.div(kk, 8),
                                ib.rem(jj, kCoreRows), ib.rem(kk, 8)};
    };
  };
  scf::ForOp stages = beginStages(t, acc, coreMatrices(0), coreMatrices(1),
                                  /*asyncReaders=*/true);
  Value lhs = matrixDescriptor(ib, t.sharedLhs, ib.cst(0));
  Value rhs = matrixDescriptor(
      ib, t.sharedRhs,
      ib.add(ib.mul(warpgroup, kGroupCols / kCoreRows * kCoreStride), kSliceBytes));
  // The accumulators were last written by other instructions (the init,
  // or the previous stage's wgmma and its wait).
  NVVM::WgmmaFenceAlignedOp::create(ib.b, ib.loc);
  Value product = NVVM::WgmmaMmaAsyncOp::create(
      ib.b, ib.loc, accType, stages.getRegionIterArgs()[0], lhs, rhs,
      NVVM::MMAShapeAttr::get(context, kTile, kGroupCols, kDepth),
      NVVM::WGMMATypesAttr::get(context, NVVM::WGMMATypes::f16),
      NVVM::WGMMATypesAttr::get(context, NVVM::WGMMATypes::f16),
      NVVM::WGMMATypesAttr::get(context, NVVM::WGMMATypes::f32),
      NVVM::WGMMAScaleOutAttr::get(context, NVVM::WGMMAScaleOut::one),
      NVVM::WGMMAScaleInAttr::get(context, NVVM::WGMMAScaleIn::one),
      NVVM::WGMMAScaleInAttr::get(context, NVVM::WGMMAScaleIn::one),
      // A [m][k] and B [n][k]: both k-major, neither transposed.
      NVVM::MMALayoutAttr::get(context, NVVM::MMALayout::row),
      NVVM::MMALayoutAttr::get(context, NVVM::MMALayout::col),
      /*satfinite=*/NVVM::MMAIntOverflowAttr());
  NVVM::WgmmaGroupSyncAlignedOp::create(ib.b, ib.loc);
  NVVM::WgmmaWaitGroupSyncOp::create(ib.b, ib.loc, 0);
  // Nobody overwrites the slices before every warpgroup has read them.
  gpu::BarrierOp::create(ib.b, ib.loc);
  scf::YieldOp::create(ib.b, ib.loc, product);
  ib.b.setInsertionPointAfter(stages);
  SmallVector<Value> scalars;
  for (size_t i = 0; i < init.size(); ++i)
    scalars.push_back(LLVM::ExtractValueOp::create(ib.b, ib.loc, stages.getResult(0),
                                                   static_cast<int64_t>(i)));
  return scalars;
}

/// Which units multiply: CUDA cores, warps' mma.sync or warpgroups' wgmma.
enum class Schedule { cudaCores, warpMMA, warpgroupMMA };

void tileOnBlocks(linalg::GenericOp op, const Contraction &c, Fusion fusion, Schedule schedule,
                  RewriterBase &rewriter) {
  bool tensorCores = schedule != Schedule::cudaCores;
  Location loc = op.getLoc();
  // The epilogue's operands are defined by its place; nothing between the
  // product and it touches memory.
  rewriter.setInsertionPoint(fusion.epilogue ? fusion.epilogue : op);
  Builder host{rewriter, loc};
  int64_t M = c.ranges[c.m], N = c.ranges[c.n];
  Attribute workgroup = gpu::AddressSpaceAttr::get(rewriter.getContext(),
                                                   gpu::AddressSpace::Workgroup);
  // CUDA cores: [k][row] slices, staged widened (each element widened once,
  // not once per use). Tensor cores: [row][k] slices of f16. Warpgroups:
  // both slices' core matrices in one buffer (a descriptor each).
  auto sharedType = [&](OpOperand *operand, arith::ExtFOp widen) {
    if (schedule == Schedule::warpgroupMMA)
      return MemRefType::get({2, kTile / kCoreRows, kDepth / 8, kCoreRows, 8},
                             rewriter.getF16Type(), MemRefLayoutAttrInterface(), workgroup);
    if (tensorCores)
      return MemRefType::get({kTile, kPaddedDepth}, rewriter.getF16Type(),
                             MemRefLayoutAttrInterface(), workgroup);
    Type element = widen ? widen.getType()
                         : cast<MemRefType>(operand->get().getType()).getElementType();
    return MemRefType::get({kDepth, kTile}, element, MemRefLayoutAttrInterface(), workgroup);
  };
  auto launch = gpu::LaunchOp::create(
      rewriter, loc, host.cst(llvm::divideCeil(N, kTile)), host.cst(llvm::divideCeil(M, kTile)),
      host.cst(c.batches), host.cst(kThreads), host.cst(kThreads), host.cst(1),
      /*dynamicSharedMemorySize=*/nullptr, /*asyncTokenType=*/nullptr,
      /*asyncDependencies=*/{},
      schedule == Schedule::warpgroupMMA
          ? TypeRange{sharedType(c.lhs, c.lhsWiden)}
          : TypeRange{sharedType(c.lhs, c.lhsWiden), sharedType(c.rhs, c.rhsWiden)});
  Block &body = launch.getBody().front();
  rewriter.setInsertionPointToStart(&body);
  Builder ib{rewriter, loc};
  gpu::KernelDim3 block = launch.getBlockIds(), thread = launch.getThreadIds();
  Value tx = thread.x, ty = thread.y;
  TileKernel t{ib, op, c, ib.mul(block.y, kTile), ib.mul(block.x, kTile),
               ib.add(ib.mul(ty, kThreads), tx), SmallVector<Value>(c.batch.size()),
               launch.getWorkgroupAttributions().front(),
               launch.getWorkgroupAttributions().back()};
  // The batch dims, outermost first, from blockIdx.z.
  Value z = block.z;
  for (int i = static_cast<int>(c.batch.size()) - 1; i >= 0; --i) {
    t.batchDims[i] = ib.rem(z, c.ranges[c.batch[i]]);
    z = ib.div(z, c.ranges[c.batch[i]]);
  }
  Value warp = ib.div(t.linear, kWarpSize);
  Value laneId = ib.rem(t.linear, kWarpSize);
  Lane lane{ib.div(laneId, 4), ib.rem(laneId, 4)};
  // mma.sync: warp w's piece is rows 16 (w / 2), columns 32 (w % 2);
  // wgmma: warpgroup w / 4 owns columns 32 (w / 4), its warp w % 4 rows
  // 16 (w % 4) (the D fragment layout).
  WarpOrigin origin =
      schedule == Schedule::warpgroupMMA
          ? WarpOrigin{ib.mul(ib.rem(warp, kWarpgroup / kWarpSize), kWarpRows),
                       ib.mul(ib.div(warp, kWarpgroup / kWarpSize), kGroupCols)}
          : WarpOrigin{ib.mul(ib.div(warp, kTile / kWarpCols), kWarpRows),
                       ib.mul(ib.rem(warp, kTile / kWarpCols), kWarpCols)};
  ThreadOutputs outputs = tensorCores ? tensorCoreOutputs(t, origin, lane)
                                      : cudaCoreOutputs(t, tx, ty);
  Value outBuffer = c.out->get();
  Type accType = cast<MemRefType>(outBuffer.getType()).getElementType();
  // Clamped for loads outside the guard; stores are inside it.
  auto outIndices = [&](size_t i, bool clamped) {
    SmallVector<Value> dims = loopIndices(ib, c, t.batchDims);
    dims[c.m] = clamped ? ib.clamp(outputs.rows[i], M) : outputs.rows[i];
    dims[c.n] = clamped ? ib.clamp(outputs.cols[i], N) : outputs.cols[i];
    return operandIndices(op, c.out, dims);
  };
  auto inside = [&](size_t i) {
    return ib.both(ib.below(outputs.rows[i], M), ib.below(outputs.cols[i], N));
  };
  // The accumulators start at the fill's value, or at the output's values
  // (the generic accumulates into its init).
  SmallVector<Value> init;
  for (size_t i = 0; i < outputs.rows.size(); ++i) {
    if (fusion.fill) {
      init.push_back(fusion.fill.getInputs()[0]);
      continue;
    }
    Value loaded = memref::LoadOp::create(rewriter, loc, outBuffer, outIndices(i, true));
    init.push_back(arith::SelectOp::create(rewriter, loc, inside(i), loaded, ib.zero(accType)));
  }
  SmallVector<Value> results =
      schedule == Schedule::warpgroupMMA
          ? accumulateOnWarpgroups(t, ib.div(warp, kWarpgroup / kWarpSize), init)
      : tensorCores ? accumulateOnTensorCores(t, origin, lane, init)
                    : accumulateOnCudaCores(t, tx, ty, init);
  for (auto [i, result] : llvm::enumerate(results)) {
    auto guard = scf::IfOp::create(rewriter, loc, inside(i), /*withElseRegion=*/false);
    rewriter.setInsertionPointToStart(guard.thenBlock());
    if (fusion.epilogue)
      storeThroughEpilogue(ib, fusion.epilogue, outBuffer, outIndices(i, false), result);
    else
      memref::StoreOp::create(rewriter, loc, result, outBuffer, outIndices(i, false));
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
  using Base::Base;
  void runOnOperation() override {
    IRRewriter rewriter(&getContext());
    std::vector<std::pair<linalg::GenericOp, Contraction>> contractions;
    getOperation().walk([&](linalg::GenericOp op) {
      if (op->getParentOfType<gpu::LaunchOp>())
        return;
      if (std::optional<Contraction> c = matchContraction(op))
        contractions.emplace_back(op, std::move(*c));
    });
    SmallVector<ds::Gather> gathers;
    for (auto &[op, c] : contractions) {
      for (const std::optional<ds::Gather> &gather : {c.lhsGather, c.rhsGather})
        if (gather)
          gathers.push_back(*gather);
      Schedule schedule = !tensorCores || !onTensorCores(c) ? Schedule::cudaCores
                          : wgmma                           ? Schedule::warpgroupMMA
                                                            : Schedule::warpMMA;
      tileOnBlocks(op, c, findFusion(op, c), schedule, rewriter);
    }
    // The products read the gathers' inputs now.
    ds::eraseUnreadGathers(gathers);
  }
};

} // namespace
