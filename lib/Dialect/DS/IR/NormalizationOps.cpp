//===- NormalizationOps.cpp - softmax, log_softmax, layer_norm ------------===//

#include "OpHelpers.h"

using namespace mlir;
using namespace mlir::ds;
using helpers::inferError;

namespace {
template <typename SoftmaxLikeOp> LogicalResult verifySoftmaxAxis(SoftmaxLikeOp op) {
  return helpers::checkAxis(op.getLoc(), op.getOperationName(), op.getAxis(),
                            op.getInput().getType().getRank());
}
} // namespace

LogicalResult SoftmaxOp::verify() { return verifySoftmaxAxis(*this); }
LogicalResult LogSoftmaxOp::verify() { return verifySoftmaxAxis(*this); }
LogicalResult HardmaxOp::verify() { return verifySoftmaxAxis(*this); }

LogicalResult LayerNormOp::inferReturnTypes(MLIRContext *, std::optional<Location> loc,
                                            Adaptor adaptor,
                                            SmallVectorImpl<Type> &inferred) {
  StringRef name = getOperationName();
  auto input = dyn_cast<RankedTensorType>(adaptor.getInput().getType());
  if (!input)
    return failure();
  int64_t rank = input.getRank(), axis = adaptor.getAxis();
  if (failed(helpers::checkAxis(loc, name, axis, rank)))
    return failure();
  helpers::NamedOperandTypes operands(
      {adaptor.getInput(), adaptor.getScale(), adaptor.getBias()},
      {"input", "scale", "bias"});
  if (failed(helpers::checkSameElementType(loc, name, operands.types, operands.names)))
    return failure();
  ArrayRef<int64_t> normalized = input.getShape().drop_front(axis);
  for (auto [type, paramName] : llvm::zip_equal(ArrayRef(operands.types).drop_front(),
                                                ArrayRef(operands.names).drop_front())) {
    auto param = cast<RankedTensorType>(type);
    if (!shape::broadcastsTo(param.getShape(), normalized))
      return inferError(
          loc, name,
          "expected " + paramName + " to broadcast to the normalized shape " +
              shape::toString(normalized) + ", got " + shape::toString(param.getShape()));
  }
  inferred.push_back(input);
  return success();
}
