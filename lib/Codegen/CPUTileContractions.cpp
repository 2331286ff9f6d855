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

#include "mlir/Conversion/VectorToSCF/VectorToSCF.h"
#include "mlir/Dialect/Linalg/IR/Linalg.h"
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

/// Recognizes an f32 matmul-like generic whose tiles divide evenly.
std::optional<MatmulShape> matchMatmul(linalg::GenericOp op) {
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
  if (!s.nr)
    return std::nullopt;
  return s;
}

struct DSCPUTileContractionsPass
    : public ds::impl::DSCPUTileContractionsBase<DSCPUTileContractionsPass> {
  void runOnOperation() override {
    SmallVector<linalg::GenericOp> candidates;
    getOperation().walk([&](linalg::GenericOp op) {
      if (matchMatmul(op))
        candidates.push_back(op);
    });
    IRRewriter rewriter(&getContext());
    for (linalg::GenericOp op : candidates) {
      MatmulShape s = *matchMatmul(op);
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
    }
  }
};

struct DSCPULowerVectorsPass
    : public ds::impl::DSCPULowerVectorsBase<DSCPULowerVectorsPass> {
  void runOnOperation() override {
    func::FuncOp fn = getOperation();
    MLIRContext *ctx = &getContext();
    // The accumulator's read/write pair has loop-invariant indices inside the
    // K loop: move it out, so the tile stays in registers for the whole loop.
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
