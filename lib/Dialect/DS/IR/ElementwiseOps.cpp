//===- ElementwiseOps.cpp - elementwise ds ops: verifiers and folders -----===//
//
// Unary ops infer their type through SameOperandsAndResultType and broadcasting
// ops through `inferBroadcastResult` (DSOps.td); what remains here are the checks
// and folds that are specific to one op.
//
//===----------------------------------------------------------------------===//

#include "OpHelpers.h"

#include "mlir/IR/BuiltinAttributes.h"
#include "llvm/ADT/APSInt.h"

#include "mlir/IR/TypeUtilities.h"
#include <cmath>

using namespace mlir;
using namespace mlir::ds;

LogicalResult ClipOp::verify() {
  std::optional<llvm::APFloat> min = getMin(), max = getMax();
  if (min && max && *max < *min)
    return emitOpError("expected min <= max, got min = ")
           << min->convertToFloat() << ", max = " << max->convertToFloat();
  return success();
}

LogicalResult CastOp::verify() {
  auto in = getInput().getType(), out = getOutput().getType();
  if (failed(verifyCompatibleShape(in, out)))
    return emitOpError("expected input and result of the same shape, got ")
           << in << " and " << out;
  return success();
}

OpFoldResult CastOp::fold(FoldAdaptor adaptor) {
  if (getInput().getType() == getOutput().getType())
    return getInput();
  Type to = getOutput().getType().getElementType();
  return helpers::foldElementwise(
      adaptor.getInput(), getOutput().getType(), [&](ArrayRef<Attribute> v) -> Attribute {
        if (auto i = dyn_cast<IntegerAttr>(v[0])) {
          // i1 and unsigned sources widen with zeros, signed ones with the sign.
          auto from = cast<IntegerType>(i.getType());
          bool isSigned = !from.isUnsigned() && from.getWidth() != 1;
          if (auto intType = dyn_cast<IntegerType>(to)) {
            if (intType.getWidth() == 1)
              return IntegerAttr::get(to, !i.getValue().isZero());
            unsigned width = intType.getWidth();
            return IntegerAttr::get(to, isSigned ? i.getValue().sextOrTrunc(width)
                                                 : i.getValue().zextOrTrunc(width));
          }
          APFloat f(cast<FloatType>(to).getFloatSemantics());
          (void)f.convertFromAPInt(i.getValue(), isSigned, APFloat::rmNearestTiesToEven);
          return FloatAttr::get(to, f);
        }
        APFloat f = cast<FloatAttr>(v[0]).getValue();
        if (auto floatType = dyn_cast<FloatType>(to)) {
          bool lost;
          (void)f.convert(floatType.getFloatSemantics(), APFloat::rmNearestTiesToEven,
                          &lost);
          return FloatAttr::get(to, f);
        }
        unsigned width = to.getIntOrFloatBitWidth();
        if (width == 1)
          return IntegerAttr::get(to, !f.isZero());
        APSInt result(width, /*isUnsigned=*/cast<IntegerType>(to).isUnsigned());
        bool exact;
        if (f.convertToInteger(result, APFloat::rmTowardZero, &exact) != APFloat::opOK &&
            !exact && f.isNaN())
          return {};
        return IntegerAttr::get(to, result);
      });
}

//===----------------------------------------------------------------------===//
// Constant folding of the broadcasting ops
//===----------------------------------------------------------------------===//

