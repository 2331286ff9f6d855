//===- Shape.cpp - ONNX shape and data-movement operators -> ds -----------===//

#include "../NodeContext.h"
#include "../TensorConversion.h"

#include "deepseek/Dialect/DS/IR/DSOps.h"
#include "deepseek/Dialect/DS/IR/ShapeInference.h"

#include <algorithm>
#include <cmath>
#include <limits>

using namespace mlir;

namespace deepseek::onnx_import {
namespace {

/// Identity and inference-mode Dropout forward their input. Dropout's mask is
/// all true at inference. Training mode drops elements at random, which no
/// compiled model can reproduce; it is accepted only with ratio 0 (a no-op).
LogicalResult convertForward(NodeContext &ctx) {
  if (ctx.hasInput(2)) {
    auto training = dyn_cast_if_present<DenseIntElementsAttr>(ctx.constantInput(2));
    if (!training)
      return ctx.error("Dropout's training_mode must be a constant");
    if (!(*training.getValues<APInt>().begin()).isZero()) {
      auto ratio = ctx.hasInput(1)
                       ? dyn_cast_if_present<DenseFPElementsAttr>(ctx.constantInput(1))
                       : DenseFPElementsAttr();
      if (!ratio || !(*ratio.getValues<APFloat>().begin()).isZero())
        return ctx.error("training-mode Dropout (random dropping) is not supported");
    }
  }
  ctx.setOutput(0, ctx.input(0));
  if (!ctx.isOutputUsed(1))
    return success();
  RankedTensorType type = ctx.inputType(0);
  if (!type.hasStaticShape())
    return ctx.error("the mask output of Dropout needs a static shape");
  auto maskType = RankedTensorType::get(type.getShape(), ctx.builder().getI1Type());
  Value mask = ds::ConstantOp::create(
      ctx.builder(), ctx.loc(), maskType,
      DenseElementsAttr::get(maskType, ctx.builder().getBoolAttr(true)));
  ctx.setOutput(1, mask);
  return success();
}

/// Constant in its `value` (tensor) form or the scalar/list forms of opset 12+.
LogicalResult convertConstant(NodeContext &ctx) {
  if (const onnx::TensorProto *tensor = ctx.attrTensor("value"))
    return ctx.setConstantOutput(0, *tensor);
  OpBuilder &b = ctx.builder();
  if (ctx.hasAttr("value_float") || ctx.hasAttr("value_int")) {
    bool isFloat = ctx.hasAttr("value_float");
    auto type =
        RankedTensorType::get({}, isFloat ? Type(b.getF32Type()) : b.getI64Type());
    Attribute value = isFloat
                          ? Attribute(b.getF32FloatAttr(ctx.attrFloat("value_float", 0)))
                          : b.getI64IntegerAttr(ctx.attrInt("value_int", 0));
    ctx.setConstantOutput(0, DenseElementsAttr::get(type, value));
    return success();
  }
  if (std::optional<SmallVector<int64_t>> ints = ctx.attrInts("value_ints")) {
    auto type =
        RankedTensorType::get({static_cast<int64_t>(ints->size())}, b.getI64Type());
    ctx.setConstantOutput(0, DenseIntElementsAttr::get(type, *ints));
    return success();
  }
  if (std::optional<SmallVector<float>> floats = ctx.attrFloats("value_floats")) {
    auto type =
        RankedTensorType::get({static_cast<int64_t>(floats->size())}, b.getF32Type());
    ctx.setConstantOutput(0, DenseFPElementsAttr::get(type, ArrayRef<float>(*floats)));
    return success();
  }
  return ctx.error("only the value, value_float(s) and value_int(s) forms of Constant "
                   "are supported");
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

/// Shape of a statically shaped input is a constant (opset 15 start/end slice
/// it); a dynamic dimension needs the shape at run time, which is not supported.
LogicalResult convertShape(NodeContext &ctx) {
  RankedTensorType type = ctx.inputType(0);
  int64_t rank = type.getRank();
  auto clampIndex = [&](int64_t i) {
    return std::clamp<int64_t>(i < 0 ? i + rank : i, 0, rank);
  };
  int64_t start = clampIndex(ctx.attrInt("start", 0));
  int64_t end = clampIndex(ctx.attrInt("end", rank));
  SmallVector<int64_t> dims;
  for (int64_t d = start; d < end; ++d) {
    if (type.isDynamicDim(d))
      return ctx.error("the shape of " + ctx.node().input(0) + " has dynamic dimension " +
                       Twine(d) + "; fix it with --input-shape");
    dims.push_back(type.getDimSize(d));
  }
  auto resultType = RankedTensorType::get({static_cast<int64_t>(dims.size())},
                                          ctx.builder().getI64Type());
  ctx.setConstantOutput(0, DenseIntElementsAttr::get(resultType, dims));
  return success();
}

LogicalResult convertGather(NodeContext &ctx) {
  FailureOr<int64_t> axis =
      ctx.normalizeAxis(ctx.attrInt("axis", 0), ctx.inputType(0).getRank());
  if (failed(axis))
    return failure();
  return ctx.createOutput<ds::GatherOp>(ctx.input(0), ctx.input(1),
                                        ctx.builder().getI64IntegerAttr(*axis));
}

/// Normalizes |axes| against |rank| and sorts them; diagnoses repeats.
FailureOr<SmallVector<int64_t>> normalizeAxes(NodeContext &ctx, ArrayRef<int64_t> axes,
                                              int64_t rank) {
  SmallVector<int64_t> result;
  for (int64_t axis : axes) {
    FailureOr<int64_t> normalized = ctx.normalizeAxis(axis, rank);
    if (failed(normalized))
      return failure();
    result.push_back(*normalized);
  }
  llvm::sort(result);
  if (std::adjacent_find(result.begin(), result.end()) != result.end())
    return ctx.error("axes " + ds::shape::toString(axes) + " repeat an axis");
  return result;
}

/// The axes of Squeeze/Unsqueeze/Reduce*: the `axes` input (opset 13+ for
/// Squeeze/Unsqueeze/ReduceSum) or attribute; nullopt when neither is given.
FailureOr<std::optional<SmallVector<int64_t>>> readAxes(NodeContext &ctx,
                                                        unsigned inputIndex) {
  if (ctx.hasInput(inputIndex)) {
    FailureOr<SmallVector<int64_t>> axes = ctx.constantInts(inputIndex);
    if (failed(axes))
      return failure();
    return std::optional<SmallVector<int64_t>>(*axes);
  }
  return ctx.attrInts("axes");
}

LogicalResult convertUnsqueeze(NodeContext &ctx) {
  FailureOr<std::optional<SmallVector<int64_t>>> axes = readAxes(ctx, 1);
  if (failed(axes))
    return failure();
  if (!*axes)
    return ctx.error("Unsqueeze needs axes");
  int64_t rank = ctx.inputType(0).getRank() + (*axes)->size();
  FailureOr<SmallVector<int64_t>> normalized = normalizeAxes(ctx, **axes, rank);
  if (failed(normalized))
    return failure();
  return ctx.createOutput<ds::UnsqueezeOp>(
      ctx.input(0), ctx.builder().getDenseI64ArrayAttr(*normalized));
}

LogicalResult convertSqueeze(NodeContext &ctx) {
  RankedTensorType type = ctx.inputType(0);
  FailureOr<std::optional<SmallVector<int64_t>>> axes = readAxes(ctx, 1);
  if (failed(axes))
    return failure();
  SmallVector<int64_t> chosen;
  if (*axes) {
    FailureOr<SmallVector<int64_t>> normalized =
        normalizeAxes(ctx, **axes, type.getRank());
    if (failed(normalized))
      return failure();
    chosen = *normalized;
  } else {
    for (int64_t d = 0; d < type.getRank(); ++d) {
      if (type.isDynamicDim(d))
        return ctx.error("Squeeze without axes needs static dimensions");
      if (type.getDimSize(d) == 1)
        chosen.push_back(d);
    }
    if (chosen.empty()) {
      ctx.setOutput(0, ctx.input(0));
      return success();
    }
  }
  return ctx.createOutput<ds::SqueezeOp>(ctx.input(0),
                                         ctx.builder().getDenseI64ArrayAttr(chosen));
}

/// Slice (opset 10+): constant starts/ends/axes/steps, clamped per ONNX into
/// ds.slice's full-rank normalized form.
LogicalResult convertSlice(NodeContext &ctx) {
  RankedTensorType type = ctx.inputType(0);
  int64_t rank = type.getRank();
  FailureOr<SmallVector<int64_t>> starts = ctx.constantInts(1);
  FailureOr<SmallVector<int64_t>> ends = ctx.constantInts(2);
  if (failed(starts) || failed(ends))
    return failure();
  SmallVector<int64_t> axes, steps(starts->size(), 1);
  if (ctx.hasInput(3)) {
    FailureOr<SmallVector<int64_t>> given = ctx.constantInts(3);
    if (failed(given))
      return failure();
    axes = *given;
  } else {
    for (size_t i = 0; i < starts->size(); ++i)
      axes.push_back(i);
  }
  if (ctx.hasInput(4)) {
    FailureOr<SmallVector<int64_t>> given = ctx.constantInts(4);
    if (failed(given))
      return failure();
    steps = *given;
  }
  if (ends->size() != starts->size() || axes.size() != starts->size() ||
      steps.size() != starts->size())
    return ctx.error("starts, ends, axes and steps must have the same length");
  SmallVector<int64_t> outStarts(rank, 0), outEnds(type.getShape()), outSteps(rank, 1);
  for (size_t i = 0; i < axes.size(); ++i) {
    FailureOr<int64_t> axis = ctx.normalizeAxis(axes[i], rank);
    if (failed(axis))
      return failure();
    int64_t dim = type.getDimSize(*axis), step = steps[i];
    if (step == 0)
      return ctx.error("steps must not be 0");
    if (dim == ShapedType::kDynamic) {
      if ((*starts)[i] != 0 || step != 1 ||
          (*ends)[i] < std::numeric_limits<int32_t>::max())
        return ctx.error("slicing dynamic dimension " + Twine(*axis) +
                         " is not supported; fix it with --input-shape");
      outEnds[*axis] = ShapedType::kDynamic;
      continue;
    }
    // ONNX: negative indices count from the end, then clamp to the valid range.
    auto adjust = [&](int64_t v) { return v < 0 ? v + dim : v; };
    int64_t start = adjust((*starts)[i]), end = adjust((*ends)[i]);
    if (step > 0) {
      start = std::clamp<int64_t>(start, 0, dim);
      end = std::clamp<int64_t>(end, start, dim);
    } else {
      start = std::clamp<int64_t>(start, 0, dim - 1);
      end = std::clamp<int64_t>(end, -1, start);
    }
    outStarts[*axis] = start;
    outEnds[*axis] = end;
    outSteps[*axis] = step;
  }
  OpBuilder &b = ctx.builder();
  return ctx.createOutput<ds::SliceOp>(ctx.input(0), b.getDenseI64ArrayAttr(outStarts),
                                       b.getDenseI64ArrayAttr(outEnds),
                                       b.getDenseI64ArrayAttr(outSteps));
}

/// Split (opset 13+): sizes from the `split` input, or equal parts.
LogicalResult convertSplit(NodeContext &ctx) {
  RankedTensorType type = ctx.inputType(0);
  FailureOr<int64_t> axis = ctx.normalizeAxis(ctx.attrInt("axis", 0), type.getRank());
  if (failed(axis))
    return failure();
  SmallVector<int64_t> sizes;
  int64_t parts = ctx.node().output_size();
  if (ctx.hasInput(1)) {
    FailureOr<SmallVector<int64_t>> given = ctx.constantInts(1);
    if (failed(given))
      return failure();
    sizes = *given;
  } else {
    int64_t dim = type.getDimSize(*axis);
    if (dim == ShapedType::kDynamic)
      return ctx.error("splitting dynamic dimension " + Twine(*axis) +
                       " is not supported");
    if (dim % parts != 0)
      return ctx.error("dimension " + Twine(*axis) + " of size " + Twine(dim) +
                       " does not split into " + Twine(parts) + " equal parts");
    sizes.assign(parts, dim / parts);
  }
  if (static_cast<int64_t>(sizes.size()) != parts)
    return ctx.error("split has " + Twine(sizes.size()) + " sizes for " + Twine(parts) +
                     " outputs");
  FailureOr<ds::SplitOp> op =
      ctx.create<ds::SplitOp>(ctx.input(0), ctx.builder().getI64IntegerAttr(*axis),
                              ctx.builder().getDenseI64ArrayAttr(sizes));
  if (failed(op))
    return failure();
  for (int64_t i = 0; i < parts; ++i)
    ctx.setOutput(i, op->getResult(i));
  return success();
}

/// Pad (opset 11+): constant pads input and optional constant value.
LogicalResult convertPad(NodeContext &ctx) {
  FailureOr<SmallVector<int64_t>> pads = ctx.constantInts(1);
  if (failed(pads))
    return failure();
  if (ctx.hasInput(3))
    return ctx.error("the axes input of Pad (opset 18) is not supported");
  float value = 0.0f;
  if (ctx.hasInput(2)) {
    RankedTensorType valueType = ctx.inputType(2);
    if (isa<FloatType>(valueType.getElementType())) {
      FailureOr<float> given = ctx.constantFloatScalar(2);
      if (failed(given))
        return failure();
      value = *given;
    } else {
      FailureOr<SmallVector<int64_t>> given = ctx.constantInts(2);
      if (failed(given) || given->size() != 1)
        return ctx.error("constant_value must be a constant scalar");
      value = static_cast<float>(given->front());
    }
  }
  std::string mode = ctx.attrString("mode", "constant");
  std::optional<ds::PadMode> padMode = ds::symbolizePadMode(mode);
  if (!padMode)
    return ctx.error("unknown pad mode '" + mode + "'");
  OpBuilder &b = ctx.builder();
  return ctx.createOutput<ds::PadOp>(ctx.input(0), b.getDenseI64ArrayAttr(*pads),
                                     ds::PadModeAttr::get(ctx.context(), *padMode),
                                     b.getF64FloatAttr(value));
}

LogicalResult convertExpand(NodeContext &ctx) {
  RankedTensorType type = ctx.inputType(0);
  FailureOr<SmallVector<int64_t>> shape = ctx.constantInts(1);
  if (failed(shape))
    return failure();
  // Expand broadcasts both ways: the result is the broadcast of both shapes.
  llvm::Expected<ds::shape::Shape> result = ds::shape::broadcast(type.getShape(), *shape);
  if (!result)
    return ctx.error(llvm::toString(result.takeError()));
  auto resultType = RankedTensorType::get(*result, type.getElementType());
  ctx.setFoldedOutput(
      ds::ExpandOp::create(ctx.builder(), ctx.loc(), resultType, ctx.input(0)));
  return success();
}

LogicalResult convertConstantOfShape(NodeContext &ctx) {
  FailureOr<SmallVector<int64_t>> shape = ctx.constantInts(0);
  if (failed(shape))
    return failure();
  Attribute element = ctx.builder().getF32FloatAttr(0.0f);
  Type elementType = ctx.builder().getF32Type();
  if (const onnx::TensorProto *value = ctx.attrTensor("value")) {
    llvm::Expected<ElementsAttr> attr = convertTensor(ctx.context(), *value, nullptr, 1);
    if (!attr)
      return ctx.error(llvm::toString(attr.takeError()));
    auto dense = dyn_cast<DenseElementsAttr>(*attr);
    if (!dense || dense.getNumElements() != 1)
      return ctx.error("value must hold one element");
    element = *dense.getValues<Attribute>().begin();
    elementType = dense.getElementType();
  }
  auto type = RankedTensorType::get(*shape, elementType);
  ctx.setConstantOutput(0, SplatElementsAttr::get(type, element));
  return success();
}

LogicalResult convertGatherElements(NodeContext &ctx) {
  FailureOr<int64_t> axis =
      ctx.normalizeAxis(ctx.attrInt("axis", 0), ctx.inputType(0).getRank());
  if (failed(axis))
    return failure();
  return ctx.createOutput<ds::GatherElementsOp>(ctx.input(0), ctx.input(1),
                                                ctx.builder().getI64IntegerAttr(*axis));
}

LogicalResult convertTile(NodeContext &ctx) {
  FailureOr<SmallVector<int64_t>> repeats = ctx.constantInts(1);
  if (failed(repeats))
    return failure();
  return ctx.createOutput<ds::TileOp>(ctx.input(0),
                                      ctx.builder().getDenseI64ArrayAttr(*repeats));
}

/// Trilu: the diagonal offset k is an optional constant scalar input.
LogicalResult convertTrilu(NodeContext &ctx) {
  int64_t k = 0;
  if (ctx.hasInput(1)) {
    FailureOr<SmallVector<int64_t>> given = ctx.constantInts(1);
    if (failed(given))
      return failure();
    if (given->size() != 1)
      return ctx.error("k must be a scalar");
    k = given->front();
  }
  OpBuilder &b = ctx.builder();
  ctx.setOutput(0, ds::TriluOp::create(b, ctx.loc(), ctx.input(0),
                                       b.getBoolAttr(ctx.attrInt("upper", 1) != 0),
                                       b.getI64IntegerAttr(k)));
  return success();
}

LogicalResult convertReverseSequence(NodeContext &ctx) {
  OpBuilder &b = ctx.builder();
  ctx.setOutput(0, ds::ReverseSequenceOp::create(
                       b, ctx.loc(), ctx.inputType(0), ctx.input(0), ctx.input(1),
                       b.getI64IntegerAttr(ctx.attrInt("batch_axis", 1)),
                       b.getI64IntegerAttr(ctx.attrInt("time_axis", 0))));
  return success();
}

LogicalResult convertSize(NodeContext &ctx) {
  RankedTensorType type = ctx.inputType(0);
  if (!type.hasStaticShape())
    return ctx.error("the size of " + ctx.node().input(0) +
                     " depends on dynamic dimensions; fix them with --input-shape");
  auto resultType = RankedTensorType::get({}, ctx.builder().getI64Type());
  ctx.setConstantOutput(0,
                        DenseIntElementsAttr::get(resultType, {type.getNumElements()}));
  return success();
}

/// Range with constant start, limit and delta is a constant.
LogicalResult convertRange(NodeContext &ctx) {
  DenseElementsAttr start = ctx.constantInput(0), limit = ctx.constantInput(1),
                    delta = ctx.constantInput(2);
  if (!start || !limit || !delta)
    return ctx.error("Range needs constant start, limit and delta");
  Type elementType = start.getElementType();
  SmallVector<Attribute> values;
  if (isa<FloatType>(elementType)) {
    double s = (*start.getValues<APFloat>().begin()).convertToDouble();
    double l = (*limit.getValues<APFloat>().begin()).convertToDouble();
    double d = (*delta.getValues<APFloat>().begin()).convertToDouble();
    if (d == 0)
      return ctx.error("delta must not be 0");
    int64_t n = std::max<int64_t>(0, static_cast<int64_t>(std::ceil((l - s) / d)));
    for (int64_t i = 0; i < n; ++i)
      values.push_back(FloatAttr::get(elementType, s + i * d));
  } else {
    int64_t s = (*start.getValues<APInt>().begin()).getSExtValue();
    int64_t l = (*limit.getValues<APInt>().begin()).getSExtValue();
    int64_t d = (*delta.getValues<APInt>().begin()).getSExtValue();
    if (d == 0)
      return ctx.error("delta must not be 0");
    int64_t n = std::max<int64_t>(0, (l - s + d + (d > 0 ? -1 : 1)) / d);
    for (int64_t i = 0; i < n; ++i)
      values.push_back(IntegerAttr::get(elementType, s + i * d));
  }
  auto type = RankedTensorType::get({static_cast<int64_t>(values.size())}, elementType);
  ctx.setConstantOutput(0, DenseElementsAttr::get(type, values));
  return success();
}

/// DepthToSpace / SpaceToDepth as reshape -> transpose -> reshape (ONNX's own
/// definition), for statically shaped N x C x H x W inputs.
LogicalResult convertDepthSpace(NodeContext &ctx, bool toSpace) {
  RankedTensorType type = ctx.inputType(0);
  if (type.getRank() != 4 || !type.hasStaticShape())
    return ctx.error("expected a statically shaped 4-D input");
  int64_t b = ctx.attrInt("blocksize", 0);
  int64_t n = type.getDimSize(0), c = type.getDimSize(1), h = type.getDimSize(2),
          w = type.getDimSize(3);
  if (b <= 0 || (toSpace ? c % (b * b) : (h % b) | (w % b)) != 0)
    return ctx.error("blocksize " + Twine(b) + " does not divide the input");
  SmallVector<int64_t> first, perm, last;
  if (toSpace) {
    bool crd = ctx.attrString("mode", "DCR") == "CRD";
    first = crd ? SmallVector<int64_t>{n, c / (b * b), b, b, h, w}
                : SmallVector<int64_t>{n, b, b, c / (b * b), h, w};
    perm = crd ? SmallVector<int64_t>{0, 1, 4, 2, 5, 3}
               : SmallVector<int64_t>{0, 3, 4, 1, 5, 2};
    last = {n, c / (b * b), h * b, w * b};
  } else {
    first = {n, c, h / b, b, w / b, b};
    perm = {0, 3, 5, 1, 2, 4};
    last = {n, c * b * b, h / b, w / b};
  }
  Type element = type.getElementType();
  OpBuilder &builder = ctx.builder();
  Value x = ds::ReshapeOp::create(builder, ctx.loc(),
                                  RankedTensorType::get(first, element), ctx.input(0));
  FailureOr<ds::TransposeOp> t =
      ctx.create<ds::TransposeOp>(x, builder.getDenseI64ArrayAttr(perm));
  if (failed(t))
    return failure();
  ctx.setOutput(0, ds::ReshapeOp::create(builder, ctx.loc(),
                                         RankedTensorType::get(last, element), *t));
  return success();
}

/// TopK: k is a constant scalar (or one-element) input.
LogicalResult convertTopK(NodeContext &ctx) {
  FailureOr<SmallVector<int64_t>> k = ctx.constantInts(1);
  if (failed(k))
    return failure();
  if (k->size() != 1)
    return ctx.error("k must hold one value");
  FailureOr<int64_t> axis =
      ctx.normalizeAxis(ctx.attrInt("axis", -1), ctx.inputType(0).getRank());
  if (failed(axis))
    return failure();
  OpBuilder &b = ctx.builder();
  FailureOr<ds::TopKOp> op = ctx.create<ds::TopKOp>(
      ctx.input(0), b.getI64IntegerAttr(k->front()), b.getI64IntegerAttr(*axis),
      b.getBoolAttr(ctx.attrInt("largest", 1) != 0),
      b.getBoolAttr(ctx.attrInt("sorted", 1) != 0));
  if (failed(op))
    return failure();
  ctx.setOutput(0, op->getValues());
  ctx.setOutput(1, op->getIndices());
  return success();
}

/// OneHot: constant depth and [off_value, on_value].
LogicalResult convertOneHot(NodeContext &ctx) {
  DenseElementsAttr depthAttr = ctx.constantInput(1), values = ctx.constantInput(2);
  if (!depthAttr || depthAttr.getNumElements() != 1 || !values ||
      values.getNumElements() != 2)
    return ctx.error(
        "OneHot needs a constant scalar depth and constant [off, on] values");
  auto asDouble = [](Attribute a) {
    if (auto f = dyn_cast<FloatAttr>(a))
      return f.getValueAsDouble();
    return static_cast<double>(cast<IntegerAttr>(a).getValue().getSExtValue());
  };
  int64_t depth =
      static_cast<int64_t>(asDouble(*depthAttr.getValues<Attribute>().begin()));
  SmallVector<Attribute> pair = llvm::to_vector(values.getValues<Attribute>());
  RankedTensorType indices = ctx.inputType(0);
  FailureOr<int64_t> axis =
      ctx.normalizeAxis(ctx.attrInt("axis", -1), indices.getRank() + 1);
  if (failed(axis))
    return failure();
  SmallVector<int64_t> shape(indices.getShape());
  shape.insert(shape.begin() + *axis, depth);
  auto resultType = RankedTensorType::get(shape, values.getElementType());
  OpBuilder &b = ctx.builder();
  ctx.setOutput(0, ds::OneHotOp::create(
                       b, ctx.loc(), resultType, ctx.input(0), b.getI64IntegerAttr(depth),
                       b.getI64IntegerAttr(*axis), b.getF64FloatAttr(asDouble(pair[1])),
                       b.getF64FloatAttr(asDouble(pair[0]))));
  return success();
}

LogicalResult convertGatherND(NodeContext &ctx) {
  return ctx.createOutput<ds::GatherNDOp>(
      ctx.input(0), ctx.input(1),
      ctx.builder().getI64IntegerAttr(ctx.attrInt("batch_dims", 0)));
}

FailureOr<ds::ScatterReductionAttr> readScatterReduction(NodeContext &ctx) {
  std::string name = ctx.attrString("reduction", "none");
  std::optional<ds::ScatterReduction> reduction = ds::symbolizeScatterReduction(name);
  if (!reduction)
    return ctx.error("unknown reduction '" + name + "'");
  return ds::ScatterReductionAttr::get(ctx.context(), *reduction);
}

LogicalResult convertScatterElements(NodeContext &ctx) {
  FailureOr<int64_t> axis =
      ctx.normalizeAxis(ctx.attrInt("axis", 0), ctx.inputType(0).getRank());
  FailureOr<ds::ScatterReductionAttr> reduction = readScatterReduction(ctx);
  if (failed(axis) || failed(reduction))
    return failure();
  ctx.setOutput(0, ds::ScatterElementsOp::create(
                       ctx.builder(), ctx.loc(), ctx.inputType(0), ctx.input(0),
                       ctx.input(1), ctx.input(2), ctx.builder().getI64IntegerAttr(*axis),
                       *reduction));
  return success();
}

LogicalResult convertScatterND(NodeContext &ctx) {
  FailureOr<ds::ScatterReductionAttr> reduction = readScatterReduction(ctx);
  if (failed(reduction))
    return failure();
  ctx.setOutput(0, ds::ScatterNDOp::create(ctx.builder(), ctx.loc(), ctx.inputType(0),
                                           ctx.input(0), ctx.input(1), ctx.input(2),
                                           *reduction));
  return success();
}

/// EyeLike of a statically shaped 2-D input is a constant.
LogicalResult convertEyeLike(NodeContext &ctx) {
  RankedTensorType type = ctx.inputType(0);
  if (type.getRank() != 2 || !type.hasStaticShape())
    return ctx.error("EyeLike needs a statically shaped 2-D input");
  Type element = type.getElementType();
  if (ctx.hasAttr("dtype")) {
    llvm::Expected<Type> given =
        convertElementType(ctx.context(), static_cast<int32_t>(ctx.attrInt("dtype", 1)));
    if (!given)
      return ctx.error(llvm::toString(given.takeError()));
    element = *given;
  }
  int64_t k = ctx.attrInt("k", 0);
  SmallVector<Attribute> values;
  Builder &b = ctx.builder();
  for (int64_t i = 0; i < type.getDimSize(0); ++i)
    for (int64_t j = 0; j < type.getDimSize(1); ++j) {
      bool one = j - i == k;
      values.push_back(isa<FloatType>(element)
                           ? Attribute(b.getFloatAttr(element, one))
                           : Attribute(b.getIntegerAttr(element, one)));
    }
  ctx.setConstantOutput(
      0, DenseElementsAttr::get(RankedTensorType::get(type.getShape(), element), values));
  return success();
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
  table["Shape"] = convertShape;
  table["Gather"] = convertGather;
  table["Unsqueeze"] = convertUnsqueeze;
  table["Squeeze"] = convertSqueeze;
  table["Slice"] = convertSlice;
  table["Split"] = convertSplit;
  table["Pad"] = convertPad;
  table["Expand"] = convertExpand;
  table["ConstantOfShape"] = convertConstantOfShape;
  table["Size"] = convertSize;
  table["ReverseSequence"] = convertReverseSequence;
  table["GatherElements"] = convertGatherElements;
  table["Tile"] = convertTile;
  table["Trilu"] = convertTrilu;
  table["TopK"] = convertTopK;
  table["OneHot"] = convertOneHot;
  table["GatherND"] = convertGatherND;
  table["ScatterElements"] = convertScatterElements;
  table["ScatterND"] = convertScatterND;
  table["Scatter"] = convertScatterElements; // deprecated name (opset 9-10)
  table["EyeLike"] = convertEyeLike;
  table["Range"] = convertRange;
  table["DepthToSpace"] = [](NodeContext &ctx) { return convertDepthSpace(ctx, true); };
  table["SpaceToDepth"] = [](NodeContext &ctx) { return convertDepthSpace(ctx, false); };
}

} // namespace deepseek::onnx_import
