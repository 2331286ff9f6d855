//===- GPUMapParallelLoops.cpp - the ds-gpu-map-parallel-loops pass -------===//
//
// Copies between dense buffers become device-to-device gpu.memcpy. Other
// serial work left at the top level (a loop nest with no parallel dim, a
// scalar store) is wrapped in a one-thread parallel loop, so nothing
// touches memory on the host. Then one kernel launch per outermost
// scf.parallel: its dims collapsed into one
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
#include "mlir/Interfaces/SideEffectInterfaces.h"
#include "mlir/Interfaces/ViewLikeInterface.h"

#include "llvm/ADT/MapVector.h"

#include <algorithm>
#include <functional>
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

/// True when |op| (a top-level op of the model function, not a parallel
/// loop) reads or writes memory itself or in its regions: a serial loop
/// nest linalg left (a reduction over every dim, such as a softmax's sum), a
/// scalar store. On a GPU model those must run on the device.
bool touchesMemory(Operation *op) {
  if (isa<scf::ParallelOp, func::ReturnOp, memref::AllocOp, memref::AllocaOp,
          memref::DeallocOp, memref::GetGlobalOp, gpu::MemcpyOp, gpu::LaunchOp>(op) ||
      isa<ViewLikeOpInterface>(op))
    return false;
  WalkResult walk = op->walk([](Operation *nested) {
    auto effects = dyn_cast<MemoryEffectOpInterface>(nested);
    if (!effects)
      return nested->hasTrait<OpTrait::HasRecursiveMemoryEffects>() || isPure(nested)
                 ? WalkResult::advance()
                 : WalkResult::interrupt();
    return effects.hasEffect<MemoryEffects::Read>() || effects.hasEffect<MemoryEffects::Write>()
               ? WalkResult::interrupt()
               : WalkResult::advance();
  });
  return walk.wasInterrupted();
}

/// |loop| (no results) as nested scf.for loops: what a parallel loop inside
/// a thread's work is (convert-parallel-loops-to-gpu leaves a launch alone
/// when a parallel loop sits below a serial one).
LogicalResult toNestedFors(RewriterBase &rewriter, scf::ParallelOp loop) {
  if (loop.getNumResults() != 0)
    return loop.emitOpError("with reductions inside a GPU thread is not supported");
  OpBuilder::InsertionGuard guard(rewriter);
  rewriter.setInsertionPoint(loop);
  SmallVector<Value> ivs;
  Operation *innermostYield = nullptr;
  for (auto [lb, ub, step] :
       llvm::zip(loop.getLowerBound(), loop.getUpperBound(), loop.getStep())) {
    auto serial = scf::ForOp::create(rewriter, loop.getLoc(), lb, ub, step);
    ivs.push_back(serial.getInductionVar());
    innermostYield = serial.getBody()->getTerminator();
    rewriter.setInsertionPoint(innermostYield);
  }
  Block *body = loop.getBody();
  rewriter.eraseOp(body->getTerminator());
  rewriter.inlineBlockBefore(body, innermostYield, ivs);
  rewriter.eraseOp(loop);
  return success();
}

/// Wraps the top-level work of |fn| that touches memory outside any
/// parallel loop in one-iteration parallel loops (one thread of one block).
/// Such work is the memory ops and the pure ops computing on what they
/// read (a 0-d linalg op lowers to load, arith, store with no loop), grouped
/// by their def-use chains; a group becomes one wrapper at the place of its
/// last op. Its values must not be used outside it, and no other memory
/// access may sit between its ops (moving them would reorder it).
LogicalResult wrapSerialWork(func::FuncOp fn, RewriterBase &rewriter) {
  Block &body = fn.getBody().front();
  DenseMap<Operation *, Operation *> leader; // union-find over the work's ops
  std::function<Operation *(Operation *)> find = [&](Operation *op) -> Operation * {
    Operation *parent = leader.lookup(op);
    return parent == op ? op : leader[op] = find(parent);
  };
  SmallVector<Operation *> work;
  for (Operation &op : body) {
    bool memory = touchesMemory(&op);
    bool computesOnWork =
        !memory && op.getNumRegions() == 0 && !op.hasTrait<OpTrait::IsTerminator>() && isPure(&op) &&
        llvm::any_of(op.getOperands(), [&](Value v) {
          Operation *def = v.getDefiningOp();
          return def && leader.count(def);
        });
    if (!memory && !computesOnWork)
      continue;
    leader[&op] = &op;
    work.push_back(&op);
    for (Value v : op.getOperands())
      if (Operation *def = v.getDefiningOp(); def && leader.count(def))
        leader[find(def)] = find(&op);
  }
  llvm::MapVector<Operation *, SmallVector<Operation *>> groups;
  for (Operation *op : work)
    groups[find(op)].push_back(op);
  for (auto &[root, ops] : groups) {
    SmallPtrSet<Operation *, 8> members(ops.begin(), ops.end());
    for (Operation *op : ops)
      for (Operation *user : op->getUsers())
        if (!members.contains(body.findAncestorOpInBlock(*user)))
          return op->emitOpError("computes a value the host uses; a GPU model cannot run it "
                                 "on the host");
    for (Operation *between = ops.front(); between != ops.back();
         between = between->getNextNode())
      if (!members.contains(between) &&
          (isa<scf::ParallelOp, gpu::MemcpyOp, gpu::LaunchOp>(between) ||
           touchesMemory(between)))
        return between->emitOpError("sits between serial memory accesses a GPU model must run "
                                    "on the device in one piece");
    Location loc = ops.back()->getLoc();
    rewriter.setInsertionPoint(ops.back());
    Value zero = arith::ConstantIndexOp::create(rewriter, loc, 0);
    Value one = arith::ConstantIndexOp::create(rewriter, loc, 1);
    auto loop = scf::ParallelOp::create(rewriter, loc, ValueRange{zero}, ValueRange{one},
                                        ValueRange{one});
    for (Operation *op : ops)
      op->moveBefore(loop.getBody()->getTerminator());
  }
  return success();
}

/// The top-level copies of |fn| between dense buffers (memref.copy with
/// identity layouts: strided ones are linalg.copy loops by now) as
/// device-to-device gpu.memcpy on the run's stream: the GPU's copy engine
/// at full bandwidth, instead of one thread copying byte by byte.
void copiesToDeviceMemcpy(func::FuncOp fn, RewriterBase &rewriter) {
  SmallVector<memref::CopyOp> copies;
  for (Operation &op : fn.getBody().front())
    if (auto copy = dyn_cast<memref::CopyOp>(op))
      copies.push_back(copy);
  for (memref::CopyOp copy : copies) {
    auto source = cast<MemRefType>(copy.getSource().getType());
    auto target = cast<MemRefType>(copy.getTarget().getType());
    if (!source.getLayout().isIdentity() || !target.getLayout().isIdentity() ||
        !source.hasStaticShape() || !target.hasStaticShape())
      continue;
    rewriter.setInsertionPoint(copy);
    rewriter.replaceOpWithNewOp<gpu::MemcpyOp>(copy, Type(), ValueRange{}, copy.getTarget(),
                                               copy.getSource());
  }
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
    if (fn.isExternal())
      return;
    copiesToDeviceMemcpy(fn, rewriter);
    if (failed(wrapSerialWork(fn, rewriter)))
      return signalPassFailure();
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
      SmallVector<scf::ParallelOp> nested;
      inner.getBody()->walk([&](scf::ParallelOp op) { nested.push_back(op); });
      for (scf::ParallelOp op : nested)
        if (failed(toNestedFors(rewriter, op)))
          return signalPassFailure();
    }
  }
};

} // namespace
