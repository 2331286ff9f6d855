//===- GPUMapParallelLoops.cpp - the ds-gpu-map-parallel-loops pass -------===//
//
// One kernel launch per outermost scf.parallel: its dims collapsed into one
// (the innermost dim varying fastest, so neighbouring threads read and write
// neighbouring elements), tiled into blocks of threads, and annotated with
// the gpu dialect's mapping for convert-parallel-loops-to-gpu.
//
//===----------------------------------------------------------------------===//

#include "deepseek/Passes.h"

#include "mlir/Dialect/GPU/Transforms/ParallelLoopMapper.h"
#include "mlir/Dialect/SCF/Transforms/Transforms.h"
#include "mlir/Dialect/SCF/Utils/Utils.h"
#include "mlir/Dialect/Utils/StaticValueUtils.h"

#include <algorithm>
#include <numeric>

namespace mlir::ds {
#define GEN_PASS_DEF_DSGPUMAPPARALLELLOOPS
#include "ds/Passes.h.inc"
} // namespace mlir::ds

using namespace mlir;

namespace {

SmallVector<scf::ParallelOp> outermostParallelLoops(func::FuncOp fn) {
  SmallVector<scf::ParallelOp> loops;
  fn.walk([&](scf::ParallelOp op) {
    if (!op->getParentOfType<scf::ParallelOp>())
      loops.push_back(op);
  });
  return loops;
}

/// Every dim of |loop| mapped to |processor|.
LogicalResult mapTo(scf::ParallelOp loop, gpu::Processor processor) {
  MLIRContext *ctx = loop.getContext();
  SmallVector<gpu::ParallelLoopDimMappingAttr> mapping(
      loop.getNumLoops(),
      gpu::ParallelLoopDimMappingAttr::get(ctx, processor,
                                           AffineMap::getMultiDimIdentityMap(1, ctx),
                                           AffineMap::getMultiDimIdentityMap(1, ctx)));
  return gpu::setMappingAttr(loop, mapping);
}

struct DSGPUMapParallelLoopsPass
    : public ds::impl::DSGPUMapParallelLoopsBase<DSGPUMapParallelLoopsPass> {
  using Base::Base;
  void runOnOperation() override {
    func::FuncOp fn = getOperation();
    if (blockSize < 1) {
      fn.emitError() << "block-size must be positive, got " << static_cast<int64_t>(blockSize);
      return signalPassFailure();
    }
    IRRewriter rewriter(&getContext());
    for (scf::ParallelOp loop : outermostParallelLoops(fn)) {
      if (loop->hasAttr(gpu::getMappingAttrName()) || loop.getNumLoops() == 1)
        continue;
      std::vector<unsigned> all(loop.getNumLoops());
      std::iota(all.begin(), all.end(), 0);
      rewriter.setInsertionPoint(loop);
      collapseParallelLoops(rewriter, loop, {all});
    }
    for (scf::ParallelOp loop : outermostParallelLoops(fn)) {
      if (loop->hasAttr(gpu::getMappingAttrName()))
        continue;
      // A loop shorter than a block is one block of exactly its length.
      int64_t threads = blockSize;
      std::optional<int64_t> lb = getConstantIntValue(loop.getLowerBound()[0]),
                             ub = getConstantIntValue(loop.getUpperBound()[0]),
                             step = getConstantIntValue(loop.getStep()[0]);
      if (lb && ub && step && *step > 0) {
        int64_t trips = (*ub - *lb + *step - 1) / *step;
        threads = std::clamp<int64_t>(trips, 1, threads);
      }
      auto [blocks, inner] = scf::tileParallelLoop(loop, {threads}, /*noMinMaxBounds=*/true);
      if (failed(mapTo(blocks, gpu::Processor::BlockX)) ||
          failed(mapTo(inner, gpu::Processor::ThreadX)))
        return signalPassFailure();
      // Parallel loops inside a thread's work run in that thread.
      inner.getBody()->walk([&](scf::ParallelOp nested) {
        (void)mapTo(nested, gpu::Processor::Sequential);
      });
    }
  }
};

} // namespace
