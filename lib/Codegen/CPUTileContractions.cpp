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

#include "deepseek/Passes.h"
#include "deepseek/Transforms/F32Elements.h"

#include "mlir/Conversion/VectorToSCF/VectorToSCF.h"
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
std::optional<MatmulShape> matchMatmulLike(linalg::GenericOp op) {
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
  // Body: mulf, addf, yield (in either operand order).
  Block &body = op.getRegion().front();
  if (body.getOperations().size() != 3)
    return std::nullopt;
  auto mul = dyn_cast<arith::MulFOp>(&body.front());
  auto addOp = dyn_cast<arith::AddFOp>(mul ? mul->getNextNode() : nullptr);
  if (!mul || !addOp)
    return std::nullopt;
  AffineMap outMap = op.getMatchingIndexingMap(op.getDpsInitOperand(0));
  if (outMap.getNumResults() < 2)
    return std::nullopt;
  MatmulShape s;
  s.n = cast<AffineDimExpr>(outMap.getResults().back()).getPosition();
  s.m = cast<AffineDimExpr>(outMap.getResults()[outMap.getNumResults() - 2]).getPosition();
  s.k = std::distance(iterators.begin(),
                      llvm::find(iterators, utils::IteratorType::reduction));
  SmallVector<int64_t> ranges = op.getStaticLoopRanges();
  int64_t M = ranges[s.m], N = ranges[s.n], K = ranges[s.k];
  if (ShapedType::isDynamic(M) || ShapedType::isDynamic(N) || ShapedType::isDynamic(K))
    return std::nullopt;
  s.nr = N % 32 == 0 ? 32 : N % 16 == 0 ? 16 : 0;
  s.mr = M % 8 == 0 ? 8 : M % 4 == 0 ? 4 : M % 2 == 0 ? 2 : 1;
  return s;
}

/// A matmul-like generic whose register tiles divide the output evenly.
std::optional<MatmulShape> matchMatmul(linalg::GenericOp op) {
  std::optional<MatmulShape> s = matchMatmulLike(op);
  if (!s || !s->nr)
    return std::nullopt;
  return s;
}

