//===- CPUTileContractions.cpp - register tiles for matmul-like kernels ----===//
//
// ds-cpu-tile-contractions (tensors): forall over Mr x Nr output tiles, a K
// loop of step 1, and a vectorized Mr x Nr x 1 contraction per step.
// ds-cpu-lower-vectors (memrefs): hoist the tile's accumulator out of the K
// loop and lower the contraction to FMAs. Together they are the register-tiled
// GEMM schedule measured in TOOLCHAIN-NOTES, applied where the tile sizes
// divide the problem.
//
//===----------------------------------------------------------------------===//

#include "EightBitProducts.h"
#include "ElementwiseInProducerShape.h"
#include "ImplicitConvolution.h"
#include "RegisterTiles.h"

#include "deepseek/Passes.h"
#include "deepseek/Transforms/F32Elements.h"

#include "mlir/Conversion/VectorToSCF/VectorToSCF.h"
#include "mlir/Dialect/LLVMIR/LLVMDialect.h"
#include "mlir/Dialect/Linalg/IR/Linalg.h"
#include "mlir/Dialect/Math/IR/Math.h"
#include "mlir/Dialect/Linalg/Transforms/Hoisting.h"
#include "mlir/Dialect/Linalg/Transforms/Transforms.h"
#include "mlir/Dialect/SCF/Transforms/TileUsingInterface.h"
#include "mlir/Dialect/Vector/Transforms/LoweringPatterns.h"
#include "mlir/Dialect/Vector/Transforms/VectorTransforms.h"
#include "mlir/Transforms/GreedyPatternRewriteDriver.h"

namespace mlir::ds {
#define GEN_PASS_DEF_DSCPUTILECONTRACTIONS
#define GEN_PASS_DEF_DSCPULOWERVECTORS
#include "ds/Passes.h.inc"
} // namespace mlir::ds

using namespace mlir;

