//===- ReductionOps.cpp - reductions: shared type inference, cum_sum -----===//
//
// The reduce_* and arg_max/arg_min ops infer their result through
// inferReduceResult (called from their ODS class definitions).
//
//===----------------------------------------------------------------------===//

#include "OpHelpers.h"

using namespace mlir;
using namespace mlir::ds;

LogicalResult mlir::ds::inferReduceResult(std::optional<Location> loc, StringRef opName,
                                          Type inputType, ArrayRef<int64_t> axes,
                                          bool keepDims, Type resultElementType,
                                          SmallVectorImpl<Type> &inferred) {
  auto input = dyn_cast<RankedTensorType>(inputType);
  if (!input)
    return failure();
  llvm::Expected<shape::Shape> result = shape::reduce(input.getShape(), axes, keepDims);
  if (!result)
    return helpers::inferError(loc, opName, result.takeError());
  inferred.push_back(RankedTensorType::get(
      *result, resultElementType ? resultElementType : input.getElementType()));
  return success();
}

LogicalResult CumSumOp::verify() {
  return helpers::checkAxis(getLoc(), getOperationName(), getAxis(),
                            getInput().getType().getRank());
}
