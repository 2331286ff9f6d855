//===- FoldBatchNorm.cpp - the ds-fold-batch-norm pass --------------------===//
//
// Inference BatchNorm is an affine map per channel, y = x * s + t with
// s = gamma / sqrt(var + eps) and t = beta - mean * s. After a convolution or
// a Gemm the map folds into the weights (one fewer pass over the activations);
// elsewhere it becomes one multiply-add with constants.
//
//===----------------------------------------------------------------------===//

#include "GraphMatchers.h"
#include "deepseek/Transforms/F32Elements.h"

#include "deepseek/Passes.h"

#include "mlir/Transforms/GreedyPatternRewriteDriver.h"

#include <cmath>

namespace mlir::ds {
#define GEN_PASS_DEF_DSFOLDBATCHNORM
#include "ds/Passes.h.inc"
} // namespace mlir::ds

using namespace mlir;
using namespace mlir::ds;
using namespace mlir::ds::graph;

namespace {

/// The per-channel scale s and shift t of a BatchNorm with f32 constant
/// parameters.
struct ChannelAffine {
  SmallVector<float> scale, shift;
};

std::optional<ChannelAffine> channelAffine(BatchNormOp bn) {
  auto gamma = readF32Constant(bn.getScale()), beta = readF32Constant(bn.getBias()),
       mean = readF32Constant(bn.getMean()), var = readF32Constant(bn.getVariance());
  if (!gamma || !beta || !mean || !var)
    return std::nullopt;
  size_t channels = gamma->size();
  if (beta->size() != channels || mean->size() != channels || var->size() != channels)
    return std::nullopt;
  ChannelAffine affine;
  float eps = bn.getEpsilon().convertToFloat();
  for (size_t c = 0; c < channels; ++c) {
    float s = (*gamma)[c] / std::sqrt((*var)[c] + eps);
    affine.scale.push_back(s);
    affine.shift.push_back((*beta)[c] - (*mean)[c] * s);
  }
  return affine;
}

/// The weight rows (conv: output channel m = dim 0) scaled by s.
SmallVector<float> scaleRows(ArrayRef<float> weight, ArrayRef<float> scale) {
  SmallVector<float> result(weight);
  size_t rowSize = weight.size() / scale.size();
  for (size_t m = 0; m < scale.size(); ++m)
    for (size_t i = 0; i < rowSize; ++i)
      result[m * rowSize + i] *= scale[m];
  return result;
}

/// b' = b * s + t (b absent: t).
SmallVector<float> foldBias(std::optional<SmallVector<float>> bias, const ChannelAffine &a) {
  SmallVector<float> result(a.shift);
  if (bias)
    for (size_t c = 0; c < result.size(); ++c)
      result[c] += (*bias)[c] * a.scale[c];
  return result;
}

struct FoldIntoConv : OpRewritePattern<BatchNormOp> {
  using OpRewritePattern::OpRewritePattern;
  LogicalResult matchAndRewrite(BatchNormOp bn, PatternRewriter &rewriter) const override {
    auto conv = singleUseProducer<ConvOp>(bn.getInput());
    if (!conv || conv.getResidual() || conv.getActivationAttr())
      return rewriter.notifyMatchFailure(bn, "no conv without epilogue feeds it alone");
    std::optional<ChannelAffine> affine = channelAffine(bn);
    std::optional<SmallVector<float>> weight = readF32Constant(conv.getWeight());
    std::optional<SmallVector<float>> bias;
    if (conv.getBias() && !(bias = readF32Constant(conv.getBias())))
      return rewriter.notifyMatchFailure(bn, "conv bias is not an f32 constant");
    auto wType = cast<RankedTensorType>(conv.getWeight().getType());
    if (!affine || !weight ||
        static_cast<int64_t>(affine->scale.size()) != wType.getDimSize(0))
      return rewriter.notifyMatchFailure(bn, "parameters or weight are not f32 constants");
    Location loc = conv.getLoc();
    rewriter.setInsertionPoint(conv);
    Value newWeight = createF32Constant(rewriter, loc, wType, scaleRows(*weight, affine->scale));
    auto biasType = RankedTensorType::get({wType.getDimSize(0)}, wType.getElementType());
    Value newBias = createF32Constant(rewriter, loc, biasType, foldBias(bias, *affine));
    auto folded = ConvOp::create(rewriter, conv.getLoc(), conv.getType(), conv.getInput(),
                                 newWeight, newBias, /*residual=*/Value(),
                                 conv.getStridesAttr(), conv.getPadsAttr(),
                                 conv.getDilationsAttr(), conv.getGroupAttr(),
                                 /*activation=*/nullptr);
    rewriter.replaceOp(bn, folded.getResult());
    rewriter.eraseOp(conv);
    return success();
  }
};

/// Gemm output [M, N]: BatchNorm1d's channels are the N columns of op(b).
struct FoldIntoGemm : OpRewritePattern<BatchNormOp> {
  using OpRewritePattern::OpRewritePattern;
  LogicalResult matchAndRewrite(BatchNormOp bn, PatternRewriter &rewriter) const override {
    auto gemm = singleUseProducer<GemmOp>(bn.getInput());
    if (!gemm || gemm.getResidual() || gemm.getActivationAttr())
      return rewriter.notifyMatchFailure(bn, "no gemm without epilogue feeds it alone");
    std::optional<ChannelAffine> affine = channelAffine(bn);
    std::optional<SmallVector<float>> weight = readF32Constant(gemm.getB());
    auto bType = cast<RankedTensorType>(gemm.getB().getType());
    int64_t n = gemm.getTransB() ? bType.getDimSize(0) : bType.getDimSize(1);
    if (!affine || !weight || static_cast<int64_t>(affine->scale.size()) != n)
      return rewriter.notifyMatchFailure(bn, "parameters or weight are not f32 constants");
    std::optional<SmallVector<float>> c;
    if (gemm.getC()) {
      auto cType = cast<RankedTensorType>(gemm.getC().getType());
      c = readF32Constant(gemm.getC());
      if (!c || cType.getNumElements() != n || cType.getDimSize(cType.getRank() - 1) != n)
        return rewriter.notifyMatchFailure(bn, "gemm bias is not a per-column f32 constant");
      float beta = gemm.getBeta().convertToFloat();
      for (float &v : *c)
        v *= beta;
    }
    SmallVector<float> scaled(*weight);
    if (gemm.getTransB()) {
      scaled = scaleRows(*weight, affine->scale);
    } else {
      for (size_t i = 0; i < scaled.size(); ++i)
        scaled[i] *= affine->scale[i % n];
    }
    Location loc = gemm.getLoc();
    rewriter.setInsertionPoint(gemm);
    Value newB = createF32Constant(rewriter, loc, bType, scaled);
    Value newC = createF32Constant(rewriter, loc,
                                   RankedTensorType::get({n}, bType.getElementType()),
                                   foldBias(c, *affine));
    auto folded = GemmOp::create(rewriter, loc, gemm.getType(), gemm.getA(), newB, newC,
                                 /*residual=*/Value(), gemm.getAlphaAttr(),
                                 rewriter.getF32FloatAttr(1.0f), gemm.getTransAAttr(),
                                 gemm.getTransBAttr(), /*activation=*/nullptr);
    rewriter.replaceOp(bn, folded.getResult());
    rewriter.eraseOp(gemm);
    return success();
  }
};

/// Any other BatchNorm: x * s + t with s and t shaped [C, 1, ...] so they
/// broadcast along channel dimension 1.
struct BatchNormToScaleShift : OpRewritePattern<BatchNormOp> {
  using OpRewritePattern::OpRewritePattern;
  LogicalResult matchAndRewrite(BatchNormOp bn, PatternRewriter &rewriter) const override {
    std::optional<ChannelAffine> affine = channelAffine(bn);
    auto type = cast<RankedTensorType>(bn.getType());
    if (!affine || type.getRank() < 2 ||
        static_cast<int64_t>(affine->scale.size()) != type.getDimSize(1))
      return rewriter.notifyMatchFailure(bn, "parameters are not f32 constants");
    SmallVector<int64_t> shape{type.getDimSize(1)};
    shape.append(type.getRank() - 2, 1);
    auto paramType = RankedTensorType::get(shape, type.getElementType());
    Location loc = bn.getLoc();
    Value scale = createF32Constant(rewriter, loc, paramType, affine->scale);
    Value shift = createF32Constant(rewriter, loc, paramType, affine->shift);
    Value scaled = MulOp::create(rewriter, loc, type, bn.getInput(), scale);
    rewriter.replaceOpWithNewOp<AddOp>(bn, type, scaled, shift);
    return success();
  }
};

struct DSFoldBatchNormPass : public ds::impl::DSFoldBatchNormBase<DSFoldBatchNormPass> {
  void runOnOperation() override {
    RewritePatternSet patterns(&getContext());
    // Folding into the producer first; the scale/shift form is the fallback.
    patterns.add<FoldIntoConv, FoldIntoGemm>(&getContext(), /*benefit=*/2);
    patterns.add<BatchNormToScaleShift>(&getContext(), /*benefit=*/1);
    if (failed(applyPatternsGreedily(getOperation(), std::move(patterns))))
      return signalPassFailure();
  }
};

} // namespace
