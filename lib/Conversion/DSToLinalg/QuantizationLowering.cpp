//===- QuantizationLowering.cpp - quantize/dequantize to integer arithmetic ===//
//
// Quantized tensors (`!quant.uniform` element types) exist in the ds IR only
// between a ds.quantize and its ds.dequantize users (a QDQ model), or between
// a weight's integer storage (`quant.scast` of a constant) and its
// dequantize. Lowered, a quantized tensor is its integer storage:
//   quantize:    q = clamp(round_half_even(x / scale) + zero_point) as iN
//   dequantize:  x = (q - zero_point) * scale
//   requantize:  dequantize, then quantize with the new parameters
// per tensor, or per axis with one scale and zero point per index along it.
// Each lowered quantize hands its users the storage through a `quant.scast`
// back to the quantized type, which each lowered consumer peels off again, so
// the IR stays valid between patterns and no quantized type survives once
// every consumer is lowered. A quantized tensor that reaches the model's
// boundary (an input or output of quantized type) is not lowered yet.
//
// These kernels compute the QDQ model exactly as written (dequantized values
// in f32); ds passes that replace DQ -> conv -> Q by integer kernels run
// before this lowering.
//
//===----------------------------------------------------------------------===//

#include "LoweringUtils.h"

#include <cmath>

#include "deepseek/Transforms/F32Elements.h"
#include "mlir/IR/DialectResourceBlobManager.h"
#include "mlir/IR/Matchers.h"

#include "mlir/Dialect/Quant/IR/Quant.h"
#include "mlir/Dialect/Quant/IR/QuantTypes.h"

using namespace mlir;
using namespace mlir::ds;
using namespace mlir::ds::lowering;

