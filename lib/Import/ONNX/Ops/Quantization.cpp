//===- Quantization.cpp - ONNX QDQ and QLinear operators -> ds ------------===//
//
// ONNX quantization parameters (scale, zero point, axis) become MLIR `quant`
// types, so they must be constants (as every quantizer writes them). QLinearConv
// and QLinearMatMul are imported in QDQ form: dequantize the operands, the float
// op, quantize the result; the quantization passes fuse that back into INT8
// kernels, and ONNX Runtime treats QDQ models the same way.
//
//===----------------------------------------------------------------------===//

#include "../NodeContext.h"

#include "deepseek/Dialect/DS/IR/DSOps.h"
#include "mlir/Dialect/Quant/IR/Quant.h"
#include "mlir/Dialect/Quant/IR/QuantTypes.h"

using namespace mlir;

namespace deepseek::onnx_import {
namespace {

/// The quant type described by constant scale input |scaleIndex| and optional
/// zero-point input |zeroPointIndex| (uint8 0 when absent, as ONNX says): per
/// tensor for one scale, per axis (along |axis| of |data|) for a vector.
FailureOr<quant::QuantizedType> readQuantType(NodeContext &ctx, unsigned scaleIndex,
                                              unsigned zeroPointIndex, int64_t axis,
                                              RankedTensorType data) {
  auto scales = dyn_cast_if_present<DenseFPElementsAttr>(ctx.constantInput(scaleIndex));
  if (!scales)
    return ctx.error("input " + Twine(scaleIndex) +
                     " (scale) must be a constant: quantization parameters become part "
                     "of the tensor type");
  SmallVector<int64_t> zeroPoints(scales.getNumElements(), 0);
  bool isSigned = false;
  unsigned width = 8;
  if (ctx.hasInput(zeroPointIndex)) {
    auto zp =
        dyn_cast_if_present<DenseIntElementsAttr>(ctx.constantInput(zeroPointIndex));
    if (!zp)
      return ctx.error("input " + Twine(zeroPointIndex) +
                       " (zero point) must be a constant integer tensor");
    if (zp.getNumElements() != scales.getNumElements())
      return ctx.error("scale and zero point have different sizes");
    auto intType = cast<IntegerType>(zp.getElementType());
    isSigned = !intType.isUnsigned();
    width = intType.getWidth();
    zeroPoints.clear();
    for (const APInt &v : zp.getValues<APInt>())
      zeroPoints.push_back(isSigned ? v.getSExtValue() : v.getZExtValue());
  }
  if (width != 8 && width != 16)
    return ctx.error("only 8- and 16-bit quantized storage is supported");
  int64_t min = isSigned ? -(int64_t(1) << (width - 1)) : 0;
  int64_t max = isSigned ? (int64_t(1) << (width - 1)) - 1 : (int64_t(1) << width) - 1;
  Type storage = IntegerType::get(ctx.context(), width);
  Type expressed = Float32Type::get(ctx.context());
  unsigned flags = isSigned ? quant::QuantizationFlags::Signed : 0;
  SmallVector<double> scaleValues;
  for (const APFloat &s : scales.getValues<APFloat>()) {
    double value = s.convertToDouble();
    if (!(value > 0.0))
      return ctx.error("scales must be positive, got " + std::to_string(value));
    scaleValues.push_back(value);
  }
  if (scales.getType().getRank() == 0 || scales.getNumElements() == 1)
    return cast<quant::QuantizedType>(quant::UniformQuantizedType::get(
        flags, storage, expressed, scaleValues.front(), zeroPoints.front(), min, max));
  FailureOr<int64_t> dim = ctx.normalizeAxis(axis, data.getRank());
  if (failed(dim))
    return failure();
  return cast<quant::QuantizedType>(quant::UniformQuantizedPerAxisType::get(
      flags, storage, expressed, scaleValues, zeroPoints, *dim, min, max));
}

/// Input |index| seen as a tensor of |type|: integer storage is reinterpreted
/// (`quant.scast`; constant uint8 data is re-typed as signless bytes), a
/// quantized tensor with other parameters is requantized.
FailureOr<Value> asQuantized(NodeContext &ctx, unsigned index,
                             quant::QuantizedType type) {
  Value value = ctx.input(index);
  RankedTensorType valueType = ctx.inputType(index);
  auto resultType = RankedTensorType::get(valueType.getShape(), type);
  Type element = valueType.getElementType();
  if (element == type)
    return value;
  if (isa<quant::QuantizedType>(element))
    return Value(ds::RequantizeOp::create(ctx.builder(), ctx.loc(), resultType, value));
  auto intType = dyn_cast<IntegerType>(element);
  if (!intType || intType.getWidth() != type.getStorageTypeIntegralWidth())
    return ctx.error("input " + Twine(index) + " must hold " +
                     Twine(type.getStorageTypeIntegralWidth()) +
                     "-bit integers to be quantized data");
  if (intType.isUnsigned()) {
    Type signless = IntegerType::get(ctx.context(), intType.getWidth());
    if (DenseElementsAttr bytes = ctx.constantInput(index)) {
      DenseElementsAttr retyped = bytes.bitcast(signless);
      value = ds::ConstantOp::create(ctx.builder(), ctx.loc(), retyped.getType(), retyped);
    } else {
      // Unsigned data computed at run time (a uint8 graph input): the same
      // bits as signless storage (a same-width cast keeps them).
      value = ds::CastOp::create(ctx.builder(), ctx.loc(), valueType.clone(signless), value);
    }
  }
  return Value(quant::StorageCastOp::create(ctx.builder(), ctx.loc(), resultType, value));
}

FailureOr<Value> dequantizeInput(NodeContext &ctx, unsigned data, unsigned scale,
                                 unsigned zeroPoint, int64_t axis) {
  RankedTensorType type = ctx.inputType(data);
  FailureOr<quant::QuantizedType> qtype =
      readQuantType(ctx, scale, zeroPoint, axis, type);
  if (failed(qtype))
    return failure();
  FailureOr<Value> quantized = asQuantized(ctx, data, *qtype);
  if (failed(quantized))
    return failure();
  auto floatType = RankedTensorType::get(type.getShape(), qtype->getExpressedType());
  return Value(ds::DequantizeOp::create(ctx.builder(), ctx.loc(), floatType, *quantized));
}

LogicalResult quantizeResult(NodeContext &ctx, Value result, unsigned scale,
                             unsigned zeroPoint, int64_t axis) {
  auto type = cast<RankedTensorType>(result.getType());
  FailureOr<quant::QuantizedType> qtype =
      readQuantType(ctx, scale, zeroPoint, axis, type);
  if (failed(qtype))
    return failure();
  auto resultType = RankedTensorType::get(type.getShape(), *qtype);
  ctx.setOutput(0, ds::QuantizeOp::create(ctx.builder(), ctx.loc(), resultType, result));
  return success();
}

LogicalResult convertQuantizeLinear(NodeContext &ctx) {
  if (!isa<Float32Type>(ctx.inputType(0).getElementType()))
    return ctx.error("only f32 data can be quantized");
  return quantizeResult(ctx, ctx.input(0), 1, 2, ctx.attrInt("axis", 1));
}

/// DequantizeLinear of a constant int32 tensor (a quantized bias, scale
/// x_scale * w_scale): there is no 32-bit quantized storage to lower, and
/// nothing to compute at run time, so the float values become the constant.
FailureOr<Value> dequantizeInt32Constant(NodeContext &ctx, int64_t axis) {
  auto data = dyn_cast_if_present<DenseIntElementsAttr>(ctx.constantInput(0));
  auto scales = dyn_cast_if_present<DenseFPElementsAttr>(ctx.constantInput(1));
  if (!data || !scales)
    return ctx.error("an int32 DequantizeLinear (a quantized bias) needs constant data and "
                     "scales");
  DenseIntElementsAttr zeroPoints;
  if (ctx.hasInput(2)) {
    zeroPoints = dyn_cast_if_present<DenseIntElementsAttr>(ctx.constantInput(2));
    if (!zeroPoints || zeroPoints.getNumElements() != scales.getNumElements())
      return ctx.error("input 2 (zero point) must be a constant the size of the scale");
  }
  auto type = cast<RankedTensorType>(data.getType());
  SmallVector<double> s;
  for (const APFloat &v : scales.getValues<APFloat>())
    s.push_back(v.convertToDouble());
  SmallVector<int64_t> z(s.size(), 0);
  if (zeroPoints)
    for (auto [i, v] : llvm::enumerate(zeroPoints.getValues<APInt>()))
      z[i] = v.getSExtValue();
  int64_t inner = 1, channels = 1;
  if (s.size() > 1) {
    FailureOr<int64_t> dim = ctx.normalizeAxis(axis, type.getRank());
    if (failed(dim))
      return failure();
    channels = type.getDimSize(*dim);
    if (channels != static_cast<int64_t>(s.size()))
      return ctx.error("expected one scale per element along axis " + Twine(*dim));
    for (int64_t d = *dim + 1; d < type.getRank(); ++d)
      inner *= type.getDimSize(d);
  }
  SmallVector<float> values;
  int64_t i = 0;
  for (const APInt &v : data.getValues<APInt>()) {
    int64_t c = s.size() > 1 ? (i++ / inner) % channels : 0;
    values.push_back(static_cast<float>((v.getSExtValue() - z[c]) * s[c]));
  }
  auto floatType = RankedTensorType::get(type.getShape(), ctx.builder().getF32Type());
  return Value(ds::ConstantOp::create(ctx.builder(), ctx.loc(), floatType,
                                      DenseFPElementsAttr::get(floatType, ArrayRef(values))));
}

LogicalResult convertDequantizeLinear(NodeContext &ctx) {
  if (ctx.inputType(0).getElementType().isInteger(32)) {
    FailureOr<Value> folded = dequantizeInt32Constant(ctx, ctx.attrInt("axis", 1));
    if (failed(folded))
      return failure();
    ctx.setOutput(0, *folded);
    return success();
  }
  FailureOr<Value> result = dequantizeInput(ctx, 0, 1, 2, ctx.attrInt("axis", 1));
  if (failed(result))
    return failure();
  ctx.setOutput(0, *result);
  return success();
}

/// QLinearConv(x, x_scale, x_zp, w, w_scale, w_zp, y_scale, y_zp, B): B is int32
/// with scale x_scale * w_scale and zero point 0.
LogicalResult convertQLinearConv(NodeContext &ctx) {
  FailureOr<Value> x = dequantizeInput(ctx, 0, 1, 2, 1);
  FailureOr<Value> w = dequantizeInput(ctx, 3, 4, 5, 0);
  if (failed(x) || failed(w))
    return failure();
  Value bias;
  if (ctx.hasInput(8)) {
    auto b = dyn_cast_if_present<DenseIntElementsAttr>(ctx.constantInput(8));
    auto xs = dyn_cast_if_present<DenseFPElementsAttr>(ctx.constantInput(1));
    auto ws = dyn_cast_if_present<DenseFPElementsAttr>(ctx.constantInput(4));
    if (!b || !xs || !ws)
      return ctx.error("the bias of QLinearConv must be a constant");
    SmallVector<float> values;
    float xScale = (*xs.getValues<APFloat>().begin()).convertToFloat();
    SmallVector<float> wScales;
    for (const APFloat &s : ws.getValues<APFloat>())
      wScales.push_back(s.convertToFloat());
    int64_t i = 0;
    for (const APInt &v : b.getValues<APInt>()) {
      float scale = xScale * wScales[wScales.size() == 1 ? 0 : i++];
      values.push_back(static_cast<float>(v.getSExtValue()) * scale);
    }
    auto type = RankedTensorType::get({static_cast<int64_t>(values.size())},
                                      ctx.builder().getF32Type());
    bias = ds::ConstantOp::create(ctx.builder(), ctx.loc(), type,
                                  DenseFPElementsAttr::get(type, ArrayRef(values)));
  }
  RankedTensorType weight = cast<RankedTensorType>(w->getType());
  size_t spatial = weight.getRank() - 2;
  OpBuilder &b = ctx.builder();
  SmallVector<int64_t> ones(spatial, 1), zeros(2 * spatial, 0);
  if (ctx.attrString("auto_pad", "NOTSET") != "NOTSET")
    return ctx.error("auto_pad on QLinearConv is not supported; use explicit pads");
  FailureOr<ds::ConvOp> conv = ctx.create<ds::ConvOp>(
      *x, *w, bias, Value(),
      b.getDenseI64ArrayAttr(ctx.attrInts("strides").value_or(ones)),
      b.getDenseI64ArrayAttr(ctx.attrInts("pads").value_or(zeros)),
      b.getDenseI64ArrayAttr(ctx.attrInts("dilations").value_or(ones)),
      b.getI64IntegerAttr(ctx.attrInt("group", 1)), ds::ActivationAttr());
  if (failed(conv))
    return failure();
  return quantizeResult(ctx, *conv, 6, 7, 1);
}

LogicalResult convertQLinearMatMul(NodeContext &ctx) {
  FailureOr<Value> a = dequantizeInput(ctx, 0, 1, 2, -1);
  FailureOr<Value> b = dequantizeInput(ctx, 3, 4, 5, -1);
  if (failed(a) || failed(b))
    return failure();
  FailureOr<ds::MatMulOp> product =
      ctx.create<ds::MatMulOp>(*a, *b, Value(), Value(), ds::ActivationAttr());
  if (failed(product))
    return failure();
  return quantizeResult(ctx, *product, 6, 7, 1);
}

/// DynamicQuantizeLinear, as ONNX defines it: uint8 with a scale and zero point
/// computed from the data's range (widened to include 0) at run time. The
/// parameters are values, not types, so the result is plain uint8.
LogicalResult convertDynamicQuantizeLinear(NodeContext &ctx) {
  RankedTensorType type = ctx.inputType(0);
  if (!isa<Float32Type>(type.getElementType()))
    return ctx.error("only f32 data can be quantized");
  OpBuilder &b = ctx.builder();
  Location loc = ctx.loc();
  auto constant = [&](float v) { return ctx.floatConstant(b.getF32Type(), v); };
  Value x = ctx.input(0), zero = constant(0.0f);
  auto all = b.getDenseI64ArrayAttr({});
  auto noKeep = b.getBoolAttr(false);
  Value lo =
      ds::MinOp::create(b, loc, ds::ReduceMinOp::create(b, loc, x, all, noKeep), zero);
  Value hi =
      ds::MaxOp::create(b, loc, ds::ReduceMaxOp::create(b, loc, x, all, noKeep), zero);
  Value scale =
      ds::DivOp::create(b, loc, ds::SubOp::create(b, loc, hi, lo), constant(255.0f));
  auto saturate = [&](Value v) -> Value {
    return ds::ClipOp::create(b, loc, v, b.getF32FloatAttr(0.0f),
                              b.getF32FloatAttr(255.0f));
  };
  // zero_point = round(saturate(0 - min / scale)); y = saturate(round(x / scale) + zp).
  Value zp = ds::RoundOp::create(
      b, loc,
      saturate(ds::SubOp::create(b, loc, zero, ds::DivOp::create(b, loc, lo, scale))));
  Value y = saturate(ds::AddOp::create(
      b, loc, ds::RoundOp::create(b, loc, ds::DivOp::create(b, loc, x, scale)), zp));
  Type u8 = b.getIntegerType(8, /*isSigned=*/false);
  ctx.setOutput(0, ctx.castTo(y, u8));
  ctx.setOutput(1, scale);
  ctx.setOutput(2, ctx.castTo(zp, u8));
  return success();
}

} // namespace

void registerQuantizationConverters(ConverterTable &table) {
  table["QuantizeLinear"] = convertQuantizeLinear;
  table["DequantizeLinear"] = convertDequantizeLinear;
  table["QLinearConv"] = convertQLinearConv;
  table["QLinearMatMul"] = convertQLinearMatMul;
  table["DynamicQuantizeLinear"] = convertDynamicQuantizeLinear;
}

} // namespace deepseek::onnx_import
