//===- LoweringUtils.cpp - shared builders for the ds -> linalg lowering --===//

#include "LoweringUtils.h"

#include "mlir/Dialect/Utils/ReshapeOpsUtils.h"
#include "mlir/IR/AffineExpr.h"

#include <cmath>
#include <limits>

namespace mlir::ds::lowering {

Value emptyTensor(OpBuilder &b, Location loc, RankedTensorType type) {
  return tensor::EmptyOp::create(b, loc, type.getShape(), type.getElementType());
}

Value filledTensor(OpBuilder &b, Location loc, RankedTensorType type, Value value) {
  Value init = emptyTensor(b, loc, type);
  return linalg::FillOp::create(b, loc, ValueRange{value}, ValueRange{init}).getResult(0);
}

Value scalarConstant(OpBuilder &b, Location loc, Type type, double value) {
  if (auto floatType = dyn_cast<FloatType>(type))
    return arith::ConstantOp::create(b, loc, b.getFloatAttr(floatType, value));
  if (type.isIndex())
    return arith::ConstantIndexOp::create(b, loc, static_cast<int64_t>(value));
  return arith::ConstantOp::create(b, loc,
                                   b.getIntegerAttr(type, static_cast<int64_t>(value)));
}

Value lowestValue(OpBuilder &b, Location loc, Type type, bool isUnsigned) {
  if (auto floatType = dyn_cast<FloatType>(type))
    return arith::ConstantOp::create(
        b, loc, b.getFloatAttr(floatType, -std::numeric_limits<double>::infinity()));
  unsigned width = type.getIntOrFloatBitWidth();
  APInt low = width == 1 || isUnsigned ? APInt(width, 0) : APInt::getSignedMinValue(width);
  return arith::ConstantOp::create(b, loc, b.getIntegerAttr(type, low));
}

Value highestValue(OpBuilder &b, Location loc, Type type, bool isUnsigned) {
  if (auto floatType = dyn_cast<FloatType>(type))
    return arith::ConstantOp::create(
        b, loc, b.getFloatAttr(floatType, std::numeric_limits<double>::infinity()));
  unsigned width = type.getIntOrFloatBitWidth();
  APInt high = width == 1 || isUnsigned ? APInt::getMaxValue(width)
                                        : APInt::getSignedMaxValue(width);
  return arith::ConstantOp::create(b, loc, b.getIntegerAttr(type, high));
}

Value padTensor(OpBuilder &b, Location loc, RankedTensorType type, Value source,
                ArrayRef<int64_t> low, ArrayRef<int64_t> high, Value value) {
  SmallVector<OpFoldResult> lowAttrs, highAttrs;
  for (int64_t v : low)
    lowAttrs.push_back(b.getIndexAttr(v));
  for (int64_t v : high)
    highAttrs.push_back(b.getIndexAttr(v));
  return tensor::PadOp::create(b, loc, type, source, lowAttrs, highAttrs, value);
}

AffineMap broadcastMap(MLIRContext *ctx, ArrayRef<int64_t> inputShape,
                       ArrayRef<int64_t> resultShape) {
  SmallVector<AffineExpr> exprs;
  size_t offset = resultShape.size() - inputShape.size();
  for (auto [i, size] : llvm::enumerate(inputShape)) {
    if (size == 1 && resultShape[offset + i] != 1)
      exprs.push_back(getAffineConstantExpr(0, ctx));
    else
      exprs.push_back(getAffineDimExpr(offset + i, ctx));
  }
  return AffineMap::get(resultShape.size(), 0, exprs, ctx);
}

Value buildElementwise(OpBuilder &b, Location loc, RankedTensorType resultType,
                       ValueRange inputs, BodyFn body) {
  MLIRContext *ctx = b.getContext();
  SmallVector<AffineMap> maps;
  for (Value input : inputs)
    maps.push_back(broadcastMap(ctx, cast<RankedTensorType>(input.getType()).getShape(),
                                resultType.getShape()));
  maps.push_back(b.getMultiDimIdentityMap(resultType.getRank()));
  SmallVector<utils::IteratorType> iterators(resultType.getRank(),
                                             utils::IteratorType::parallel);
  auto generic = linalg::GenericOp::create(
      b, loc, TypeRange{resultType}, inputs, ValueRange{emptyTensor(b, loc, resultType)},
      maps, iterators, [&](OpBuilder &nb, Location nloc, ValueRange args) {
        Value result = body(nb, nloc, args.drop_back());
        linalg::YieldOp::create(nb, nloc, result);
      });
  return generic.getResult(0);
}

Value buildIndexed(OpBuilder &b, Location loc, RankedTensorType resultType,
                   function_ref<Value(OpBuilder &, Location, ValueRange)> body) {
  int64_t rank = resultType.getRank();
  SmallVector<utils::IteratorType> iterators(rank, utils::IteratorType::parallel);
  auto generic = linalg::GenericOp::create(
      b, loc, TypeRange{resultType}, ValueRange{}, ValueRange{emptyTensor(b, loc, resultType)},
      SmallVector<AffineMap>{b.getMultiDimIdentityMap(rank)}, iterators,
      [&](OpBuilder &nb, Location nloc, ValueRange) {
        SmallVector<Value> indices;
        for (int64_t d = 0; d < rank; ++d)
          indices.push_back(linalg::IndexOp::create(nb, nloc, d));
        linalg::YieldOp::create(nb, nloc, body(nb, nloc, indices));
      });
  return generic.getResult(0);
}

Value buildReduction(OpBuilder &b, Location loc, Value input, ArrayRef<int64_t> axes,
                     Value init,
                     function_ref<Value(OpBuilder &, Location, Value, Value)> combine) {
  auto type = cast<RankedTensorType>(input.getType());
  MLIRContext *ctx = b.getContext();
  // A large tensor reduced to one value (DynamicQuantizeLinear's range, a
  // global norm): one accumulator would make a serial scalar loop that
  // stores it every step. Reduce 16 lanes side by side first (a loop that
  // vectorizes), then the 16.
  if (type.hasStaticShape() && static_cast<int64_t>(axes.size()) == type.getRank() &&
      type.getRank() > 0 && type.getNumElements() >= 1024 && type.getNumElements() % 16 == 0) {
    Value lanes = reshapeTo(
        b, loc, input,
        RankedTensorType::get({type.getNumElements() / 16, 16}, type.getElementType()));
    Value partial = buildReduction(b, loc, lanes, {0}, init, combine);
    return buildReduction(b, loc, partial, {0}, init, combine);
  }
  SmallVector<int64_t> outShape;
  SmallVector<AffineExpr> outExprs;
  SmallVector<utils::IteratorType> iterators;
  for (int64_t d = 0; d < type.getRank(); ++d) {
    if (llvm::is_contained(axes, d)) {
      iterators.push_back(utils::IteratorType::reduction);
      continue;
    }
    iterators.push_back(utils::IteratorType::parallel);
    outShape.push_back(type.getDimSize(d));
    outExprs.push_back(getAffineDimExpr(d, ctx));
  }
  auto outType = RankedTensorType::get(outShape, init.getType());
  Value acc = filledTensor(b, loc, outType, init);
  SmallVector<AffineMap> maps{b.getMultiDimIdentityMap(type.getRank()),
                              AffineMap::get(type.getRank(), 0, outExprs, ctx)};
  return linalg::GenericOp::create(b, loc, TypeRange{outType}, ValueRange{input},
                                   ValueRange{acc}, maps, iterators,
                                   [&](OpBuilder &nb, Location nloc, ValueRange args) {
                                     linalg::YieldOp::create(
                                         nb, nloc, combine(nb, nloc, args[0], args[1]));
                                   })
      .getResult(0);
}

RankedTensorType keepDimsType(RankedTensorType type, ArrayRef<int64_t> axes) {
  SmallVector<int64_t> shape(type.getShape());
  for (int64_t a : axes)
    shape[a] = 1;
  return RankedTensorType::get(shape, type.getElementType());
}

static bool isFloat(Value v) { return isFloatScalar(v); }

Value floatToIndex(OpBuilder &b, Location loc, Value x) {
  Value i = arith::FPToSIOp::create(b, loc, b.getI64Type(), x);
  return arith::IndexCastOp::create(b, loc, b.getIndexType(), i);
}

Value clampedIndex(OpBuilder &b, Location loc, Value raw, int64_t size) {
  Value i = arith::IndexCastOp::create(b, loc, b.getIndexType(), raw);
  Value zero = arith::ConstantIndexOp::create(b, loc, 0);
  Value n = arith::ConstantIndexOp::create(b, loc, size);
  Value negative = arith::CmpIOp::create(b, loc, arith::CmpIPredicate::slt, i, zero);
  i = arith::SelectOp::create(b, loc, negative, arith::AddIOp::create(b, loc, i, n), i);
  i = arith::MaxSIOp::create(b, loc, i, zero);
  return arith::MinSIOp::create(b, loc, i, arith::ConstantIndexOp::create(b, loc, size - 1));
}

Value divideByConstant(OpBuilder &b, Location loc, Value value, double divisor) {
  auto type = cast<RankedTensorType>(value.getType());
  return buildElementwise(b, loc, type, value,
                          [&](OpBuilder &nb, Location nloc, ValueRange a) -> Value {
                            return arith::DivFOp::create(
                                nb, nloc, a[0],
                                scalarConstant(nb, nloc, type.getElementType(), divisor));
                          });
}

Value add(OpBuilder &b, Location loc, Value x, Value y) {
  if (isFloat(x))
    return arith::AddFOp::create(b, loc, x, y);
  return arith::AddIOp::create(b, loc, x, y);
}
Value sub(OpBuilder &b, Location loc, Value x, Value y) {
  if (isFloat(x))
    return arith::SubFOp::create(b, loc, x, y);
  return arith::SubIOp::create(b, loc, x, y);
}
Value mul(OpBuilder &b, Location loc, Value x, Value y) {
  if (isFloat(x))
    return arith::MulFOp::create(b, loc, x, y);
  return arith::MulIOp::create(b, loc, x, y);
}
Value div(OpBuilder &b, Location loc, Value x, Value y, bool isUnsigned) {
  if (isFloat(x))
    return arith::DivFOp::create(b, loc, x, y);
  if (isUnsigned)
    return arith::DivUIOp::create(b, loc, x, y);
  return arith::DivSIOp::create(b, loc, x, y);
}
// ONNX Min/Max propagate NaN, as arith.minimumf/maximumf do.
Value minimum(OpBuilder &b, Location loc, Value x, Value y, bool isUnsigned) {
  if (isFloat(x))
    return arith::MinimumFOp::create(b, loc, x, y);
  if (x.getType().isInteger(1))
    return arith::AndIOp::create(b, loc, x, y);
  if (isUnsigned)
    return arith::MinUIOp::create(b, loc, x, y);
  return arith::MinSIOp::create(b, loc, x, y);
}
Value maximum(OpBuilder &b, Location loc, Value x, Value y, bool isUnsigned) {
  if (isFloat(x))
    return arith::MaximumFOp::create(b, loc, x, y);
  if (x.getType().isInteger(1))
    return arith::OrIOp::create(b, loc, x, y);
  if (isUnsigned)
    return arith::MaxUIOp::create(b, loc, x, y);
  return arith::MaxSIOp::create(b, loc, x, y);
}

Value strictlyBefore(OpBuilder &b, Location loc, Value x, Value y, bool greater,
                     bool isUnsigned) {
  if (isFloat(x))
    return arith::CmpFOp::create(
        b, loc, greater ? arith::CmpFPredicate::OGT : arith::CmpFPredicate::OLT, x, y);
  arith::CmpIPredicate pred =
      isUnsigned ? (greater ? arith::CmpIPredicate::ugt : arith::CmpIPredicate::ult)
                 : (greater ? arith::CmpIPredicate::sgt : arith::CmpIPredicate::slt);
  return arith::CmpIOp::create(b, loc, pred, x, y);
}

Value equalTo(OpBuilder &b, Location loc, Value x, Value y) {
  if (isFloat(x))
    return arith::CmpFOp::create(b, loc, arith::CmpFPredicate::OEQ, x, y);
  return arith::CmpIOp::create(b, loc, arith::CmpIPredicate::eq, x, y);
}

Value convertScalar(OpBuilder &b, Location loc, Value x, Type to, bool sourceUnsigned,
                    bool targetUnsigned) {
  Type from = x.getType();
  if (from == to)
    return x;
  auto fromFloat = dyn_cast<FloatType>(from);
  auto toFloat = dyn_cast<FloatType>(to);
  if (to.isInteger(1)) {
    Value zero = scalarConstant(b, loc, from, 0);
    if (fromFloat)
      return arith::CmpFOp::create(b, loc, arith::CmpFPredicate::UNE, x, zero);
    return arith::CmpIOp::create(b, loc, arith::CmpIPredicate::ne, x, zero);
  }
  if (fromFloat && toFloat) {
    if (fromFloat.getWidth() < toFloat.getWidth())
      return arith::ExtFOp::create(b, loc, to, x);
    return arith::TruncFOp::create(b, loc, to, x);
  }
  if (fromFloat) {
    if (targetUnsigned)
      return arith::FPToUIOp::create(b, loc, to, x);
    return arith::FPToSIOp::create(b, loc, to, x);
  }
  // Booleans are 0/1: extend them without their sign.
  bool unsignedSource = sourceUnsigned || from.isInteger(1);
  if (toFloat) {
    if (unsignedSource)
      return arith::UIToFPOp::create(b, loc, to, x);
    return arith::SIToFPOp::create(b, loc, to, x);
  }
  unsigned fromWidth = from.getIntOrFloatBitWidth(), toWidth = to.getIntOrFloatBitWidth();
  if (fromWidth == toWidth)
    return x;
  if (fromWidth > toWidth)
    return arith::TruncIOp::create(b, loc, to, x);
  if (unsignedSource)
    return arith::ExtUIOp::create(b, loc, to, x);
  return arith::ExtSIOp::create(b, loc, to, x);
}

Value applyActivation(OpBuilder &b, Location loc, Value x, ActivationAttr act) {
  if (!act)
    return x;
  Type type = x.getType();
  auto c = [&](double v) { return scalarConstant(b, loc, type, v); };
  auto hardSigmoid = [&](double alpha, double beta) {
    Value y = arith::AddFOp::create(b, loc, arith::MulFOp::create(b, loc, x, c(alpha)), c(beta));
    return arith::MinimumFOp::create(b, loc, arith::MaximumFOp::create(b, loc, y, c(0)), c(1));
  };
  auto sigmoid = [&](Value v) {
    Value e = math::ExpOp::create(b, loc, arith::NegFOp::create(b, loc, v));
    return arith::DivFOp::create(b, loc, c(1), arith::AddFOp::create(b, loc, c(1), e));
  };
  switch (act.getKind()) {
  case ActivationKind::Relu:
    return arith::MaximumFOp::create(b, loc, x, c(0));
  case ActivationKind::Clip:
    return arith::MinimumFOp::create(
        b, loc, arith::MaximumFOp::create(b, loc, x, c(act.getAlphaF32())), c(act.getBetaF32()));
  case ActivationKind::LeakyRelu: {
    Value neg = arith::CmpFOp::create(b, loc, arith::CmpFPredicate::OLT, x, c(0));
    return arith::SelectOp::create(b, loc, neg, arith::MulFOp::create(b, loc, x, c(act.getAlphaF32())), x);
  }
  case ActivationKind::Sigmoid:
    return sigmoid(x);
  case ActivationKind::HardSigmoid:
    return hardSigmoid(act.getAlphaF32(), act.getBetaF32());
  case ActivationKind::HardSwish:
    return arith::MulFOp::create(b, loc, x, hardSigmoid(1.0 / 6.0, 0.5));
  case ActivationKind::Silu:
    return arith::MulFOp::create(b, loc, x, sigmoid(x));
  case ActivationKind::Gelu: {
    Value e = math::ErfOp::create(b, loc, arith::MulFOp::create(b, loc, x, c(M_SQRT1_2)));
    return arith::MulFOp::create(b, loc, arith::MulFOp::create(b, loc, x, c(0.5)),
                                 arith::AddFOp::create(b, loc, e, c(1)));
  }
  case ActivationKind::GeluTanh: {
    Value x3 = arith::MulFOp::create(b, loc, x, arith::MulFOp::create(b, loc, x, x));
    Value inner = arith::AddFOp::create(b, loc, x, arith::MulFOp::create(b, loc, x3, c(0.044715)));
    Value t = math::TanhOp::create(
        b, loc, arith::MulFOp::create(b, loc, inner, c(std::sqrt(2.0 / M_PI))));
    return arith::MulFOp::create(b, loc, arith::MulFOp::create(b, loc, x, c(0.5)),
                                 arith::AddFOp::create(b, loc, t, c(1)));
  }
  case ActivationKind::Tanh:
    return math::TanhOp::create(b, loc, x);
  }
  return x;
}

LogicalResult requireStaticShapes(Operation *op, PatternRewriter &rewriter) {
  auto isStatic = [](Type t) {
    auto ranked = dyn_cast<RankedTensorType>(t);
    return ranked && ranked.hasStaticShape();
  };
  if (llvm::all_of(op->getOperandTypes(), isStatic) &&
      llvm::all_of(op->getResultTypes(), isStatic))
    return success();
  return rewriter.notifyMatchFailure(op, "needs static shapes");
}

Value gatherCopy(OpBuilder &b, Location loc, Value source, RankedTensorType resultType,
                 AffineMap read) {
  int64_t rank = resultType.getRank();
  SmallVector<utils::IteratorType> iterators(rank, utils::IteratorType::parallel);
  return linalg::GenericOp::create(b, loc, TypeRange{resultType}, ValueRange{source},
                                   ValueRange{emptyTensor(b, loc, resultType)},
                                   SmallVector<AffineMap>{read, b.getMultiDimIdentityMap(rank)},
                                   iterators,
                                   [](OpBuilder &nb, Location nloc, ValueRange args) {
                                     linalg::YieldOp::create(nb, nloc, args[0]);
                                   })
      .getResult(0);
}


Value insertAt(OpBuilder &b, Location loc, Value source, Value dest, ArrayRef<int64_t> offsets) {
  auto type = cast<RankedTensorType>(source.getType());
  SmallVector<OpFoldResult> offsetAttrs, sizes, strides(type.getRank(), b.getIndexAttr(1));
  for (int64_t o : offsets)
    offsetAttrs.push_back(b.getIndexAttr(o));
  for (int64_t s : type.getShape())
    sizes.push_back(b.getIndexAttr(s));
  return tensor::InsertSliceOp::create(b, loc, source, dest, offsetAttrs, sizes, strides);
}

Value concatenate(OpBuilder &b, Location loc, ValueRange inputs, RankedTensorType outType,
                  int64_t axis) {
  Value result = emptyTensor(b, loc, outType);
  SmallVector<int64_t> offsets(outType.getRank(), 0);
  for (Value input : inputs) {
    auto type = cast<RankedTensorType>(input.getType());
    if (type.getNumElements() == 0)
      continue;
    result = insertAt(b, loc, input, result, offsets);
    offsets[axis] += type.getDimSize(axis);
  }
  return result;
}

Value sumOfProducts(OpBuilder &b, Location loc, ValueRange args) {
  auto contract = arith::FastMathFlags::contract;
  Value sum;
  for (size_t t = 0; t + 1 < args.size(); t += 2) {
    Value product = arith::MulFOp::create(b, loc, args[t], args[t + 1], contract);
    sum = sum ? arith::AddFOp::create(b, loc, sum, product, contract).getResult() : product;
  }
  return sum;
}
} // namespace mlir::ds::lowering
