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

LogicalResult AttentionOp::inferReturnTypes(MLIRContext *, std::optional<Location> loc,
                                            Adaptor adaptor,
                                            SmallVectorImpl<Type> &inferred) {
  StringRef name = getOperationName();
  auto query = dyn_cast<RankedTensorType>(adaptor.getQuery().getType());
  auto key = dyn_cast<RankedTensorType>(adaptor.getKey().getType());
  auto value = dyn_cast<RankedTensorType>(adaptor.getValue().getType());
  if (!query || !key || !value)
    return failure();
  helpers::NamedOperandTypes operands(
      {adaptor.getQuery(), adaptor.getKey(), adaptor.getValue(), adaptor.getMask()},
      {"query", "key", "value", "mask"});
  if (failed(helpers::checkSameElementType(loc, name, operands.types, operands.names)))
    return failure();
  int64_t rank = query.getRank();
  if (rank < 2 || key.getRank() != rank || value.getRank() != rank)
    return inferError(loc, name,
                      "expected query, key and value of one rank >= 2, got " +
                          shape::toString(query.getShape()) + ", " +
                          shape::toString(key.getShape()) + " and " +
                          shape::toString(value.getShape()));
  ArrayRef<int64_t> batch = query.getShape().drop_back(2);
  int64_t sq = query.getDimSize(rank - 2), d = query.getDimSize(rank - 1);
  int64_t sk = key.getDimSize(rank - 2), dv = value.getDimSize(rank - 1);
  if (key.getShape().drop_back(2) != batch || value.getShape().drop_back(2) != batch ||
      key.getDimSize(rank - 1) != d || value.getDimSize(rank - 2) != sk)
    return inferError(loc, name,
                      "expected key [..., Sk, D] and value [..., Sk, Dv] to match query " +
                          shape::toString(query.getShape()) + ", got " +
                          shape::toString(key.getShape()) + " and " +
                          shape::toString(value.getShape()));
  SmallVector<int64_t> scores(batch);
  scores.append({sq, sk});
  if (Value maskValue = adaptor.getMask())
    if (auto mask = cast<RankedTensorType>(maskValue.getType());
        !shape::broadcastsTo(mask.getShape(), scores))
      return inferError(loc, name,
                        "expected mask to broadcast to the scores' shape " +
                            shape::toString(scores) + ", got " +
                            shape::toString(mask.getShape()));
  SmallVector<int64_t> result(batch);
  result.append({sq, dv});
  inferred.push_back(RankedTensorType::get(result, query.getElementType()));
  return success();
}
