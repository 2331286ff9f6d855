//===- PoolingOps.cpp - max/average/global pooling type inference ---------===//

#include "OpHelpers.h"

using namespace mlir;
using namespace mlir::ds;
using helpers::inferError;

namespace {

/// Output type of a windowed pool over the spatial dimensions of |inputType|.
/// |dilations| is empty for pools without dilation.
LogicalResult inferWindowPool(std::optional<Location> loc, StringRef name, Type inputType,
                              ArrayRef<int64_t> kernel, ArrayRef<int64_t> strides,
                              ArrayRef<int64_t> pads,
                              std::optional<ArrayRef<int64_t>> dilations, bool ceilMode,
                              SmallVectorImpl<Type> &inferred) {
  auto input = dyn_cast<RankedTensorType>(inputType);
  if (!input)
    return failure();
  if (input.getRank() < 3)
    return inferError(loc, name,
                      "expected input of rank >= 3 (N x C x spatial...), got rank " +
                          Twine(input.getRank()));
  unsigned spatial = input.getRank() - 2;
  if (kernel.size() != spatial)
    return inferError(loc, name,
                      "expected " + Twine(spatial) + " kernel_shape values, got " +
                          Twine(kernel.size()));
  if (llvm::Error e = shape::checkWindowAttributes(spatial, strides, pads,
                                                   dilations ? &*dilations : nullptr))
    return inferError(loc, name, std::move(e));
  shape::Shape result = {input.getDimSize(0), input.getDimSize(1)};
  for (unsigned i = 0; i < spatial; ++i) {
    llvm::Expected<int64_t> size = shape::windowOutputSize(
        input.getDimSize(2 + i), kernel[i], strides[i], dilations ? (*dilations)[i] : 1,
        pads[i], pads[spatial + i], ceilMode);
    if (!size)
      return inferError(loc, name,
                        "spatial dimension " + Twine(i) + ": " +
                            llvm::toString(size.takeError()));
    result.push_back(*size);
  }
  inferred.push_back(RankedTensorType::get(result, input.getElementType()));
  return success();
}

LogicalResult inferGlobalPool(std::optional<Location> loc, StringRef name, Type inputType,
                              SmallVectorImpl<Type> &inferred) {
  auto input = dyn_cast<RankedTensorType>(inputType);
  if (!input)
    return failure();
  if (input.getRank() < 3)
    return inferError(loc, name,
                      "expected input of rank >= 3 (N x C x spatial...), got rank " +
                          Twine(input.getRank()));
  shape::Shape result(input.getShape());
  std::fill(result.begin() + 2, result.end(), 1);
  inferred.push_back(RankedTensorType::get(result, input.getElementType()));
  return success();
}

} // namespace

LogicalResult MaxPoolOp::inferReturnTypes(MLIRContext *, std::optional<Location> loc,
                                          Adaptor adaptor,
                                          SmallVectorImpl<Type> &inferred) {
  return inferWindowPool(loc, getOperationName(), adaptor.getInput().getType(),
                         adaptor.getKernelShape(), adaptor.getStrides(),
                         adaptor.getPads(), adaptor.getDilations(), adaptor.getCeilMode(),
                         inferred);
}

LogicalResult AveragePoolOp::inferReturnTypes(MLIRContext *, std::optional<Location> loc,
                                              Adaptor adaptor,
                                              SmallVectorImpl<Type> &inferred) {
  return inferWindowPool(loc, getOperationName(), adaptor.getInput().getType(),
                         adaptor.getKernelShape(), adaptor.getStrides(),
                         adaptor.getPads(), std::nullopt, adaptor.getCeilMode(),
                         inferred);
}

LogicalResult GlobalAveragePoolOp::inferReturnTypes(MLIRContext *,
                                                    std::optional<Location> loc,
                                                    Adaptor adaptor,
                                                    SmallVectorImpl<Type> &inferred) {
  return inferGlobalPool(loc, getOperationName(), adaptor.getInput().getType(), inferred);
}

LogicalResult GlobalMaxPoolOp::inferReturnTypes(MLIRContext *,
                                                std::optional<Location> loc,
                                                Adaptor adaptor,
                                                SmallVectorImpl<Type> &inferred) {
  return inferGlobalPool(loc, getOperationName(), adaptor.getInput().getType(), inferred);
}
