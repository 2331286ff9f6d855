//===- RegisterTiles.cpp - what the f32 register-tiled products share ----===//

#include "RegisterTiles.h"

#include "mlir/Dialect/Arith/IR/Arith.h"

using namespace mlir;

bool mlir::ds::isMultiplyAccumulate(linalg::GenericOp op) {
  Block &body = op.getRegion().front();
  if (body.getOperations().size() != 3 || body.getNumArguments() != 3)
    return false;
  auto mul = dyn_cast<arith::MulFOp>(&body.front());
  auto add = dyn_cast_if_present<arith::AddFOp>(mul ? mul->getNextNode() : nullptr);
  return mul && add && llvm::is_contained(add->getOperands(), mul.getResult()) &&
         llvm::is_contained(add->getOperands(), body.getArgument(2));
}

int64_t mlir::ds::rowsPerTile(int64_t rows, int64_t nr, int64_t vectorBits) {
  // The largest row count that divides the rows, up to 12 rows of two
  // AVX-512 vectors or 16 rows of one (24 or 16 accumulators of its 32
  // registers; two FMA pipes of four-cycle latency need eight independent
  // chains at the least): 7 for a ResNet's 196- and 49-pixel maps, 12 for
  // SqueezeNet's 2916, 13 for its 169, where powers of two alone gave tiles
  // 4 and 1 rows high. 128-bit registers (NEON: 32 of them, four floats
  // each): a 16-column row is four registers, so six rows (24 accumulators,
  // four weight registers, a broadcast) fill the register file without
  // spilling. 256-bit (AVX2: 16 registers): a 16-column row is two, six
  // rows are 12 accumulators, two weight registers and a broadcast (the
  // 6 x 16 kernel of BLIS and MLAS).
  int64_t limit = vectorBits <= 256 ? 6 : nr == 16 ? 16 : 12;
  int64_t mr = std::min(limit, rows);
  while (mr > 1 && rows % mr != 0)
    --mr;
  return mr;
}
