//===- LinearOps.cpp - conv, conv_transpose, gemm, matmul, batch_norm -----===//
//
// Type inference for the ops that carry weights. These checks are what catches
// a model whose channels do not line up, so their messages name both sides.
//
//===----------------------------------------------------------------------===//

#include "OpHelpers.h"

#include "mlir/IR/TypeUtilities.h"

using namespace mlir;
using namespace mlir::ds;
using helpers::inferError;

namespace {

constexpr int64_t kDynamic = ShapedType::kDynamic;

bool bothStaticAndDiffer(int64_t a, int64_t b) {
  return a != kDynamic && b != kDynamic && a != b;
}

/// Checks an optional per-channel vector (conv bias) of |channels| elements.
LogicalResult checkChannelVector(std::optional<Location> loc, StringRef opName,
                                 Value vector, StringRef name, int64_t channels) {
  if (!vector)
    return success();
  auto type = cast<RankedTensorType>(vector.getType());
  if (type.getRank() != 1 || bothStaticAndDiffer(type.getDimSize(0), channels))
    return inferError(loc, opName,
                      "expected " + name + " of shape " + shape::toString({channels}) +
                          ", got " + shape::toString(type.getShape()));
  return success();
}

/// Checks an optional epilogue operand (bias/residual) that must broadcast to
/// the result shape |result|.
LogicalResult checkBroadcastsToResult(std::optional<Location> loc, StringRef opName,
                                      Value operand, StringRef name,
                                      ArrayRef<int64_t> result) {
  if (!operand)
    return success();
  auto type = cast<RankedTensorType>(operand.getType());
  if (!shape::broadcastsTo(type.getShape(), result)) {
    std::string message;
    llvm::raw_string_ostream os(message);
    os << "expected " << name << " to broadcast to the result shape "
       << shape::toString(result) << ", got " << type;
    return inferError(loc, opName, message);
  }
  return success();
}

/// Shared by conv and conv_transpose: ranks, element types of all present
/// |operands| and window attributes.
LogicalResult checkConvOperands(std::optional<Location> loc, StringRef opName,
                                RankedTensorType input, RankedTensorType weight,
                                const helpers::NamedOperandTypes &operands,
                                ArrayRef<int64_t> strides, ArrayRef<int64_t> pads,
                                ArrayRef<int64_t> dilations, int64_t group) {
  if (input.getRank() < 3 || input.getRank() > 5)
    return inferError(
        loc, opName,
        "expected a 1-D, 2-D or 3-D convolution (input of rank 3 to 5), got "
        "input of rank " +
            Twine(input.getRank()));
  if (weight.getRank() != input.getRank())
    return inferError(loc, opName,
                      "expected weight of rank " + Twine(input.getRank()) +
                          " like the input, got rank " + Twine(weight.getRank()));
  if (failed(helpers::checkSameElementType(loc, opName, operands.types, operands.names)))
    return failure();
  if (llvm::Error e =
          shape::checkWindowAttributes(input.getRank() - 2, strides, pads, &dilations))
    return inferError(loc, opName, std::move(e));
  if (group <= 0)
    return inferError(loc, opName,
                      "expected a positive group count, got " + Twine(group));
  return success();
}

/// Fused activations are defined on floating point only.
LogicalResult checkActivationType(std::optional<Location> loc, StringRef opName,
                                  ActivationAttr activation, Type elementType) {
  if (activation && !isa<FloatType>(elementType))
    return inferError(loc, opName, "a fused activation needs a floating-point result");
  return success();
}

} // namespace

//===----------------------------------------------------------------------===//
// ConvOp
//===----------------------------------------------------------------------===//

