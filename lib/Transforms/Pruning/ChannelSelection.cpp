//===- ChannelSelection.cpp - rank channels and choose the ones kept ------===//
//
// A channel's score is the norm (l1 or l2) of the weights that create it,
// summed over the group's producers; where a BatchNorm alone follows a
// producer, its scale gamma / sqrt(var + eps) multiplies the norm, since the
// folded layer's weights are the product. This is magnitude pruning (Li et
// al., "Pruning Filters for Efficient ConvNets"): without fine-tuning it is
// the criterion that loses least on trained networks, and it needs no data.
//
//===----------------------------------------------------------------------===//

#include "PruningInternals.h"
#include "deepseek/Transforms/F32Elements.h"

#include <algorithm>
#include <cmath>
#include <numeric>

using namespace mlir;
using namespace mlir::ds;
using namespace mlir::ds::pruning;

namespace {

const ChannelSlot *findSlot(const ChannelGroup &group, Value value, int64_t dim) {
  for (const ChannelSlot &slot : group.slots)
    if (slot.value == value && slot.dim == dim)
      return &slot;
  return nullptr;
}

/// The weight and the dimension of it that indexes a producer's channels.
std::pair<Value, int64_t> producerWeight(Operation *op) {
  if (auto conv = dyn_cast<ConvOp>(op))
    return {conv.getWeight(), 0};
  if (auto gemm = dyn_cast<GemmOp>(op))
    return {gemm.getB(), gemm.getTransB() ? 0 : 1};
  auto matmul = cast<MatMulOp>(op);
  return {matmul.getRhs(), 1};
}

/// |gamma / sqrt(var + eps)| of a BatchNorm that is the only user of |value|.
std::optional<SmallVector<float>> followingBatchNormScale(Value value, int64_t channels) {
  if (!value.hasOneUse())
    return std::nullopt;
  auto bn = dyn_cast<BatchNormOp>(*value.getUsers().begin());
  if (!bn)
    return std::nullopt;
  auto gamma = readF32Constant(bn.getScale()), var = readF32Constant(bn.getVariance());
  if (!gamma || !var || static_cast<int64_t>(gamma->size()) != channels ||
      static_cast<int64_t>(var->size()) != channels)
    return std::nullopt;
  float eps = bn.getEpsilon().convertToFloat();
  SmallVector<float> scale(channels);
  for (int64_t c = 0; c < channels; ++c)
    scale[c] = std::fabs((*gamma)[c] / std::sqrt((*var)[c] + eps));
  return scale;
}

/// Adds each channel's weight norm of |producer| to |importance|.
void addProducerScores(const ChannelGroup &group, Operation *producer, Criterion criterion,
                       SmallVectorImpl<double> &importance) {
  auto [weight, axis] = producerWeight(producer);
  const ChannelSlot *slot = findSlot(group, weight, axis);
  std::optional<SmallVector<float>> values = readF32Constant(weight);
  if (!slot || !values)
    return;
  auto type = cast<RankedTensorType>(weight.getType());
  int64_t inner = 1;
  for (int64_t d = axis + 1; d < type.getRank(); ++d)
    inner *= type.getDimSize(d);
  int64_t size = type.getDimSize(axis);
  SmallVector<double> sums(group.channels, 0.0);
  for (auto [i, w] : llvm::enumerate(*values)) {
    int64_t channel = (static_cast<int64_t>(i) / inner) % size / slot->block;
    sums[channel] += criterion == Criterion::L1 ? std::fabs(w) : double(w) * w;
  }
  std::optional<SmallVector<float>> bnScale;
  if (slot->block == 1)
    bnScale = followingBatchNormScale(producer->getResult(0), group.channels);
  for (int64_t c = 0; c < group.channels; ++c) {
    double norm = criterion == Criterion::L1 ? sums[c] : std::sqrt(sums[c]);
    importance[c] += norm * (bnScale ? (*bnScale)[c] : 1.0);
  }
}

bool sliceable(const ChannelGroup &group, const PruningOptions &options, std::string &why) {
  for (const ChannelSlot &slot : group.slots) {
    auto constant = slot.value.getDefiningOp<ConstantOp>();
    if (!constant)
      continue;
    if (!readF32Constant(slot.value) || (options.canSlice && !options.canSlice(constant))) {
      std::string name = layerName(constant);
      why = "constant" + (name.empty() ? std::string() : " '" + name + "'") +
            " cannot be sliced";
      return false;
    }
  }
  return true;
}

int64_t keptCount(int64_t channels, const PruningOptions &options) {
  double wanted = std::ceil(static_cast<double>(channels) * (1.0 - options.ratio) - 1e-9);
  int64_t n = options.granularity;
  int64_t rounded = (static_cast<int64_t>(wanted) + n - 1) / n * n;
  return std::clamp<int64_t>(rounded, n, channels);
}

void rankAndChoose(ChannelGroup &group, const PruningOptions &options) {
  group.importance.assign(group.channels, 0.0);
  for (Operation *producer : group.producers)
    addProducerScores(group, producer, options.criterion, group.importance);
  SmallVector<int64_t> order(group.channels);
  std::iota(order.begin(), order.end(), 0);
  llvm::sort(order, [&](int64_t a, int64_t b) {
    if (group.importance[a] != group.importance[b])
      return group.importance[a] > group.importance[b];
    return a < b; // ties: the earlier channel
  });
  order.resize(keptCount(group.channels, options));
  llvm::sort(order);
  group.kept = std::move(order);
}

/// The kept channels of a concatenation's group: each source's kept
/// channels (expanded by the source slot's block), offset by what precedes.
SmallVector<int64_t> composedKept(std::vector<ChannelGroup> &groups, unsigned index,
                                  SmallVectorImpl<int> &state) {
  ChannelGroup &group = groups[index];
  if (state[index] == 2 || group.sources.empty())
    return group.kept;
  state[index] = 1;
  SmallVector<int64_t> kept;
  int64_t offset = 0;
  for (auto [source, block] : group.sources) {
    SmallVector<int64_t> sourceKept =
        state[source] == 1 ? SmallVector<int64_t>() : composedKept(groups, source, state);
    for (int64_t c : sourceKept)
      for (int64_t b = 0; b < block; ++b)
        kept.push_back(offset + c * block + b);
    offset += groups[source].channels * block;
  }
  group.kept = offset == group.channels ? kept : SmallVector<int64_t>();
  state[index] = 2;
  return group.kept;
}

} // namespace