/// A constant 2-D f32 input of |op| read as [first][second] (two loop dims),
/// with its values.
struct ConstantWeight {
  OpOperand *operand = nullptr;
  arith::ConstantOp constant;
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
    auto constant = input->get().getDefiningOp<arith::ConstantOp>();
    auto type = dyn_cast<RankedTensorType>(input->get().getType());
    auto elements = constant ? dyn_cast<ElementsAttr>(constant.getValue()) : nullptr;
    if (!elements || !type || !type.hasStaticShape())
      return std::nullopt;
    std::optional<SmallVector<float>> values = ds::readF32Elements(elements);
    if (!values)
      return std::nullopt;
    return ConstantWeight{input, constant, type.getDimSize(0), type.getDimSize(1),
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
  Value weight = createWeight(rewriter, w->constant.getLoc(), w->cols, w->rows, transposed,
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

/// A constant right-hand side B[K][N] whose rows are a multiple of 64 floats
/// apart puts the K rows of every Nr-wide panel into a few cache sets (a
/// 3072-float row is 192 lines: every 4th row shares a set), and the panel
/// no longer stays cached while the row blocks of A stream past it: measured
/// here, a 128x3072x768 product ran at 22 GFLOP/s, 35 with N = 800. Store
/// such weights with rows of N + 16 floats (an odd number of cache lines
/// apart when N is a multiple of 64) and read them through a slice.
void padConstantRowStride(RewriterBase &rewriter, linalg::GenericOp op, const MatmulShape &s) {
  if (op.getStaticLoopRanges()[s.n] % 64 != 0)
    return; // checked first: constantWeight copies the values
  std::optional<ConstantWeight> w = constantWeight(op, s.k, s.n);
  if (!w)
    return;
  int64_t stride = w->cols + 16;
  SmallVector<float> padded(w->rows * stride, 0.0f);
  for (int64_t r = 0; r < w->rows; ++r)
    std::copy_n(w->values.begin() + r * w->cols, w->cols, padded.begin() + r * stride);
  rewriter.setInsertionPoint(op);
  Location loc = w->constant.getLoc();
  Value wide = createWeight(rewriter, loc, w->rows, stride, padded, "padded_weight");
  Value slice = tensor::ExtractSliceOp::create(
      rewriter, loc, w->operand->get().getType(), wide, ValueRange{}, ValueRange{}, ValueRange{},
      rewriter.getDenseI64ArrayAttr({0, 0}), rewriter.getDenseI64ArrayAttr({w->rows, w->cols}),
      rewriter.getDenseI64ArrayAttr({1, 1}));
  rewriter.modifyOpInPlace(op, [&] { w->operand->set(slice); });
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
  if (!epilogue.getMatchingIndexingMap(epilogue.getDpsInitOperand(0)).isIdentity() ||
      epilogue.getResult(0).getType() != result.getType())
    return nullptr;
  return epilogue;
}

/// A K loop that reads its accumulator tile (its one tensor iter_arg) with a
/// vector.transfer_read and writes it back with a matching transfer_write
/// every step becomes a loop over a vector iter_arg: one read before the loop,
/// one write after it, the tile in registers in between. (Upstream's buffer
/// hoisting misses this case once the tile is a view of the output buffer.)
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
  // One read before the loop...
  rewriter.setInsertionPoint(loop);
  auto initVector = cast<vector::TransferReadOp>(rewriter.clone(*read));
  rewriter.modifyOpInPlace(initVector, [&] { initVector.getBaseMutable().assign(init); });
  // ... the vector as the iter_arg ...
  VectorType vectorType = read.getVectorType();
  rewriter.modifyOpInPlace(loop, [&] {
    loop.getInitArgsMutable()[0].assign(initVector.getResult());
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
        isa<math::ExpOp, math::LogOp, math::SqrtOp, math::AbsFOp, math::FmaOp>(inner))
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

struct DSCPUTileContractionsPass
    : public ds::impl::DSCPUTileContractionsBase<DSCPUTileContractionsPass> {
  void runOnOperation() override {
    IRRewriter rewriter(&getContext());
    SmallVector<linalg::GenericOp> candidates;
    getOperation().walk([&](linalg::GenericOp op) {
      if (std::optional<MatmulShape> s = matchMatmulLike(op))
        transposeConstantRHS(rewriter, op, *s);
      if (matchMatmul(op))
        candidates.push_back(op);
    });
    for (linalg::GenericOp op : candidates) {
      MatmulShape s = *matchMatmul(op);
      padConstantRowStride(rewriter, op, s);
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
      scf::SCFTilingOptions outerOptions;
      outerOptions.setTileSizes(outer).setLoopType(scf::SCFTilingOptions::LoopType::ForallOp);
      // n-tiles outside m-tiles: one Nr-wide panel of B (K x Nr) stays in cache
      // while every row block of A streams past it.
      SmallVector<int64_t> order;
      for (unsigned d = 0; d < loops; ++d)
        if (d != s.m && d != s.n)
          order.push_back(d);
      order.push_back(s.n);
      order.push_back(s.m);
      outerOptions.setInterchange(order);
      rewriter.setInsertionPoint(op);
      FailureOr<scf::SCFTilingResult> tiled =
          scf::tileUsingSCF(rewriter, cast<TilingInterface>(op.getOperation()), outerOptions);
      if (failed(tiled))
        continue;
      rewriter.replaceOp(op, tiled->replacements);
      auto tile = cast<linalg::LinalgOp>(tiled->tiledOps.back());
      // 1b. The epilogue joins the tile loop: one kernel per conv/matmul,
      //     whose output is written once.
      Operation *tiledEpilogue = nullptr;
      if (linalg::GenericOp epilogue = fusibleEpilogue(tiled->replacements.front())) {
        SmallVector<LoopLikeOpInterface> loops(tiled->loops.begin(), tiled->loops.end());
        rewriter.setInsertionPoint(epilogue);
        FailureOr<scf::SCFFuseConsumerOfSliceResult> fused =
            scf::tileAndFuseConsumer(rewriter, epilogue, loops);
        if (epilogue->use_empty())
          rewriter.eraseOp(epilogue);
        if (succeeded(fused) && !fused->tiledOps.empty()) {
          tiledEpilogue = fused->tiledOps.front();
          accumulateInOutputTile(rewriter, tile, tiledEpilogue);
        }
      }
      // 2. K in steps of 1 inside the tile.
      SmallVector<OpFoldResult> inner(loops, rewriter.getIndexAttr(0));
      inner[s.k] = rewriter.getIndexAttr(1);
      scf::SCFTilingOptions innerOptions;
      innerOptions.setTileSizes(inner);
      rewriter.setInsertionPoint(tile);
      FailureOr<scf::SCFTilingResult> stepped =
          scf::tileUsingSCF(rewriter, cast<TilingInterface>(tile.getOperation()), innerOptions);
      if (failed(stepped))
        continue;
      rewriter.replaceOp(tile, stepped->replacements);
      // 3. The Mr x Nr x 1 step becomes vector code: broadcasts of A and B,
      //    a multiply and an add-reduction over the unit K dim (FMAs in LLVM).
      Operation *step = stepped->tiledOps.back();
      rewriter.setInsertionPoint(step);
      FailureOr<linalg::VectorizationResult> vectorized = linalg::vectorize(
          rewriter, step, {}, {}, false, false, false, /*createNamedContraction=*/true);
      if (succeeded(vectorized))
        rewriter.replaceOp(step, vectorized->replacements);
      // 4. The epilogue on the Mr x Nr tile as vector code too, so that it
      //    works on the accumulators before they are stored.
      if (tiledEpilogue && hasVectorLowering(tiledEpilogue)) {
        rewriter.setInsertionPoint(tiledEpilogue);
        FailureOr<linalg::VectorizationResult> epilogueVectors =
            linalg::vectorize(rewriter, tiledEpilogue);
        if (succeeded(epilogueVectors))
          rewriter.replaceOp(tiledEpilogue, epilogueVectors->replacements);
      }
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
  void runOnOperation() override {
    func::FuncOp fn = getOperation();
    MLIRContext *ctx = &getContext();
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
