//===- GraphMatchers.h - small matchers shared by the graph passes -*- C++ -*-===//
//
// The graph rewrites match chains of ds ops that exporters emit. These helpers
// answer the questions every one of them asks: is this value a scalar constant
// (of a given value), is it used once, what are the factors of a product, and
// what are a constant's f32 contents.
//
//===----------------------------------------------------------------------===//

#ifndef DEEPSEEK_LIB_TRANSFORMS_GRAPHMATCHERS_H
#define DEEPSEEK_LIB_TRANSFORMS_GRAPHMATCHERS_H

#include "deepseek/Dialect/DS/IR/DSOps.h"

#include "mlir/IR/PatternMatch.h"

#include <optional>

namespace mlir::ds::graph {

/// The value of a constant whose elements are all equal (a splat or a
/// one-element tensor) and floating point; nullopt otherwise.
std::optional<double> getSplatFloat(Value value);

/// True when |value| is a splat float constant within |relTol| of |expected|.
bool isSplatFloat(Value value, double expected, double relTol = 1e-4);

/// The op defining |value| as OpTy when it has no other user than the one being
/// matched (so the rewrite removes it); null otherwise.
template <typename OpTy> OpTy singleUseProducer(Value value) {
  if (!value || !value.hasOneUse())
    return nullptr;
  return value.getDefiningOp<OpTy>();
}

/// The leaves of the product tree rooted at |root| (a ds.mul): interior ds.mul
/// nodes are followed when they have one use and |root|'s type, so
/// `(x * 0.5) * y` gives {x, 0.5, y}.
SmallVector<Value> productFactors(MulOp root);

/// A ds.constant of |type| (f32) holding |values|; large tensors are stored as
/// a resource blob like the importer's weights.
Value createF32Constant(OpBuilder &b, Location loc, RankedTensorType type,
                        ArrayRef<float> values);

} // namespace mlir::ds::graph

#endif // DEEPSEEK_LIB_TRANSFORMS_GRAPHMATCHERS_H
