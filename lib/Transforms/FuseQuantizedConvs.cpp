//===- FuseQuantizedConvs.cpp - dequantize -> conv into ds.qconv ----------===//
//
// A QDQ model spells an integer convolution as float: dequantize(x_q) and
// dequantize(w_q) feed a float conv. When the operands are what integer
// kernels multiply (u8 activations per tensor, symmetric i8 weights), the
// conv takes the quantized tensors directly as a ds.qconv, and its lowering
// multiplies the 8-bit storage instead of dequantized floats. A Gemm of such
// operands (a classifier) is a 1x1 convolution of a one-pixel image and
// becomes a ds.qconv between reshapes; a max pool between a dequantize and
// a quantize with the same parameters pools the 8-bit storage.
//
//===----------------------------------------------------------------------===//

#include "deepseek/Passes.h"

#include "deepseek/Dialect/DS/IR/DSOps.h"
#include "deepseek/Transforms/F32Elements.h"
#include "mlir/Dialect/Quant/IR/Quant.h"
#include "mlir/Dialect/Quant/IR/QuantTypes.h"
#include "mlir/IR/BuiltinAttributes.h"
#include "mlir/IR/DialectResourceBlobManager.h"
#include "mlir/IR/Matchers.h"
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

/// An 8-bit input quantized per tensor that the target's integer kernels
/// multiply: u8 when |unsignedInputs| (vpdpbusd's u8 x s8), i8 when
/// |signedInputs| (sdot's s8 x s8).
bool isProductInput(Value q, bool unsignedInputs, bool signedInputs) {
  auto type = cast<quant::UniformQuantizedType>(
      cast<RankedTensorType>(q.getType()).getElementType());
  return (type.isSigned() ? signedInputs : unsignedInputs) &&
         type.getStorageTypeIntegralWidth() == 8 && type.getExpressedType().isF32();
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

/// What the target's 8-bit kernels multiply.
struct ProductInputs {
  bool unsignedInputs; ///< u8 x s8 (vpdpbusd)
  bool signedInputs;   ///< s8 x s8 (sdot, or armv8's widening multiplies)
  /// s8 x s8 products are summed in pairs in 16 bits (armv8 without
  /// dotprod: smull, addp, sadalp), exact only while no weight is -128
  /// (|s8 x w| <= 128 * 127, two of them <= 32512).
  bool i16PairSums;
};

/// True when the weight storage |weight| (the quantized tensor a dequantize
/// reads) suits the target's products: without 16-bit pair sums any, with
/// them a constant that holds no -128.
bool suitsPairSums(Value weight, const ProductInputs &inputs) {
  if (!inputs.i16PairSums)
    return true;
  auto storage = weight.getDefiningOp<quant::StorageCastOp>();
  std::optional<SmallVector<int8_t>> bytes =
      storage ? readI8Constant(storage.getInput()) : std::nullopt;
  return bytes && llvm::none_of(*bytes, [](int8_t v) { return v == -128; });
}

/// A pattern making an 8-bit product, for the inputs the target multiplies.
template <typename OpTy>
struct EightBitProductPattern : OpRewritePattern<OpTy> {
  EightBitProductPattern(MLIRContext *ctx, ProductInputs inputs)
      : OpRewritePattern<OpTy>(ctx), inputs(inputs) {}

  /// The 8-bit tensor |value| dequantizes, when the target's kernels multiply
  /// it (isProductInput), else null.
  Value productInput(Value value) const {
    Value input = dequantizedFrom<quant::UniformQuantizedType>(value);
    return input && isProductInput(input, inputs.unsignedInputs, inputs.signedInputs)
               ? input
               : nullptr;
  }

  /// |weight| (dequantized storage) is symmetric i8 the target's products
  /// can multiply with |input| exactly.
  LogicalResult checkWeight(Value input, Value weight, Operation *op,
                            PatternRewriter &rewriter) const {
    if (!weight || !isSymmetricI8(cast<quant::QuantizedType>(
                       cast<RankedTensorType>(weight.getType()).getElementType())))
      return rewriter.notifyMatchFailure(op, "weight is not dequantized symmetric i8");
    auto inputType = cast<quant::UniformQuantizedType>(
        cast<RankedTensorType>(input.getType()).getElementType());
    if (inputType.isSigned() && !suitsPairSums(weight, inputs))
      return rewriter.notifyMatchFailure(op, "weight is not a constant in [-127, 127], which "
                                             "16-bit pair sums need");
    return success();
  }

  ProductInputs inputs;
};

struct FuseQuantizedConv : EightBitProductPattern<ConvOp> {
  using EightBitProductPattern::EightBitProductPattern;
  LogicalResult matchAndRewrite(ConvOp conv, PatternRewriter &rewriter) const override {
    auto resultType = cast<RankedTensorType>(conv.getType());
    if (conv.getGroup() != 1 || resultType.getRank() != 4 || !resultType.getElementType().isF32())
      return rewriter.notifyMatchFailure(conv, "2-D one-group f32 convolutions only");
    Value input = productInput(conv.getInput());
    if (!input)
      return rewriter.notifyMatchFailure(conv, "input is not a dequantized 8-bit tensor the "
                                               "target multiplies");
    Value weight = dequantizedFrom<quant::QuantizedType>(conv.getWeight());
    if (failed(checkWeight(input, weight, conv, rewriter)))
      return failure();
    rewriter.replaceOpWithNewOp<QConvOp>(conv, resultType, input, weight, conv.getBias(),
                                         conv.getResidual(), conv.getStridesAttr(),
                                         conv.getPadsAttr(), conv.getDilationsAttr(),
                                         conv.getActivationAttr());
    return success();
  }
};

/// |values| with the same elements in |type|'s shape (a view of the same
/// blob for dense_resource weights), or null.
ElementsAttr reshapedElements(ElementsAttr values, ShapedType type) {
  if (auto dense = dyn_cast<DenseElementsAttr>(values))
    return dense.reshape(type);
  if (auto resource = dyn_cast<DenseResourceElementsAttr>(values))
    return DenseResourceElementsAttr::get(type, resource.getRawHandle());
  return nullptr;
}

/// y = x * w^T + c with x [1, K] dequantized u8 and w [N, K] dequantized
/// constant symmetric i8 (transB: how PyTorch exports every Linear layer):
/// x as [1, K, 1, 1] and w as [N, K, 1, 1] in a 1x1 ds.qconv, whose result
/// [1, N, 1, 1] is reshaped back. The weights are a new constant over the
/// same bytes; ResNet-50's classifier then reads 2 MB of int8 instead of 8 MB
/// of dequantized floats.
struct FuseQuantizedGemm : EightBitProductPattern<GemmOp> {
  using EightBitProductPattern::EightBitProductPattern;
  LogicalResult matchAndRewrite(GemmOp gemm, PatternRewriter &rewriter) const override {
    auto resultType = cast<RankedTensorType>(gemm.getType());
    if (gemm.getTransA() || !gemm.getTransB() || gemm.getAlpha().convertToFloat() != 1.0f ||
        gemm.getBeta().convertToFloat() != 1.0f || gemm.getResidual() ||
        !resultType.hasStaticShape() || !resultType.getElementType().isF32())
      return rewriter.notifyMatchFailure(gemm, "Gemm with transB, alpha = beta = 1 only");
    Value input = productInput(gemm.getA());
    if (!input)
      return rewriter.notifyMatchFailure(gemm, "A is not a dequantized 8-bit tensor the "
                                               "target multiplies");
    Value weight = dequantizedFrom<quant::QuantizedType>(gemm.getB());
    if (failed(checkWeight(input, weight, gemm, rewriter)))
      return failure();
    auto weightType = cast<RankedTensorType>(weight.getType());
    auto storage = weight.getDefiningOp<quant::StorageCastOp>();
    ElementsAttr values;
    if (!storage || !matchPattern(storage.getInput(), m_Constant(&values)))
      return rewriter.notifyMatchFailure(gemm, "B is not a constant");
    Value bias = gemm.getC();
    int64_t m = resultType.getDimSize(0), n = resultType.getDimSize(1);
    int64_t k = weightType.getDimSize(1);
    // M rows would be M one-pixel images, which the 8-bit tiles cover one
    // row at a time; a classifier (M = 1) is what this is for.
    if (m != 1)
      return rewriter.notifyMatchFailure(gemm, "more than one row");
    if (bias && cast<RankedTensorType>(bias.getType()).getShape() != ArrayRef<int64_t>{n})
      return rewriter.notifyMatchFailure(gemm, "C is not one bias per output column");

    Location loc = gemm.getLoc();
    auto inputType = cast<RankedTensorType>(input.getType());
    Value image = ReshapeOp::create(
        rewriter, loc, RankedTensorType::get({m, k, 1, 1}, inputType.getElementType()), input);
    auto bytesType = cast<ShapedType>(values.getType()).clone({n, k, 1, 1});
    ElementsAttr bytes = reshapedElements(values, bytesType);
    if (!bytes)
      return rewriter.notifyMatchFailure(gemm, "B's constant cannot be reshaped");
    Value filterBytes = ConstantOp::create(rewriter, loc, bytesType, bytes);
    Value filter = quant::StorageCastOp::create(
        rewriter, loc, RankedTensorType::get({n, k, 1, 1}, weightType.getElementType()),
        filterBytes);
    Value product = QConvOp::create(
        rewriter, loc, RankedTensorType::get({m, n, 1, 1}, rewriter.getF32Type()), image,
        filter, bias, /*residual=*/nullptr, ArrayRef<int64_t>{1, 1},
        ArrayRef<int64_t>{0, 0, 0, 0}, ArrayRef<int64_t>{1, 1}, gemm.getActivationAttr());
    rewriter.replaceOpWithNewOp<ReshapeOp>(gemm, resultType, product);
    return success();
  }
};

/// quantize(max_pool(dequantize(q))) with the quantize's parameters equal to
/// q's (a QDQ model's pool between two convolutions) is max_pool(q): the
/// dequantized values are on q's grid, their maximum too, and quantizing
/// it back with the same parameters gives its storage exactly. The pool
/// then reads and writes bytes instead of floats, and the dequantize and
/// quantize kernels around it disappear.
struct FuseQuantizedMaxPool : OpRewritePattern<QuantizeOp> {
  using OpRewritePattern::OpRewritePattern;
  LogicalResult matchAndRewrite(QuantizeOp quantize, PatternRewriter &rewriter) const override {
    auto pool = quantize.getInput().getDefiningOp<MaxPoolOp>();
    if (!pool || !pool->hasOneUse())
      return rewriter.notifyMatchFailure(quantize, "not the only user of a max pool");
    Value input = dequantizedFrom<quant::UniformQuantizedType>(pool.getInput());
    auto type = cast<RankedTensorType>(quantize.getType());
    auto element = dyn_cast<quant::UniformQuantizedType>(type.getElementType());
    if (!input || !element || element.getScale() <= 0 ||
        cast<RankedTensorType>(input.getType()).getElementType() != element)
      return rewriter.notifyMatchFailure(quantize, "pool input not dequantized with the same "
                                                   "per-tensor parameters");
    rewriter.replaceOpWithNewOp<MaxPoolOp>(quantize, type, input, pool.getKernelShapeAttr(),
                                           pool.getStridesAttr(), pool.getPadsAttr(),
                                           pool.getDilationsAttr(), pool.getCeilModeAttr());
    rewriter.eraseOp(pool);
    return success();
  }
};

struct DSFuseQuantizedConvsPass
    : public ds::impl::DSFuseQuantizedConvsBase<DSFuseQuantizedConvsPass> {
  using Base::Base;
  void runOnOperation() override {
    RewritePatternSet patterns(&getContext());
    patterns.add<FuseQuantizedConv, FuseQuantizedGemm>(
        &getContext(), ProductInputs{unsignedInputs, signedInputs, i16PairSums});
    patterns.add<FuseQuantizedMaxPool>(&getContext());
    if (failed(applyPatternsGreedily(getOperation(), std::move(patterns))))
      return signalPassFailure();
  }
};

} // namespace
