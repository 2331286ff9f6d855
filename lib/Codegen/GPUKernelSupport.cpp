//===- GPUKernelSupport.cpp - what the GPU's hand-built kernels share ----===//

#include "GPUKernelSupport.h"

#include "mlir/Dialect/Arith/IR/Arith.h"
#include "mlir/Dialect/MemRef/IR/MemRef.h"
#include "mlir/Interfaces/ViewLikeInterface.h"

using namespace mlir;

Value mlir::ds::rootBuffer(Value value) {
  while (auto view = value.getDefiningOp<ViewLikeOpInterface>())
    value = view.getViewSource();
  return value;
}

SmallVector<Value> mlir::ds::indicesAt(OpBuilder &b, Location loc, AffineMap map,
                                       ArrayRef<Value> dims) {
  SmallVector<Value> indices;
  for (AffineExpr e : map.getResults())
    indices.push_back(isa<AffineDimExpr>(e)
                          ? dims[cast<AffineDimExpr>(e).getPosition()]
                          : arith::ConstantIndexOp::create(
                                b, loc, cast<AffineConstantExpr>(e).getValue()));
  return indices;
}

/// The ops that use |buffer| directly or through views of it (not the views).
static void collectAccesses(Value buffer, SmallVectorImpl<Operation *> &accesses) {
  for (Operation *user : buffer.getUsers()) {
    auto view = dyn_cast<ViewLikeOpInterface>(user);
    if (view && view.getViewSource() == buffer) {
      for (Value result : user->getResults())
        collectAccesses(result, accesses);
      continue;
    }
    accesses.push_back(user);
  }
}

linalg::FillOp mlir::ds::fillFeeding(Operation *op, Value buffer) {
  Block *block = op->getBlock();
  linalg::FillOp fill;
  for (Operation *user : buffer.getUsers())
    if (auto candidate = dyn_cast<linalg::FillOp>(user);
        candidate && candidate.hasPureBufferSemantics() && candidate->getBlock() == block &&
        candidate->isBeforeInBlock(op) && candidate.getOutputs()[0] == buffer &&
        candidate.getInputs()[0].getType() == getElementTypeOrSelf(buffer.getType()) &&
        (!fill || fill->isBeforeInBlock(candidate)))
      fill = candidate; // the last one before |op|
  if (!fill)
    return nullptr;
  SmallVector<Operation *> accesses;
  collectAccesses(buffer, accesses);
  for (Operation *user : accesses) {
    if (user == fill.getOperation() || user == op || isa<memref::DeallocOp>(user))
      continue;
    Operation *at = block->findAncestorOpInBlock(*user);
    if (!at || (fill->isBeforeInBlock(at) && at->isBeforeInBlock(op)))
      return nullptr;
  }
  return fill;
}
