//===- GraphPipeline.cpp - the ds-optimize-graph pipeline -----------------===//
//
// Order matters: BatchNorm folds before epilogue fusion (the conv must still
// be bare), the recognizers run before fusion (a GELU must be one op before it
// can become an activation), and the last canonicalize removes what the
// rewrites left dead.
//
//===----------------------------------------------------------------------===//

#include "deepseek/Transforms/GraphPipeline.h"
#include "deepseek/Passes.h"

#include "mlir/Pass/PassRegistry.h"
#include "mlir/Transforms/Passes.h"

using namespace mlir;

void mlir::ds::addPassUnlessDisabled(OpPassManager &pm, std::unique_ptr<Pass> pass,
                                     const DisabledPasses &disabled) {
  if (!disabled.count(pass->getArgument()))
    pm.addPass(std::move(pass));
}

void mlir::ds::buildGraphOptimizationPipeline(OpPassManager &pm,
                                              const DisabledPasses &disabled,
                                              bool unsignedProducts, bool signedProducts,
                                              bool i16PairSums) {
  OpPassManager &fn = pm.nest<func::FuncOp>();
  auto add = [&](std::unique_ptr<Pass> pass) {
    addPassUnlessDisabled(fn, std::move(pass), disabled);
  };
  add(createCanonicalizerPass());
  add(createCSEPass());
  add(createDSFoldBatchNorm());
  add(createDSRecognizeLayerNorm());
  add(createDSRecognizeActivations());
  add(createDSRecognizeAttention());
  add(createDSFuseEpilogues());
  DSFuseQuantizedConvsOptions quantized;
  quantized.unsignedInputs = unsignedProducts;
  quantized.signedInputs = signedProducts;
  quantized.i16PairSums = i16PairSums;
  add(createDSFuseQuantizedConvs(quantized));
  add(createCanonicalizerPass());
  add(createCSEPass());
}

ArrayRef<StringRef> mlir::ds::graphOptimizationPassNames() {
  static const StringRef names[] = {"canonicalize",
                                    "cse",
                                    "ds-fold-batch-norm",
                                    "ds-recognize-layer-norm",
                                    "ds-recognize-activations",
                                    "ds-recognize-attention",
                                    "ds-fuse-epilogues",
                                    "ds-fuse-quantized-convs"};
  return names;
}

void mlir::ds::registerGraphOptimizationPipeline() {
  PassPipelineRegistration<>("ds-optimize-graph",
                             "Graph optimization of a ds model (folding, recognition, fusion)",
                             [](OpPassManager &pm) { buildGraphOptimizationPipeline(pm); });
}
