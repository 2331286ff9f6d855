//===- GPUFillFusion.h - fills the GPU's hand-built kernels take over -----===//
//
// The tiled products (GPUTileContractions.cpp) and the row reductions
// (GPUReduceRows.cpp) start their accumulators at the value of the
// linalg.fill that sets their output right before them, and erase it: one
// launch and one pass over the buffer fewer.
//
//===----------------------------------------------------------------------===//

#ifndef DEEPSEEK_LIB_CODEGEN_GPUFILLFUSION_H
#define DEEPSEEK_LIB_CODEGEN_GPUFILLFUSION_H

#include "mlir/Dialect/Linalg/IR/Linalg.h"

namespace mlir::ds {

/// The linalg.fill on buffers that sets all of |buffer| (|op|'s output)
/// before |op| in its block, with nothing else reading or writing the
/// buffer, directly or through a view, between the two; or null.
linalg::FillOp fillFeeding(Operation *op, Value buffer);

} // namespace mlir::ds

#endif // DEEPSEEK_LIB_CODEGEN_GPUFILLFUSION_H