namespace {

/// Scale and zero point of |type| as f32 operands for an elementwise kernel
/// over a tensor of |shape|: scalars (per tensor), or constant vectors shaped
/// to broadcast along the quantized dimension (per axis).
struct QuantParams {
  quant::QuantizedType type;
  Value scale, zeroPoint;   // f32 scalars, or null for per axis
  Value scales, zeroPoints; // f32 tensors [C, 1, ..., 1], or null per tensor
  double min = 0, max = 0;
  bool isSigned = true;
  unsigned width = 8;
};

QuantParams quantParams(OpBuilder &b, Location loc, quant::QuantizedType type,
                        ArrayRef<int64_t> shape) {
  QuantParams p;
  p.type = type;
  p.min = static_cast<double>(type.getStorageTypeMin());
  p.max = static_cast<double>(type.getStorageTypeMax());
  p.isSigned = type.isSigned();
  p.width = type.getStorageTypeIntegralWidth();
  Type f32 = b.getF32Type();
  if (auto perTensor = dyn_cast<quant::UniformQuantizedType>(type)) {
    p.scale = scalarConstant(b, loc, f32, perTensor.getScale());
    p.zeroPoint = scalarConstant(b, loc, f32, static_cast<double>(perTensor.getZeroPoint()));
    return p;
  }
  auto perAxis = cast<quant::UniformQuantizedPerAxisType>(type);
  int64_t axis = perAxis.getQuantizedDimension();
  // [C, 1, ..., 1]: numpy broadcasting aligns it with dims axis..rank-1.
  SmallVector<int64_t> vectorShape(shape.size() - axis, 1);
  vectorShape[0] = shape[axis];
  auto vectorType = RankedTensorType::get(vectorShape, f32);
  SmallVector<float> scales, zeroPoints;
  for (double s : perAxis.getScales())
    scales.push_back(static_cast<float>(s));
  for (int64_t z : perAxis.getZeroPoints())
    zeroPoints.push_back(static_cast<float>(z));
  p.scales = arith::ConstantOp::create(b, loc, vectorType,
                                       DenseFPElementsAttr::get(vectorType, ArrayRef(scales)));
  p.zeroPoints = arith::ConstantOp::create(
      b, loc, vectorType, DenseFPElementsAttr::get(vectorType, ArrayRef(zeroPoints)));
  return p;
}

/// The per-axis operands to append to an elementwise kernel's inputs.
SmallVector<Value> paramOperands(const QuantParams &p) {
  if (p.scales)
    return {p.scales, p.zeroPoints};
  return {};
}

/// Scale and zero point inside a kernel body whose trailing |args| are the
/// per-axis operands (when there are any).
std::pair<Value, Value> paramsInBody(const QuantParams &p, ValueRange args) {
  if (p.scales)
    return {args[args.size() - 2], args[args.size() - 1]};
  return {p.scale, p.zeroPoint};
}

/// Integer storage |q| dequantized to f32.
Value dequantizeScalar(OpBuilder &b, Location loc, Value q, Value scale, Value zeroPoint,
                       const QuantParams &p) {
  Value wide = p.isSigned ? Value(arith::ExtSIOp::create(b, loc, b.getI32Type(), q))
                          : Value(arith::ExtUIOp::create(b, loc, b.getI32Type(), q));
  Value f = arith::SIToFPOp::create(b, loc, b.getF32Type(), wide);
  return arith::MulFOp::create(b, loc, arith::SubFOp::create(b, loc, f, zeroPoint), scale);
}

RankedTensorType storageType(RankedTensorType quantized) {
  auto qtype = cast<quant::QuantizedType>(quantized.getElementType());
  return quantized.clone(qtype.getStorageType());
}

bool isLowerableQuantType(Type type) {
  auto tensor = dyn_cast<RankedTensorType>(type);
  if (!tensor || !tensor.hasStaticShape())
    return false;
  auto qtype = dyn_cast<quant::QuantizedType>(tensor.getElementType());
  return qtype && qtype.getExpressedType().isF32() &&
         qtype.getStorageTypeIntegralWidth() <= 16 &&
         isa<quant::UniformQuantizedType, quant::UniformQuantizedPerAxisType>(qtype);
}

/// f32 |x| quantized to |resultType|, handed on as that quantized type.
Value buildQuantize(OpBuilder &b, Location loc, Value x, RankedTensorType resultType) {
  QuantParams p = quantParams(b, loc, cast<quant::QuantizedType>(resultType.getElementType()),
                              resultType.getShape());
  SmallVector<Value> operands{x};
  llvm::append_range(operands, paramOperands(p));
  Value storage = buildElementwise(b, loc, storageType(resultType), operands,
                                   [&](OpBuilder &nb, Location nloc, ValueRange args) {
                                     auto [scale, zp] = paramsInBody(p, args);
                                     return quantizeScalar(nb, nloc, args[0], scale, zp, p.min,
                                                           p.max, nb.getIntegerType(p.width));
                                   });
  return quant::StorageCastOp::create(b, loc, resultType, storage);
}

/// Quantized |q| dequantized to f32.
Value buildDequantize(OpBuilder &b, Location loc, Value q) {
  auto qType = cast<RankedTensorType>(q.getType());
  QuantParams p = quantParams(b, loc, cast<quant::QuantizedType>(qType.getElementType()),
                              qType.getShape());
  SmallVector<Value> operands{storageOf(b, loc, q)};
  llvm::append_range(operands, paramOperands(p));
  return buildElementwise(b, loc, qType.clone(b.getF32Type()), operands,
                          [&](OpBuilder &nb, Location nloc, ValueRange args) {
                            auto [scale, zp] = paramsInBody(p, args);
                            return dequantizeScalar(nb, nloc, args[0], scale, zp, p);
                          });
}

/// The NHWC form of an NCHW tensor type.
RankedTensorType channelsLastOf(RankedTensorType nchw) {
  return RankedTensorType::get(
      {nchw.getDimSize(0), nchw.getDimSize(2), nchw.getDimSize(3), nchw.getDimSize(1)},
      nchw.getElementType());
}

struct QuantizeLowering : OpRewritePattern<QuantizeOp> {
  using OpRewritePattern::OpRewritePattern;
  LogicalResult matchAndRewrite(QuantizeOp op, PatternRewriter &rewriter) const override {
    if (!isLowerableQuantType(op.getType()) ||
        !cast<RankedTensorType>(op.getInput().getType()).getElementType().isF32())
      return rewriter.notifyMatchFailure(op, "f32 to static uniform 8/16-bit types only");
    Location loc = op.getLoc();
    auto resultType = cast<RankedTensorType>(op.getType());
    if (op->hasAttr(kChannelsLastAttr)) {
      // NHWC in, NHWC storage out (transposes cancel with the neighbours').
      Value quantized = buildQuantize(rewriter, loc, toChannelsLast(rewriter, loc, op.getInput()),
                                      channelsLastOf(resultType));
      Value nchw = fromChannelsLast(rewriter, loc, storageOf(rewriter, loc, quantized));
      rewriter.replaceOp(op, quant::StorageCastOp::create(rewriter, loc, resultType, nchw));
      return success();
    }
    rewriter.replaceOp(op, buildQuantize(rewriter, loc, op.getInput(), resultType));
    return success();
  }
};

/// The dequantized values of constant quantized |q| (a storage cast of an
/// 8-bit constant), computed at compile time: weights a float op reads
/// (a Gemm left in float) would otherwise be dequantized on every run.
std::optional<SmallVector<float>> dequantizeConstant(Value q) {
  auto cast = q.getDefiningOp<quant::StorageCastOp>();
  auto type = dyn_cast<RankedTensorType>(q.getType());
  if (!cast || !type)
    return std::nullopt;
  auto qtype = dyn_cast<quant::QuantizedType>(type.getElementType());
  if (!qtype || qtype.getStorageTypeIntegralWidth() != 8)
    return std::nullopt;
  std::optional<SmallVector<int8_t>> bytes = readI8Constant(cast.getInput());
  if (!bytes)
    return std::nullopt;
  SmallVector<int64_t> raw;
  for (int8_t byte : *bytes)
    raw.push_back(qtype.isSigned() ? static_cast<int64_t>(byte)
                                   : static_cast<int64_t>(static_cast<uint8_t>(byte)));
  if (static_cast<int64_t>(raw.size()) != type.getNumElements())
    return std::nullopt;
  SmallVector<float> values(raw.size());
  if (auto perTensor = dyn_cast<quant::UniformQuantizedType>(qtype)) {
    for (size_t i = 0; i < raw.size(); ++i)
      values[i] = static_cast<float>((raw[i] - perTensor.getZeroPoint()) * perTensor.getScale());
    return values;
  }
  auto perAxis = dyn_cast<quant::UniformQuantizedPerAxisType>(qtype);
  if (!perAxis)
    return std::nullopt;
  int64_t axis = perAxis.getQuantizedDimension(), inner = 1;
  for (int64_t d = axis + 1; d < type.getRank(); ++d)
    inner *= type.getDimSize(d);
  int64_t channels = type.getDimSize(axis);
  for (size_t i = 0; i < raw.size(); ++i) {
    int64_t c = (static_cast<int64_t>(i) / inner) % channels;
    values[i] = static_cast<float>((raw[i] - perAxis.getZeroPoints()[c]) * perAxis.getScales()[c]);
  }
  return values;
}

struct DequantizeLowering : OpRewritePattern<DequantizeOp> {
  using OpRewritePattern::OpRewritePattern;
  LogicalResult matchAndRewrite(DequantizeOp op, PatternRewriter &rewriter) const override {
    if (!isLowerableQuantType(op.getInput().getType()) ||
        !cast<RankedTensorType>(op.getType()).getElementType().isF32())
      return rewriter.notifyMatchFailure(op, "static uniform 8/16-bit types to f32 only");
    Location loc = op.getLoc();
    if (std::optional<SmallVector<float>> values = dequantizeConstant(op.getInput())) {
      auto type = cast<RankedTensorType>(op.getType());
      rewriter.replaceOpWithNewOp<arith::ConstantOp>(
          op, type, makeF32Elements(type, *values, "dequantized_weight"));
      return success();
    }
    if (op->hasAttr(kChannelsLastAttr)) {
      auto qType = cast<RankedTensorType>(op.getInput().getType());
      Value nhwc = toChannelsLast(rewriter, loc, storageOf(rewriter, loc, op.getInput()));
      Value quantized = quant::StorageCastOp::create(rewriter, loc, channelsLastOf(qType), nhwc);
      rewriter.replaceOp(op, fromChannelsLast(rewriter, loc, buildDequantize(rewriter, loc, quantized)));
      return success();
    }
    rewriter.replaceOp(op, buildDequantize(rewriter, loc, op.getInput()));
    return success();
  }
};

struct RequantizeLowering : OpRewritePattern<RequantizeOp> {
  using OpRewritePattern::OpRewritePattern;
  LogicalResult matchAndRewrite(RequantizeOp op, PatternRewriter &rewriter) const override {
    if (!isLowerableQuantType(op.getInput().getType()) || !isLowerableQuantType(op.getType()))
      return rewriter.notifyMatchFailure(op, "static uniform 8/16-bit types only");
    Location loc = op.getLoc();
    Value real = buildDequantize(rewriter, loc, op.getInput());
    rewriter.replaceOp(op, buildQuantize(rewriter, loc, real,
                                         cast<RankedTensorType>(op.getType())));
    return success();
  }
};

/// scast(scast(x)) back to x's own type is x.
struct StorageCastPair : OpRewritePattern<quant::StorageCastOp> {
  using OpRewritePattern::OpRewritePattern;
  LogicalResult matchAndRewrite(quant::StorageCastOp op,
                                PatternRewriter &rewriter) const override {
    auto inner = op.getInput().getDefiningOp<quant::StorageCastOp>();
    if (!inner || inner.getInput().getType() != op.getType())
      return failure();
    rewriter.replaceOp(op, inner.getInput());
    return success();
  }
};

/// A storage cast whose result nobody reads any more (its consumers were
/// lowered and peeled it off).
struct DeadStorageCast : OpRewritePattern<quant::StorageCastOp> {
  using OpRewritePattern::OpRewritePattern;
  LogicalResult matchAndRewrite(quant::StorageCastOp op,
                                PatternRewriter &rewriter) const override {
    if (!op->use_empty())
      return failure();
    rewriter.eraseOp(op);
    return success();
  }
};

/// The f32 value of |value| when it is a constant.
std::optional<float> constantF32(Value value) {
  FloatAttr attr;
  if (!matchPattern(value, m_Constant(&attr)) || !attr.getType().isF32())
    return std::nullopt;
  return static_cast<float>(attr.getValueAsDouble());
}

/// quantizeScalar for a constant scale and zero point, without a division
/// (vdivps issues once every 10 cycles; it was the bulk of a quantized
/// convolution's epilogue, run once per output element). Same results:
///  - x is clamped first to [scale * (min - zp), scale * (max - zp)]. The
///    quantized value is monotonic in x and those bounds (within half an ulp)
///    quantize to min and max exactly, so clamping before gives what
///    saturating after gives; a NaN becomes the lower bound (maxnumf), as the
///    saturation after a division makes it. Nothing is infinite afterwards.
///  - x / scale is q = x * r with r = RN(1 / scale), then one FMA correction
///    q + (x - q * scale) * r, which is RN(x / scale) (Markstein's theorem; 0
///    differences from the division in 4e8 samples, half of them next to
///    rounding ties).
Value quantizeByReciprocal(OpBuilder &b, Location loc, Value x, float scale, float zeroPoint,
                           double min, double max, Type storage) {
  Type f32 = b.getF32Type();
  float reciprocal = 1.0f / scale;
  float low = scale * (static_cast<float>(min) - zeroPoint);
  float high = scale * (static_cast<float>(max) - zeroPoint);
  x = arith::MaxNumFOp::create(b, loc, x, scalarConstant(b, loc, f32, low));
  x = arith::MinNumFOp::create(b, loc, x, scalarConstant(b, loc, f32, high));
  Value r = scalarConstant(b, loc, f32, reciprocal);
  Value q = arith::MulFOp::create(b, loc, x, r);
  Value residual = math::FmaOp::create(b, loc, arith::NegFOp::create(b, loc, q),
                                       scalarConstant(b, loc, f32, scale), x);
  q = math::FmaOp::create(b, loc, residual, r, q);
  q = math::RoundEvenOp::create(b, loc, q);
  q = arith::AddFOp::create(b, loc, q, scalarConstant(b, loc, f32, zeroPoint));
  Value wide = arith::FPToSIOp::create(b, loc, b.getI32Type(), q);
  return arith::TruncIOp::create(b, loc, storage, wide);
}

} // namespace

