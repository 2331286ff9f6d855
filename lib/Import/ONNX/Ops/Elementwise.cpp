//===- Elementwise.cpp - ONNX elementwise operators -> ds -----------------===//

#include "../NodeContext.h"
#include "../TensorConversion.h"

#include "deepseek/Dialect/DS/IR/DSOps.h"

using namespace mlir;

namespace deepseek::onnx_import {
namespace {

template <typename OpTy> LogicalResult convertUnary(NodeContext &ctx) {
  ctx.setOutput(0, OpTy::create(ctx.builder(), ctx.loc(), ctx.input(0)));
  return success();
}

/// Binary broadcasting ops; variadic Min/Max/Sum fold left over their inputs.
template <typename OpTy> LogicalResult convertBroadcast(NodeContext &ctx) {
  Value result = ctx.input(0);
  for (int i = 1; i < ctx.node().input_size(); ++i) {
    FailureOr<Value> next = ctx.createAndFold<OpTy>(result, ctx.input(i));
    if (failed(next))
      return failure();
    result = *next;
  }
  ctx.setOutput(0, result);
  return success();
}

LogicalResult convertLeakyRelu(NodeContext &ctx) {
  ctx.setOutput(0, ds::LeakyReluOp::create(
                       ctx.builder(), ctx.loc(), ctx.input(0),
                       ctx.builder().getF32FloatAttr(ctx.attrFloat("alpha", 0.01f))));
  return success();
}

LogicalResult convertHardSigmoid(NodeContext &ctx) {
  OpBuilder &b = ctx.builder();
  ctx.setOutput(
      0, ds::HardSigmoidOp::create(b, ctx.loc(), ctx.input(0),
                                   b.getF32FloatAttr(ctx.attrFloat("alpha", 0.2f)),
                                   b.getF32FloatAttr(ctx.attrFloat("beta", 0.5f))));
  return success();
}

/// Clip (opset 11+). Constant float bounds become ds.clip's attributes; bounds
/// computed at run time, or integer data, become max(x, min) and min(_, max),
/// which is the same definition.
LogicalResult convertClip(NodeContext &ctx) {
  bool isFloat = isa<FloatType>(ctx.inputType(0).getElementType());
  bool constantBounds = true;
  for (unsigned i : {1u, 2u})
    constantBounds &=
        !ctx.hasInput(i) || isa_and_present<DenseFPElementsAttr>(ctx.constantInput(i));
  if (!isFloat || !constantBounds) {
    Value result = ctx.input(0);
    if (ctx.hasInput(1)) {
      FailureOr<Value> lower = ctx.createAndFold<ds::MaxOp>(result, ctx.input(1));
      if (failed(lower))
        return failure();
      result = *lower;
    }
    if (ctx.hasInput(2)) {
      FailureOr<Value> upper = ctx.createAndFold<ds::MinOp>(result, ctx.input(2));
      if (failed(upper))
        return failure();
      result = *upper;
    }
    ctx.setOutput(0, result);
    return success();
  }
  FloatAttr bounds[2];
  for (unsigned i : {1u, 2u}) {
    if (!ctx.hasInput(i))
      continue;
    FailureOr<float> value = ctx.constantFloatScalar(i);
    if (failed(value))
      return failure();
    bounds[i - 1] = ctx.builder().getF32FloatAttr(*value);
  }
  if (bounds[0] && bounds[1] &&
      bounds[1].getValueAsDouble() < bounds[0].getValueAsDouble())
    return ctx.error("min " + std::to_string(bounds[0].getValueAsDouble()) +
                     " is greater than max " +
                     std::to_string(bounds[1].getValueAsDouble()));
  ctx.setOutput(0, ds::ClipOp::create(ctx.builder(), ctx.loc(), ctx.input(0), bounds[0],
                                      bounds[1]));
  return success();
}

/// Unary ops whose only attribute is a float `alpha` (Elu, Celu, ThresholdedRelu).
template <typename OpTy>
LogicalResult convertUnaryAlpha(NodeContext &ctx, float defaultAlpha) {
  ctx.setOutput(0, OpTy::create(ctx.builder(), ctx.loc(), ctx.input(0),
                                ctx.builder().getF32FloatAttr(
                                    ctx.attrFloat("alpha", defaultAlpha))));
  return success();
}

LogicalResult convertSelu(NodeContext &ctx) {
  OpBuilder &b = ctx.builder();
  ctx.setOutput(
      0, ds::SeluOp::create(
             b, ctx.loc(), ctx.input(0),
             b.getF32FloatAttr(ctx.attrFloat("alpha", 1.67326319217681884765625f)),
             b.getF32FloatAttr(ctx.attrFloat("gamma", 1.05070102214813232421875f))));
  return success();
}

/// Pow: the exponent may have another element type than the base, and the base
/// may be an integer; the result has the base's type (numpy's power, cast back).
LogicalResult convertPow(NodeContext &ctx) {
  Type base = ctx.inputType(0).getElementType();
  Type compute = isa<FloatType>(base) ? base : Type(ctx.builder().getF64Type());
  FailureOr<Value> power = ctx.createAndFold<ds::PowOp>(
      ctx.castTo(ctx.input(0), compute), ctx.castTo(ctx.input(1), compute));
  if (failed(power))
    return failure();
  ctx.setOutput(0, ctx.castTo(*power, base));
  return success();
}

LogicalResult convertBitShift(NodeContext &ctx) {
  std::string direction = ctx.attrString("direction", "");
  if (direction == "LEFT")
    return ctx.createOutput<ds::ShiftLeftOp>(ctx.input(0), ctx.input(1));
  if (direction == "RIGHT")
    return ctx.createOutput<ds::ShiftRightOp>(ctx.input(0), ctx.input(1));
  return ctx.error("direction must be LEFT or RIGHT, got '" + direction + "'");
}

LogicalResult convertMod(NodeContext &ctx) {
  return ctx.createOutput<ds::ModOp>(
      ctx.input(0), ctx.input(1), ctx.builder().getBoolAttr(ctx.attrInt("fmod", 0) != 0));
}

LogicalResult convertCast(NodeContext &ctx) {
  llvm::Expected<Type> elementType =
      convertElementType(ctx.context(), static_cast<int32_t>(ctx.attrInt("to", 0)));
  if (!elementType)
    return ctx.error("'to': " + llvm::toString(elementType.takeError()));
  RankedTensorType inputType = ctx.inputType(0);
  auto resultType = RankedTensorType::get(inputType.getShape(), *elementType);
  ctx.setOutput(0,
                ds::CastOp::create(ctx.builder(), ctx.loc(), resultType, ctx.input(0)));
  return success();
}

/// PRelu. Models from before opset 7 give one slope per channel as a vector of
/// size C; numpy broadcasting would align it with the last dimension, so such
/// a slope is viewed as C x 1 x ... x 1.
LogicalResult convertPRelu(NodeContext &ctx) {
  RankedTensorType x = ctx.inputType(0), slope = ctx.inputType(1);
  Value slopeValue = ctx.input(1);
  if (slope.getRank() == 1 && x.getRank() > 2 && slope.getDimSize(0) == x.getDimSize(1) &&
      slope.getDimSize(0) != x.getShape().back() && slope.getDimSize(0) != 1) {
    SmallVector<int64_t> perChannel(x.getRank() - 1, 1);
    perChannel[0] = slope.getDimSize(0);
    slopeValue = ctx.fold(ds::ReshapeOp::create(
        ctx.builder(), ctx.loc(),
        RankedTensorType::get(perChannel, slope.getElementType()), slopeValue));
  }
  return ctx.createOutput<ds::PReluOp>(ctx.input(0), slopeValue);
}

/// Shrink: x + bias below -lambd, x - bias above lambd, 0 between.
LogicalResult convertShrink(NodeContext &ctx) {
  RankedTensorType type = ctx.inputType(0);
  if (!isa<FloatType>(type.getElementType()))
    return ctx.error("only floating-point Shrink is supported");
  OpBuilder &b = ctx.builder();
  Location loc = ctx.loc();
  auto scalar = [&](double v) { return ctx.floatConstant(type.getElementType(), v); };
  float lambd = ctx.attrFloat("lambd", 0.5f), bias = ctx.attrFloat("bias", 0.0f);
  Value x = ctx.input(0);
  Value low = ds::LessOp::create(b, loc, x, scalar(-lambd));
  Value high = ds::GreaterOp::create(b, loc, x, scalar(lambd));
  Value upper = ds::WhereOp::create(
      b, loc, high, ds::SubOp::create(b, loc, x, scalar(bias)), scalar(0.0));
  return ctx.createOutput<ds::WhereOp>(
      low, ds::AddOp::create(b, loc, x, scalar(bias)).getResult(), upper);
}

/// IsNaN / IsInf: an i1 tensor of the input's shape.
LogicalResult convertIsNaN(NodeContext &ctx) {
  auto type =
      RankedTensorType::get(ctx.inputType(0).getShape(), ctx.builder().getI1Type());
  ctx.setOutput(0, ds::IsNaNOp::create(ctx.builder(), ctx.loc(), type, ctx.input(0)));
  return success();
}

LogicalResult convertIsInf(NodeContext &ctx) {
  OpBuilder &b = ctx.builder();
  auto type = RankedTensorType::get(ctx.inputType(0).getShape(), b.getI1Type());
  ctx.setOutput(
      0, ds::IsInfOp::create(b, ctx.loc(), type, ctx.input(0),
                             b.getBoolAttr(ctx.attrInt("detect_positive", 1) != 0),
                             b.getBoolAttr(ctx.attrInt("detect_negative", 1) != 0)));
  return success();
}

/// CastLike: Cast to the element type of the second input.
LogicalResult convertCastLike(NodeContext &ctx) {
  RankedTensorType inputType = ctx.inputType(0);
  auto resultType =
      RankedTensorType::get(inputType.getShape(), ctx.inputType(1).getElementType());
  ctx.setOutput(0,
                ds::CastOp::create(ctx.builder(), ctx.loc(), resultType, ctx.input(0)));
  return success();
}

/// Mean of N inputs: their broadcast sum divided by N.
LogicalResult convertMean(NodeContext &ctx) {
  if (failed(convertBroadcast<ds::AddOp>(ctx)))
    return failure();
  int count = ctx.node().input_size();
  if (count == 1)
    return success();
  Value sum = ctx.output(0);
  Value n =
      ctx.floatConstant(cast<RankedTensorType>(sum.getType()).getElementType(), count);
  return ctx.createOutput<ds::DivOp>(sum, n);
}

LogicalResult convertWhere(NodeContext &ctx) {
  return ctx.createOutput<ds::WhereOp>(ctx.input(0), ctx.input(1), ctx.input(2));
}

} // namespace

void registerElementwiseConverters(ConverterTable &table) {
  table["Relu"] = convertUnary<ds::ReluOp>;
  table["Sigmoid"] = convertUnary<ds::SigmoidOp>;
  table["Tanh"] = convertUnary<ds::TanhOp>;
  table["Sqrt"] = convertUnary<ds::SqrtOp>;
  table["Exp"] = convertUnary<ds::ExpOp>;
  table["Log"] = convertUnary<ds::LogOp>;
  table["Erf"] = convertUnary<ds::ErfOp>;
  table["Neg"] = convertUnary<ds::NegOp>;
  table["Abs"] = convertUnary<ds::AbsOp>;
  table["HardSwish"] = convertUnary<ds::HardSwishOp>;
  table["Cos"] = convertUnary<ds::CosOp>;
  table["Sin"] = convertUnary<ds::SinOp>;
  table["Tan"] = convertUnary<ds::TanOp>;
  table["Acos"] = convertUnary<ds::AcosOp>;
  table["Asin"] = convertUnary<ds::AsinOp>;
  table["Atan"] = convertUnary<ds::AtanOp>;
  table["Cosh"] = convertUnary<ds::CoshOp>;
  table["Sinh"] = convertUnary<ds::SinhOp>;
  table["Acosh"] = convertUnary<ds::AcoshOp>;
  table["Asinh"] = convertUnary<ds::AsinhOp>;
  table["Atanh"] = convertUnary<ds::AtanhOp>;
  table["Ceil"] = convertUnary<ds::CeilOp>;
  table["Floor"] = convertUnary<ds::FloorOp>;
  table["Round"] = convertUnary<ds::RoundOp>;
  table["Reciprocal"] = convertUnary<ds::ReciprocalOp>;
  table["Sign"] = convertUnary<ds::SignOp>;
  table["Softplus"] = convertUnary<ds::SoftplusOp>;
  table["Softsign"] = convertUnary<ds::SoftsignOp>;
  table["Mish"] = convertUnary<ds::MishOp>;
  table["Not"] = convertUnary<ds::NotOp>;
  table["Elu"] = [](NodeContext &ctx) { return convertUnaryAlpha<ds::EluOp>(ctx, 1.0f); };
  table["Celu"] = [](NodeContext &ctx) {
    return convertUnaryAlpha<ds::CeluOp>(ctx, 1.0f);
  };
  table["ThresholdedRelu"] = [](NodeContext &ctx) {
    return convertUnaryAlpha<ds::ThresholdedReluOp>(ctx, 1.0f);
  };
  table["Selu"] = convertSelu;
  table["PRelu"] = convertPRelu;
  table["Mod"] = convertMod;
  table["BitShift"] = convertBitShift;
  table["LessOrEqual"] = convertBroadcast<ds::LessOrEqualOp>;
  table["GreaterOrEqual"] = convertBroadcast<ds::GreaterOrEqualOp>;
  table["And"] = convertBroadcast<ds::AndOp>;
  table["Or"] = convertBroadcast<ds::OrOp>;
  table["Xor"] = convertBroadcast<ds::XorOp>;
  table["LeakyRelu"] = convertLeakyRelu;
  table["HardSigmoid"] = convertHardSigmoid;
  table["Clip"] = convertClip;
  table["Cast"] = convertCast;
  table["Add"] = convertBroadcast<ds::AddOp>;
  table["Sum"] = convertBroadcast<ds::AddOp>;
  table["Sub"] = convertBroadcast<ds::SubOp>;
  table["Mul"] = convertBroadcast<ds::MulOp>;
  table["Div"] = convertBroadcast<ds::DivOp>;
  table["Pow"] = convertPow;
  table["Min"] = convertBroadcast<ds::MinOp>;
  table["Max"] = convertBroadcast<ds::MaxOp>;
  table["Equal"] = convertBroadcast<ds::EqualOp>;
  table["Less"] = convertBroadcast<ds::LessOp>;
  table["Greater"] = convertBroadcast<ds::GreaterOp>;
  table["Where"] = convertWhere;
  table["CastLike"] = convertCastLike;
  table["IsNaN"] = convertIsNaN;
  table["Shrink"] = convertShrink;
  table["IsInf"] = convertIsInf;
  table["Mean"] = convertMean;
}

} // namespace deepseek::onnx_import
