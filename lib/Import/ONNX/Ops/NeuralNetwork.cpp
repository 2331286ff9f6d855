//===- NeuralNetwork.cpp - ONNX conv, pooling, GEMM, normalization -> ds --===//

#include "../NodeContext.h"

#include "deepseek/Dialect/DS/IR/DSOps.h"

#include <cmath>

using namespace mlir;

namespace deepseek::onnx_import {
namespace {

/// Strides, explicit pads and dilations of a conv/pool node, with ONNX's
/// defaults and `auto_pad` resolved against the input's spatial sizes.
struct Window {
  SmallVector<int64_t> strides, pads, dilations;
};

FailureOr<Window> readWindow(NodeContext &ctx, RankedTensorType input,
                             ArrayRef<int64_t> kernel) {
  if (input.getRank() < 3)
    return ctx.error("expected an input of rank >= 3 (N x C x spatial...), got rank " +
                     Twine(input.getRank()));
  size_t spatial = input.getRank() - 2;
  Window w;
  w.strides = ctx.attrInts("strides").value_or(SmallVector<int64_t>(spatial, 1));
  w.dilations = ctx.attrInts("dilations").value_or(SmallVector<int64_t>(spatial, 1));
  w.pads = ctx.attrInts("pads").value_or(SmallVector<int64_t>(2 * spatial, 0));
  if (kernel.size() != spatial || w.strides.size() != spatial ||
      w.dilations.size() != spatial)
    return ctx.error("kernel_shape, strides and dilations need " + Twine(spatial) +
                     " values each for a rank " + Twine(input.getRank()) + " input");
  std::string autoPad = ctx.attrString("auto_pad", "NOTSET");
  if (autoPad == "NOTSET")
    return w;
  if (autoPad == "VALID") {
    w.pads.assign(2 * spatial, 0);
    return w;
  }
  if (autoPad != "SAME_UPPER" && autoPad != "SAME_LOWER")
    return ctx.error("unknown auto_pad '" + autoPad + "'");
  for (size_t i = 0; i < spatial; ++i) {
    int64_t in = input.getDimSize(2 + i);
    if (in == ShapedType::kDynamic)
      return ctx.error("auto_pad " + autoPad +
                       " needs static spatial sizes; fix them "
                       "with --input-shape");
    if (w.strides[i] <= 0)
      return ctx.error("strides must be positive");
    int64_t out = (in + w.strides[i] - 1) / w.strides[i];
    int64_t total = std::max<int64_t>(0, (out - 1) * w.strides[i] +
                                             (kernel[i] - 1) * w.dilations[i] + 1 - in);
    int64_t small = total / 2, large = total - small;
    w.pads[i] = autoPad == "SAME_UPPER" ? small : large;
    w.pads[spatial + i] = autoPad == "SAME_UPPER" ? large : small;
  }
  return w;
}

LogicalResult convertConv(NodeContext &ctx) {
  RankedTensorType input = ctx.inputType(0), weight = ctx.inputType(1);
  if (weight.getRank() < 3)
    return ctx.error("expected a weight of rank >= 3, got rank " +
                     Twine(weight.getRank()));
  SmallVector<int64_t> kernel(weight.getShape().drop_front(2));
  if (std::optional<SmallVector<int64_t>> given = ctx.attrInts("kernel_shape"))
    if (*given != kernel)
      return ctx.error("kernel_shape does not match the weight's spatial dimensions");
  FailureOr<Window> w = readWindow(ctx, input, kernel);
  if (failed(w))
    return failure();
  OpBuilder &b = ctx.builder();
  return ctx.createOutput<ds::ConvOp>(
      ctx.input(0), ctx.input(1), ctx.input(2), Value(),
      b.getDenseI64ArrayAttr(w->strides), b.getDenseI64ArrayAttr(w->pads),
      b.getDenseI64ArrayAttr(w->dilations), b.getI64IntegerAttr(ctx.attrInt("group", 1)),
      ds::ActivationAttr());
}

/// Input |data| as i32 minus its zero point input |zeroPoint| (when present),
/// the zero point reshaped to |zeroPointShape| to broadcast (per channel).
FailureOr<Value> zeroPointCorrected(NodeContext &ctx, unsigned data, unsigned zeroPoint,
                                    ArrayRef<int64_t> zeroPointShape) {
  Type i32 = ctx.builder().getI32Type();
  Value value = ctx.castTo(ctx.input(data), i32);
  if (!ctx.hasInput(zeroPoint))
    return value;
  Value zp = ctx.castTo(ctx.input(zeroPoint), i32);
  auto zpType = cast<RankedTensorType>(zp.getType());
  if (zpType.getRank() == 1 && zpType.getDimSize(0) != 1)
    zp = ctx.fold(ds::ReshapeOp::create(ctx.builder(), ctx.loc(),
                                        RankedTensorType::get(zeroPointShape, i32), zp));
  return ctx.createAndFold<ds::SubOp>(value, zp);
}

/// ConvInteger: (x - x_zero_point) conv (w - w_zero_point) in i32; the weight's
/// zero point may be per output channel.
LogicalResult convertConvInteger(NodeContext &ctx) {
  RankedTensorType input = ctx.inputType(0), weight = ctx.inputType(1);
  SmallVector<int64_t> kernel(weight.getShape().drop_front(2));
  FailureOr<Window> w = readWindow(ctx, input, kernel);
  if (failed(w))
    return failure();
  SmallVector<int64_t> perChannel(weight.getRank(), 1);
  perChannel[0] = weight.getDimSize(0);
  FailureOr<Value> x = zeroPointCorrected(ctx, 0, 2, {});
  FailureOr<Value> wt = zeroPointCorrected(ctx, 1, 3, perChannel);
  if (failed(x) || failed(wt))
    return failure();
  OpBuilder &b = ctx.builder();
  return ctx.createOutput<ds::ConvOp>(
      *x, *wt, Value(), Value(), b.getDenseI64ArrayAttr(w->strides),
      b.getDenseI64ArrayAttr(w->pads), b.getDenseI64ArrayAttr(w->dilations),
      b.getI64IntegerAttr(ctx.attrInt("group", 1)), ds::ActivationAttr());
}

/// MatMulInteger: (A - a_zero_point) @ (B - b_zero_point) in i32; A's zero
/// point may be per row, B's per column.
LogicalResult convertMatMulInteger(NodeContext &ctx) {
  RankedTensorType a = ctx.inputType(0);
  SmallVector<int64_t> perRow(a.getShape());
  if (!perRow.empty())
    perRow.back() = 1;
  FailureOr<Value> lhs = zeroPointCorrected(ctx, 0, 2, perRow);
  FailureOr<Value> rhs =
      zeroPointCorrected(ctx, 1, 3, {ctx.inputType(1).getShape().back()});
  if (failed(lhs) || failed(rhs))
    return failure();
  return ctx.createOutput<ds::MatMulOp>(*lhs, *rhs, Value(), Value(),
                                        ds::ActivationAttr());
}

LogicalResult convertBatchNorm(NodeContext &ctx) {
  if (ctx.attrInt("training_mode", 0) != 0 || ctx.isOutputUsed(1) || ctx.isOutputUsed(2))
    return ctx.error("training-mode BatchNormalization is not supported");
  return ctx.createOutput<ds::BatchNormOp>(
      ctx.input(0), ctx.input(1), ctx.input(2), ctx.input(3), ctx.input(4),
      ctx.builder().getF32FloatAttr(ctx.attrFloat("epsilon", 1e-5f)));
}

LogicalResult convertMaxPool(NodeContext &ctx) {
  if (ctx.isOutputUsed(1))
    return ctx.error("the Indices output of MaxPool is not supported");
  if (ctx.attrInt("storage_order", 0) != 0)
    return ctx.error("storage_order = 1 is not supported");
  SmallVector<int64_t> kernel =
      ctx.attrInts("kernel_shape").value_or(SmallVector<int64_t>());
  FailureOr<Window> w = readWindow(ctx, ctx.inputType(0), kernel);
  if (failed(w))
    return failure();
  OpBuilder &b = ctx.builder();
  return ctx.createOutput<ds::MaxPoolOp>(
      ctx.input(0), b.getDenseI64ArrayAttr(kernel), b.getDenseI64ArrayAttr(w->strides),
      b.getDenseI64ArrayAttr(w->pads), b.getDenseI64ArrayAttr(w->dilations),
      b.getBoolAttr(ctx.attrInt("ceil_mode", 0) != 0));
}

LogicalResult convertAveragePool(NodeContext &ctx) {
  SmallVector<int64_t> kernel =
      ctx.attrInts("kernel_shape").value_or(SmallVector<int64_t>());
  FailureOr<Window> w = readWindow(ctx, ctx.inputType(0), kernel);
  if (failed(w))
    return failure();
  if (llvm::any_of(w->dilations, [](int64_t d) { return d != 1; }))
    return ctx.error("dilated AveragePool is not supported");
  OpBuilder &b = ctx.builder();
  return ctx.createOutput<ds::AveragePoolOp>(
      ctx.input(0), b.getDenseI64ArrayAttr(kernel), b.getDenseI64ArrayAttr(w->strides),
      b.getDenseI64ArrayAttr(w->pads), b.getBoolAttr(ctx.attrInt("ceil_mode", 0) != 0),
      b.getBoolAttr(ctx.attrInt("count_include_pad", 0) != 0));
}

template <typename OpTy> LogicalResult convertGlobalPool(NodeContext &ctx) {
  return ctx.createOutput<OpTy>(ctx.input(0));
}

LogicalResult convertGemm(NodeContext &ctx) {
  OpBuilder &b = ctx.builder();
  return ctx.createOutput<ds::GemmOp>(ctx.input(0), ctx.input(1), ctx.input(2), Value(),
                                      b.getF32FloatAttr(ctx.attrFloat("alpha", 1.0f)),
                                      b.getF32FloatAttr(ctx.attrFloat("beta", 1.0f)),
                                      b.getBoolAttr(ctx.attrInt("transA", 0) != 0),
                                      b.getBoolAttr(ctx.attrInt("transB", 0) != 0),
                                      ds::ActivationAttr());
}

LogicalResult convertMatMul(NodeContext &ctx) {
  return ctx.createOutput<ds::MatMulOp>(ctx.input(0), ctx.input(1), Value(), Value(),
                                        ds::ActivationAttr());
}

/// Softmax and LogSoftmax at opset 13+: one axis, default -1.
template <typename OpTy> LogicalResult convertSoftmax(NodeContext &ctx) {
  FailureOr<int64_t> axis =
      ctx.normalizeAxis(ctx.attrInt("axis", -1), ctx.inputType(0).getRank());
  if (failed(axis))
    return failure();
  ctx.setOutput(0, OpTy::create(ctx.builder(), ctx.loc(), ctx.input(0),
                                ctx.builder().getI64IntegerAttr(*axis)));
  return success();
}

/// The statistics ONNX's normalization operators define over |axes| (kept as
/// size-1 dimensions): the mean, x - mean, and the variance plus epsilon.
struct Moments {
  Value mean, centered, varianceEps;
};

Moments computeMoments(NodeContext &ctx, Value x, ArrayRef<int64_t> axes, float epsilon) {
  OpBuilder &b = ctx.builder();
  Location loc = ctx.loc();
  auto axesAttr = b.getDenseI64ArrayAttr(axes);
  Moments m;
  m.mean = ds::ReduceMeanOp::create(b, loc, x, axesAttr, b.getBoolAttr(true));
  m.centered = ds::SubOp::create(b, loc, x, m.mean);
  Value variance =
      ds::ReduceMeanOp::create(b, loc, ds::MulOp::create(b, loc, m.centered, m.centered),
                               axesAttr, b.getBoolAttr(true));
  Value eps =
      ctx.floatConstant(cast<RankedTensorType>(x.getType()).getElementType(), epsilon);
  m.varianceEps = ds::AddOp::create(b, loc, variance, eps);
  return m;
}

/// LayerNormalization (opset 17): normalizes over [axis, rank). The optional
/// Mean and InvStdDev outputs are computed beside it when something reads them.
LogicalResult convertLayerNorm(NodeContext &ctx) {
  RankedTensorType type = ctx.inputType(0);
  FailureOr<int64_t> axis = ctx.normalizeAxis(ctx.attrInt("axis", -1), type.getRank());
  if (failed(axis))
    return failure();
  float epsilon = ctx.attrFloat("epsilon", 1e-5f);
  OpBuilder &b = ctx.builder();
  if (failed(ctx.createOutput<ds::LayerNormOp>(ctx.input(0), ctx.input(1), ctx.input(2),
                                               b.getI64IntegerAttr(*axis),
                                               b.getF32FloatAttr(epsilon))))
    return failure();
  if (!ctx.isOutputUsed(1) && !ctx.isOutputUsed(2))
    return success();
  // ONNX computes them in stash_type (f32); for f32 inputs that is the input type.
  if (!isa<Float32Type>(type.getElementType()))
    return ctx.error("the Mean and InvStdDev outputs are supported for f32 only");
  // Mean = mean(x), InvStdDev = 1 / sqrt(mean((x - Mean)^2) + epsilon), both
  // keeping the normalized dimensions as size 1 (ONNX's definition).
  SmallVector<int64_t> axes;
  for (int64_t d = *axis; d < type.getRank(); ++d)
    axes.push_back(d);
  Moments m = computeMoments(ctx, ctx.input(0), axes, epsilon);
  ctx.setOutput(1, m.mean);
  ctx.setOutput(2, ds::ReciprocalOp::create(
                       b, ctx.loc(), ds::SqrtOp::create(b, ctx.loc(), m.varianceEps)));
  return success();
}

/// Resize (opset 11+): the output shape comes from constant `sizes`, or from
/// constant `scales` (rounded down, as ONNX does; the scales are kept for the
/// coordinate transformation).
LogicalResult convertResize(NodeContext &ctx) {
  RankedTensorType type = ctx.inputType(0);
  if (ctx.attrInt("exclude_outside", 0) != 0)
    return ctx.error("exclude_outside = 1 is not supported");
  if (ctx.hasAttr("antialias") && ctx.attrInt("antialias", 0) != 0)
    return ctx.error("antialias = 1 is not supported");
  SmallVector<int64_t> shape;
  std::optional<SmallVector<float>> scales;
  if (ctx.hasInput(3)) {
    FailureOr<SmallVector<int64_t>> sizes = ctx.constantInts(3);
    if (failed(sizes))
      return failure();
    shape = *sizes;
  } else {
    auto given = dyn_cast_if_present<DenseFPElementsAttr>(ctx.constantInput(2));
    if (!given)
      return ctx.error("Resize needs constant scales or sizes");
    scales.emplace();
    for (const APFloat &s : given.getValues<APFloat>())
      scales->push_back(static_cast<float>(s.convertToDouble()));
    if (static_cast<int64_t>(scales->size()) != type.getRank())
      return ctx.error("expected " + Twine(type.getRank()) + " scales, got " +
                       Twine(scales->size()));
    for (int64_t d = 0; d < type.getRank(); ++d)
      shape.push_back(type.isDynamicDim(d) ? ShapedType::kDynamic
                                           : static_cast<int64_t>(std::floor(
                                                 type.getDimSize(d) * (*scales)[d])));
  }
  if (static_cast<int64_t>(shape.size()) != type.getRank())
    return ctx.error("expected " + Twine(type.getRank()) + " sizes, got " +
                     Twine(shape.size()));
  std::optional<ds::ResizeMode> mode =
      ds::symbolizeResizeMode(ctx.attrString("mode", "nearest"));
  std::optional<ds::CoordinateTransform> transform = ds::symbolizeCoordinateTransform(
      ctx.attrString("coordinate_transformation_mode", "half_pixel"));
  std::optional<ds::NearestMode> nearest =
      ds::symbolizeNearestMode(ctx.attrString("nearest_mode", "round_prefer_floor"));
  if (!mode || !transform || !nearest)
    return ctx.error("unsupported mode, coordinate_transformation_mode or nearest_mode");
  if (*transform == ds::CoordinateTransform::TfCropAndResize)
    return ctx.error(
        "coordinate_transformation_mode tf_crop_and_resize is not supported");
  OpBuilder &b = ctx.builder();
  auto resultType = RankedTensorType::get(shape, type.getElementType());
  ctx.setOutput(0, ds::ResizeOp::create(
                       b, ctx.loc(), resultType, ctx.input(0),
                       ds::ResizeModeAttr::get(ctx.context(), *mode),
                       ds::CoordinateTransformAttr::get(ctx.context(), *transform),
                       ds::NearestModeAttr::get(ctx.context(), *nearest),
                       b.getF32FloatAttr(ctx.attrFloat("cubic_coeff_a", -0.75f)),
                       scales ? b.getDenseF32ArrayAttr(*scales) : DenseF32ArrayAttr()));
  return success();
}

/// ConvTranspose: explicit pads, or pads derived from `output_shape` / SAME
/// auto_pad the way the ONNX specification defines them.
LogicalResult convertConvTranspose(NodeContext &ctx) {
  RankedTensorType input = ctx.inputType(0), weight = ctx.inputType(1);
  if (input.getRank() < 3 || weight.getRank() != input.getRank())
    return ctx.error("expected input and weight of the same rank >= 3");
  size_t spatial = input.getRank() - 2;
  SmallVector<int64_t> kernel(weight.getShape().drop_front(2));
  SmallVector<int64_t> strides =
      ctx.attrInts("strides").value_or(SmallVector<int64_t>(spatial, 1));
  SmallVector<int64_t> dilations =
      ctx.attrInts("dilations").value_or(SmallVector<int64_t>(spatial, 1));
  SmallVector<int64_t> outputPadding =
      ctx.attrInts("output_padding").value_or(SmallVector<int64_t>(spatial, 0));
  SmallVector<int64_t> pads =
      ctx.attrInts("pads").value_or(SmallVector<int64_t>(2 * spatial, 0));
  if (strides.size() != spatial || dilations.size() != spatial ||
      outputPadding.size() != spatial || pads.size() != 2 * spatial)
    return ctx.error("strides, dilations, output_padding and pads do not match the " +
                     Twine(spatial) + " spatial dimensions");
  std::string autoPad = ctx.attrString("auto_pad", "NOTSET");
  std::optional<SmallVector<int64_t>> outputShape = ctx.attrInts("output_shape");
  if (autoPad == "SAME_UPPER" || autoPad == "SAME_LOWER") {
    outputShape.emplace();
    for (size_t i = 0; i < spatial; ++i)
      outputShape->push_back(input.getDimSize(2 + i) * strides[i]);
  } else if (autoPad == "VALID") {
    pads.assign(2 * spatial, 0);
  } else if (autoPad != "NOTSET") {
    return ctx.error("unknown auto_pad '" + autoPad + "'");
  }
  if (outputShape) {
    // output_shape may list only the spatial sizes or the full shape.
    ArrayRef<int64_t> sizes = *outputShape;
    if (sizes.size() == spatial + 2)
      sizes = sizes.drop_front(2);
    if (sizes.size() != spatial)
      return ctx.error("output_shape needs " + Twine(spatial) + " spatial sizes");
    for (size_t i = 0; i < spatial; ++i) {
      int64_t in = input.getDimSize(2 + i);
      if (in == ShapedType::kDynamic)
        return ctx.error("output_shape needs static spatial input sizes");
      int64_t total = strides[i] * (in - 1) + outputPadding[i] +
                      (kernel[i] - 1) * dilations[i] + 1 - sizes[i];
      if (total < 0) {
        // A larger output than the padding-free size: ONNX Runtime extends the
        // end with output padding; do the same.
        outputPadding[i] -= total;
        total = 0;
      }
      int64_t half = total / 2;
      bool upper = autoPad == "SAME_UPPER";
      pads[i] = upper ? half : total - half;
      pads[spatial + i] = upper ? total - half : half;
    }
  }
  OpBuilder &b = ctx.builder();
  return ctx.createOutput<ds::ConvTransposeOp>(
      ctx.input(0), ctx.input(1), ctx.input(2), b.getDenseI64ArrayAttr(strides),
      b.getDenseI64ArrayAttr(pads), b.getDenseI64ArrayAttr(dilations),
      b.getDenseI64ArrayAttr(outputPadding),
      b.getI64IntegerAttr(ctx.attrInt("group", 1)));
}

/// InstanceNormalization, as ONNX defines it: per (N, C) over the spatial
/// dimensions, then a per-channel scale and bias.
LogicalResult convertInstanceNorm(NodeContext &ctx) {
  RankedTensorType type = ctx.inputType(0);
  int64_t rank = type.getRank();
  if (rank < 3)
    return ctx.error("expected an input of rank >= 3");
  OpBuilder &b = ctx.builder();
  Location loc = ctx.loc();
  SmallVector<int64_t> axes;
  for (int64_t d = 2; d < rank; ++d)
    axes.push_back(d);
  Moments m = computeMoments(ctx, ctx.input(0), axes, ctx.attrFloat("epsilon", 1e-5f));
  Value normalized =
      ds::DivOp::create(b, loc, m.centered, ds::SqrtOp::create(b, loc, m.varianceEps));
  // Scale and bias are [C]; view them as [C, 1, ...] to broadcast over space.
  SmallVector<int64_t> channelShape(rank - 1, 1);
  channelShape[0] = ctx.inputType(1).getDimSize(0);
  auto channelType = RankedTensorType::get(channelShape, type.getElementType());
  Value scale = ds::ReshapeOp::create(b, loc, channelType, ctx.input(1));
  Value bias = ds::ReshapeOp::create(b, loc, channelType, ctx.input(2));
  FailureOr<ds::MulOp> scaled = ctx.create<ds::MulOp>(normalized, scale);
  if (failed(scaled))
    return failure();
  return ctx.createOutput<ds::AddOp>(*scaled, bias);
}

/// |x|^p for p = 1, 2 (the norms ONNX's Lp operators allow) or any p.
Value absPow(NodeContext &ctx, Value x, double p) {
  OpBuilder &b = ctx.builder();
  Location loc = ctx.loc();
  Value abs = ds::AbsOp::create(b, loc, x);
  if (p == 1.0)
    return abs;
  if (p == 2.0)
    return ds::MulOp::create(b, loc, x, x);
  Type element = cast<RankedTensorType>(x.getType()).getElementType();
  return ds::PowOp::create(b, loc, abs, ctx.floatConstant(element, p));
}

/// y^(1/p), the inverse of absPow on non-negative sums.
Value root(NodeContext &ctx, Value y, double p) {
  OpBuilder &b = ctx.builder();
  if (p == 1.0)
    return y;
  if (p == 2.0)
    return ds::SqrtOp::create(b, ctx.loc(), y);
  Type element = cast<RankedTensorType>(y.getType()).getElementType();
  return ds::PowOp::create(b, ctx.loc(), y, ctx.floatConstant(element, 1.0 / p));
}

/// LpNormalization: x / ||x||_p along one axis (p = 1 or 2).
LogicalResult convertLpNormalization(NodeContext &ctx) {
  RankedTensorType type = ctx.inputType(0);
  FailureOr<int64_t> axis = ctx.normalizeAxis(ctx.attrInt("axis", -1), type.getRank());
  if (failed(axis))
    return failure();
  int64_t p = ctx.attrInt("p", 2);
  if (p != 1 && p != 2)
    return ctx.error("p must be 1 or 2, got " + Twine(p));
  OpBuilder &b = ctx.builder();
  Value sum =
      ds::ReduceSumOp::create(b, ctx.loc(), absPow(ctx, ctx.input(0), p),
                              b.getDenseI64ArrayAttr({*axis}), b.getBoolAttr(true));
  return ctx.createOutput<ds::DivOp>(ctx.input(0), root(ctx, sum, p));
}

/// GlobalLpPool: (sum over the spatial dimensions of |x|^p)^(1/p).
LogicalResult convertGlobalLpPool(NodeContext &ctx) {
  RankedTensorType type = ctx.inputType(0);
  if (type.getRank() < 3)
    return ctx.error("expected an input of rank >= 3");
  double p = ctx.attrInt("p", 2);
  SmallVector<int64_t> axes;
  for (int64_t d = 2; d < type.getRank(); ++d)
    axes.push_back(d);
  OpBuilder &b = ctx.builder();
  Value sum = ds::ReduceSumOp::create(b, ctx.loc(), absPow(ctx, ctx.input(0), p),
                                      b.getDenseI64ArrayAttr(axes), b.getBoolAttr(true));
  ctx.setOutput(0, root(ctx, sum, p));
  return success();
}

/// LpPool: (sum over each window of |x|^p)^(1/p), the window sum being an
/// average pool that counts padding, times the window size.
LogicalResult convertLpPool(NodeContext &ctx) {
  RankedTensorType type = ctx.inputType(0);
  SmallVector<int64_t> kernel =
      ctx.attrInts("kernel_shape").value_or(SmallVector<int64_t>());
  FailureOr<Window> w = readWindow(ctx, type, kernel);
  if (failed(w))
    return failure();
  if (llvm::any_of(w->dilations, [](int64_t d) { return d != 1; }))
    return ctx.error("dilated LpPool is not supported");
  double p = ctx.attrInt("p", 2);
  OpBuilder &b = ctx.builder();
  FailureOr<ds::AveragePoolOp> mean = ctx.create<ds::AveragePoolOp>(
      absPow(ctx, ctx.input(0), p), b.getDenseI64ArrayAttr(kernel),
      b.getDenseI64ArrayAttr(w->strides), b.getDenseI64ArrayAttr(w->pads),
      b.getBoolAttr(ctx.attrInt("ceil_mode", 0) != 0), b.getBoolAttr(true));
  if (failed(mean))
    return failure();
  int64_t windowSize = 1;
  for (int64_t k : kernel)
    windowSize *= k;
  Value sum = ds::MulOp::create(b, ctx.loc(), *mean,
                                ctx.floatConstant(type.getElementType(), windowSize));
  ctx.setOutput(0, root(ctx, sum, p));
  return success();
}

/// MeanVarianceNormalization: (x - mean) / sqrt(variance) over `axes` (default
/// 0, 2, 3), with ONNX's epsilon-free definition.
LogicalResult convertMeanVarianceNormalization(NodeContext &ctx) {
  RankedTensorType type = ctx.inputType(0);
  SmallVector<int64_t> axes;
  for (int64_t axis : ctx.attrInts("axes").value_or(SmallVector<int64_t>{0, 2, 3})) {
    FailureOr<int64_t> a = ctx.normalizeAxis(axis, type.getRank());
    if (failed(a))
      return failure();
    axes.push_back(*a);
  }
  llvm::sort(axes);
  Moments m = computeMoments(ctx, ctx.input(0), axes, 0.0f);
  return ctx.createOutput<ds::DivOp>(
      m.centered,
      ds::SqrtOp::create(ctx.builder(), ctx.loc(), m.varianceEps).getResult());
}

/// LRN: x / (bias + alpha / size * sum of x^2 over `size` neighbouring
/// channels)^beta. The channel-window sum is an average pool (counting padding)
/// over a view of x^2 as N x 1 x C x (H*W...), times size.
LogicalResult convertLRN(NodeContext &ctx) {
  RankedTensorType type = ctx.inputType(0);
  if (type.getRank() < 3 || !type.hasStaticShape())
    return ctx.error("expected a statically shaped input of rank >= 3");
  int64_t size = ctx.attrInt("size", 0);
  if (size <= 0)
    return ctx.error("size must be positive");
  float alpha = ctx.attrFloat("alpha", 1e-4f), beta = ctx.attrFloat("beta", 0.75f),
        bias = ctx.attrFloat("bias", 1.0f);
  OpBuilder &b = ctx.builder();
  Location loc = ctx.loc();
  Type element = type.getElementType();
  int64_t n = type.getDimSize(0), c = type.getDimSize(1);
  int64_t rest = type.getNumElements() / (n * c);
  Value x = ctx.input(0);
  Value squared = ds::MulOp::create(b, loc, x, x);
  Value view = ds::ReshapeOp::create(
      b, loc, RankedTensorType::get({n, 1, c, rest}, element), squared);
  int64_t before = (size - 1) / 2, after = size - 1 - before;
  FailureOr<ds::AveragePoolOp> mean = ctx.create<ds::AveragePoolOp>(
      view, b.getDenseI64ArrayAttr({size, 1}), b.getDenseI64ArrayAttr({1, 1}),
      b.getDenseI64ArrayAttr({before, 0, after, 0}), b.getBoolAttr(false),
      b.getBoolAttr(true));
  if (failed(mean))
    return failure();
  Value windowMean = ds::ReshapeOp::create(b, loc, type, *mean);
  // bias + alpha / size * (mean * size) = bias + alpha * mean.
  Value scaled = ds::AddOp::create(
      b, loc, ctx.floatConstant(element, bias),
      ds::MulOp::create(b, loc, windowMean, ctx.floatConstant(element, alpha)));
  Value denominator = ds::PowOp::create(b, loc, scaled, ctx.floatConstant(element, beta));
  return ctx.createOutput<ds::DivOp>(x, denominator);
}

/// MaxUnpool: ds.max_unpool to the shape the pooling arithmetic gives back,
/// padded to the `output_shape` input (a constant) when there is one.
LogicalResult convertMaxUnpool(NodeContext &ctx) {
  RankedTensorType input = ctx.inputType(0);
  // The indices are flat positions in the shape the pooling started from
  // (what kernel, strides and pads give back); an explicit output_shape pads
  // that result at the end of each spatial dim, as ONNX's reference does.
  SmallVector<int64_t> kernel = ctx.attrInts("kernel_shape").value_or(SmallVector<int64_t>());
  FailureOr<Window> w = readWindow(ctx, input, kernel);
  if (failed(w))
    return failure();
  size_t spatial = kernel.size();
  SmallVector<int64_t> shape(input.getShape().take_front(2));
  for (size_t i = 0; i < spatial; ++i) {
    int64_t in = input.getDimSize(2 + i);
    if (in == ShapedType::kDynamic)
      return ctx.error("MaxUnpool needs static spatial sizes");
    shape.push_back((in - 1) * w->strides[i] + kernel[i] - w->pads[i] - w->pads[spatial + i]);
  }
  auto type = RankedTensorType::get(shape, input.getElementType());
  Value unpooled =
      ds::MaxUnpoolOp::create(ctx.builder(), ctx.loc(), type, ctx.input(0), ctx.input(1));
  if (ctx.hasInput(2)) {
    FailureOr<SmallVector<int64_t>> given = ctx.constantInts(2);
    if (failed(given))
      return failure();
    if (given->size() != shape.size())
      return ctx.error("MaxUnpool output_shape has rank " + std::to_string(given->size()) +
                       ", expected " + std::to_string(shape.size()));
    SmallVector<int64_t> pads(2 * shape.size(), 0);
    for (size_t d = 0; d < shape.size(); ++d) {
      if ((*given)[d] < shape[d] || (d < 2 && (*given)[d] != shape[d]))
        return ctx.error("MaxUnpool output_shape dim " + std::to_string(d) + " is " +
                         std::to_string((*given)[d]) + ", smaller than the unpooled " +
                         std::to_string(shape[d]) + " (or N/C changed)");
      pads[shape.size() + d] = (*given)[d] - shape[d];
    }
    if (llvm::any_of(pads, [](int64_t p) { return p != 0; }))
      unpooled = ds::PadOp::create(ctx.builder(), ctx.loc(),
                                   RankedTensorType::get(*given, input.getElementType()),
                                   unpooled, ctx.builder().getDenseI64ArrayAttr(pads),
                                   ds::PadModeAttr::get(ctx.builder().getContext(),
                                                        ds::PadMode::Constant),
                                   ctx.builder().getF64FloatAttr(0.0));
  }
  ctx.setOutput(0, unpooled);
  return success();
}

LogicalResult convertRoiAlign(NodeContext &ctx) {
  std::string mode = ctx.attrString("mode", "avg");
  std::optional<ds::RoiAlignMode> roiMode = ds::symbolizeRoiAlignMode(mode);
  if (!roiMode)
    return ctx.error("unknown mode '" + mode + "'");
  std::string transform = ctx.attrString("coordinate_transformation_mode", "half_pixel");
  if (transform != "half_pixel" && transform != "output_half_pixel")
    return ctx.error("unknown coordinate_transformation_mode '" + transform + "'");
  OpBuilder &b = ctx.builder();
  return ctx.createOutput<ds::RoiAlignOp>(
      ctx.input(0), ctx.input(1), ctx.input(2),
      b.getI64IntegerAttr(ctx.attrInt("output_height", 1)),
      b.getI64IntegerAttr(ctx.attrInt("output_width", 1)),
      b.getI64IntegerAttr(ctx.attrInt("sampling_ratio", 0)),
      b.getF32FloatAttr(ctx.attrFloat("spatial_scale", 1.0f)),
      ds::RoiAlignModeAttr::get(ctx.context(), *roiMode),
      b.getBoolAttr(transform == "half_pixel"));
}

LogicalResult convertGridSample(NodeContext &ctx) {
  std::string mode = ctx.attrString("mode", "bilinear"),
              padding = ctx.attrString("padding_mode", "zeros");
  std::optional<ds::GridSampleMode> sampleMode = ds::symbolizeGridSampleMode(mode);
  std::optional<ds::GridPadding> gridPadding = ds::symbolizeGridPadding(padding);
  if (!sampleMode || !gridPadding)
    return ctx.error("unknown mode '" + mode + "' or padding_mode '" + padding + "'");
  return ctx.createOutput<ds::GridSampleOp>(
      ctx.input(0), ctx.input(1), ds::GridSampleModeAttr::get(ctx.context(), *sampleMode),
      ds::GridPaddingAttr::get(ctx.context(), *gridPadding),
      ctx.builder().getBoolAttr(ctx.attrInt("align_corners", 0) != 0));
}
} // namespace

void registerNeuralNetworkConverters(ConverterTable &table) {
  table["Conv"] = convertConv;
  table["ConvInteger"] = convertConvInteger;
  table["MatMulInteger"] = convertMatMulInteger;
  table["BatchNormalization"] = convertBatchNorm;
  table["MaxPool"] = convertMaxPool;
  table["AveragePool"] = convertAveragePool;
  table["GlobalAveragePool"] = convertGlobalPool<ds::GlobalAveragePoolOp>;
  table["GlobalMaxPool"] = convertGlobalPool<ds::GlobalMaxPoolOp>;
  table["Gemm"] = convertGemm;
  table["MatMul"] = convertMatMul;
  table["Softmax"] = convertSoftmax<ds::SoftmaxOp>;
  table["LogSoftmax"] = convertSoftmax<ds::LogSoftmaxOp>;
  table["Hardmax"] = convertSoftmax<ds::HardmaxOp>;
  table["LayerNormalization"] = convertLayerNorm;
  table["Resize"] = convertResize;
  table["ConvTranspose"] = convertConvTranspose;
  table["InstanceNormalization"] = convertInstanceNorm;
  table["LpNormalization"] = convertLpNormalization;
  table["GlobalLpPool"] = convertGlobalLpPool;
  table["LpPool"] = convertLpPool;
  table["MeanVarianceNormalization"] = convertMeanVarianceNormalization;
  table["LRN"] = convertLRN;
  table["MaxUnpool"] = convertMaxUnpool;
  table["RoiAlign"] = convertRoiAlign;
  table["GridSample"] = convertGridSample;
}

} // namespace deepseek::onnx_import
