//===- DSOps.h - ds dialect operations ------------------------------*- C++ -*-===//
#ifndef DEEPSEEK_DIALECT_DS_IR_DSOPS_H
#define DEEPSEEK_DIALECT_DS_IR_DSOPS_H

#include "deepseek/Dialect/DS/IR/DSDialect.h"

#include "mlir/Bytecode/BytecodeOpInterface.h"
#include "mlir/IR/BuiltinTypes.h"
#include "mlir/IR/OpDefinition.h"
#include "mlir/IR/OpImplementation.h"
#include "mlir/Interfaces/InferTypeOpInterface.h"
#include "mlir/Interfaces/SideEffectInterfaces.h"

namespace mlir::ds {

/// True when |inferred| and |actual| have the same length and each pair is the
/// same tensor type up to shape refinement: a dynamic dimension on either side
/// matches any size. Shared by every op's `isCompatibleReturnTypes`.
bool areCompatibleResultTypes(TypeRange inferred, TypeRange actual);

/// Result type of a numpy-broadcasting elementwise op over |operandTypes|. All
/// operands must share an element type; the result has |resultElementType|, or
/// the operands' element type when it is null. Diagnoses at |loc| as |opName|.
LogicalResult inferBroadcastResult(std::optional<Location> loc, StringRef opName,
                                   TypeRange operandTypes, Type resultElementType,
                                   SmallVectorImpl<Type> &inferred);

/// Result type of a reduction of |inputType| over |axes| (all when empty), with
/// |resultElementType| or the input's element type when it is null.
LogicalResult inferReduceResult(std::optional<Location> loc, StringRef opName,
                                Type inputType, ArrayRef<int64_t> axes, bool keepDims,
                                Type resultElementType, SmallVectorImpl<Type> &inferred);

} // namespace mlir::ds

#define GET_OP_CLASSES
#include "ds/DSOps.h.inc"

#endif // DEEPSEEK_DIALECT_DS_IR_DSOPS_H
