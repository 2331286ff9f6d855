//===- deepseek-opt.cpp - the ds dialect's opt driver for lit tests -------===//
//
// MLIR's standard opt driver with the ds dialect and the upstream dialects,
// extensions and passes the deepseek pipeline uses. Every stage of the compiler
// can be run from here on textual IR.
//
//===----------------------------------------------------------------------===//

#include "deepseek/Dialect/DS/IR/DSDialect.h"
#include "deepseek/Codegen/CPUPipeline.h"
#include "deepseek/Codegen/GPUPipeline.h"
#include "deepseek/Passes.h"

#include "mlir/IR/DialectRegistry.h"
#include "mlir/InitAllDialects.h"
#include "mlir/InitAllExtensions.h"
#include "mlir/InitAllPasses.h"
#include "mlir/Tools/mlir-opt/MlirOptMain.h"

int main(int argc, char **argv) {
  mlir::registerAllPasses();
  mlir::ds::registerDeepSeekPasses();
  mlir::ds::registerCPUCodegenPipeline();
  mlir::ds::registerGPUCodegenPipeline();
  mlir::ds::registerGraphOptimizationPipeline();
  mlir::DialectRegistry registry;
  registry.insert<mlir::ds::DSDialect>();
  mlir::registerAllDialects(registry);
  mlir::registerAllExtensions(registry);
  mlir::ds::registerCPUCodegenInterfaces(registry);
  mlir::ds::registerGPUCodegenInterfaces(registry);
  return mlir::asMainReturnCode(mlir::MlirOptMain(
      argc, argv, "deepseek optimizer driver: ds dialect and MLIR passes\n", registry));
}
