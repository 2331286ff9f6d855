//===- GPUGatheredOperands.cpp - products that read a gather's input ------===//

#include "GPUGatheredOperands.h"
#include "GPUKernelSupport.h"

#include "mlir/Dialect/Affine/IR/AffineOps.h"
#include "mlir/Dialect/Arith/IR/Arith.h"
#include "mlir/Interfaces/SideEffectInterfaces.h"
#include "mlir/Interfaces/ViewLikeInterface.h"

#include "llvm/ADT/SetVector.h"

using namespace mlir;

/// A generic that copies its one input into |buffer| at an affine map:
/// every dim parallel, output map identity, body `yield %in`.
static bool isGatherInto(linalg::GenericOp op, Value buffer) {
  if (!op.hasPureBufferSemantics() || op.getNumDpsInputs() != 1 || op.getNumDpsInits() != 1 ||
      op.getDpsInitOperand(0)->get() != buffer || op.hasIndexSemantics() ||
      op.getNumParallelLoops() != op.getNumLoops() ||
      !op.getMatchingIndexingMap(op.getDpsInitOperand(0)).isIdentity())
    return false;
  Block &body = op.getRegion().front();
  return body.getOperations().size() == 1 &&
         body.getTerminator()->getOperand(0) == body.getArgument(0);
}

std::optional<ds::Gather> ds::findGather(linalg::GenericOp product, OpOperand *operand) {
  Gather gather;
  gather.collapse = operand->get().getDefiningOp<memref::CollapseShapeOp>();
  gather.buffer = gather.collapse ? gather.collapse.getSrc() : operand->get();
  if (!gather.buffer.getDefiningOp<memref::AllocOp>())
    return std::nullopt;
  // Back from the product to the gather, over ops that touch neither buffer.
  SmallVector<linalg::FillOp> fills;
  for (Operation *op = product->getPrevNode(); op; op = op->getPrevNode()) {
    if (auto generic = dyn_cast<linalg::GenericOp>(op);
        generic && isGatherInto(generic, gather.buffer)) {
      gather.copy = generic;
      break;
    }
    if (auto fill = dyn_cast<linalg::FillOp>(op);
        fill && fill.hasPureBufferSemantics() && ds::rootBuffer(fill.getOutputs()[0]) != gather.buffer) {
      fills.push_back(fill);
      continue;
    }
    if (!isPure(op) && !isa<memref::AllocOp, ViewLikeOpInterface>(op))
      return std::nullopt;
  }
  if (!gather.copy)
    return std::nullopt;
  Value input = ds::rootBuffer(gather.copy.getDpsInputOperand(0)->get());
  if (llvm::any_of(fills, [&](linalg::FillOp fill) { return ds::rootBuffer(fill.getOutputs()[0]) == input; }))
    return std::nullopt;
  return gather;
}

Value ds::loadThroughGather(OpBuilder &b, Location loc, const Gather &gather,
                            ValueRange indices) {
  memref::CollapseShapeOp collapse = gather.collapse;
  linalg::GenericOp copy = gather.copy;
  // The patch buffer's indices: each collapsed index split over its group's
  // dims, innermost first.
  SmallVector<Value> patch;
  if (!collapse) {
    patch.assign(indices.begin(), indices.end());
  } else {
    ArrayRef<int64_t> shape = collapse.getSrcType().getShape();
    for (auto [index, group] : llvm::zip(indices, collapse.getReassociationIndices())) {
      SmallVector<Value> split(group.size());
      Value rest = index;
      for (int i = static_cast<int>(group.size()) - 1; i > 0; --i) {
        Value size = arith::ConstantIndexOp::create(b, loc, shape[group[i]]);
        split[i] = arith::RemUIOp::create(b, loc, rest, size);
        rest = arith::DivUIOp::create(b, loc, rest, size);
      }
      split[0] = rest;
      patch.append(split);
    }
  }
  // They are the gather's loop indices (identity output map); its input's
  // indices are its input map's results there.
  OpOperand *input = copy.getDpsInputOperand(0);
  AffineMap map = copy.getMatchingIndexingMap(input);
  SmallVector<Value> at;
  for (unsigned i = 0; i < map.getNumResults(); ++i)
    at.push_back(affine::AffineApplyOp::create(b, loc, map.getSubMap({i}), patch));
  return memref::LoadOp::create(b, loc, input->get(), at);
}

/// Whether an op other than a view or a dealloc reads |buffer| or a view of it
/// (a linalg op that has it only as an init writes it).
static bool isRead(Value buffer) {
  for (OpOperand &use : buffer.getUses()) {
    Operation *user = use.getOwner();
    if (auto view = dyn_cast<ViewLikeOpInterface>(user); view && view.getViewSource() == buffer) {
      if (llvm::any_of(user->getResults(), isRead))
        return true;
      continue;
    }
    if (isa<memref::DeallocOp>(user))
      continue;
    auto linalgOp = dyn_cast<linalg::LinalgOp>(user);
    if (!linalgOp || !linalgOp.isDpsInit(&use) || linalgOp.payloadUsesValueFromOperand(&use))
      return true;
  }
  return false;
}

void ds::eraseUnreadGathers(ArrayRef<Gather> gathers) {
  // Several products may share a gather, and several gathers a buffer.
  llvm::SetVector<Operation *> copies, views, allocs;
  for (const Gather &gather : gathers) {
    if (isRead(gather.buffer))
      continue;
    copies.insert(gather.copy);
    if (gather.collapse)
      views.insert(gather.collapse);
    allocs.insert(gather.buffer.getDefiningOp());
  }
  for (Operation *op : copies)
    op->erase();
  for (Operation *op : llvm::concat<Operation *const>(views, allocs))
    if (op->use_empty())
      op->erase();
}