namespace {
/// Integer folds receive whether the element type is unsigned.
using IntFn = function_ref<std::optional<APInt>(const APInt &, const APInt &, bool)>;
using FloatFn = function_ref<std::optional<APFloat>(const APFloat &, const APFloat &)>;

/// Folds a binary arithmetic op on constants; |intFn|/|floatFn| return nullopt
/// where the result is not defined (integer division by zero).
Attribute foldArithmetic(ArrayRef<Attribute> operands, RankedTensorType type, IntFn intFn,
                         FloatFn floatFn) {
  Type elementType = type.getElementType();
  return helpers::foldElementwise(
      operands, type, [&](ArrayRef<Attribute> v) -> Attribute {
        if (auto a = dyn_cast<IntegerAttr>(v[0])) {
          std::optional<APInt> r = intFn(a.getValue(), cast<IntegerAttr>(v[1]).getValue(),
                                         elementType.isUnsignedInteger());
          return r ? IntegerAttr::get(elementType, *r) : Attribute();
        }
        std::optional<APFloat> r =
            floatFn(cast<FloatAttr>(v[0]).getValue(), cast<FloatAttr>(v[1]).getValue());
        return r ? FloatAttr::get(elementType, *r) : Attribute();
      });
}

/// Folds a comparison on constants to i1.
Attribute foldComparison(ArrayRef<Attribute> operands, RankedTensorType type,
                         function_ref<bool(const APInt &, const APInt &, bool)> intFn,
                         function_ref<bool(APFloat::cmpResult)> floatFn) {
  Type i1 = type.getElementType();
  return helpers::foldElementwise(
      operands, type, [&](ArrayRef<Attribute> v) -> Attribute {
        if (auto a = dyn_cast<IntegerAttr>(v[0]))
          return IntegerAttr::get(i1,
                                  intFn(a.getValue(), cast<IntegerAttr>(v[1]).getValue(),
                                        a.getType().isUnsignedInteger()));
        return IntegerAttr::get(i1, floatFn(cast<FloatAttr>(v[0]).getValue().compare(
                                        cast<FloatAttr>(v[1]).getValue())));
      });
}
} // namespace

OpFoldResult AddOp::fold(FoldAdaptor adaptor) {
  return foldArithmetic(
      adaptor.getOperands(), getOutput().getType(),
      [](const APInt &a, const APInt &b, bool) -> std::optional<APInt> { return a + b; },
      [](const APFloat &a, const APFloat &b) -> std::optional<APFloat> { return a + b; });
}

OpFoldResult SubOp::fold(FoldAdaptor adaptor) {
  return foldArithmetic(
      adaptor.getOperands(), getOutput().getType(),
      [](const APInt &a, const APInt &b, bool) -> std::optional<APInt> { return a - b; },
      [](const APFloat &a, const APFloat &b) -> std::optional<APFloat> { return a - b; });
}

OpFoldResult MulOp::fold(FoldAdaptor adaptor) {
  return foldArithmetic(
      adaptor.getOperands(), getOutput().getType(),
      [](const APInt &a, const APInt &b, bool) -> std::optional<APInt> { return a * b; },
      [](const APFloat &a, const APFloat &b) -> std::optional<APFloat> { return a * b; });
}

OpFoldResult DivOp::fold(FoldAdaptor adaptor) {
  return foldArithmetic(
      adaptor.getOperands(), getOutput().getType(),
      [](const APInt &a, const APInt &b, bool isUnsigned) -> std::optional<APInt> {
        if (b.isZero())
          return std::nullopt;
        if (isUnsigned)
          return a.udiv(b);
        if (a.isMinSignedValue() && b.isAllOnes())
          return std::nullopt;
        return a.sdiv(b); // ONNX integer Div truncates toward zero.
      },
      [](const APFloat &a, const APFloat &b) -> std::optional<APFloat> { return a / b; });
}

OpFoldResult PowOp::fold(FoldAdaptor adaptor) {
  return foldArithmetic(
      adaptor.getOperands(), getOutput().getType(),
      [](const APInt &, const APInt &, bool) -> std::optional<APInt> {
        return std::nullopt;
      },
      [](const APFloat &a, const APFloat &b) -> std::optional<APFloat> {
        bool lost;
        APFloat r(std::pow(a.convertToDouble(), b.convertToDouble()));
        (void)r.convert(a.getSemantics(), APFloat::rmNearestTiesToEven, &lost);
        return r;
      });
}

OpFoldResult MinOp::fold(FoldAdaptor adaptor) {
  return foldArithmetic(
      adaptor.getOperands(), getOutput().getType(),
      [](const APInt &a, const APInt &b, bool isUnsigned) -> std::optional<APInt> {
        return (isUnsigned ? a.ult(b) : a.slt(b)) ? a : b;
      },
      [](const APFloat &a, const APFloat &b) -> std::optional<APFloat> {
        return llvm::minimum(a, b);
      });
}

