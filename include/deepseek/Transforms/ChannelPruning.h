//===- ChannelPruning.h - structured channel pruning of ds graphs --*- C++ -*-===//
//
// Structured pruning removes whole output channels of convolutions and
// matrix products, so the pruned model is a smaller dense model (no sparse
// kernels needed). Channels cannot be removed one layer at a time: a
// residual Add joins the channels of every block it connects, a depthwise
// convolution and a squeeze-excite multiply follow the channels of their
// producer, a Flatten turns each channel into a block of columns of the
// Gemm after it. The analysis here finds these dependency groups on the ds
// graph, ranks each group's channels by the norm of its producers' weights
// (times the scale of a BatchNorm that follows), and keeps the best
// (1 - ratio) of them, rounded up to a multiple of the granularity.
//
// Two users: the `ds-prune-channels` pass rewrites ds IR in place, and
// deepseek-optimize maps the same plan back onto the ONNX initializers the
// ds constants came from, so it writes a smaller ONNX model.
//
//===----------------------------------------------------------------------===//

#ifndef DEEPSEEK_TRANSFORMS_CHANNELPRUNING_H
#define DEEPSEEK_TRANSFORMS_CHANNELPRUNING_H

#include "deepseek/Dialect/DS/IR/DSOps.h"
#include "mlir/Dialect/Func/IR/FuncOps.h"

#include <functional>
#include <string>
#include <vector>

namespace mlir::ds::pruning {

enum class Criterion { L1, L2 };

struct PruningOptions {
  /// The fraction of each prunable group's channels to remove, in [0, 1).
  double ratio = 0;
  Criterion criterion = Criterion::L1;
  /// Kept channel counts are multiples of this (vector-friendly layers).
  int64_t granularity = 8;
  /// Layers (the op's name: ONNX node names) whose output channels stay.
  std::vector<std::string> skip;
  /// Whether a constant in a group may be sliced; null: any f32 constant.
  /// deepseek-optimize only slices constants that are ONNX initializers.
  std::function<bool(ConstantOp)> canSlice;
  /// Whether channels may pass through a ds.reshape (whose shape would
  /// change); null: yes. deepseek-optimize refuses ONNX Reshapes whose shape
  /// tensor spells out a dimension (anything but -1, 0 or 1).
  std::function<bool(ReshapeOp)> canReshape;
};

/// One dimension of one value. It holds `channels * block` elements; channel
/// c of the group is the run [c * block, (c + 1) * block) (block > 1 after a
/// Flatten: each channel becomes height x width columns).
struct ChannelSlot {
  Value value;
  int64_t dim;
  int64_t block;
};

/// Channels that must be kept or removed together.
struct ChannelGroup {
  int64_t channels = 0;
  SmallVector<ChannelSlot> slots;
  /// The convolutions / matrix products whose constant weights create these
  /// channels (their weight's output dimension is one of the slots).
  SmallVector<Operation *> producers;
  /// Depthwise convolutions in the group: their `group` attribute follows
  /// the channel count.
  SmallVector<ConvOp> depthwise;
  /// A concatenation's output: its channels are those of these groups, one
  /// after the other (with the block each source slot has). Such a group is
  /// never ranked itself; it keeps what its sources keep.
  SmallVector<std::pair<unsigned, int64_t>> sources;
  /// The concatenation that produces this group's channels (with sources).
  Operation *concat = nullptr;
  /// Whether the group's own channels are ranked and cut.
  bool prunable = false;
  /// Why not, when it is not (a model input/output, a grouped convolution...).
  std::string reason;
  /// Per channel (prunable groups): the ranking score.
  SmallVector<double> importance;
  /// The channels kept, ascending; all of them when nothing is removed.
  SmallVector<int64_t> kept;

  bool removesChannels() const { return static_cast<int64_t>(kept.size()) < channels; }
};

struct PruningPlan {
  std::vector<ChannelGroup> groups;
};

/// Finds the dependency groups of |func| and chooses the channels to keep.
/// The plan refers to |func|'s values; apply it before changing |func|.
PruningPlan planChannelPruning(func::FuncOp func, const PruningOptions &options);

/// Rewrites |func| to keep |plan|'s channels: slices the constants, narrows
/// the types of the values in between and updates depthwise group counts.
LogicalResult applyChannelPruning(func::FuncOp func, const PruningPlan &plan);

/// The elements of |values| (row-major |shape|) at the indices kept along
/// each dimension (|kept| has one list per dimension).
SmallVector<float> gatherKept(ArrayRef<float> values, ArrayRef<int64_t> shape,
                              ArrayRef<SmallVector<int64_t>> kept);

/// The indices along |slot|'s dimension that |group| keeps (each kept
/// channel expanded to its block).
SmallVector<int64_t> keptIndices(const ChannelGroup &group, const ChannelSlot &slot);

/// The name a layer is known by (the importer's node name), or "".
std::string layerName(Operation *op);

} // namespace mlir::ds::pruning

#endif // DEEPSEEK_TRANSFORMS_CHANNELPRUNING_H