LogicalResult ConvOp::inferReturnTypes(MLIRContext *, std::optional<Location> loc,
                                       Adaptor adaptor, SmallVectorImpl<Type> &inferred) {
  StringRef name = getOperationName();
  auto input = dyn_cast<RankedTensorType>(adaptor.getInput().getType());
  auto weight = dyn_cast<RankedTensorType>(adaptor.getWeight().getType());
  if (!input || !weight)
    return failure();
  int64_t group = adaptor.getGroup();
  ArrayRef<int64_t> strides = adaptor.getStrides(), pads = adaptor.getPads(),
                    dilations = adaptor.getDilations();
  helpers::NamedOperandTypes operands(
      {adaptor.getInput(), adaptor.getWeight(), adaptor.getBias(), adaptor.getResidual()},
      {"input", "weight", "bias", "residual"});
  if (failed(checkConvOperands(loc, name, input, weight, operands, strides, pads,
                               dilations, group)))
    return failure();

  int64_t inChannels = input.getDimSize(1), outChannels = weight.getDimSize(0),
          weightChannels = weight.getDimSize(1);
  if (outChannels != kDynamic && outChannels % group != 0)
    return inferError(loc, name,
                      "expected output channels (" + Twine(outChannels) +
                          ") to be divisible by group (" + Twine(group) + ")");
  if (inChannels != kDynamic && weightChannels != kDynamic &&
      inChannels != weightChannels * group)
    return inferError(loc, name,
                      "expected input channels (" + Twine(inChannels) +
                          ") to equal weight input channels (" + Twine(weightChannels) +
                          ") x group (" + Twine(group) + ")");
  if (failed(checkChannelVector(loc, name, adaptor.getBias(), "bias", outChannels)) ||
      failed(checkActivationType(loc, name, adaptor.getActivationAttr(),
                                 input.getElementType())))
    return failure();

  unsigned spatial = input.getRank() - 2;
  shape::Shape result = {input.getDimSize(0), outChannels};
  for (unsigned i = 0; i < spatial; ++i) {
    llvm::Expected<int64_t> size =
        shape::windowOutputSize(input.getDimSize(2 + i), weight.getDimSize(2 + i),
                                strides[i], dilations[i], pads[i], pads[spatial + i]);
    if (!size)
      return inferError(loc, name,
                        "spatial dimension " + Twine(i) + ": " +
                            llvm::toString(size.takeError()));
    result.push_back(*size);
  }
  if (Value residual = adaptor.getResidual()) {
    auto type = cast<RankedTensorType>(residual.getType());
    if (failed(verifyCompatibleShape(type.getShape(), result)))
      return inferError(loc, name,
                        "expected residual of the result's shape " +
                            shape::toString(result) + ", got " +
                            shape::toString(type.getShape()));
  }
  inferred.push_back(RankedTensorType::get(result, input.getElementType()));
  return success();
}

//===----------------------------------------------------------------------===//
// ConvTransposeOp
//===----------------------------------------------------------------------===//

LogicalResult ConvTransposeOp::inferReturnTypes(MLIRContext *,
                                                std::optional<Location> loc,
                                                Adaptor adaptor,
                                                SmallVectorImpl<Type> &inferred) {
  StringRef name = getOperationName();
  auto input = dyn_cast<RankedTensorType>(adaptor.getInput().getType());
  auto weight = dyn_cast<RankedTensorType>(adaptor.getWeight().getType());
  if (!input || !weight)
    return failure();
  int64_t group = adaptor.getGroup();
  ArrayRef<int64_t> strides = adaptor.getStrides(), pads = adaptor.getPads(),
                    dilations = adaptor.getDilations(),
                    outputPadding = adaptor.getOutputPadding();
  helpers::NamedOperandTypes operands(
      {adaptor.getInput(), adaptor.getWeight(), adaptor.getBias()},
      {"input", "weight", "bias"});
  if (failed(checkConvOperands(loc, name, input, weight, operands, strides, pads,
                               dilations, group)))
    return failure();
  unsigned spatial = input.getRank() - 2;
  if (outputPadding.size() != spatial)
    return inferError(loc, name,
                      "expected " + Twine(spatial) + " output_padding values, got " +
                          Twine(outputPadding.size()));
  int64_t inChannels = input.getDimSize(1);
  if (bothStaticAndDiffer(inChannels, weight.getDimSize(0)))
    return inferError(loc, name,
                      "expected input channels (" + Twine(inChannels) +
                          ") to equal the weight's first dimension (" +
                          Twine(weight.getDimSize(0)) + ")");
  if (inChannels != kDynamic && inChannels % group != 0)
    return inferError(loc, name,
                      "expected input channels (" + Twine(inChannels) +
                          ") to be divisible by group (" + Twine(group) + ")");
  int64_t outChannels =
      weight.getDimSize(1) == kDynamic ? kDynamic : weight.getDimSize(1) * group;
  if (failed(checkChannelVector(loc, name, adaptor.getBias(), "bias", outChannels)))
    return failure();
  shape::Shape result = {input.getDimSize(0), outChannels};
  for (unsigned i = 0; i < spatial; ++i) {
    llvm::Expected<int64_t> size = shape::transposedWindowOutputSize(
        input.getDimSize(2 + i), weight.getDimSize(2 + i), strides[i], dilations[i],
        pads[i], pads[spatial + i], outputPadding[i]);
    if (!size)
      return inferError(loc, name,
                        "spatial dimension " + Twine(i) + ": " +
                            llvm::toString(size.takeError()));
    result.push_back(*size);
  }
  inferred.push_back(RankedTensorType::get(result, input.getElementType()));
  return success();
}

//===----------------------------------------------------------------------===//
// BatchNormOp
//===----------------------------------------------------------------------===//

