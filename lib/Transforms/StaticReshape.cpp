//===- StaticReshape.cpp - any static reshape as collapse + expand --------===//

#include "deepseek/Transforms/StaticReshape.h"

#include "mlir/Dialect/Tensor/IR/Tensor.h"

using namespace mlir;

Value mlir::ds::reshapeTo(OpBuilder &b, Location loc, Value value, RankedTensorType type) {
  auto sourceType = cast<RankedTensorType>(value.getType());
  if (sourceType == type)
    return value;
  // Go through a 1-D (or 0-D) tensor: every static reshape is a collapse
  // followed by an expand, and both are views after bufferization.
  Value flat = value;
  if (sourceType.getRank() > 1 || type.getRank() == 0) {
    SmallVector<ReassociationIndices> reassociation;
    if (type.getRank() != 0) {
      ReassociationIndices all;
      for (int64_t d = 0; d < sourceType.getRank(); ++d)
        all.push_back(d);
      reassociation.push_back(all);
    }
    auto flatType = RankedTensorType::get(
        type.getRank() == 0 ? ArrayRef<int64_t>{} : ArrayRef<int64_t>{type.getNumElements()},
        type.getElementType());
    flat = tensor::CollapseShapeOp::create(b, loc, flatType, value, reassociation);
  }
  auto flatType = cast<RankedTensorType>(flat.getType());
  if (flatType == type)
    return flat;
  SmallVector<ReassociationIndices> reassociation;
  if (flatType.getRank() != 0) {
    ReassociationIndices all;
    for (int64_t d = 0; d < type.getRank(); ++d)
      all.push_back(d);
    reassociation.push_back(all);
  }
  return tensor::ExpandShapeOp::create(b, loc, type, flat, reassociation);
}
