//===- GPUPipeline.h - ds (tensors) to PTX for NVIDIA GPUs --------*- C++ -*-===//
//
// The device half of the nvptx target: the model's loop nests become CUDA
// kernels (one launch per fused loop nest, blocks of threads over the
// collapsed parallel dims), lowered through MLIR's gpu and nvvm dialects and
// LLVM's NVPTX back end to one PTX module per model, and the host code that
// launches them through libdsrt_cuda (docs/gpu.md).
//
//===----------------------------------------------------------------------===//
#ifndef DEEPSEEK_CODEGEN_GPUPIPELINE_H
#define DEEPSEEK_CODEGEN_GPUPIPELINE_H

#include "deepseek/Transforms/GraphPipeline.h"

#include "mlir/IR/BuiltinOps.h"
#include "mlir/IR/DialectRegistry.h"
#include "mlir/Pass/PassManager.h"

#include <string>

namespace mlir::ds {

struct GPUPipelineOptions {
  /// Prefix of the kernel module and kernel names (<symbol>_k<N>).
  std::string symbol = "model";
  /// The GPU architecture, sm_<major><minor> (sm_80: A100, sm_90: H100;
  /// sm_90a: H100 with wgmma, PTX that runs on sm_90 devices only).
  std::string chip = "sm_90";
  /// NVPTX's -O level for the kernels.
  int optLevel = 3;
  /// Passes turned off by name (--disable-pass), e.g. ds-fuse-elementwise.
  DisabledPasses disabled;
  /// Threads per block.
  int64_t blockSize = 256;
  /// The kernels as NVPTX LLVM bitcode (what LLVM's NVPTX back end would
  /// compile) instead of PTX: for reading them, or running them on the CPU
  /// (scripts/gpu_emulate.py).
  bool llvmKernels = false;
};

/// True for the architectures the pipeline targets: sm_70 and newer
/// (sm_70, sm_75, sm_80, sm_86, sm_89, sm_90, sm_100, ...).
bool isSupportedGPUChip(llvm::StringRef chip);

/// Those architectures for messages: "sm_70, sm_72, ..., sm_90".
std::string supportedGPUChips();

/// Appends ds -> fused linalg -> bufferized, memory-planned loops -> gpu
/// kernels -> NVVM -> `gpu.binary @<symbol>_kernels` holding the PTX.
/// Returns failure when a textual sub-pipeline fails to parse.
LogicalResult buildGPUCodegenPipeline(OpPassManager &pm, const GPUPipelineOptions &options);

/// Appends, after buildGPUCodegenPipeline, the host side: device buffers for
/// the model's |numInputs| inputs, outputs, arena and weights
/// (ds-gpu-host-buffers), one stream per run (gpu-async-region), the launches
/// as calls of libdsrt_cuda's mgpu* functions (gpu-to-llvm), the LLVM dialect
/// and the `<symbol>_run` entry point, the PTX embedded as a constant.
LogicalResult buildGPUHostPipeline(OpPassManager &pm, const GPUPipelineOptions &options,
                                   int64_t numInputs);

/// The PTX text of the one gpu.binary in |module| after that pipeline (an
/// empty module for |chip| when the model launches no kernel); failure (with
/// a diagnostic) when it holds no PTX.
FailureOr<std::string> extractPTX(ModuleOp module, llvm::StringRef chip);

/// The kernels' LLVM IR, as text, of the one gpu.binary in |module| after
/// that pipeline with llvmKernels set.
FailureOr<std::string> extractKernelLLVMIR(ModuleOp module);

/// Registers the NVVM target attribute's serialization and the gpu/nvvm
/// translations to LLVM IR that the pipeline needs.
void registerGPUCodegenInterfaces(DialectRegistry &registry);

/// Registers `ds-gpu-codegen{chip=sm_90}` for deepseek-opt.
void registerGPUCodegenPipeline();

} // namespace mlir::ds

#endif // DEEPSEEK_CODEGEN_GPUPIPELINE_H
