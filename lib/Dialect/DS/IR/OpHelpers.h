//===- OpHelpers.h - private helpers shared by the ds op files ------*- C++ -*-===//
//
// Diagnostics from `inferReturnTypes` and folding helpers used by several op
// families. Not part of the public headers.
//
//===----------------------------------------------------------------------===//
#ifndef DEEPSEEK_LIB_DIALECT_DS_IR_OPHELPERS_H
#define DEEPSEEK_LIB_DIALECT_DS_IR_OPHELPERS_H

#include "deepseek/Dialect/DS/IR/DSOps.h"
#include "deepseek/Dialect/DS/IR/ShapeInference.h"

#include "mlir/IR/Diagnostics.h"

namespace mlir::ds::helpers {

/// Emits "'<opName>' op <message>" at |loc| when a location is given (inference
/// from a builder has none) and returns failure, so that type-inference errors
/// read exactly like `emitOpError` diagnostics.
LogicalResult inferError(std::optional<Location> loc, StringRef opName,
                         const Twine &message);
/// As above, consuming a shape-arithmetic error.
LogicalResult inferError(std::optional<Location> loc, StringRef opName,
                         llvm::Error error);

/// Requires every type in |types| to have the element type of the first one;
/// |names| name the operands in the diagnostic.
LogicalResult checkSameElementType(std::optional<Location> loc, StringRef opName,
                                   ArrayRef<Type> types, ArrayRef<StringRef> names);

/// Requires 0 <= |axis| < |rank| (or <= |rank| when |inclusiveEnd|), the
/// normalized form every ds axis attribute has.
LogicalResult checkAxis(std::optional<Location> loc, StringRef opName, int64_t axis,
                        int64_t rank, bool inclusiveEnd = false);

/// Verifier check of shape-changing ops whose result keeps the input's element
/// type: "expected the same element type, got X and Y".
LogicalResult verifySameElementType(Operation *op, RankedTensorType input,
                                    RankedTensorType result);

/// The types and names of an op's present operands, for checkSameElementType:
/// |values| may contain null (absent optional operands), which are skipped.
struct NamedOperandTypes {
  NamedOperandTypes(ArrayRef<Value> values, ArrayRef<StringRef> valueNames);
  SmallVector<Type> types;
  SmallVector<StringRef> names;
};

/// The folding shared by ops that only change a tensor's shape: the input itself
/// when the type does not change, the reshaped constant when the input is a
/// dense constant (any size for a splat, small otherwise), null otherwise.
OpFoldResult foldShapeChange(Value input, Attribute inputConstant,
                             RankedTensorType resultType);

//===----------------------------------------------------------------------===//
// Constant folding of small tensors (ConstantFolding.cpp)
//===----------------------------------------------------------------------===//

/// Folders evaluate ops only on constants up to this many elements: enough for
/// every shape computation, never a weight tensor.
constexpr int64_t kMaxFoldElements = 4096;

/// True for a dense constant of at most kMaxFoldElements elements.
bool isFoldable(Attribute value);

/// Evaluates an elementwise op with numpy broadcasting: |fn| maps one element of
/// each operand to the result element, or returns null to give up.
Attribute foldElementwise(ArrayRef<Attribute> operands, RankedTensorType resultType,
                          function_ref<Attribute(ArrayRef<Attribute>)> fn);

/// ds.gather on constants (negative indices count from the end).
Attribute foldGather(DenseElementsAttr data, DenseElementsAttr indices, int64_t axis,
                     RankedTensorType resultType);

/// ds.concat on constants.
Attribute foldConcat(ArrayRef<Attribute> inputs, int64_t axis,
                     RankedTensorType resultType);

/// ds.slice on a constant.
Attribute foldSlice(DenseElementsAttr input, ArrayRef<int64_t> starts,
                    ArrayRef<int64_t> steps, RankedTensorType resultType);

} // namespace mlir::ds::helpers

#endif // DEEPSEEK_LIB_DIALECT_DS_IR_OPHELPERS_H
