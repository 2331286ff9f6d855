//===- StaticReshape.h - any static reshape as collapse + expand --*- C++ -*-===//
//
// Lowerings and codegen rewrites view a tensor in another row-major shape
// with the same element count. Every such reshape is a collapse to 1-D
// followed by an expand, and both are views after bufferization.
//
//===----------------------------------------------------------------------===//

#ifndef DEEPSEEK_TRANSFORMS_STATICRESHAPE_H
#define DEEPSEEK_TRANSFORMS_STATICRESHAPE_H

#include "mlir/IR/Builders.h"
#include "mlir/IR/BuiltinTypes.h"

namespace mlir::ds {

/// |value| (static shape) as |type| (same elements, same count): itself when
/// the types match, else a collapse to 1-D (0-D) and an expand, each skipped
/// when not needed.
Value reshapeTo(OpBuilder &b, Location loc, Value value, RankedTensorType type);

} // namespace mlir::ds

#endif // DEEPSEEK_TRANSFORMS_STATICRESHAPE_H
