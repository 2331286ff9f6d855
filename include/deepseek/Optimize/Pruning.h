//===- Pruning.h - deepseek-optimize's structured channel pruning -*- C++ -*-===//
//
// The ONNX side of channel pruning: the model is imported into ds, the
// dependency groups and kept channels are planned there
// (deepseek/Transforms/ChannelPruning.h), and the plan is applied to the
// ONNX initializers the ds constants came from (and to the group count of
// depthwise Conv nodes). The result is a smaller, standard ONNX model.
//
//===----------------------------------------------------------------------===//
#ifndef DEEPSEEK_OPTIMIZE_PRUNING_H
#define DEEPSEEK_OPTIMIZE_PRUNING_H

#include "deepseek/Optimize/Quantization.h"

namespace deepseek::optimize {

struct PruneOptions {
  double ratio = 0;
  bool l2 = false; // the criterion: l1 (default) or l2 norm
  int64_t granularity = 8;
  std::vector<std::string> skip;
  /// With calibration statistics of the Conv/Gemm data inputs
  /// (compensationInputs): each removed input channel's mean activation,
  /// times the weights that read it, moves into the consumer's bias, so the
  /// pruned layer is right on average instead of missing that contribution.
  const std::map<std::string, TensorStats> *activationStats = nullptr;
};

struct PruningReport {
  int64_t groups = 0, prunedGroups = 0;
  /// Channels of the prunable groups, before and after.
  int64_t channelsBefore = 0, channelsAfter = 0;
  /// Per group with layers: {"layers", "channels", "kept", "reason"}.
  llvm::json::Array groupList;
  /// Per sliced initializer: {"initializer", "axis", "kept": [...]}: what a
  /// fine-tuning script needs to reproduce the pruned architecture.
  llvm::json::Array mask;
  /// Layers whose bias absorbed removed channels' means, and those that had
  /// no bias initializer to absorb them.
  int64_t compensated = 0, uncompensated = 0;
};

/// The data inputs of the Conv and Gemm nodes: what calibration measures
/// for PruneOptions::activationStats.
std::vector<std::string> compensationInputs(const onnx::ModelProto &model);

/// Prunes |model| (normalized) in place.
llvm::Error pruneChannels(onnx::ModelProto &model, const std::string &path,
                          const PruneOptions &options, PruningReport &report);

/// What the summary and report compare before and after: parameters (float
/// initializer elements) and multiply-adds of Conv/Gemm/MatMul x 2 (a
/// dynamic batch counts as 1).
struct ModelCost {
  int64_t parameters = 0;
  int64_t flops = 0;
};
llvm::Expected<ModelCost> measureCost(const onnx::ModelProto &model, const std::string &path);

/// Seeded uniform [0, 1) inputs for |model| (dynamic dimensions as 1),
/// written as .npy files into |folder|: one sample.
llvm::Expected<Sample> generateSample(const onnx::ModelProto &model, const std::string &folder,
                                      unsigned seed);

} // namespace deepseek::optimize

#endif // DEEPSEEK_OPTIMIZE_PRUNING_H
