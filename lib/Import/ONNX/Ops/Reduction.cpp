//===- Reduction.cpp - ONNX Reduce* operators -> ds -----------------------===//

#include "../NodeContext.h"

#include "deepseek/Dialect/DS/IR/DSOps.h"

using namespace mlir;

namespace deepseek::onnx_import {
namespace {

/// Reduce* at opset 17: axes come from an input for ReduceSum (opset 13+) and
/// from an attribute for the others. No axes means every axis, unless
/// noop_with_empty_axes makes it the identity.
template <typename OpTy>
LogicalResult convertReduce(NodeContext &ctx) {
  int64_t rank = ctx.inputType(0).getRank();
  std::optional<SmallVector<int64_t>> axes = ctx.attrInts("axes");
  if (ctx.hasInput(1)) {
    FailureOr<SmallVector<int64_t>> given = ctx.constantInts(1);
    if (failed(given))
      return failure();
    axes = *given;
  }
  SmallVector<int64_t> normalized;
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
    return success();
  }
  OpBuilder &b = ctx.builder();
  return ctx.createOutput<OpTy>(ctx.input(0), b.getDenseI64ArrayAttr(normalized),
                                b.getBoolAttr(ctx.attrInt("keepdims", 1) != 0));
}

} // namespace

void registerReductionConverters(ConverterTable &table) {
  table["ReduceSum"] = convertReduce<ds::ReduceSumOp>;
  table["ReduceMean"] = convertReduce<ds::ReduceMeanOp>;
  table["ReduceMax"] = convertReduce<ds::ReduceMaxOp>;
  table["ReduceMin"] = convertReduce<ds::ReduceMinOp>;
  table["ReduceProd"] = convertReduce<ds::ReduceProdOp>;
  table["ReduceL2"] = convertReduce<ds::ReduceL2Op>;
}

} // namespace deepseek::onnx_import
