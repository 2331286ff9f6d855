//===- FuseQuantizedConvs.cpp - dequantize -> conv into ds.qconv ----------===//
//
// A QDQ model spells an integer convolution as float: dequantize(x_q) and
// dequantize(w_q) feed a float conv. When the operands are what integer
// kernels multiply (u8 activations per tensor, symmetric i8 weights), the
// conv takes the quantized tensors directly as a ds.qconv, and its lowering
// multiplies the 8-bit storage instead of dequantized floats.
//
//===----------------------------------------------------------------------===//

#include "deepseek/Passes.h"

#include "deepseek/Dialect/DS/IR/DSOps.h"
#include "mlir/Dialect/Quant/IR/Quant.h"
#include "mlir/Dialect/Quant/IR/QuantTypes.h"
#include "mlir/Transforms/GreedyPatternRewriteDriver.h"

namespace mlir::ds {
#define GEN_PASS_DEF_DSFUSEQUANTIZEDCONVS
#include "ds/Passes.h.inc"
} // namespace mlir::ds

using namespace mlir;
using namespace mlir::ds;

namespace {

/// The quantized tensor |value| dequantizes, when its element type is |Q|.
template <typename Q>
Value dequantizedFrom(Value value) {
  auto dq = value.getDefiningOp<DequantizeOp>();
  if (!dq)
    return nullptr;
  auto type = cast<RankedTensorType>(dq.getInput().getType());
  return isa<Q>(type.getElementType()) ? dq.getInput() : nullptr;
}

bool isU8PerTensor(Value q) {
  auto type = cast<quant::UniformQuantizedType>(
      cast<RankedTensorType>(q.getType()).getElementType());
  return !type.isSigned() && type.getStorageTypeIntegralWidth() == 8 &&
         type.getExpressedType().isF32();
}

bool isSymmetricI8(quant::QuantizedType type) {
  if (!type.isSigned() || type.getStorageTypeIntegralWidth() != 8 ||
      !type.getExpressedType().isF32())
    return false;
  if (auto perTensor = dyn_cast<quant::UniformQuantizedType>(type))
    return perTensor.getZeroPoint() == 0;
  auto perAxis = dyn_cast<quant::UniformQuantizedPerAxisType>(type);
  return perAxis && perAxis.getQuantizedDimension() == 0 &&
         llvm::all_of(perAxis.getZeroPoints(), [](int64_t z) { return z == 0; });
}

struct FuseQuantizedConv : OpRewritePattern<ConvOp> {
  using OpRewritePattern::OpRewritePattern;
  LogicalResult matchAndRewrite(ConvOp conv, PatternRewriter &rewriter) const override {
    auto resultType = cast<RankedTensorType>(conv.getType());
    if (conv.getGroup() != 1 || resultType.getRank() != 4 || !resultType.getElementType().isF32())
      return rewriter.notifyMatchFailure(conv, "2-D one-group f32 convolutions only");
    Value input = dequantizedFrom<quant::UniformQuantizedType>(conv.getInput());
    if (!input || !isU8PerTensor(input))
      return rewriter.notifyMatchFailure(conv, "input is not dequantized u8 (per tensor)");
    Value weight = dequantizedFrom<quant::QuantizedType>(conv.getWeight());
    if (!weight || !isSymmetricI8(cast<quant::QuantizedType>(
                       cast<RankedTensorType>(weight.getType()).getElementType())))
      return rewriter.notifyMatchFailure(conv, "weight is not dequantized symmetric i8");
    rewriter.replaceOpWithNewOp<QConvOp>(conv, resultType, input, weight, conv.getBias(),
                                         conv.getResidual(), conv.getStridesAttr(),
                                         conv.getPadsAttr(), conv.getDilationsAttr(),
                                         conv.getActivationAttr());
    return success();
  }
};

struct DSFuseQuantizedConvsPass
    : public ds::impl::DSFuseQuantizedConvsBase<DSFuseQuantizedConvsPass> {
  void runOnOperation() override {
    RewritePatternSet patterns(&getContext());
    patterns.add<FuseQuantizedConv>(&getContext());
    if (failed(applyPatternsGreedily(getOperation(), std::move(patterns))))
      return signalPassFailure();
  }
};

} // namespace
