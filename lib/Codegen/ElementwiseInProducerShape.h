//===- ElementwiseInProducerShape.h - elementwise ops in a product's shape -===//
//
// An 8-bit product writes [N, P, G, 16] (pixels, 16-channel groups) and the
// model reads it back as [N, H, W, C] through a collapse/expand pair. An
// elementwise consumer whose every operand is read at the index it writes
// (a residual add of two such products, its ReLU and requantization) does
// not care which row-major shape it iterates over, so it can iterate over
// the product's: then it reads the product's result directly and fuses
// into the product's epilogue, instead of running as a separate kernel
// over memory.
//
//===----------------------------------------------------------------------===//

#ifndef DEEPSEEK_LIB_CODEGEN_ELEMENTWISEINPRODUCERSHAPE_H
#define DEEPSEEK_LIB_CODEGEN_ELEMENTWISEINPRODUCERSHAPE_H

#include "mlir/IR/PatternMatch.h"

#include <functional>

namespace mlir::ds {

/// Rewrites an all-parallel linalg.generic with identity indexing maps and
/// same-shaped static operands, one of whose inputs is a reshape (chain) of
/// a value |isProducer| accepts, to iterate over that value's shape: that
/// input becomes the value itself, the other operands and the result are
/// reshaped (through a 1-D collapse) to and from it.
void populateElementwiseInProducerShapePatterns(RewritePatternSet &patterns,
                                                std::function<bool(Value)> isProducer);

} // namespace mlir::ds

#endif // DEEPSEEK_LIB_CODEGEN_ELEMENTWISEINPRODUCERSHAPE_H