namespace {

struct MatmulShape {
  unsigned m, n, k;
  int64_t mr, nr;
};

/// Recognizes an f32 matmul-like generic (tile sizes 0 where none divides).
std::optional<MatmulShape> matchMatmulLike(linalg::GenericOp op, int64_t vectorBits) {
  if (op.getNumDpsInputs() != 2 || op.getNumDpsInits() != 1 || op.hasIndexSemantics())
    return std::nullopt;
  auto outType = dyn_cast<RankedTensorType>(op.getDpsInitOperand(0)->get().getType());
  if (!outType || !outType.getElementType().isF32() || !outType.hasStaticShape())
    return std::nullopt;
  SmallVector<utils::IteratorType> iterators = op.getIteratorTypesArray();
  if (llvm::count(iterators, utils::IteratorType::reduction) != 1 || iterators.size() < 3)
    return std::nullopt;
  for (AffineMap map : op.getIndexingMapsArray())
    if (!map.isProjectedPermutation(/*allowZeroInResults=*/false))
      return std::nullopt;
  if (!ds::isMultiplyAccumulate(op))
    return std::nullopt;
  AffineMap outMap = op.getMatchingIndexingMap(op.getDpsInitOperand(0));
  if (outMap.getNumResults() < 2)
    return std::nullopt;
  MatmulShape s;
  s.n = cast<AffineDimExpr>(outMap.getResults().back()).getPosition();
  // m: the innermost other output dim that the left-hand side (the input
  // that does not read n) reads. Usually the second-to-last output dim; a
  // packed right-hand side's panel index sits between m and n.
  OpOperand *lhs = nullptr;
  for (OpOperand *input : op.getDpsInputOperands())
    if (!op.getMatchingIndexingMap(input).isFunctionOfDim(s.n))
      lhs = input;
  if (!lhs)
    return std::nullopt;
  std::optional<unsigned> m;
  for (AffineExpr e : outMap.getResults().drop_back())
    if (op.getMatchingIndexingMap(lhs).isFunctionOfDim(cast<AffineDimExpr>(e).getPosition()))
      m = cast<AffineDimExpr>(e).getPosition();
  if (!m)
    return std::nullopt;
  s.m = *m;
  s.k = std::distance(iterators.begin(),
                      llvm::find(iterators, utils::IteratorType::reduction));
  SmallVector<int64_t> ranges = op.getStaticLoopRanges();
  int64_t M = ranges[s.m], N = ranges[s.n], K = ranges[s.k];
  if (ShapedType::isDynamic(M) || ShapedType::isDynamic(N) || ShapedType::isDynamic(K))
    return std::nullopt;
  s.nr = N % 32 == 0 ? 32 : N % 16 == 0 ? 16 : 0;
  if (vectorBits <= 256) // NEON and AVX2: 16-column rows (4 or 2 registers)
    s.nr = N % 16 == 0 ? 16 : 0;
  s.mr = ds::rowsPerTile(M, s.nr, vectorBits);
  return s;
}

/// A matmul-like generic whose register tiles divide the output evenly.
std::optional<MatmulShape> matchMatmul(linalg::GenericOp op, int64_t vectorBits) {
  std::optional<MatmulShape> s = matchMatmulLike(op, vectorBits);
  if (!s || !s->nr)
    return std::nullopt;
  return s;
}

/// A constant 2-D f32 input of |op| read as [first][second] (two loop dims),
/// with its values.
struct ConstantWeight {
  OpOperand *operand = nullptr;
  Location loc;
  int64_t rows = 0, cols = 0;
  SmallVector<float> values;
};

std::optional<ConstantWeight> constantWeight(linalg::GenericOp op, unsigned first,
                                             unsigned second) {
  MLIRContext *ctx = op.getContext();
  for (OpOperand *input : op.getDpsInputOperands()) {
    AffineMap map = op.getMatchingIndexingMap(input);
    if (map.getNumResults() != 2 || map.getResult(0) != getAffineDimExpr(first, ctx) ||
        map.getResult(1) != getAffineDimExpr(second, ctx))
      continue;
    auto type = dyn_cast<RankedTensorType>(input->get().getType());
    std::optional<SmallVector<float>> values = ds::readF32Constant(input->get());
    if (!type || !values)
      return std::nullopt;
    return ConstantWeight{input, input->get().getLoc(), type.getDimSize(0), type.getDimSize(1),
                          std::move(*values)};
  }
  return std::nullopt;
}

/// A new constant [rows, cols] holding |values|.
Value createWeight(RewriterBase &rewriter, Location loc, int64_t rows, int64_t cols,
                   ArrayRef<float> values, StringRef name) {
  auto type = RankedTensorType::get({rows, cols}, rewriter.getF32Type());
  return arith::ConstantOp::create(rewriter, loc, type, ds::makeF32Elements(type, values, name));
}

/// A constant right-hand side read as B[n][k] (Gemm with transB, as PyTorch
/// exports every Linear layer) makes each step of a tile gather Nr values K
/// apart, and the untiled loop nest stride through it: store it transposed,
/// B[k][n], at compile time, so that rows are contiguous along n.
void transposeConstantRHS(RewriterBase &rewriter, linalg::GenericOp op, const MatmulShape &s) {
  std::optional<ConstantWeight> w = constantWeight(op, s.n, s.k);
  if (!w)
    return;
  SmallVector<float> transposed(w->values.size());
  for (int64_t r = 0; r < w->rows; ++r)
    for (int64_t c = 0; c < w->cols; ++c)
      transposed[c * w->rows + r] = w->values[r * w->cols + c];
  rewriter.setInsertionPoint(op);
  Value weight = createWeight(rewriter, w->loc, w->cols, w->rows, transposed,
                              "transposed_weight");
  SmallVector<AffineMap> maps = op.getIndexingMapsArray();
  unsigned index = w->operand->getOperandNumber();
  maps[index] = AffineMap::get(maps[index].getNumDims(), 0,
                               {rewriter.getAffineDimExpr(s.k), rewriter.getAffineDimExpr(s.n)},
                               rewriter.getContext());
  rewriter.modifyOpInPlace(op, [&] {
    w->operand->set(weight);
    op.setIndexingMapsAttr(rewriter.getAffineMapArrayAttr(maps));
  });
}

/// A constant right-hand side B[K][N] (every layer's weights once a
/// convolution runs channels-last, every Linear layer) is read by each tile as
/// K rows of Nr floats, N floats apart: a stride that crosses a page every few
/// steps (the prefetchers restart at each) and, for N a multiple of 64, maps
/// the whole panel to a few cache sets. Packed at compile time into panels
/// B[N/Nr][K][Nr], each tile reads one contiguous stream: the layout of
/// MLAS's packed B and IREE's mmt4d right-hand side. The product gets a dim
/// for the panel index (inserted before n, which becomes Nr wide) and writes
/// its output viewed as [..., N/Nr, Nr]; the collapsed result replaces the
/// old one. Returns the collapse, or null when B is not such a constant.
tensor::CollapseShapeOp packConstantRHS(RewriterBase &rewriter, linalg::GenericOp op,
                                        const MatmulShape &s) {
  SmallVector<int64_t> ranges = op.getStaticLoopRanges();
  int64_t N = ranges[s.n], K = ranges[s.k], nr = s.nr;
  if (!nr || N == nr)
    return nullptr;
  AffineMap outMap = op.getMatchingIndexingMap(op.getDpsInitOperand(0));
  std::optional<ConstantWeight> w = constantWeight(op, s.k, s.n);
  if (!w)
    return nullptr;
  SmallVector<float> packed(w->values.size());
  for (int64_t k = 0; k < K; ++k)
    for (int64_t n = 0; n < N; ++n)
      packed[((n / nr) * K + k) * nr + n % nr] = w->values[k * N + n];
  MLIRContext *ctx = op.getContext();
  Location loc = op.getLoc();
  rewriter.setInsertionPoint(op);
  auto packedType = RankedTensorType::get({N / nr, K, nr}, rewriter.getF32Type());
  Value weight = arith::ConstantOp::create(
      rewriter, w->loc, packedType,
      ds::makeF32Elements(packedType, packed, "packed_weight"));
  // The panel dim takes n's position; n and every dim after it move up one.
  unsigned panel = s.n, n = s.n + 1, k = s.k >= s.n ? s.k + 1 : s.k;
  unsigned numDims = ranges.size() + 1;
  SmallVector<AffineMap> maps;
  SmallVector<Value> inputs;
  for (OpOperand *input : op.getDpsInputOperands()) {
    if (input == w->operand) {
      maps.push_back(AffineMap::get(
          numDims, 0,
          {getAffineDimExpr(panel, ctx), getAffineDimExpr(k, ctx), getAffineDimExpr(n, ctx)},
          ctx));
      inputs.push_back(weight);
      continue;
    }
    maps.push_back(op.getMatchingIndexingMap(input).shiftDims(1, s.n));
    inputs.push_back(input->get());
  }
  SmallVector<AffineExpr> outExprs(outMap.shiftDims(1, s.n).getResults());
  outExprs.insert(outExprs.end() - 1, getAffineDimExpr(panel, ctx));
  maps.push_back(AffineMap::get(numDims, 0, outExprs, ctx));
  SmallVector<utils::IteratorType> iterators = op.getIteratorTypesArray();
  iterators.insert(iterators.begin() + s.n, utils::IteratorType::parallel);
  // The output viewed as [..., N/Nr, Nr].
  auto outType = cast<RankedTensorType>(op.getResult(0).getType());
  SmallVector<int64_t> expandedShape(outType.getShape());
  expandedShape.back() = N / nr;
  expandedShape.push_back(nr);
  SmallVector<ReassociationIndices> groups;
  for (int64_t i = 0, e = outType.getRank(); i < e; ++i)
    groups.push_back({i});
  groups.back().push_back(outType.getRank());
  auto expandedType = RankedTensorType::get(expandedShape, outType.getElementType());
  Value init = tensor::ExpandShapeOp::create(rewriter, loc, expandedType,
                                             op.getDpsInitOperand(0)->get(), groups);
  auto packedOp = linalg::GenericOp::create(rewriter, loc, TypeRange{expandedType}, inputs,
                                            ValueRange{init}, maps, iterators);
  rewriter.inlineRegionBefore(op.getRegion(), packedOp.getRegion(), packedOp.getRegion().begin());
  auto collapsed =
      tensor::CollapseShapeOp::create(rewriter, loc, outType, packedOp.getResult(0), groups);
  rewriter.replaceOp(op, collapsed.getResult());
  return collapsed;
}

/// The elementwise op (bias, residual, activation) that alone reads |result|
/// at the same index it writes, so it can run on each output tile right after
/// the tile is computed, while the tile is still in cache.
linalg::GenericOp fusibleEpilogue(Value result) {
  if (!result.hasOneUse())
    return nullptr;
  auto epilogue = dyn_cast<linalg::GenericOp>(*result.getUsers().begin());
  if (!epilogue || epilogue.getNumReductionLoops() != 0 || epilogue.getNumDpsInits() != 1 ||
      epilogue.hasIndexSemantics())
    return nullptr;
  for (OpOperand &use : result.getUses())
    if (use.getOwner() != epilogue.getOperation() || epilogue.isDpsInit(&use) ||
        !epilogue.getMatchingIndexingMap(&use).isIdentity())
      return nullptr;
  // Same shape (an 8-bit product's i32 sums feed a float epilogue).
  if (!epilogue.getMatchingIndexingMap(epilogue.getDpsInitOperand(0)).isIdentity() ||
      cast<ShapedType>(epilogue.getResult(0).getType()).getShape() !=
          cast<ShapedType>(result.getType()).getShape())
    return nullptr;
  return epilogue;
}

/// The epilogue that alone reads a tiled product's result (fusibleEpilogue)
/// moved into the product's tile loop; returns its tile, or null.
Operation *fuseEpilogueIntoTiles(RewriterBase &rewriter, const scf::SCFTilingResult &tiled) {
  linalg::GenericOp epilogue = fusibleEpilogue(tiled.replacements.front());
  if (!epilogue)
    return nullptr;
  SmallVector<LoopLikeOpInterface> loops(tiled.loops.begin(), tiled.loops.end());
  rewriter.setInsertionPoint(epilogue);
  FailureOr<scf::SCFFuseConsumerOfSliceResult> fused =
      scf::tileAndFuseConsumer(rewriter, epilogue, loops);
  if (epilogue->use_empty())
    rewriter.eraseOp(epilogue);
  if (failed(fused) || fused->tiledOps.empty())
    return nullptr;
  return fused->tiledOps.front();
}

/// A K loop that reads its accumulator tile (its one tensor iter_arg) with a
/// vector.transfer_read and writes it back with a matching transfer_write
/// every step becomes a loop over a vector iter_arg: one read before the loop,
/// one write after it, the tile in registers in between. (Upstream's buffer
/// hoisting misses this case once the tile is a view of the output buffer.)
/// The scalar every element of |tensor| holds when it is (a slice or view
/// of) a linalg.fill, including a tile of a forall's shared output whose
/// initial value is a fill (tiles are disjoint, so a tile read before its own
/// write sees the fill).
Value fillValueOf(Value tensor) {
  while (true) {
    if (auto fill = tensor.getDefiningOp<linalg::FillOp>())
      return fill.getInputs()[0];
    if (auto slice = tensor.getDefiningOp<tensor::ExtractSliceOp>()) {
      tensor = slice.getSource();
      continue;
    }
    if (auto expand = tensor.getDefiningOp<tensor::ExpandShapeOp>()) {
      tensor = expand.getSrc();
      continue;
    }
    auto arg = dyn_cast<BlockArgument>(tensor);
    auto forall = arg ? dyn_cast<scf::ForallOp>(arg.getOwner()->getParentOp()) : nullptr;
    OpOperand *init = forall ? forall.getTiedOpOperand(arg) : nullptr;
    if (!init)
      return nullptr;
    tensor = init->get();
  }
}

/// A forall whose shared output starts as a fill that no tile reads any more
/// (each tile starts its accumulator at the fill value, in registers) can
/// start from the fill's uninitialized destination: the fill, a memset over
/// the whole output, disappears.
void dropUnreadFills(RewriterBase &rewriter, scf::ForallOp forall) {
  for (OpOperand &init : forall.getOutputsMutable()) {
    auto expand = init.get().getDefiningOp<tensor::ExpandShapeOp>();
    auto fill = (expand ? expand.getSrc() : init.get()).getDefiningOp<linalg::FillOp>();
    if (!fill)
      continue;
    // Every use must be a parallel_insert_slice destination or a slice that
    // is only ever written whole.
    BlockArgument arg = forall.getTiedBlockArgument(&init);
    bool read = llvm::any_of(arg.getUsers(), [&](Operation *user) {
      if (isa<tensor::ParallelInsertSliceOp>(user))
        return false;
      auto slice = dyn_cast<tensor::ExtractSliceOp>(user);
      return !slice || llvm::any_of(slice->getUses(), [&](OpOperand &use) {
        auto write = dyn_cast<vector::TransferWriteOp>(use.getOwner());
        return !write || use.get() != write.getBase() || write.getMask() ||
               llvm::any_of(write.getInBoundsValues(), [](bool b) { return !b; }) ||
               write.getVectorType().getShape() != slice.getType().getShape();
      });
    });
    if (read)
      continue;
    Value empty = fill.getOutputs()[0];
    if (expand) {
      rewriter.setInsertionPoint(forall);
      empty = tensor::ExpandShapeOp::create(rewriter, expand.getLoc(), expand.getResultType(),
                                            empty, expand.getReassociationIndices());
    }
    rewriter.modifyOpInPlace(forall, [&] { init.set(empty); });
  }
}

LogicalResult carryAccumulatorInRegisters(RewriterBase &rewriter, scf::ForOp loop) {
  if (loop.getNumRegionIterArgs() != 1)
    return failure();
  BlockArgument acc = loop.getRegionIterArgs()[0];
  auto yield = cast<scf::YieldOp>(loop.getBody()->getTerminator());
  auto write = yield.getOperand(0).getDefiningOp<vector::TransferWriteOp>();
  if (!write || write.getBase() != acc || !write->hasOneUse() || write.getMask())
    return failure();
  vector::TransferReadOp read;
  for (Operation *user : acc.getUsers()) {
    if (user == write.getOperation())
      continue;
    auto candidate = dyn_cast<vector::TransferReadOp>(user);
    if (!candidate || read)
      return failure();
    read = candidate;
  }
  if (!read || read.getMask() || read.getIndices() != write.getIndices() ||
      read.getVectorType() != write.getVectorType() ||
      read.getPermutationMap() != write.getPermutationMap() ||
      llvm::any_of(read.getIndices(), [&](Value i) { return !loop.isDefinedOutsideOfLoop(i); }))
    return failure();
  Value init = loop.getInitArgs()[0];
  SmallVector<OpOperand *> resultUses =
      llvm::map_to_vector(loop.getResult(0).getUses(), [](OpOperand &use) { return &use; });
  // One read before the loop (none when the accumulator starts as a fill)...
  rewriter.setInsertionPoint(loop);
  VectorType vectorType = read.getVectorType();
  Value initVector;
  if (Value fill = fillValueOf(init)) {
    initVector = vector::BroadcastOp::create(rewriter, loop.getLoc(), vectorType, fill);
    if (auto tileFill = init.getDefiningOp<linalg::FillOp>())
      init = tileFill.getOutputs()[0];
  } else {
    auto clone = cast<vector::TransferReadOp>(rewriter.clone(*read));
    rewriter.modifyOpInPlace(clone, [&] { clone.getBaseMutable().assign(init); });
    initVector = clone.getResult();
  }
  // ... the vector as the iter_arg ...
  rewriter.modifyOpInPlace(loop, [&] {
    loop.getInitArgsMutable()[0].assign(initVector);
    acc.setType(vectorType);
    loop.getResult(0).setType(vectorType);
  });
  rewriter.replaceAllUsesWith(read.getResult(), acc);
  rewriter.modifyOpInPlace(yield, [&] { yield->setOperand(0, write.getVector()); });
  // ... and one write after it.
  rewriter.setInsertionPointAfter(loop);
  auto finalWrite = cast<vector::TransferWriteOp>(rewriter.clone(*write));
  rewriter.modifyOpInPlace(finalWrite, [&] {
    finalWrite.getBaseMutable().assign(init);
    finalWrite.getValueToStoreMutable().assign(loop.getResult(0));
  });
  for (OpOperand *use : resultUses)
    rewriter.modifyOpInPlace(use->getOwner(), [&] { use->set(finalWrite.getResult()); });
  rewriter.eraseOp(write);
  rewriter.eraseOp(read);
  return success();
}

/// True when every op of |op|'s body has a vector lowering to LLVM (arith, and
/// the math functions LLVM has intrinsics for). erf, tanh and the other libm
/// functions stay scalar: their epilogue remains a loop over the tile.
bool hasVectorLowering(Operation *op) {
  bool ok = true;
  op->walk([&](Operation *inner) {
    if (inner == op || isa<linalg::YieldOp>(inner) ||
        isa<arith::ArithDialect>(inner->getDialect()) ||
        isa<math::ExpOp, math::LogOp, math::SqrtOp, math::AbsFOp, math::FmaOp,
            math::RoundEvenOp, math::FloorOp, math::CeilOp>(inner))
      return;
    ok = false;
  });
  return ok;
}

/// After the epilogue joined the tile loop, the product still accumulates in
/// a tile of a separate, zero-filled intermediate. Accumulate in the output
/// tile instead (zeroed per tile) and run the epilogue in place on it, so the
/// intermediate, its full-size fill and one pass over memory disappear.
void accumulateInOutputTile(RewriterBase &rewriter, linalg::LinalgOp tile,
                            Operation *tiledEpilogueOp) {
  auto epilogue = dyn_cast<linalg::GenericOp>(tiledEpilogueOp);
  if (!epilogue || epilogue.getNumDpsInits() != 1)
    return;
  OpOperand *epilogueInit = epilogue.getDpsInitOperand(0);
  auto outSlice = epilogueInit->get().getDefiningOp<tensor::ExtractSliceOp>();
  auto accSlice = tile.getDpsInitOperand(0)->get().getDefiningOp<tensor::ExtractSliceOp>();
  // The accumulator is a slice of the loop's shared output for the product,
  // whose initial value is the zero fill.
  Value accSource = accSlice ? accSlice.getSource() : Value();
  if (auto arg = dyn_cast_if_present<BlockArgument>(accSource))
    if (auto forall = dyn_cast<scf::ForallOp>(arg.getOwner()->getParentOp()))
      if (OpOperand *init = forall.getTiedOpOperand(arg))
        accSource = init->get();
  auto fill = accSource ? accSource.getDefiningOp<linalg::FillOp>() : nullptr;
  if (!outSlice || !fill || outSlice.getType() != accSlice.getType() ||
      outSlice->getBlock() != tile->getBlock() ||
      llvm::any_of(outSlice->getOperands(), [&](Value v) {
        Operation *def = v.getDefiningOp();
        return def && def->getBlock() == tile->getBlock() && !def->isBeforeInBlock(tile);
      }))
    return;
  rewriter.moveOpBefore(outSlice, tile);
  rewriter.setInsertionPoint(tile);
  Value zeroed =
      linalg::FillOp::create(rewriter, tile.getLoc(), fill.getInputs()[0], outSlice.getResult())
          .getResult(0);
  rewriter.modifyOpInPlace(tile, [&] { tile.getDpsInitOperand(0)->set(zeroed); });
  rewriter.modifyOpInPlace(epilogue, [&] { epilogueInit->set(tile->getResult(0)); });
}


/// |tile| tiled again along its reduction dims |ks| in steps of |step| (the
/// other dims whole); returns the step op inside the new loops, or null.
Operation *tileReductionSteps(RewriterBase &rewriter, linalg::LinalgOp tile,
                              ArrayRef<unsigned> ks, int64_t step) {
  SmallVector<OpFoldResult> sizes(tile.getNumLoops(), rewriter.getIndexAttr(0));
  for (unsigned k : ks)
    sizes[k] = rewriter.getIndexAttr(step);
  scf::SCFTilingOptions options;
  options.setTileSizes(sizes);
  rewriter.setInsertionPoint(tile);
  FailureOr<scf::SCFTilingResult> stepped =
      scf::tileUsingSCF(rewriter, cast<TilingInterface>(tile.getOperation()), options);
  if (failed(stepped))
    return nullptr;
  rewriter.replaceOp(tile, stepped->replacements);
  return stepped->tiledOps.back();
}

/// A fused epilogue's tile as vector code, so that it works on the
/// accumulators before they are stored (when its body has vector lowerings).
void vectorizeEpilogue(RewriterBase &rewriter, Operation *tiledEpilogue) {
  if (!tiledEpilogue || !hasVectorLowering(tiledEpilogue))
    return;
  rewriter.setInsertionPoint(tiledEpilogue);
  FailureOr<linalg::VectorizationResult> vectors = linalg::vectorize(rewriter, tiledEpilogue);
  if (succeeded(vectors))
    rewriter.replaceOp(tiledEpilogue, vectors->replacements);
}

/// Register tiles for the 8-bit products (see matchVNNIProduct): a forall
/// over Mr rows of one 16-channel group, the epilogue fused, K in steps of
/// four taps, each step vpdpbusd.
void tileVNNIProduct(RewriterBase &rewriter, linalg::GenericOp op, ds::VNNITile t) {
  SmallVector<int64_t> ranges = op.getStaticLoopRanges();
  auto index = [&](int64_t v) -> OpFoldResult { return rewriter.getIndexAttr(v); };
  // Loops (n, p, g, j, k4, kk), or (n, y, x, g, j, i, jj, c4, kk): tiles of
  // Mr pixels (of one output row) by the tile's groups, the K loops whole.
  unsigned rows = t.implicit ? 2 : 1, reductions = t.implicit ? 5 : 4;
  SmallVector<OpFoldResult> outer(ranges.size(), index(1));
  outer[rows] = index(t.mr);
  outer[rows + 1] = index(t.groups);
  outer[rows + 2] = index(16);
  for (unsigned i = reductions; i < ranges.size(); ++i)
    outer[i] = index(0);
  scf::SCFTilingOptions outerOptions;
  outerOptions.setTileSizes(outer).setLoopType(scf::SCFTilingOptions::LoopType::ForallOp);
  // As for f32: the larger operand streams once (groups outside rows when the
  // weights are the larger).
  int64_t pixels = t.implicit ? ranges[1] * ranges[2] : ranges[1];
  bool rowsOutside = pixels > ranges[rows + 1] * 16;
  SmallVector<int64_t> order = llvm::to_vector(llvm::seq<int64_t>(0, ranges.size()));
  if (!rowsOutside) // the group loop first, then the pixel loops
    std::rotate(order.begin() + 1, order.begin() + rows + 1, order.begin() + rows + 2);
  outerOptions.setInterchange(order);
  rewriter.setInsertionPoint(op);
  FailureOr<scf::SCFTilingResult> tiled =
      scf::tileUsingSCF(rewriter, cast<TilingInterface>(op.getOperation()), outerOptions);
  if (failed(tiled))
    return;
  rewriter.replaceOp(op, tiled->replacements);
  auto tile = cast<linalg::LinalgOp>(tiled->tiledOps.back());
  Operation *tiledEpilogue = fuseEpilogueIntoTiles(rewriter, *tiled);
  SmallVector<unsigned> kLoops = t.implicit ? SmallVector<unsigned>{/*i=*/5, /*jj=*/6, /*c4=*/7}
                                             : SmallVector<unsigned>{/*k4=*/4};
  Operation *step = tileReductionSteps(rewriter, tile, kLoops, 1);
  if (!step)
    return;
  ds::emitVNNIStep(rewriter, cast<linalg::GenericOp>(step), t);
  vectorizeEpilogue(rewriter, tiledEpilogue);
}

/// The elementwise ops after an 8-bit product (its zero-point correction,
/// then a dynamic model's cast, rescale, bias and activation behind a
/// reshape back to the model's shape, or a static model's residual add)
/// merged into the one epilogue the tiles
/// fuse: the reshape moves past the later ops (they iterate over the
/// product's [N, P, G, 16] shape instead), then producer and consumer fuse.
void fuseVNNIEpilogueChains(func::FuncOp fn, bool vnni, bool signedProducts) {
  llvm::SmallPtrSet<Operation *, 16> epilogues;
  fn.walk([&](linalg::GenericOp op) {
    if (ds::matchEightBitProduct(op, vnni, signedProducts))
      for (Operation *user : op->getUsers())
        if (auto generic = dyn_cast<linalg::GenericOp>(user);
            generic && generic.getNumReductionLoops() == 0)
          epilogues.insert(user);
  });
  if (epilogues.empty())
    return;
  auto fromEpilogue = [&](Value v) {
    Operation *def = v.getDefiningOp();
    while (def && isa<tensor::CollapseShapeOp, tensor::ExpandShapeOp>(def))
      def = def->getOperand(0).getDefiningOp();
    return def && epilogues.contains(def);
  };
  MLIRContext *ctx = fn.getContext();
  RewritePatternSet patterns(ctx);
  linalg::populateFoldReshapeOpsByExpansionPatterns(patterns, [&](OpOperand *fused) {
    return fromEpilogue(fused->get()) &&
           isa<linalg::GenericOp>(fused->getOwner()) &&
           cast<linalg::GenericOp>(fused->getOwner()).getNumReductionLoops() == 0;
  });
  // A residual add of two products (a static QDQ model's requantized
  // outputs, dequantized, added, requantized) reads both behind reshapes
  // that do not expand by the product's dims: it iterates over the first
  // product's shape instead, then fuses as its epilogue.
  ds::populateElementwiseInProducerShapePatterns(patterns, [&](Value v) {
    Operation *def = v.getDefiningOp();
    return def && epilogues.contains(def) && def->hasOneUse();
  });
  linalg::populateElementwiseOpsFusionPatterns(patterns, [&](OpOperand *fused) {
    Operation *producer = fused->get().getDefiningOp();
    if (!producer || !epilogues.contains(producer) || !producer->hasOneUse())
      return false;
    // The fused op replaces the producer as the product's epilogue.
    epilogues.insert(fused->getOwner());
    return true;
  });
  GreedyRewriteConfig config;
  config.enableFolding(false);
  (void)applyPatternsGreedily(fn, std::move(patterns), config);
}

/// A product tiled into an scf.forall over output tiles of |sizes| (0: the
/// dim whole), loops in |interchange| order, with its elementwise epilogue
/// fused into the tiles and accumulating in the output tile.
struct OutputTiles {
  linalg::LinalgOp tile;          ///< the product on one output tile
  Operation *epilogue = nullptr;  ///< the epilogue on it, if one fused
};

std::optional<OutputTiles> tileOutputs(RewriterBase &rewriter, linalg::GenericOp op,
                                       ArrayRef<OpFoldResult> sizes,
                                       ArrayRef<int64_t> interchange) {
  scf::SCFTilingOptions options;
  options.setTileSizes(sizes).setLoopType(scf::SCFTilingOptions::LoopType::ForallOp);
  options.setInterchange(interchange);
  rewriter.setInsertionPoint(op);
  FailureOr<scf::SCFTilingResult> tiled =
      scf::tileUsingSCF(rewriter, cast<TilingInterface>(op.getOperation()), options);
  if (failed(tiled))
    return std::nullopt;
  rewriter.replaceOp(op, tiled->replacements);
  OutputTiles result{cast<linalg::LinalgOp>(tiled->tiledOps.back())};
  // The epilogue joins the tile loop: one kernel per conv/matmul, whose
  // output is written once.
  result.epilogue = fuseEpilogueIntoTiles(rewriter, *tiled);
  if (result.epilogue)
    accumulateInOutputTile(rewriter, result.tile, result.epilogue);
  return result;
}

/// Register tiles for an implicit convolution (ImplicitConvolution.h): a
/// forall over Mr pixels of one output row by one Nr-wide panel, the
/// epilogue fused, the filter rows, columns and channels as three loops of
/// step 1 carrying the accumulators, each step Mr broadcasts and FMAs.
void tileImplicitConvolution(RewriterBase &rewriter, linalg::GenericOp op,
                             const ds::ImplicitConvolutionTile &t) {
  SmallVector<int64_t> ranges = op.getStaticLoopRanges();
  auto index = [&](int64_t v) -> OpFoldResult { return rewriter.getIndexAttr(v); };
  // As for the other products: the larger operand streams once (pixels
  // outside panels when the feature map is the larger).
  bool rowsOutside = ranges[1] * ranges[2] > ranges[3] * ranges[4];
  SmallVector<OpFoldResult> outer(8, index(1));
  outer[2] = index(t.mr);
  outer[4] = index(t.nr);
  outer[5] = outer[6] = outer[7] = index(0);
  std::optional<OutputTiles> tiles =
      tileOutputs(rewriter, op, outer,
                  rowsOutside ? SmallVector<int64_t>{0, 1, 2, 3, 4, 5, 6, 7}
                              : SmallVector<int64_t>{0, 3, 4, 1, 2, 5, 6, 7});
  if (!tiles)
    return;
  Operation *step = tileReductionSteps(rewriter, tiles->tile, {5, 6, 7}, 1);
  if (!step)
    return;
  ds::emitImplicitConvolutionStep(rewriter, cast<linalg::GenericOp>(step), t);
  vectorizeEpilogue(rewriter, tiles->epilogue);
}

struct DSCPUTileContractionsPass
    : public ds::impl::DSCPUTileContractionsBase<DSCPUTileContractionsPass> {
  using Base::Base;
  void runOnOperation() override {
    IRRewriter rewriter(&getContext());
    SmallVector<linalg::GenericOp> matmuls;
    getOperation().walk([&](linalg::GenericOp op) {
      if (std::optional<MatmulShape> s = matchMatmulLike(op, vectorBits)) {
        transposeConstantRHS(rewriter, op, *s);
        matmuls.push_back(op);
      }
    });
    // Constant right-hand sides packed into Nr-wide panels; an epilogue that
    // read the old result is expanded to read the packed product's directly
    // (so that it still fuses into the tiles).
    llvm::SmallPtrSet<Operation *, 16> packedResults;
    // Convolutions whose im2col patches can be read in place from the
    // padded input become implicit products (packed too).
    for (linalg::GenericOp op : matmuls) {
      std::optional<MatmulShape> s = matchMatmul(op, vectorBits);
      if (!s)
        continue;
      if (tensor::CollapseShapeOp collapsed =
              ds::rewriteAsImplicitConvolution(rewriter, op, s->mr, vectorBits))
        packedResults.insert(collapsed);
      else if (tensor::CollapseShapeOp collapsed = packConstantRHS(rewriter, op, *s))
        packedResults.insert(collapsed);
    }
    if (!packedResults.empty()) {
      RewritePatternSet patterns(&getContext());
      // Elementwise consumers only: a product reading another product's
      // result directly (stacked Linear layers without a bias) would split
      // its K dim into [K/Nr, Nr] and no longer be matmul-like.
      linalg::populateFoldReshapeOpsByExpansionPatterns(patterns, [&](OpOperand *fused) {
        Operation *producer = fused->get().getDefiningOp();
        auto consumer = dyn_cast<linalg::GenericOp>(fused->getOwner());
        return producer && packedResults.contains(producer) && consumer &&
               consumer.getNumReductionLoops() == 0;
      });
      GreedyRewriteConfig config;
      config.enableFolding(false);
      if (failed(applyPatternsGreedily(getOperation(), std::move(patterns), config)))
        return signalPassFailure();
    }
    if (vnni || signedProducts) {
      fuseVNNIEpilogueChains(getOperation(), vnni, signedProducts);
      SmallVector<std::pair<linalg::GenericOp, ds::VNNITile>> products8;
      getOperation().walk([&](linalg::GenericOp op) {
        if (std::optional<ds::VNNITile> tile = ds::matchEightBitProduct(op, vnni, signedProducts))
          products8.push_back({op, *tile});
      });
      for (auto [op, tile] : products8)
        tileVNNIProduct(rewriter, op, tile);
    }
    SmallVector<std::pair<linalg::GenericOp, ds::ImplicitConvolutionTile>> convolutions;
    getOperation().walk([&](linalg::GenericOp op) {
      if (std::optional<ds::ImplicitConvolutionTile> tile =
              ds::matchImplicitConvolution(op, vectorBits))
        convolutions.push_back({op, *tile});
    });
    for (auto [op, tile] : convolutions)
      tileImplicitConvolution(rewriter, op, tile);
    SmallVector<linalg::GenericOp> products, candidates;
    getOperation().walk([&](linalg::GenericOp op) {
      if (matchMatmul(op, vectorBits))
        products.push_back(op);
    });
    for (linalg::GenericOp op : products) {
      std::optional<MatmulShape> s = matchMatmul(op, vectorBits);
      // Rows that no tile height of 4 or more divides (a prime count such as
      // 29 would get tiles one row high): the last M % 8 rows become a
      // product of their own, the rest tiles at least 8 high.
      int64_t rows = op.getStaticLoopRanges()[s->m];
      if (s->mr >= 4 || rows < 8) {
        candidates.push_back(op);
        continue;
      }
      rewriter.setInsertionPoint(op);
      auto [head, tail] = linalg::splitOp(rewriter, cast<TilingInterface>(op.getOperation()),
                                          s->m, rewriter.getIndexAttr(rows - rows % 8));
      for (TilingInterface part : {head, tail})
        if (auto generic = dyn_cast_if_present<linalg::GenericOp>(part.getOperation());
            generic && matchMatmul(generic, vectorBits))
          candidates.push_back(generic);
    }
    for (linalg::GenericOp op : candidates) {
      MatmulShape s = *matchMatmul(op, vectorBits);
      // The multiply-add may become one FMA (one rounding, as ONNX Runtime's
      // kernels compute it): without the flag LLVM must keep a vmulps and a
      // vaddps per step, which halves the kernel's peak.
      op.getRegion().walk([](Operation *inner) {
        if (auto fastmath = dyn_cast<arith::ArithFastMathInterface>(inner))
          inner->setAttr(fastmath.getFastMathAttrName(),
                         arith::FastMathFlagsAttr::get(inner->getContext(),
                                                       arith::FastMathFlags::contract));
      });
      unsigned loops = op.getNumLoops();
      // 1. Output tiles: every parallel dim 1 except m (Mr) and n (Nr); K whole.
      SmallVector<OpFoldResult> outer(loops, rewriter.getIndexAttr(1));
      outer[s.m] = rewriter.getIndexAttr(s.mr);
      outer[s.n] = rewriter.getIndexAttr(s.nr);
      outer[s.k] = rewriter.getIndexAttr(0);
      // The larger operand streams through once, the smaller one stays in
      // cache: n-tiles (B's panels, or a packed B's panel index) outside
      // m-tiles when B is the larger (a late ResNet stage: 9 MB of weights,
      // 49 pixels), m-tiles outside when A is (the stem: 12544 pixels x 147
      // taps against 64 filters), so neither is re-read from memory.
      AffineMap outMap = op.getMatchingIndexingMap(op.getDpsInitOperand(0));
      unsigned beforeN =
          cast<AffineDimExpr>(outMap.getResult(outMap.getNumResults() - 2)).getPosition();
      unsigned columns = beforeN != s.m ? beforeN : s.n; // the panel index, or n
      SmallVector<int64_t> ranges = op.getStaticLoopRanges();
      bool rowsOutside = ranges[s.m] > ranges[s.n] * (columns != s.n ? ranges[columns] : 1);
      SmallVector<int64_t> order;
      for (unsigned d = 0; d < loops; ++d)
        if (d != s.m && d != s.n && d != columns)
          order.push_back(d);
      if (rowsOutside)
        order.push_back(s.m);
      order.push_back(columns);
      if (columns != s.n)
        order.push_back(s.n);
      if (!rowsOutside)
        order.push_back(s.m);
      // 1b. The epilogue joins the tile loop.
      std::optional<OutputTiles> tiles = tileOutputs(rewriter, op, outer, order);
      if (!tiles)
        continue;
      Operation *tiledEpilogue = tiles->epilogue;
      // 2. K in steps of 1 inside the tile.
      Operation *step = tileReductionSteps(rewriter, tiles->tile, {s.k}, 1);
      if (!step)
        continue;
      // 3. The Mr x Nr x 1 step becomes vector code: broadcasts of A and B,
      //    a multiply and an add-reduction over the unit K dim (FMAs in LLVM).
      rewriter.setInsertionPoint(step);
      FailureOr<linalg::VectorizationResult> vectorized = linalg::vectorize(
          rewriter, step, {}, {}, false, false, false, /*createNamedContraction=*/true);
      if (succeeded(vectorized))
        rewriter.replaceOp(step, vectorized->replacements);
      // 4. The epilogue on the Mr x Nr tile as vector code too.
      vectorizeEpilogue(rewriter, tiledEpilogue);
    }
    // The accumulator tile's read and write have loop-invariant indices: carry
    // it through each K loop as a vector (in registers) instead. The slices
    // tiling left around the transfers must fold away first.
    {
      RewritePatternSet patterns(&getContext());
      tensor::ExtractSliceOp::getCanonicalizationPatterns(patterns, &getContext());
      tensor::InsertSliceOp::getCanonicalizationPatterns(patterns, &getContext());
      vector::TransferReadOp::getCanonicalizationPatterns(patterns, &getContext());
      vector::TransferWriteOp::getCanonicalizationPatterns(patterns, &getContext());
      if (failed(applyPatternsGreedily(getOperation(), std::move(patterns))))
        return signalPassFailure();
    }
    getOperation().walk([&](scf::ForOp loop) { (void)carryAccumulatorInRegisters(rewriter, loop); });
    getOperation().walk([&](scf::ForallOp forall) { dropUnreadFills(rewriter, forall); });
    // The add-reduction over the unit K dim becomes an addf that may contract
    // with its multiply (vector.multi_reduction carries no fastmath flags, so
    // its own lowering would produce a strict add).
    getOperation().walk([&](vector::MultiDimReductionOp reduction) {
      auto mul = reduction.getSource().getDefiningOp<arith::MulFOp>();
      VectorType sourceType = reduction.getSourceVectorType();
      if (reduction.getKind() != vector::CombiningKind::ADD || !mul ||
          !bitEnumContainsAll(mul.getFastmath(), arith::FastMathFlags::contract) ||
          llvm::any_of(reduction.getReductionDims(),
                       [&](int64_t d) { return sourceType.getDimSize(d) != 1; }))
        return;
      rewriter.setInsertionPoint(reduction);
      Value product = vector::ShapeCastOp::create(rewriter, reduction.getLoc(),
                                                  reduction.getDestType(), mul.getResult());
      rewriter.replaceOpWithNewOp<arith::AddFOp>(reduction, reduction.getAcc(), product,
                                                 arith::FastMathFlags::contract);
    });
  }
};


struct DSCPULowerVectorsPass
    : public ds::impl::DSCPULowerVectorsBase<DSCPULowerVectorsPass> {
  using Base::Base;
  void runOnOperation() override {
    func::FuncOp fn = getOperation();
    MLIRContext *ctx = &getContext();
    ds::lowerDotsOfFourBytes(fn, sdot);
    // Bufferizing the tile loop's parallel_insert_slice of a tile computed in
    // place leaves a copy of the tile onto itself: a memcpy that does nothing.
    fn.walk([](memref::CopyOp copy) {
      if (copy.getSource() == copy.getTarget())
        copy.erase();
    });
    // Tiled K loops already carry their accumulator as a vector
    // (carryAccumulatorInRegisters); this catches read/write pairs with
    // loop-invariant indices that other loops may still have.
    linalg::hoistRedundantVectorTransfers(fn);
    {
      RewritePatternSet patterns(ctx);
      vector::populateVectorContractLoweringPatterns(patterns,
                                                     vector::VectorContractLowering::OuterProduct);
      vector::populateVectorTransferPermutationMapLoweringPatterns(patterns);
      if (failed(applyPatternsGreedily(fn, std::move(patterns))))
        return signalPassFailure();
    }
    {
      RewritePatternSet patterns(ctx);
      vector::populateVectorOuterProductLoweringPatterns(patterns);
      VectorTransferToSCFOptions options;
      options.enableFullUnroll().setTargetRank(1);
      populateVectorToSCFConversionPatterns(patterns, options);
      vector::populateVectorTransferLoweringPatterns(patterns, /*maxTransferRank=*/1);
      if (failed(applyPatternsGreedily(fn, std::move(patterns))))
        return signalPassFailure();
    }
  }
};

} // namespace