Value mlir::ds::lowering::quantizeScalar(OpBuilder &b, Location loc, Value x, Value scale,
                                         Value zeroPoint, double min, double max,
                                         Type storage) {
  Type f32 = b.getF32Type();
  std::optional<float> s = constantF32(scale), zp = constantF32(zeroPoint);
  // Up to 16-bit storage the clamp bounds stay within half a step of the
  // integers they stand for (|max - zp| * 2^-23 < 0.5).
  if (s && zp && *s > 0 && std::isnormal(*s) && std::isnormal(1.0f / *s) &&
      storage.getIntOrFloatBitWidth() <= 16)
    return quantizeByReciprocal(b, loc, x, *s, *zp, min, max, storage);
  Value q = math::RoundEvenOp::create(b, loc, arith::DivFOp::create(b, loc, x, scale));
  q = arith::AddFOp::create(b, loc, q, zeroPoint);
  // maxnumf/minnumf: a NaN input saturates to a bound instead of being UB.
  q = arith::MaxNumFOp::create(b, loc, q, scalarConstant(b, loc, f32, min));
  q = arith::MinNumFOp::create(b, loc, q, scalarConstant(b, loc, f32, max));
  Value wide = arith::FPToSIOp::create(b, loc, b.getI32Type(), q);
  // Truncation keeps the bits of an unsigned value too.
  return arith::TruncIOp::create(b, loc, storage, wide);
}

Value mlir::ds::lowering::storageOf(OpBuilder &b, Location loc, Value value) {
  if (auto cast = value.getDefiningOp<quant::StorageCastOp>())
    if (!isa<quant::QuantizedType>(getElementTypeOrSelf(cast.getInput().getType())))
      return cast.getInput();
  auto type = cast<RankedTensorType>(value.getType());
  return quant::StorageCastOp::create(b, loc, storageType(type), value);
}

void mlir::ds::lowering::populateQuantizationLoweringPatterns(RewritePatternSet &patterns) {
  patterns.add<QuantizeLowering, DequantizeLowering, RequantizeLowering, DeadStorageCast,
               StorageCastPair>(
      patterns.getContext());
}
