//===- PruneChannels.cpp - the ds-prune-channels pass ---------------------===//

#include "deepseek/Passes.h"
#include "deepseek/Transforms/ChannelPruning.h"

#include "llvm/Support/FormatVariadic.h"

namespace mlir::ds {
#define GEN_PASS_DEF_DSPRUNECHANNELS
#include "ds/Passes.h.inc"
} // namespace mlir::ds

using namespace mlir;
using namespace mlir::ds;
using namespace mlir::ds::pruning;

namespace {

std::string describe(const ChannelGroup &group) {
  std::string text;
  llvm::raw_string_ostream os(text);
  os << "channel group of " << group.channels;
  if (!group.producers.empty()) {
    os << " from ";
    llvm::interleaveComma(group.producers, os,
                          [&](Operation *op) {
      std::string name = layerName(op);
      if (name.empty())
        os << op->getName();
      else
        os << "'" << name << "'";
    });
  }
  if (!group.sources.empty())
    os << " from a concatenation of " << group.sources.size() << " groups";
  if (!group.depthwise.empty())
    os << " with " << group.depthwise.size() << " depthwise";
  if (group.removesChannels()) {
    os << ": keeps " << group.kept.size();
    if (group.kept.size() <= 16) {
      os << " [";
      llvm::interleaveComma(group.kept, os);
      os << "]";
    }
  } else {
    os << ": keeps all" << (group.reason.empty() ? "" : ": " + group.reason);
  }
  return text;
}

struct PruneChannelsPass : public mlir::ds::impl::DSPruneChannelsBase<PruneChannelsPass> {
  using Base::Base;

  void runOnOperation() override {
    func::FuncOp func = getOperation();
    PruningOptions options;
    options.ratio = ratio;
    options.granularity = granularity;
    options.skip.assign(skip.begin(), skip.end());
    if (criterion == "l1" || criterion == "l2") {
      options.criterion = criterion == "l1" ? Criterion::L1 : Criterion::L2;
    } else {
      func.emitError() << "ds-prune-channels: criterion '" << criterion
                       << "' is not l1 or l2";
      return signalPassFailure();
    }
    if (!(ratio >= 0.0 && ratio < 1.0) || granularity < 1) {
      func.emitError() << "ds-prune-channels: ratio must be in [0, 1) and granularity >= 1 "
                       << llvm::formatv("(got {0}, {1})", ratio.getValue(),
                                        granularity.getValue())
                              .str();
      return signalPassFailure();
    }
    PruningPlan plan = planChannelPruning(func, options);
    if (report)
      for (const ChannelGroup &group : plan.groups) {
        Operation *at = !group.producers.empty() ? group.producers.front() : group.concat;
        if (at)
          at->emitRemark(describe(group));
      }
    if (failed(applyChannelPruning(func, plan)))
      return signalPassFailure();
  }
};

} // namespace