OpFoldResult MaxOp::fold(FoldAdaptor adaptor) {
  return foldArithmetic(
      adaptor.getOperands(), getOutput().getType(),
      [](const APInt &a, const APInt &b, bool isUnsigned) -> std::optional<APInt> {
        return (isUnsigned ? a.ugt(b) : a.sgt(b)) ? a : b;
      },
      [](const APFloat &a, const APFloat &b) -> std::optional<APFloat> {
        return llvm::maximum(a, b);
      });
}

OpFoldResult EqualOp::fold(FoldAdaptor adaptor) {
  return foldComparison(
      adaptor.getOperands(), getOutput().getType(),
      [](const APInt &a, const APInt &b, bool) { return a == b; },
      [](APFloat::cmpResult c) { return c == APFloat::cmpEqual; });
}

OpFoldResult LessOp::fold(FoldAdaptor adaptor) {
  return foldComparison(
      adaptor.getOperands(), getOutput().getType(),
      [](const APInt &a, const APInt &b, bool u) { return u ? a.ult(b) : a.slt(b); },
      [](APFloat::cmpResult c) { return c == APFloat::cmpLessThan; });
}

OpFoldResult GreaterOp::fold(FoldAdaptor adaptor) {
  return foldComparison(
      adaptor.getOperands(), getOutput().getType(),
      [](const APInt &a, const APInt &b, bool u) { return u ? a.ugt(b) : a.sgt(b); },
      [](APFloat::cmpResult c) { return c == APFloat::cmpGreaterThan; });
}

OpFoldResult LessOrEqualOp::fold(FoldAdaptor adaptor) {
  return foldComparison(
      adaptor.getOperands(), getOutput().getType(),
      [](const APInt &a, const APInt &b, bool u) { return u ? a.ule(b) : a.sle(b); },
      [](APFloat::cmpResult c) {
        return c == APFloat::cmpLessThan || c == APFloat::cmpEqual;
      });
}

OpFoldResult GreaterOrEqualOp::fold(FoldAdaptor adaptor) {
  return foldComparison(
      adaptor.getOperands(), getOutput().getType(),
      [](const APInt &a, const APInt &b, bool u) { return u ? a.uge(b) : a.sge(b); },
      [](APFloat::cmpResult c) {
        return c == APFloat::cmpGreaterThan || c == APFloat::cmpEqual;
      });
}

OpFoldResult ModOp::fold(FoldAdaptor adaptor) {
  bool fmod = getFmod();
  return foldArithmetic(
      adaptor.getOperands(), getOutput().getType(),
      [fmod](const APInt &a, const APInt &b, bool isUnsigned) -> std::optional<APInt> {
        if (b.isZero())
          return std::nullopt;
        if (isUnsigned)
          return a.urem(b);
        APInt r = a.srem(b); // the dividend's sign
        // ONNX Mod with fmod = 0 takes the divisor's sign, as Python's %.
        if (!fmod && !r.isZero() && (r.isNegative() != b.isNegative()))
          r += b;
        return r;
      },
      [](const APFloat &a, const APFloat &b) -> std::optional<APFloat> {
        APFloat r = a;
        if (r.mod(b) != APFloat::opOK && b.isZero())
          return std::nullopt;
        return r;
      });
}

OpFoldResult ShiftLeftOp::fold(FoldAdaptor adaptor) {
  return foldArithmetic(
      adaptor.getOperands(), getOutput().getType(),
      [](const APInt &a, const APInt &b, bool) -> std::optional<APInt> {
        return b.uge(a.getBitWidth()) ? APInt::getZero(a.getBitWidth()) : a.shl(b);
      },
      [](const APFloat &, const APFloat &) -> std::optional<APFloat> {
        return std::nullopt;
      });
}

