//===- GPUKernelSupport.h - what the GPU's hand-built kernels share ------===//
//
// The tiled products (GPUTileContractions.cpp, GPUGatheredOperands.cpp) and
// the row reductions (GPUReduceRows.cpp) build their launches from linalg
// generics on buffers: they index operands at the generics' maps, look
// through views to the buffers, and start their accumulators at the value
// of the linalg.fill that sets their output right before them, erasing it
// (one launch and one pass over the buffer fewer).
//
//===----------------------------------------------------------------------===//

#ifndef DEEPSEEK_LIB_CODEGEN_GPUKERNELSUPPORT_H
#define DEEPSEEK_LIB_CODEGEN_GPUKERNELSUPPORT_H

#include "mlir/Dialect/Linalg/IR/Linalg.h"

namespace mlir::ds {

/// The buffer |value| is a view of (its alloc or argument).
Value rootBuffer(Value value);

/// |map|'s results at the loop indices |dims|, for maps whose results are
/// dims or constants (a constant becomes an index constant at |b|'s point).
SmallVector<Value> indicesAt(OpBuilder &b, Location loc, AffineMap map, ArrayRef<Value> dims);

/// The linalg.fill on buffers that sets all of |buffer| (|op|'s output)
/// before |op| in its block, with nothing else reading or writing the
/// buffer, directly or through a view, between the two; or null.
linalg::FillOp fillFeeding(Operation *op, Value buffer);

} // namespace mlir::ds

#endif // DEEPSEEK_LIB_CODEGEN_GPUKERNELSUPPORT_H
