//===- EightBitProducts.h - 8-bit product tiles for vpdpbusd and sdot -*- C++ -*-===//
//
// The 8-bit products ds.qconv and MatMulInteger lower to, recognized and
// emitted one K step at a time for the register tiles of
// ds-cpu-tile-contractions: AVX-512 VNNI's vpdpbusd (u8 x s8) and armv8's
// sdot (s8 x s8; without dotprod smull, addp and sadalp), both as a pure
// vector form that ds-cpu-lower-vectors
// turns into the instruction once the buffers are planned.
//
//===----------------------------------------------------------------------===//

#ifndef DEEPSEEK_LIB_CODEGEN_EIGHTBITPRODUCTS_H
#define DEEPSEEK_LIB_CODEGEN_EIGHTBITPRODUCTS_H

#include "mlir/Dialect/Func/IR/FuncOps.h"
#include "mlir/Dialect/Linalg/IR/Linalg.h"
#include "mlir/IR/PatternMatch.h"

#include <optional>

namespace mlir::ds {

/// An 8-bit product in the layout QuantizedConvLowering writes:
///   acc[n, p, g, j] += u8(lhs[n, p, k4, kk]) * i8(rhs[g, k4, j, kk])
/// with j 16 wide and kk 4, or its implicit form (patches read in place):
///   acc[n, y, x, g, j] += u8(in[n, y*sh + i*dh, x*sw + jj*dw, c4*4 + kk]) *
///                         i8(rhs[g, i, jj, c4, j, kk])
struct VNNITile {
  int64_t mr;            ///< rows of p (pixels of one output row) per tile
  int64_t groups;        ///< 16-channel groups per tile (1 or 2)
  bool implicit = false; ///< the implicit form
  int64_t rowStride = 1; ///< implicit: input pixels between neighbouring rows (sw)
  bool signedInput = false; ///< s8 inputs (armv8 sdot) instead of u8 (vpdpbusd)
};

/// The register tile for |rows| rows and |groupCount| 16-channel groups on
/// AVX-512 (see EightBitProducts.cpp).
VNNITile vnniTileFor(int64_t rows, int64_t groupCount);

/// True when |op| is an 8-bit product body (out + ext(a) * ext(i8 b) in i32,
/// a u8 or, with |signedInput|, i8) over |parallel| then |reductions| loops.
bool isEightBitProduct(linalg::GenericOp op, unsigned parallel, unsigned reductions,
                       bool signedInput = false);

/// The im2col form [N, P, K/4, 4] x [F/16, K/4, 16, 4].
std::optional<VNNITile> matchVNNIProduct(linalg::GenericOp op);

/// The implicit form; |signedInput| for armv8's s8 x s8.
std::optional<VNNITile> matchImplicitVNNIProduct(linalg::GenericOp op, bool signedInput = false);

/// An 8-bit product the target tiles: either u8 form with |vnni|, the s8
/// implicit form with |signedProducts| (armv8).
std::optional<VNNITile> matchEightBitProduct(linalg::GenericOp op, bool vnni,
                                             bool signedProducts);

/// One K step of an 8-bit tile as Mr x G dots of four bytes (see the .cpp).
void emitVNNIStep(RewriterBase &rewriter, linalg::GenericOp step, VNNITile t);

/// The dots of four bytes in |fn| as vpdpbusd (u8 x s8) or, for s8 x s8,
/// four armv8 sdot (|sdot|) or four smull/addp/sadalp sequences.
void lowerDotsOfFourBytes(func::FuncOp fn, bool sdot);

} // namespace mlir::ds

#endif // DEEPSEEK_LIB_CODEGEN_EIGHTBITPRODUCTS_H
