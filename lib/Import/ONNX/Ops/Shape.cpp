//===- Shape.cpp - ONNX shape and data-movement operators -> ds -----------===//

#include "../NodeContext.h"
#include "../TensorConversion.h"

#include "deepseek/Dialect/DS/IR/DSOps.h"
#include "deepseek/Dialect/DS/IR/ShapeInference.h"

using namespace mlir;

namespace deepseek::onnx_import {
namespace {

/// Identity and inference-mode Dropout forward their input; Dropout's mask
/// output is not produced.
LogicalResult convertForward(NodeContext &ctx) {
  if (ctx.isOutputUsed(1))
    return ctx.error("the mask output of Dropout is not supported");
  ctx.setOutput(0, ctx.input(0));
  return success();
}

LogicalResult convertConstant(NodeContext &ctx) {
  if (const onnx::TensorProto *tensor = ctx.attrTensor("value"))
    return ctx.setConstantOutput(0, *tensor);
  return ctx.error("only the 'value' form of Constant is supported");
}

LogicalResult convertFlatten(NodeContext &ctx) {
  int64_t rank = ctx.inputType(0).getRank();
  int64_t axis = ctx.attrInt("axis", 1);
  if (axis < 0)
    axis += rank;
  if (axis < 0 || axis > rank)
    return ctx.error("axis " + Twine(ctx.attrInt("axis", 1)) +
                     " is out of range for rank " + Twine(rank));
  return ctx.createOutput<ds::FlattenOp>(ctx.input(0),
                                         ctx.builder().getI64IntegerAttr(axis));
}

/// Reshape with a constant shape: 0 copies the input dimension (unless
/// allowzero), one -1 takes what is left.
LogicalResult convertReshape(NodeContext &ctx) {
  RankedTensorType inputType = ctx.inputType(0);
  FailureOr<SmallVector<int64_t>> target = ctx.constantInts(1);
  if (failed(target))
    return failure();
  bool allowZero = ctx.attrInt("allowzero", 0) != 0;
  SmallVector<int64_t> shape;
  int inferredIndex = -1;
  for (auto [i, dim] : llvm::enumerate(*target)) {
    if (dim == 0 && !allowZero) {
      if (static_cast<int64_t>(i) >= inputType.getRank())
        return ctx.error("shape entry " + Twine(i) +
                         " is 0 (copy) but the input has rank " +
                         Twine(inputType.getRank()));
      shape.push_back(inputType.getDimSize(i));
    } else if (dim == -1) {
      if (inferredIndex >= 0)
        return ctx.error("shape has more than one -1");
      inferredIndex = i;
      shape.push_back(ShapedType::kDynamic);
    } else if (dim < 0) {
      return ctx.error("shape entry " + Twine(i) + " is " + Twine(dim));
    } else {
      shape.push_back(dim);
    }
  }
  if (inferredIndex >= 0 && inputType.hasStaticShape()) {
    int64_t known = 1;
    for (int64_t d : shape)
      if (d != ShapedType::kDynamic)
        known *= d;
    int64_t total = inputType.getNumElements();
    if (known == 0 || total % known != 0)
      return ctx.error("cannot reshape " + Twine(total) + " elements into shape " +
                       ds::shape::toString(*target));
    shape[inferredIndex] = total / known;
  }
  auto resultType = RankedTensorType::get(shape, inputType.getElementType());
  ctx.setOutput(
      0, ds::ReshapeOp::create(ctx.builder(), ctx.loc(), resultType, ctx.input(0)));
  return success();
}

LogicalResult convertTranspose(NodeContext &ctx) {
  int64_t rank = ctx.inputType(0).getRank();
  SmallVector<int64_t> perm;
  if (std::optional<SmallVector<int64_t>> given = ctx.attrInts("perm"))
    perm = *given;
  else
    for (int64_t i = rank - 1; i >= 0; --i)
      perm.push_back(i);
  return ctx.createOutput<ds::TransposeOp>(ctx.input(0),
                                           ctx.builder().getDenseI64ArrayAttr(perm));
}

LogicalResult convertConcat(NodeContext &ctx) {
  SmallVector<Value> inputs;
  for (int i = 0; i < ctx.node().input_size(); ++i)
    inputs.push_back(ctx.input(i));
  FailureOr<int64_t> axis =
      ctx.normalizeAxis(ctx.attrInt("axis", 0), ctx.inputType(0).getRank());
  if (failed(axis))
    return failure();
  return ctx.createOutput<ds::ConcatOp>(ValueRange(inputs),
                                        ctx.builder().getI64IntegerAttr(*axis));
}

} // namespace

void registerShapeConverters(ConverterTable &table) {
  table["Identity"] = convertForward;
  table["Dropout"] = convertForward;
  table["Constant"] = convertConstant;
  table["Flatten"] = convertFlatten;
  table["Reshape"] = convertReshape;
  table["Transpose"] = convertTranspose;
  table["Concat"] = convertConcat;
}

} // namespace deepseek::onnx_import
