//===- StaticReshape.cpp - any static reshape as collapse + expand --------===//

#include "deepseek/Transforms/StaticReshape.h"

#include "mlir/Dialect/Tensor/IR/Tensor.h"

using namespace mlir;

/// The reassociation between |rank| dims and one (|toOneDim|) or none.
static SmallVector<ReassociationIndices> intoOneDim(int64_t rank, bool toOneDim) {
  SmallVector<ReassociationIndices> reassociation;
  if (toOneDim)
    reassociation.push_back(llvm::to_vector(llvm::seq<int64_t>(0, rank)));
  return reassociation;
}

Value mlir::ds::reshapeTo(OpBuilder &b, Location loc, Value value, RankedTensorType type) {
  auto sourceType = cast<RankedTensorType>(value.getType());
  if (sourceType == type)
    return value;
  // Go through a 1-D (or 0-D) tensor: every static reshape is a collapse
  // followed by an expand, and both are views after bufferization.
  Value flat = value;
  if (sourceType.getRank() > 1 || type.getRank() == 0) {
    SmallVector<ReassociationIndices> reassociation =
        intoOneDim(sourceType.getRank(), type.getRank() != 0);
    auto flatType = RankedTensorType::get(
        type.getRank() == 0 ? ArrayRef<int64_t>{} : ArrayRef<int64_t>{type.getNumElements()},
        type.getElementType());
    flat = tensor::CollapseShapeOp::create(b, loc, flatType, value, reassociation);
  }
  auto flatType = cast<RankedTensorType>(flat.getType());
  if (flatType == type)
    return flat;
  SmallVector<ReassociationIndices> reassociation =
      intoOneDim(type.getRank(), flatType.getRank() != 0);
  return tensor::ExpandShapeOp::create(b, loc, type, flat, reassociation);
}
