//===- PruningInternals.h - the pieces of channel pruning --------*- C++ -*-===//
#ifndef DEEPSEEK_LIB_TRANSFORMS_PRUNING_PRUNINGINTERNALS_H
#define DEEPSEEK_LIB_TRANSFORMS_PRUNING_PRUNINGINTERNALS_H

#include "deepseek/Transforms/ChannelPruning.h"

namespace mlir::ds::pruning::detail {

/// The dependency groups of |func| with the structural reasons a group must
/// keep its channels (ChannelDependencies.cpp); nothing ranked or chosen.
std::vector<ChannelGroup> buildChannelGroups(func::FuncOp func,
                                             const PruningOptions &options);

} // namespace mlir::ds::pruning::detail

#endif // DEEPSEEK_LIB_TRANSFORMS_PRUNING_PRUNINGINTERNALS_H
