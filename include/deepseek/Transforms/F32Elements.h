//===- F32Elements.h - f32 tensor contents in and out of attributes -*- C++ -*-===//
//
// The passes that rewrite weights at compile time (BatchNorm folding at the
// graph level, the re-laid-out right-hand sides of the register tiles) read a
// constant's f32 values, compute new ones and store them back. Weights may be
// dense attributes or resource blobs (what the importer creates); both go
// through these functions; 8-bit weights are read with readI8Constant.
//
//===----------------------------------------------------------------------===//

#ifndef DEEPSEEK_TRANSFORMS_F32ELEMENTS_H
#define DEEPSEEK_TRANSFORMS_F32ELEMENTS_H

#include "mlir/IR/BuiltinAttributeInterfaces.h"
#include "mlir/IR/BuiltinTypes.h"
#include "mlir/IR/Value.h"

#include <optional>

namespace mlir::ds {

/// The f32 contents of |attr| (dense, splats expanded, or a resource blob of
/// the right size); nullopt for other element types or a missing blob.
std::optional<SmallVector<float>> readF32Elements(ElementsAttr attr);

/// The f32 contents of |value| when a constant op (ds.constant,
/// arith.constant) defines it; nullopt for anything else, including null.
std::optional<SmallVector<float>> readF32Constant(Value value);

/// |values| as an attribute of |type| (f32): inline when small, otherwise a
/// resource blob named |blobName| (like the importer's weights, so printing
/// the IR can elide it).
ElementsAttr makeF32Elements(RankedTensorType type, ArrayRef<float> values,
                             StringRef blobName);

/// The bytes of an 8-bit integer constant (dense or dense_resource) defining
/// |value|, or nothing (the quantized weights' storage).
std::optional<SmallVector<int8_t>> readI8Constant(Value value);

} // namespace mlir::ds

#endif // DEEPSEEK_TRANSFORMS_F32ELEMENTS_H
