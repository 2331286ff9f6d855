//===- ElementwiseOps.cpp - elementwise ds ops: verifiers and folders -----===//
//
// Unary ops infer their type through SameOperandsAndResultType and broadcasting
// ops through `inferBroadcastResult` (DSOps.td); what remains here are the checks
// and folds that are specific to one op.
//
//===----------------------------------------------------------------------===//

#include "OpHelpers.h"

#include "mlir/IR/BuiltinAttributes.h"
#include "mlir/IR/TypeUtilities.h"

using namespace mlir;
using namespace mlir::ds;

LogicalResult ClipOp::verify() {
  std::optional<llvm::APFloat> min = getMin(), max = getMax();
  if (min && max && *max < *min)
    return emitOpError("expected min <= max, got min = ")
           << min->convertToFloat() << ", max = " << max->convertToFloat();
  return success();
}

LogicalResult CastOp::verify() {
  auto in = getInput().getType(), out = getOutput().getType();
  if (failed(verifyCompatibleShape(in, out)))
    return emitOpError("expected input and result of the same shape, got ")
           << in << " and " << out;
  return success();
}

OpFoldResult CastOp::fold(FoldAdaptor) {
  if (getInput().getType() == getOutput().getType())
    return getInput();
  return {};
}

LogicalResult WhereOp::inferReturnTypes(MLIRContext *, std::optional<Location> loc,
                                        Adaptor adaptor,
                                        SmallVectorImpl<Type> &inferred) {
  Type t = adaptor.getTrueValue().getType(), f = adaptor.getFalseValue().getType();
  if (failed(helpers::checkSameElementType(loc, getOperationName(), {t, f},
                                           {"true_value", "false_value"})))
    return failure();
  auto cond = dyn_cast<RankedTensorType>(adaptor.getCondition().getType());
  auto tt = dyn_cast<RankedTensorType>(t), ft = dyn_cast<RankedTensorType>(f);
  if (!cond || !tt || !ft)
    return failure();
  llvm::Expected<shape::Shape> shape = shape::broadcast(cond.getShape(), tt.getShape());
  if (shape)
    shape = shape::broadcast(*shape, ft.getShape());
  if (!shape)
    return helpers::inferError(loc, getOperationName(), shape.takeError());
  inferred.push_back(RankedTensorType::get(*shape, tt.getElementType()));
  return success();
}
