//===- ReductionOps.cpp - reduce_{sum,mean,max,min,prod,l2} ---------------===//

#include "OpHelpers.h"

using namespace mlir;
using namespace mlir::ds;

namespace {
template <typename Adaptor>
LogicalResult inferReduce(std::optional<Location> loc, StringRef name, Adaptor adaptor,
                          SmallVectorImpl<Type> &inferred) {
  auto input = dyn_cast<RankedTensorType>(adaptor.getInput().getType());
  if (!input)
    return failure();
  llvm::Expected<shape::Shape> result =
      shape::reduce(input.getShape(), adaptor.getAxes(), adaptor.getKeepdims());
  if (!result)
    return helpers::inferError(loc, name, result.takeError());
  inferred.push_back(RankedTensorType::get(*result, input.getElementType()));
  return success();
}
} // namespace

#define DS_DEFINE_REDUCE_INFERENCE(OP)                                                   \
  LogicalResult OP::inferReturnTypes(MLIRContext *, std::optional<Location> loc,         \
                                     Adaptor adaptor, SmallVectorImpl<Type> &inferred) { \
    return inferReduce(loc, getOperationName(), adaptor, inferred);                      \
  }
DS_DEFINE_REDUCE_INFERENCE(ReduceSumOp)
DS_DEFINE_REDUCE_INFERENCE(ReduceMeanOp)
DS_DEFINE_REDUCE_INFERENCE(ReduceMaxOp)
DS_DEFINE_REDUCE_INFERENCE(ReduceMinOp)
DS_DEFINE_REDUCE_INFERENCE(ReduceProdOp)
DS_DEFINE_REDUCE_INFERENCE(ReduceL2Op)
#undef DS_DEFINE_REDUCE_INFERENCE

namespace {
template <typename Adaptor>
LogicalResult inferArgReduce(std::optional<Location> loc, StringRef name, Adaptor adaptor,
                             SmallVectorImpl<Type> &inferred) {
  auto input = dyn_cast<RankedTensorType>(adaptor.getInput().getType());
  if (!input)
    return failure();
  int64_t axis = adaptor.getAxis();
  if (failed(helpers::checkAxis(loc, name, axis, input.getRank())))
    return failure();
  llvm::Expected<shape::Shape> result =
      shape::reduce(input.getShape(), {axis}, adaptor.getKeepdims());
  if (!result)
    return helpers::inferError(loc, name, result.takeError());
  inferred.push_back(
      RankedTensorType::get(*result, IntegerType::get(input.getContext(), 64)));
  return success();
}
} // namespace

LogicalResult ArgMaxOp::inferReturnTypes(MLIRContext *, std::optional<Location> loc,
                                         Adaptor adaptor,
                                         SmallVectorImpl<Type> &inferred) {
  return inferArgReduce(loc, getOperationName(), adaptor, inferred);
}

LogicalResult ArgMinOp::inferReturnTypes(MLIRContext *, std::optional<Location> loc,
                                         Adaptor adaptor,
                                         SmallVectorImpl<Type> &inferred) {
  return inferArgReduce(loc, getOperationName(), adaptor, inferred);
}

LogicalResult CumSumOp::verify() {
  return helpers::checkAxis(getLoc(), getOperationName(), getAxis(),
                            getInput().getType().getRank());
}