OpFoldResult ShiftRightOp::fold(FoldAdaptor adaptor) {
  return foldArithmetic(
      adaptor.getOperands(), getOutput().getType(),
      [](const APInt &a, const APInt &b, bool isUnsigned) -> std::optional<APInt> {
        if (isUnsigned)
          return b.uge(a.getBitWidth()) ? APInt::getZero(a.getBitWidth()) : a.lshr(b);
        return a.ashr(b.getLimitedValue(a.getBitWidth() - 1));
      },
      [](const APFloat &, const APFloat &) -> std::optional<APFloat> {
        return std::nullopt;
      });
}

OpFoldResult PReluOp::fold(FoldAdaptor adaptor) {
  return foldArithmetic(
      adaptor.getOperands(), getOutput().getType(),
      [](const APInt &, const APInt &, bool) -> std::optional<APInt> {
        return std::nullopt;
      },
      [](const APFloat &x, const APFloat &slope) -> std::optional<APFloat> {
        return x.isNegative() ? x * slope : x;
      });
}

namespace {
/// Folds a logical op on boolean constants.
Attribute foldLogical(ArrayRef<Attribute> operands, RankedTensorType type,
                      function_ref<bool(bool, bool)> fn) {
  Type i1 = type.getElementType();
  return helpers::foldElementwise(operands, type, [&](ArrayRef<Attribute> v) {
    return IntegerAttr::get(i1, fn(!cast<IntegerAttr>(v[0]).getValue().isZero(),
                                   !cast<IntegerAttr>(v[1]).getValue().isZero()));
  });
}
} // namespace

OpFoldResult AndOp::fold(FoldAdaptor adaptor) {
  return foldLogical(adaptor.getOperands(), getOutput().getType(),
                     [](bool a, bool b) { return a && b; });
}

OpFoldResult OrOp::fold(FoldAdaptor adaptor) {
  return foldLogical(adaptor.getOperands(), getOutput().getType(),
                     [](bool a, bool b) { return a || b; });
}

OpFoldResult XorOp::fold(FoldAdaptor adaptor) {
  return foldLogical(adaptor.getOperands(), getOutput().getType(),
                     [](bool a, bool b) { return a != b; });
}

OpFoldResult WhereOp::fold(FoldAdaptor adaptor) {
  return helpers::foldElementwise(
      adaptor.getOperands(), getOutput().getType(), [](ArrayRef<Attribute> v) {
        return cast<IntegerAttr>(v[0]).getValue().isZero() ? v[2] : v[1];
      });
}

LogicalResult WhereOp::inferReturnTypes(MLIRContext *, std::optional<Location> loc,
                                        Adaptor adaptor,
                                        SmallVectorImpl<Type> &inferred) {
  Type t = adaptor.getTrueValue().getType(), f = adaptor.getFalseValue().getType();
  if (failed(helpers::checkSameElementType(loc, getOperationName(), {t, f},
                                           {"true_value", "false_value"})))
    return failure();
  auto cond = dyn_cast<RankedTensorType>(adaptor.getCondition().getType());
  auto tt = dyn_cast<RankedTensorType>(t), ft = dyn_cast<RankedTensorType>(f);
  if (!cond || !tt || !ft)
    return failure();
  llvm::Expected<shape::Shape> shape = shape::broadcast(cond.getShape(), tt.getShape());
  if (shape)
    shape = shape::broadcast(*shape, ft.getShape());
  if (!shape)
    return helpers::inferError(loc, getOperationName(), shape.takeError());
  inferred.push_back(RankedTensorType::get(*shape, tt.getElementType()));
  return success();
}

namespace {
/// is_nan / is_inf: an i1 tensor of the input's shape.
LogicalResult verifyPredicateShape(Operation *op, RankedTensorType in,
                                   RankedTensorType out) {
  if (failed(verifyCompatibleShape(in, out)))
    return op->emitOpError("expected input and result of the same shape, got ")
           << in << " and " << out;
  return success();
}
} // namespace

LogicalResult IsNaNOp::verify() {
  return verifyPredicateShape(*this, getInput().getType(), getOutput().getType());
}

LogicalResult IsInfOp::verify() {
  return verifyPredicateShape(*this, getInput().getType(), getOutput().getType());
}