LogicalResult BatchNormOp::inferReturnTypes(MLIRContext *, std::optional<Location> loc,
                                            Adaptor adaptor,
                                            SmallVectorImpl<Type> &inferred) {
  StringRef name = getOperationName();
  auto input = dyn_cast<RankedTensorType>(adaptor.getInput().getType());
  if (!input)
    return failure();
  if (input.getRank() < 2)
    return inferError(loc, name,
                      "expected input of rank >= 2 (N x C x ...), got rank " +
                          Twine(input.getRank()));
  Value params[] = {adaptor.getScale(), adaptor.getBias(), adaptor.getMean(),
                    adaptor.getVariance()};
  StringRef names[] = {"scale", "bias", "mean", "variance"};
  helpers::NamedOperandTypes operands(
      {adaptor.getInput(), params[0], params[1], params[2], params[3]},
      {"input", names[0], names[1], names[2], names[3]});
  if (failed(helpers::checkSameElementType(loc, name, operands.types, operands.names)))
    return failure();
  for (auto [value, paramName] : llvm::zip_equal(params, names))
    if (failed(checkChannelVector(loc, name, value, paramName, input.getDimSize(1))))
      return failure();
  inferred.push_back(input);
  return success();
}

//===----------------------------------------------------------------------===//
// GemmOp
//===----------------------------------------------------------------------===//

LogicalResult GemmOp::inferReturnTypes(MLIRContext *, std::optional<Location> loc,
                                       Adaptor adaptor, SmallVectorImpl<Type> &inferred) {
  StringRef name = getOperationName();
  auto a = dyn_cast<RankedTensorType>(adaptor.getA().getType());
  auto b = dyn_cast<RankedTensorType>(adaptor.getB().getType());
  if (!a || !b)
    return failure();
  if (a.getRank() != 2 || b.getRank() != 2)
    return inferError(loc, name,
                      "expected 2-D operands, got ranks " + Twine(a.getRank()) + " and " +
                          Twine(b.getRank()));
  helpers::NamedOperandTypes operands(
      {adaptor.getA(), adaptor.getB(), adaptor.getC(), adaptor.getResidual()},
      {"a", "b", "bias", "residual"});
  if (failed(helpers::checkSameElementType(loc, name, operands.types, operands.names)))
    return failure();
  bool transA = adaptor.getTransA(), transB = adaptor.getTransB();
  int64_t m = a.getDimSize(transA ? 1 : 0), ka = a.getDimSize(transA ? 0 : 1);
  int64_t kb = b.getDimSize(transB ? 1 : 0), n = b.getDimSize(transB ? 0 : 1);
  if (bothStaticAndDiffer(ka, kb))
    return inferError(loc, name,
                      "contraction sizes differ: op(a) has " + Twine(ka) +
                          " columns, op(b) has " + Twine(kb) + " rows");
  shape::Shape result = {m, n};
  if (failed(checkBroadcastsToResult(loc, name, adaptor.getC(), "bias", result)) ||
      failed(
          checkBroadcastsToResult(loc, name, adaptor.getResidual(), "residual", result)))
    return failure();
  inferred.push_back(RankedTensorType::get(result, a.getElementType()));
  return success();
}

//===----------------------------------------------------------------------===//
// MatMulOp
//===----------------------------------------------------------------------===//

LogicalResult MatMulOp::inferReturnTypes(MLIRContext *, std::optional<Location> loc,
                                         Adaptor adaptor,
                                         SmallVectorImpl<Type> &inferred) {
  StringRef name = getOperationName();
  auto lhs = dyn_cast<RankedTensorType>(adaptor.getLhs().getType());
  auto rhs = dyn_cast<RankedTensorType>(adaptor.getRhs().getType());
  if (!lhs || !rhs)
    return failure();
  helpers::NamedOperandTypes operands(
      {adaptor.getLhs(), adaptor.getRhs(), adaptor.getBias(), adaptor.getResidual()},
      {"lhs", "rhs", "bias", "residual"});
  if (failed(helpers::checkSameElementType(loc, name, operands.types, operands.names)))
    return failure();
  if (failed(checkActivationType(loc, name, adaptor.getActivationAttr(),
                                 lhs.getElementType())))
    return failure();
  llvm::Expected<shape::Shape> result = shape::matmul(lhs.getShape(), rhs.getShape());
  if (!result)
    return inferError(loc, name, result.takeError());
  if (failed(checkBroadcastsToResult(loc, name, adaptor.getBias(), "bias", *result)) ||
      failed(
          checkBroadcastsToResult(loc, name, adaptor.getResidual(), "residual", *result)))
    return failure();
  inferred.push_back(RankedTensorType::get(*result, lhs.getElementType()));
  return success();
}
