//===- ShapeInference.h - shape arithmetic of the ds ops ------------*- C++ -*-===//
//
// Pure functions on dimension lists (ShapedType::kDynamic marks an unknown size)
// that the ds ops' type inference is built from. They know nothing of MLIR
// operations, so unit tests can check them directly and importers can use them to
// validate a model before building IR. Each returns an llvm::Error describing the
// first problem, in the words a diagnostic should use.
//
//===----------------------------------------------------------------------===//
#ifndef DEEPSEEK_DIALECT_DS_IR_SHAPEINFERENCE_H
#define DEEPSEEK_DIALECT_DS_IR_SHAPEINFERENCE_H

#include "llvm/ADT/ArrayRef.h"
#include "llvm/ADT/SmallVector.h"
#include "llvm/Support/Error.h"

#include <cstdint>
#include <string>

namespace mlir::ds::shape {

using Shape = llvm::SmallVector<int64_t, 6>;

/// "[1, 3, ?, 224]": how diagnostics print a shape.
std::string toString(llvm::ArrayRef<int64_t> dims);

/// numpy broadcasting of two shapes (right-aligned; 1 stretches; a dynamic
/// dimension against a static one > 1 takes the static size).
llvm::Expected<Shape> broadcast(llvm::ArrayRef<int64_t> a, llvm::ArrayRef<int64_t> b);

/// True when |from| broadcasts to exactly |to| (ONNX unidirectional broadcasting).
bool broadcastsTo(llvm::ArrayRef<int64_t> from, llvm::ArrayRef<int64_t> to);

/// Output size of a sliding window over |in| elements: the arithmetic shared by
/// convolution and pooling. |ceilMode| rounds the window count up (pooling only).
llvm::Expected<int64_t> windowOutputSize(int64_t in, int64_t kernel, int64_t stride,
                                         int64_t dilation, int64_t padBegin,
                                         int64_t padEnd, bool ceilMode = false);

/// Output size of a transposed convolution along one dimension.
llvm::Expected<int64_t> transposedWindowOutputSize(int64_t in, int64_t kernel,
                                                   int64_t stride, int64_t dilation,
                                                   int64_t padBegin, int64_t padEnd,
                                                   int64_t outputPadding);

/// Checks the per-spatial-dimension attribute lists of a convolution or pool:
/// |strides| and |dilations| (when non-null) hold |spatialRank| positive values,
/// |pads| holds 2 * |spatialRank| non-negative values.
llvm::Error checkWindowAttributes(unsigned spatialRank, llvm::ArrayRef<int64_t> strides,
                                  llvm::ArrayRef<int64_t> pads,
                                  const llvm::ArrayRef<int64_t> *dilations);

/// Result shape of numpy `matmul` (1-D promotion, broadcast batch dimensions).
llvm::Expected<Shape> matmul(llvm::ArrayRef<int64_t> lhs, llvm::ArrayRef<int64_t> rhs);

/// Result shape of a reduction over sorted, unique, in-range |axes| (all when empty).
llvm::Expected<Shape> reduce(llvm::ArrayRef<int64_t> in, llvm::ArrayRef<int64_t> axes,
                             bool keepDims);

/// Product of |dims|, or kDynamic if any is dynamic; an error on int64 overflow.
llvm::Expected<int64_t> numElements(llvm::ArrayRef<int64_t> dims);

/// Checks that |axes| are sorted, unique and in [0, |rank|).
llvm::Error checkAxes(llvm::ArrayRef<int64_t> axes, int64_t rank);

} // namespace mlir::ds::shape

#endif // DEEPSEEK_DIALECT_DS_IR_SHAPEINFERENCE_H
