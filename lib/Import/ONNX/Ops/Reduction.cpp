//===- Reduction.cpp - ONNX Reduce* operators -> ds -----------------------===//

#include "../NodeContext.h"

#include "deepseek/Dialect/DS/IR/DSOps.h"

using namespace mlir;

namespace deepseek::onnx_import {
namespace {

/// Reads the axes of a Reduce* node, normalized and sorted, into |normalized|.
/// At opset 17 they come from an input for ReduceSum (opset 13+) and from an
/// attribute for the others; none means every axis, unless noop_with_empty_axes
/// makes the node the identity: then the input is forwarded and false returned.
FailureOr<bool> readReduceAxes(NodeContext &ctx, SmallVector<int64_t> &normalized) {
  int64_t rank = ctx.inputType(0).getRank();
  std::optional<SmallVector<int64_t>> axes = ctx.attrInts("axes");
  if (ctx.hasInput(1)) {
    FailureOr<SmallVector<int64_t>> given = ctx.constantInts(1);
    if (failed(given))
      return failure();
    axes = *given;
  }
  if (axes && !axes->empty()) {
    for (int64_t axis : *axes) {
      FailureOr<int64_t> a = ctx.normalizeAxis(axis, rank);
      if (failed(a))
        return failure();
      normalized.push_back(*a);
    }
    llvm::sort(normalized);
    normalized.erase(std::unique(normalized.begin(), normalized.end()), normalized.end());
  } else if (ctx.attrInt("noop_with_empty_axes", 0) != 0) {
    ctx.setOutput(0, ctx.input(0));
    return false;
  }
  return true;
}

/// Builds |OpTy| over |input| with the node's axes and keepdims.
template <typename OpTy>
FailureOr<Value> reduce(NodeContext &ctx, Value input, ArrayRef<int64_t> axes) {
  OpBuilder &b = ctx.builder();
  return ctx.createAndFold<OpTy>(input, b.getDenseI64ArrayAttr(axes),
                                 b.getBoolAttr(ctx.attrInt("keepdims", 1) != 0));
}

template <typename OpTy> LogicalResult convertReduce(NodeContext &ctx) {
  SmallVector<int64_t> axes;
  FailureOr<bool> reduces = readReduceAxes(ctx, axes);
  if (failed(reduces))
    return failure();
  if (!*reduces)
    return success();
  FailureOr<Value> result = reduce<OpTy>(ctx, ctx.input(0), axes);
  if (failed(result))
    return failure();
  ctx.setOutput(0, *result);
  return success();
}

/// The Reduce* variants ONNX defines in terms of others:
/// L1 = sum(|x|), SumSquare = sum(x * x), LogSum = log(sum(x)),
/// LogSumExp = log(sum(exp(x))).
enum class Composite { L1, SumSquare, LogSum, LogSumExp };

template <Composite kind> LogicalResult convertCompositeReduce(NodeContext &ctx) {
  SmallVector<int64_t> axes;
  FailureOr<bool> reduces = readReduceAxes(ctx, axes);
  if (failed(reduces))
    return failure();
  if (!*reduces)
    return success();
  OpBuilder &b = ctx.builder();
  Location loc = ctx.loc();
  Value x = ctx.input(0);
  if (kind == Composite::L1)
    x = ds::AbsOp::create(b, loc, x);
  else if (kind == Composite::SumSquare)
    x = ds::MulOp::create(b, loc, x, x);
  else if (kind == Composite::LogSumExp)
    x = ds::ExpOp::create(b, loc, x);
  FailureOr<Value> sum = reduce<ds::ReduceSumOp>(ctx, x, axes);
  if (failed(sum))
    return failure();
  Value result = *sum;
  if (kind == Composite::LogSum || kind == Composite::LogSumExp)
    result = ds::LogOp::create(b, loc, result);
  ctx.setOutput(0, result);
  return success();
}

template <typename OpTy> LogicalResult convertArgReduce(NodeContext &ctx) {
  FailureOr<int64_t> axis =
      ctx.normalizeAxis(ctx.attrInt("axis", 0), ctx.inputType(0).getRank());
  if (failed(axis))
    return failure();
  OpBuilder &b = ctx.builder();
  return ctx.createOutput<OpTy>(ctx.input(0), b.getI64IntegerAttr(*axis),
                                b.getBoolAttr(ctx.attrInt("keepdims", 1) != 0),
                                b.getBoolAttr(ctx.attrInt("select_last_index", 0) != 0));
}

/// CumSum: the axis is a constant scalar input.
LogicalResult convertCumSum(NodeContext &ctx) {
  FailureOr<SmallVector<int64_t>> axis = ctx.constantInts(1);
  if (failed(axis))
    return failure();
  if (axis->size() != 1)
    return ctx.error("the axis of CumSum must be a scalar");
  FailureOr<int64_t> normalized =
      ctx.normalizeAxis(axis->front(), ctx.inputType(0).getRank());
  if (failed(normalized))
    return failure();
  OpBuilder &b = ctx.builder();
  ctx.setOutput(0, ds::CumSumOp::create(b, ctx.loc(), ctx.input(0),
                                        b.getI64IntegerAttr(*normalized),
                                        b.getBoolAttr(ctx.attrInt("exclusive", 0) != 0),
                                        b.getBoolAttr(ctx.attrInt("reverse", 0) != 0)));
  return success();
}

} // namespace

void registerReductionConverters(ConverterTable &table) {
  table["ReduceSum"] = convertReduce<ds::ReduceSumOp>;
  table["ReduceMean"] = convertReduce<ds::ReduceMeanOp>;
  table["ReduceMax"] = convertReduce<ds::ReduceMaxOp>;
  table["ReduceMin"] = convertReduce<ds::ReduceMinOp>;
  table["ReduceProd"] = convertReduce<ds::ReduceProdOp>;
  table["ReduceL2"] = convertReduce<ds::ReduceL2Op>;
  table["ReduceL1"] = convertCompositeReduce<Composite::L1>;
  table["ArgMax"] = convertArgReduce<ds::ArgMaxOp>;
  table["ArgMin"] = convertArgReduce<ds::ArgMinOp>;
  table["CumSum"] = convertCumSum;
  table["ReduceSumSquare"] = convertCompositeReduce<Composite::SumSquare>;
  table["ReduceLogSum"] = convertCompositeReduce<Composite::LogSum>;
  table["ReduceLogSumExp"] = convertCompositeReduce<Composite::LogSumExp>;
}

} // namespace deepseek::onnx_import
