//===- TensorConversion.h - ONNX tensors and types to MLIR ----------*- C++ -*-===//
#ifndef DEEPSEEK_LIB_IMPORT_ONNX_TENSORCONVERSION_H
#define DEEPSEEK_LIB_IMPORT_ONNX_TENSORCONVERSION_H

#include "mlir/IR/BuiltinAttributeInterfaces.h"
#include "mlir/IR/BuiltinTypes.h"
#include "onnx/onnx_pb.h"
#include "llvm/Support/Error.h"

#include <memory>

namespace deepseek::onnx_import {

/// The MLIR element type of ONNX data type |dataType| (TensorProto::DataType).
llvm::Expected<mlir::Type> convertElementType(mlir::MLIRContext *context,
                                              int32_t dataType);

/// The ranked tensor type of a graph input/output/value_info; dynamic for
/// `dim_param` or missing dimensions. An error when the rank is unknown.
llvm::Expected<mlir::RankedTensorType> convertValueType(mlir::MLIRContext *context,
                                                        const onnx::TypeProto &type);

/// |tensor| as an attribute: a `dense` literal when it has at most |inlineLimit|
/// elements (or is boolean), otherwise a `dense_resource` blob named after the
/// tensor. The blob borrows the bytes inside |owner| (kept alive by the blob)
/// whenever they are already in the right layout, so weights are not copied.
llvm::Expected<mlir::ElementsAttr>
convertTensor(mlir::MLIRContext *context, const onnx::TensorProto &tensor,
              const std::shared_ptr<const onnx::ModelProto> &owner, int64_t inlineLimit);

/// ONNX's name for |dataType| ("FLOAT", "INT64", ...), for diagnostics.
std::string dataTypeName(int32_t dataType);

} // namespace deepseek::onnx_import

#endif // DEEPSEEK_LIB_IMPORT_ONNX_TENSORCONVERSION_H
