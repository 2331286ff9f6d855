//===- GPUGatheredOperands.h - products that read a gather's input --------===//
//
// A convolution becomes an im2col product: a copying generic (the gather)
// writes every patch of the padded input into a buffer, and the product
// reads that buffer (through a collapse_shape). The GPU's tiled products
// read the gather's input instead, at the gather's indexing map: the patch
// buffer (ResNet-50's largest is 7.4 MB), its launch and its round trip
// through device memory go away.
//
//===----------------------------------------------------------------------===//

#ifndef DEEPSEEK_LIB_CODEGEN_GPUGATHEREDOPERANDS_H
#define DEEPSEEK_LIB_CODEGEN_GPUGATHEREDOPERANDS_H

#include "mlir/Dialect/Linalg/IR/Linalg.h"
#include "mlir/Dialect/MemRef/IR/MemRef.h"

namespace mlir::ds {

/// An operand of a product written by a gather right before the product:
/// `copy` (all dims parallel, body `yield %in`, identity output map) wrote
/// `buffer`, which the operand is, or is a collapse_shape of (`collapse`).
struct Gather {
  linalg::GenericOp copy;
  memref::CollapseShapeOp collapse;
  Value buffer;
};

/// The gather that wrote |operand| of |product| with nothing in between
/// touching the patch buffer or the gather's input (only pure ops, allocs,
/// views and fills of other buffers may sit between); or none.
std::optional<Gather> findGather(linalg::GenericOp product, OpOperand *operand);

/// The element at |indices| of the gathered operand, loaded from the
/// gather's input.
Value loadThroughGather(OpBuilder &b, Location loc, const Gather &gather, ValueRange indices);

/// Erases the gathers whose patch buffers nothing reads any more (their
/// products now read the gathers' inputs), with those buffers' views and
/// allocs once unused.
void eraseUnreadGathers(ArrayRef<Gather> gathers);

} // namespace mlir::ds

#endif // DEEPSEEK_LIB_CODEGEN_GPUGATHEREDOPERANDS_H
