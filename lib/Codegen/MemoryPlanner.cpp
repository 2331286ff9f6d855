//===- MemoryPlanner.cpp - offsets in one arena from buffer lifetimes -----===//

#include "deepseek/Codegen/MemoryPlanner.h"

#include <algorithm>
#include <limits>
#include <map>
#include <numeric>

using namespace mlir::ds;

namespace {
bool liveTogether(const BufferLifetime &a, const BufferLifetime &b) {
  return a.firstUse <= b.lastUse && b.firstUse <= a.lastUse;
}
} // namespace

int64_t mlir::ds::alignTo(int64_t size, int64_t alignment) {
  return (size + alignment - 1) / alignment * alignment;
}

MemoryPlan mlir::ds::planGreedyBySize(const std::vector<BufferLifetime> &buffers,
                                      int64_t alignment) {
  MemoryPlan plan;
  plan.offsets.assign(buffers.size(), 0);
  // Largest first; among equal sizes the one that starts first, then input
  // order, so the plan is deterministic.
  std::vector<size_t> order(buffers.size());
  std::iota(order.begin(), order.end(), 0);
  std::sort(order.begin(), order.end(), [&](size_t a, size_t b) {
    if (buffers[a].size != buffers[b].size)
      return buffers[a].size > buffers[b].size;
    if (buffers[a].firstUse != buffers[b].firstUse)
      return buffers[a].firstUse < buffers[b].firstUse;
    return a < b;
  });
  std::vector<size_t> placed;
  for (size_t i : order) {
    int64_t size = alignTo(buffers[i].size, alignment);
    // The placed buffers live at the same time as this one, by offset.
    std::vector<std::pair<int64_t, int64_t>> busy; // [begin, end)
    for (size_t j : placed)
      if (liveTogether(buffers[i], buffers[j]))
        busy.push_back({plan.offsets[j], plan.offsets[j] + alignTo(buffers[j].size, alignment)});
    std::sort(busy.begin(), busy.end());
    // Best fit: the smallest gap that holds |size|; otherwise after the last.
    int64_t best = -1, bestGap = std::numeric_limits<int64_t>::max(), cursor = 0;
    for (auto [begin, end] : busy) {
      int64_t gap = begin - cursor;
      if (gap >= size && gap < bestGap) {
        best = cursor;
        bestGap = gap;
      }
      cursor = std::max(cursor, end);
    }
    plan.offsets[i] = best >= 0 ? best : cursor;
    plan.arenaSize = std::max(plan.arenaSize, plan.offsets[i] + size);
    placed.push_back(i);
  }
  return plan;
}

MemoryPlan mlir::ds::planSeparately(const std::vector<BufferLifetime> &buffers,
                                    int64_t alignment) {
  MemoryPlan plan;
  for (const BufferLifetime &b : buffers) {
    plan.offsets.push_back(plan.arenaSize);
    plan.arenaSize += alignTo(b.size, alignment);
  }
  return plan;
}

int64_t mlir::ds::naiveArenaSize(const std::vector<BufferLifetime> &buffers,
                                 int64_t alignment) {
  return planSeparately(buffers, alignment).arenaSize;
}

int64_t mlir::ds::liveBytesLowerBound(const std::vector<BufferLifetime> &buffers,
                                      int64_t alignment) {
  // Sweep the steps: +size where a buffer starts, -size after it ends.
  std::map<int64_t, int64_t> delta;
  for (const BufferLifetime &b : buffers) {
    delta[b.firstUse] += alignTo(b.size, alignment);
    delta[b.lastUse + 1] -= alignTo(b.size, alignment);
  }
  int64_t live = 0, peak = 0;
  for (auto [step, change] : delta) {
    live += change;
    peak = std::max(peak, live);
  }
  return peak;
}

bool mlir::ds::isValidPlan(const std::vector<BufferLifetime> &buffers, const MemoryPlan &plan,
                           int64_t alignment) {
  if (plan.offsets.size() != buffers.size())
    return false;
  for (size_t i = 0; i < buffers.size(); ++i) {
    int64_t begin = plan.offsets[i], end = begin + alignTo(buffers[i].size, alignment);
    if (begin < 0 || begin % alignment != 0 || end > plan.arenaSize)
      return false;
    for (size_t j = i + 1; j < buffers.size(); ++j) {
      if (!liveTogether(buffers[i], buffers[j]))
        continue;
      int64_t otherBegin = plan.offsets[j];
      int64_t otherEnd = otherBegin + alignTo(buffers[j].size, alignment);
      if (begin < otherEnd && otherBegin < end)
        return false;
    }
  }
  return true;
}
