//===- DSOps.cpp - ds op definitions and the helpers every family uses ----===//
//
// The generated op classes are compiled here; each op family's inference,
// verifiers and folders live in its own file (ElementwiseOps.cpp, LinearOps.cpp,
// PoolingOps.cpp, NormalizationOps.cpp, ReductionOps.cpp, DataMovementOps.cpp,
// QuantOps.cpp).
//
//===----------------------------------------------------------------------===//

#include "OpHelpers.h"

#include "mlir/IR/Builders.h"
#include "mlir/IR/BuiltinAttributes.h"
#include "mlir/IR/TypeUtilities.h"

using namespace mlir;
using namespace mlir::ds;

#define GET_OP_CLASSES
#include "ds/DSOps.cpp.inc"

//===----------------------------------------------------------------------===//
// Shared helpers
//===----------------------------------------------------------------------===//

bool mlir::ds::areCompatibleResultTypes(TypeRange inferred, TypeRange actual) {
  if (inferred.size() != actual.size())
    return false;
  for (auto [lhs, rhs] : llvm::zip_equal(inferred, actual)) {
    auto l = dyn_cast<RankedTensorType>(lhs);
    auto r = dyn_cast<RankedTensorType>(rhs);
    if (!l || !r || l.getElementType() != r.getElementType() ||
        l.getEncoding() != r.getEncoding() || failed(verifyCompatibleShape(l, r)))
      return false;
  }
  return true;
}

LogicalResult mlir::ds::helpers::inferError(std::optional<Location> loc, StringRef opName,
                                            const Twine &message) {
  return emitOptionalError(loc, "'", opName, "' op ", message.str());
}

LogicalResult mlir::ds::helpers::inferError(std::optional<Location> loc, StringRef opName,
                                            llvm::Error error) {
  return inferError(loc, opName, llvm::toString(std::move(error)));
}

LogicalResult mlir::ds::helpers::checkSameElementType(std::optional<Location> loc,
                                                      StringRef opName,
                                                      ArrayRef<Type> types,
                                                      ArrayRef<StringRef> names) {
  Type first = getElementTypeOrSelf(types.front());
  for (size_t i = 1; i < types.size(); ++i) {
    Type other = getElementTypeOrSelf(types[i]);
    if (other != first) {
      std::string message;
      llvm::raw_string_ostream os(message);
      os << "expected " << names.front() << " and " << names[i]
         << " to have the same element type, got " << first << " and " << other;
      return inferError(loc, opName, message);
    }
  }
  return success();
}

LogicalResult mlir::ds::helpers::checkAxis(std::optional<Location> loc, StringRef opName,
                                           int64_t axis, int64_t rank,
                                           bool inclusiveEnd) {
  int64_t end = inclusiveEnd ? rank + 1 : rank;
  if (axis >= 0 && axis < end)
    return success();
  return inferError(loc, opName,
                    "expected axis in [0, " + Twine(rank) + (inclusiveEnd ? "]" : ")") +
                        " for an input of rank " + Twine(rank) + ", got " + Twine(axis));
}

LogicalResult mlir::ds::helpers::verifySameElementType(Operation *op,
                                                       RankedTensorType input,
                                                       RankedTensorType result) {
  if (input.getElementType() == result.getElementType())
    return success();
  return op->emitOpError("expected the same element type, got ")
         << input.getElementType() << " and " << result.getElementType();
}

mlir::ds::helpers::NamedOperandTypes::NamedOperandTypes(ArrayRef<Value> values,
                                                        ArrayRef<StringRef> valueNames) {
  for (auto [value, name] : llvm::zip_equal(values, valueNames)) {
    if (!value)
      continue;
    types.push_back(value.getType());
    names.push_back(name);
  }
}

OpFoldResult mlir::ds::helpers::foldShapeChange(Value input, Attribute inputConstant,
                                                RankedTensorType resultType) {
  if (input.getType() == resultType)
    return input;
  if (!resultType.hasStaticShape())
    return {};
  if (auto splat = dyn_cast_if_present<SplatElementsAttr>(inputConstant))
    return SplatElementsAttr::get(resultType, splat.getSplatValue<Attribute>());
  if (isFoldable(inputConstant))
    return cast<DenseElementsAttr>(inputConstant).reshape(resultType);
  return {};
}

LogicalResult mlir::ds::inferBroadcastResult(std::optional<Location> loc,
                                             StringRef opName, TypeRange operandTypes,
                                             Type resultElementType,
                                             SmallVectorImpl<Type> &inferred) {
  SmallVector<RankedTensorType> tensors;
  for (Type type : operandTypes) {
    auto tensor = dyn_cast<RankedTensorType>(type);
    if (!tensor)
      return helpers::inferError(loc, opName, "expected ranked tensor operands");
    tensors.push_back(tensor);
  }
  Type elementType = tensors.front().getElementType();
  shape::Shape result(tensors.front().getShape());
  for (RankedTensorType tensor : ArrayRef(tensors).drop_front()) {
    if (tensor.getElementType() != elementType) {
      std::string message;
      llvm::raw_string_ostream os(message);
      os << "expected operands with the same element type, got " << elementType << " and "
         << tensor.getElementType();
      return helpers::inferError(loc, opName, message);
    }
    llvm::Expected<shape::Shape> next = shape::broadcast(result, tensor.getShape());
    if (!next)
      return helpers::inferError(loc, opName, next.takeError());
    result = std::move(*next);
  }
  inferred.push_back(
      RankedTensorType::get(result, resultElementType ? resultElementType : elementType));
  return success();
}

//===----------------------------------------------------------------------===//
// ConstantOp, IdentityOp
//===----------------------------------------------------------------------===//

OpFoldResult ConstantOp::fold(FoldAdaptor) { return getValue(); }

OpFoldResult IdentityOp::fold(FoldAdaptor) { return getInput(); }
