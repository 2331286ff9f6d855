//===- GraphPipeline.h - graph optimization on the ds dialect ----*- C++ -*-===//
#ifndef DEEPSEEK_TRANSFORMS_GRAPHPIPELINE_H
#define DEEPSEEK_TRANSFORMS_GRAPHPIPELINE_H

#include "mlir/Pass/PassManager.h"

#include <set>
#include <string>

namespace mlir::ds {

/// The names of passes a user turned off with --disable-pass; shared by the
/// graph and code generation pipelines.
using DisabledPasses = std::set<std::string, std::less<>>;

/// Appends |pass| to |pm| unless its argument (e.g. "ds-fuse-epilogues") is in
/// |disabled|.
void addPassUnlessDisabled(OpPassManager &pm, std::unique_ptr<Pass> pass,
                           const DisabledPasses &disabled);

/// The graph optimization pipeline, on every func.func of a module:
/// canonicalize and cse (folding, dead code, no-op reshapes and transposes),
/// ds-fold-batch-norm, ds-recognize-layer-norm, ds-recognize-activations,
/// ds-recognize-attention, ds-fuse-epilogues, then canonicalize and cse again.
/// |unsignedProducts|: the target multiplies u8 by s8 (x86 AVX-512 VNNI),
/// so convolutions of u8-quantized inputs become ds.qconv; |signedProducts|:
/// s8 by s8 (armv8), for i8-quantized inputs, with |i16PairSums| (armv8
/// without dotprod) only for weights without -128.
void buildGraphOptimizationPipeline(OpPassManager &pm, const DisabledPasses &disabled = {},
                                    bool unsignedProducts = true, bool signedProducts = false,
                                    bool i16PairSums = false);

/// Every pass name buildGraphOptimizationPipeline may add (for --disable-pass
/// validation and --help).
ArrayRef<StringRef> graphOptimizationPassNames();

/// Registers `ds-optimize-graph` for deepseek-opt.
void registerGraphOptimizationPipeline();

} // namespace mlir::ds

#endif // DEEPSEEK_TRANSFORMS_GRAPHPIPELINE_H
