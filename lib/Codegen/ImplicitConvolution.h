//===- ImplicitConvolution.h - channels-last convolutions without im2col --===//
//
// The channels-last lowering turns a KxK convolution into a product of an
// im2col patch matrix [N, OH*OW, KH*KW*C] and the weights: the patch matrix
// is KH*KW times the input (a 3x3 layer of ResNet-50's first stage copies
// 7 MB per convolution; the 7x7 stem 7.4 MB). But the patch row of output
// pixel (y, x) is the window [y*sh + i][x*sw + j][c] of the padded input
// [N, Hp, Wp, C], so the product can read its left-hand side in place:
//
//   out[n, y, x, p, q] += in[n, y*sh + i, x*sw + j, c] * w[p, i, j, c, q]
//
// over loops (n, y, x, p, q, i, j, c), with the weights packed into Nr-wide
// panels [F/Nr][KH][KW][C][Nr]. Register tiles are Mr pixels of one output
// row by Nr channels; each K step broadcasts Mr input floats sw*C apart
// against one weight row. This is the implicit GEMM of cuDNN and of ONNX
// Runtime's NCHWc direct convolution, expressed as a linalg.generic.
// (Merging j and c into one loop over a [N, Hp, Wp*C] view of the input
// would make the C = 3 stems' inner loops longer, but fold-memref-alias-ops
// then splits every load's index back into (w, c) with a division and a
// remainder the inner loop recomputes: ResNet-50's last stage ran at half
// speed.)
//
//===----------------------------------------------------------------------===//

#ifndef DEEPSEEK_LIB_CODEGEN_IMPLICITCONVOLUTION_H
#define DEEPSEEK_LIB_CODEGEN_IMPLICITCONVOLUTION_H

#include "mlir/Dialect/Linalg/IR/Linalg.h"
#include "mlir/Dialect/Tensor/IR/Tensor.h"
#include "mlir/IR/PatternMatch.h"

#include <optional>

namespace mlir::ds {

/// The register tile of an implicit convolution.
struct ImplicitConvolutionTile {
  int64_t mr;        ///< output pixels of one row per tile (divides OW)
  int64_t nr;        ///< output channels per tile (16 or 32)
  int64_t rowStride; ///< input pixels between neighbouring output pixels (sw)
};

/// Rewrites |product| (out[n, m, f] += patches[n, m, k] * w[k, f], patches an
/// im2col copy of a padded NHWC input, w constant) into the implicit form
/// above when its register tiles are at least as tall as the im2col
/// product's (|im2colRows|). Returns the collapse of the new product's
/// [N, OH, OW, F/Nr, Nr] result to the old [N, OH*OW, F], or null.
tensor::CollapseShapeOp rewriteAsImplicitConvolution(RewriterBase &rewriter,
                                                     linalg::GenericOp product,
                                                     int64_t im2colRows, int64_t vectorBits);

/// The tile of a product rewriteAsImplicitConvolution made, or nullopt.
std::optional<ImplicitConvolutionTile> matchImplicitConvolution(linalg::GenericOp op,
                                                                int64_t vectorBits);

/// One K step of an implicit convolution's register tile (lhs [1, 1, span, 1],
/// rhs [1, 1, 1, 1, Nr], acc [1, 1, Mr, 1, Nr]) as Mr broadcasts and FMAs
/// against one weight row; the accumulator is read and written whole.
void emitImplicitConvolutionStep(RewriterBase &rewriter, linalg::GenericOp step,
                                 const ImplicitConvolutionTile &tile);

} // namespace mlir::ds

#endif // DEEPSEEK_LIB_CODEGEN_IMPLICITCONVOLUTION_H