PruningPlan mlir::ds::pruning::planChannelPruning(func::FuncOp func,
                                                  const PruningOptions &options) {
  PruningPlan plan;
  plan.groups = detail::buildChannelGroups(func, options);
  std::vector<ChannelGroup> &groups = plan.groups;
  for (ChannelGroup &group : groups) {
    std::string why;
    if (group.reason.empty() && !sliceable(group, options, why))
      group.reason = why;
  }
  // A concatenation whose channels must stay holds its sources' channels.
  for (bool changed = true; changed;) {
    changed = false;
    for (ChannelGroup &group : groups) {
      if (group.reason.empty() || group.sources.empty())
        continue;
      for (auto [source, block] : group.sources)
        if (groups[source].reason.empty()) {
          groups[source].reason =
              "concatenated into channels that stay (" + group.reason + ")";
          changed = true;
        }
    }
  }
  for (ChannelGroup &group : groups) {
    group.kept.resize(group.channels);
    std::iota(group.kept.begin(), group.kept.end(), 0);
    if (!group.reason.empty() || !group.sources.empty())
      continue;
    if (group.producers.empty()) {
      group.reason = "no layer's weights create these channels";
      continue;
    }
    for (Operation *producer : group.producers) {
      std::string name = layerName(producer);
      if (!name.empty() && llvm::is_contained(options.skip, name)) {
        group.reason = "'" + name + "' is exempt (--prune-skip)";
        break;
      }
    }
    if (!group.reason.empty())
      continue;
    if (group.channels <= options.granularity) {
      group.reason = std::to_string(group.channels) + " channels, not more than the " +
                     "granularity " + std::to_string(options.granularity);
      continue;
    }
    group.prunable = true;
    if (options.ratio > 0)
      rankAndChoose(group, options);
  }
  SmallVector<int> state(groups.size(), 0);
  for (unsigned i = 0; i < groups.size(); ++i)
    if (!groups[i].sources.empty() && groups[i].reason.empty())
      composedKept(groups, i, state);
  return plan;
}
