//===- DSToLinalgPass.cpp - the convert-ds-to-linalg pass ------------------===//
//
// Applies every family's lowering patterns greedily (a lowering may create ds
// ops that lower in turn, e.g. hardmax via arg_max), then reports each ds op
// that is left, all at once, with the reason it could not be lowered.
//
//===----------------------------------------------------------------------===//

#include "LoweringUtils.h"
#include "deepseek/Passes.h"

#include "mlir/Dialect/Quant/IR/Quant.h"
#include "mlir/Transforms/GreedyPatternRewriteDriver.h"

namespace mlir::ds {
#define GEN_PASS_DEF_CONVERTDSTOLINALG
#include "ds/Passes.h.inc"
} // namespace mlir::ds

using namespace mlir;
using namespace mlir::ds;

namespace {

bool hasStaticShapes(Operation *op) {
  auto isStatic = [](Type t) {
    auto shaped = dyn_cast<ShapedType>(t);
    return !shaped || shaped.hasStaticShape();
  };
  return llvm::all_of(op->getOperandTypes(), isStatic) &&
         llvm::all_of(op->getResultTypes(), isStatic);
}

/// One error for all dynamic inputs: every op downstream of them would otherwise
/// report the same problem.
LogicalResult checkStaticInputs(func::FuncOp fn) {
  std::string names;
  for (auto [i, type] : llvm::enumerate(fn.getArgumentTypes())) {
    auto shaped = dyn_cast<ShapedType>(type);
    if (!shaped || shaped.hasStaticShape())
      continue;
    auto name = fn.getArgAttrOfType<StringAttr>(i, "ds.name");
    names += (names.empty() ? "'" : ", '") +
             (name ? name.str() : "#" + std::to_string(i)) + "' (" ;
    llvm::raw_string_ostream os(names);
    os << type << ")";
  }
  if (names.empty())
    return success();
  return fn.emitError("code generation needs static shapes, but input ")
         << names << " has dynamic dims; fix them with --input-shape NAME=DIMS";
}

struct ConvertDSToLinalgPass
    : public ds::impl::ConvertDSToLinalgBase<ConvertDSToLinalgPass> {
  void runOnOperation() override {
    func::FuncOp fn = getOperation();
    if (failed(checkStaticInputs(fn)) || failed(lowering::normalizeSignedness(fn)))
      return signalPassFailure();
    lowering::markChannelsLast(fn);
    lowering::lowerIntegerMatmuls(fn);
    RewritePatternSet patterns(&getContext());
    lowering::populateElementwiseLoweringPatterns(patterns);
    lowering::populateLinearLoweringPatterns(patterns);
    lowering::populatePoolingLoweringPatterns(patterns);
    lowering::populateReductionLoweringPatterns(patterns);
    lowering::populateNormalizationLoweringPatterns(patterns);
    lowering::populateDataMovementLoweringPatterns(patterns);
    lowering::populateResizeLoweringPatterns(patterns);
    lowering::populateTopKLoweringPatterns(patterns);
    lowering::populateScatterLoweringPatterns(patterns);
    lowering::populateAttentionLoweringPatterns(patterns);
    lowering::populateGridSampleLoweringPatterns(patterns);
    lowering::populateRoiAlignLoweringPatterns(patterns);
    lowering::populateQuantizationLoweringPatterns(patterns);
    lowering::populateQuantizedConvLoweringPatterns(patterns);
    GreedyRewriteConfig config;
    config.setUseTopDownTraversal(true);
    // Lowering never loops; the default iteration limit only guards against bugs.
    (void)applyPatternsGreedily(fn, std::move(patterns), config);

    bool failed = false;
    fn.walk([&](Operation *op) {
      if (isa<quant::StorageCastOp>(op)) {
        // Every quantize/dequantize pair lowered; what is left crosses the
        // model's boundary as a quantized tensor.
        failed = true;
        op->emitOpError("passes a quantized tensor across the model's boundary (a "
                        "quantized graph input or output), which is not supported yet; "
                        "dequantize it inside the model");
        return;
      }
      if (!isa<DSDialect>(op->getDialect()))
        return;
      failed = true;
      if (!hasStaticShapes(op))
        op->emitOpError("has dynamic shapes: code generation needs static shapes "
                        "(fix dynamic input dims with --input-shape NAME=DIMS)");
      else
        op->emitOpError("has no lowering to linalg for these operand types yet");
    });
    if (failed)
      signalPassFailure();
  }
};

} // namespace
