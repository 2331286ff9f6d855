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
