//===- NormalizationOps.cpp - softmax, log_softmax, layer_norm ------------===//

#include "OpHelpers.h"

using namespace mlir;
using namespace mlir::ds;
using helpers::inferError;

namespace {
template <typename SoftmaxLikeOp>
LogicalResult verifySoftmaxAxis(SoftmaxLikeOp op) {
  int64_t rank = op.getInput().getType().getRank();
  int64_t axis = op.getAxis();
  if (axis < 0 || axis >= rank)
    return op.emitOpError("expected axis in [0, ")
           << rank << ") for an input of rank " << rank << ", got " << axis;
  return success();
}
} // namespace

LogicalResult SoftmaxOp::verify() { return verifySoftmaxAxis(*this); }
LogicalResult LogSoftmaxOp::verify() { return verifySoftmaxAxis(*this); }

LogicalResult LayerNormOp::inferReturnTypes(MLIRContext *, std::optional<Location> loc,
                                            Adaptor adaptor,
                                            SmallVectorImpl<Type> &inferred) {
  StringRef name = getOperationName();
  auto input = dyn_cast<RankedTensorType>(adaptor.getInput().getType());
  if (!input)
    return failure();
  int64_t rank = input.getRank(), axis = adaptor.getAxis();
  if (axis < 0 || axis >= rank)
    return inferError(loc, name,
                      "expected axis in [0, " + Twine(rank) + ") for an input of rank " +
                          Twine(rank) + ", got " + Twine(axis));
  SmallVector<Type> types = {input, adaptor.getScale().getType()};
  SmallVector<StringRef> names = {"input", "scale"};
  if (Value bias = adaptor.getBias()) {
    types.push_back(bias.getType());
    names.push_back("bias");
  }
  if (failed(helpers::checkSameElementType(loc, name, types, names)))
    return failure();
  ArrayRef<int64_t> normalized = input.getShape().drop_front(axis);
  for (auto [type, paramName] : llvm::zip_equal(ArrayRef(types).drop_front(),
                                                ArrayRef(names).drop_front())) {
    auto param = cast<RankedTensorType>(type);
    if (!shape::broadcastsTo(param.getShape(), normalized))
      return inferError(loc, name,
                        "expected " + paramName + " to broadcast to the normalized shape " +
                            shape::toString(normalized) + ", got " +
                            shape::toString(param.getShape()));
  }
  inferred.push_back(input);
  return success();
}
