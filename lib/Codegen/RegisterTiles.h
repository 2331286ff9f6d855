//===- RegisterTiles.h - what the f32 register-tiled products share ------===//
//
// The im2col/matmul products (CPUTileContractions.cpp) and the implicit
// convolutions (ImplicitConvolution.cpp) recognize the same body and size
// their register tiles the same way.
//
//===----------------------------------------------------------------------===//

#ifndef DEEPSEEK_LIB_CODEGEN_REGISTERTILES_H
#define DEEPSEEK_LIB_CODEGEN_REGISTERTILES_H

#include "mlir/Dialect/Linalg/IR/Linalg.h"

namespace mlir::ds {

/// True when |op|'s body is out + a * b (mulf then addf of the product and
/// the accumulator, in either operand order) and a yield.
bool isMultiplyAccumulate(linalg::GenericOp op);

/// Mr: the tallest row tile that divides |rows|, for Nr-wide tiles (|nr|
/// floats) on |vectorBits|-bit registers.
int64_t rowsPerTile(int64_t rows, int64_t nr, int64_t vectorBits);

} // namespace mlir::ds

#endif // DEEPSEEK_LIB_CODEGEN_REGISTERTILES_H
