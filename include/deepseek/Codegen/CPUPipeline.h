//===- CPUPipeline.h - ds (tensors) to the LLVM dialect for CPUs -*- C++ -*-===//
#ifndef DEEPSEEK_CODEGEN_CPUPIPELINE_H
#define DEEPSEEK_CODEGEN_CPUPIPELINE_H

#include "deepseek/Transforms/GraphPipeline.h"

#include "mlir/IR/DialectRegistry.h"
#include "mlir/Pass/PassManager.h"

#include <string>

namespace mlir::ds {

struct CPUPipelineOptions {
  /// Prefix of the generated entry point (`<symbol>_run`) and descriptor.
  std::string symbol = "model";
  /// Elementwise fusion, vectorization-friendly loop order and parallel loops
  /// on the runtime's pool (-O1+). Off, every ds op becomes its own serial loop
  /// nest: the unoptimized path `deepseek-run --reference` compares against.
  bool optimize = true;
  /// Passes turned off by name (--disable-pass), e.g. ds-fuse-elementwise.
  DisabledPasses disabled;
  /// AddressSanitizer build (--sanitize address): the arena is poisoned
  /// outside the planned lifetimes (ds-cpu-plan-memory poison-lifetimes).
  bool sanitizeAddress = false;
  /// The target has AVX-512 VNNI: 8-bit products become vpdpbusd tiles.
  bool vnni = false;
  /// The target is armv8: s8 x s8 products become register tiles...
  bool signedProducts = false;
  /// ...whose dots are sdot (dotprod) rather than widening multiplies.
  bool sdot = false;
  /// Vector register width in bits: register tiles are sized for it.
  int64_t vectorBits = 512;
};

/// Appends the CPU code generation pipeline to |pm| (anchored on the module):
/// ds -> linalg on tensors -> fused -> bufferized (results as out-params) ->
/// loops -> LLVM dialect with the bare-pointer convention -> entry point.
/// Returns failure only when a textual sub-pipeline fails to parse.
LogicalResult buildCPUCodegenPipeline(OpPassManager &pm, const CPUPipelineOptions &options);

/// The two halves of that pipeline, for callers that look at the fused linalg
/// IR in between: ds -> fused, tiled linalg on tensors; then the rest.
void buildCPUTensorPipeline(OpPassManager &pm, const CPUPipelineOptions &options);
LogicalResult buildCPUBufferPipeline(OpPassManager &pm, const CPUPipelineOptions &options);

/// Registers the interface models the pipeline relies on beyond what
/// registerAllDialects/registerAllExtensions add (vector transfers as subsets,
/// for hoisting the register-tile accumulators).
void registerCPUCodegenInterfaces(DialectRegistry &registry);

/// Registers `ds-cpu-codegen` for deepseek-opt.
void registerCPUCodegenPipeline();

} // namespace mlir::ds

#endif // DEEPSEEK_CODEGEN_CPUPIPELINE_H
