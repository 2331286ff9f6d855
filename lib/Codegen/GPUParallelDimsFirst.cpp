//===- GPUParallelDimsFirst.cpp - the ds-gpu-parallel-dims-first pass -----===//
//
// convert-linalg-to-parallel-loops makes a parallel loop only of an op's
// leading parallel dims. A reduction whose parallel dims come after a
// reduction dim (a global average pool over NHWC: (h, w) reduced, c kept
// last) therefore becomes a fully serial loop nest, which the GPU pipeline
// must run in one thread. Moving the parallel dims first (an interchange
// of the generic's iteration space; the indexing maps follow) makes them
// the launch's threads, each reducing its own elements: in the NHWC pool,
// neighbouring threads then read neighbouring channels.
//
//===----------------------------------------------------------------------===//

#include "deepseek/Passes.h"

#include "mlir/Dialect/Linalg/IR/Linalg.h"
#include "mlir/Dialect/Linalg/Transforms/Transforms.h"

namespace mlir::ds {
#define GEN_PASS_DEF_DSGPUPARALLELDIMSFIRST
#include "ds/Passes.h.inc"
} // namespace mlir::ds

using namespace mlir;

namespace {

/// The permutation putting |iterators|' parallel dims first, each group in
/// its order; empty when they already are.
SmallVector<unsigned> parallelFirst(ArrayRef<utils::IteratorType> iterators) {
  SmallVector<unsigned> parallel, reduction;
  for (auto [dim, type] : llvm::enumerate(iterators))
    (type == utils::IteratorType::parallel ? parallel : reduction).push_back(dim);
  if (parallel.empty() || reduction.empty() || parallel.back() < reduction.front())
    return {};
  parallel.append(reduction);
  return parallel;
}

struct DSGPUParallelDimsFirstPass
    : public ds::impl::DSGPUParallelDimsFirstBase<DSGPUParallelDimsFirstPass> {
  void runOnOperation() override {
    IRRewriter rewriter(&getContext());
    SmallVector<linalg::GenericOp> generics;
    getOperation().walk([&](linalg::GenericOp op) { generics.push_back(op); });
    for (linalg::GenericOp op : generics) {
      SmallVector<unsigned> order = parallelFirst(op.getIteratorTypesArray());
      if (order.empty())
        continue;
      rewriter.setInsertionPoint(op);
      if (failed(linalg::interchangeGenericOp(rewriter, op, order))) {
        op.emitOpError("could not move its parallel dims before its reduction dims");
        return signalPassFailure();
      }
    }
  }
};

} // namespace
