//===- MemoryPlanner.h - offsets in one arena from buffer lifetimes -*- C++ -*-===//
//
// The algorithm behind the arena (issue 6), independent of MLIR so it can be
// tested on synthetic interval sets: every intermediate buffer is a size and
// a lifetime (the first and last step, inclusive, at which it is live);
// buffers whose lifetimes overlap must not overlap in memory. Offsets are
// assigned greedily by size, largest first, each into the best-fitting gap
// between the already-placed buffers it is live with (the approach of TFLite
// Micro's GreedyMemoryPlanner and ExecuTorch's greedy planner).
//
//===----------------------------------------------------------------------===//

#ifndef DEEPSEEK_CODEGEN_MEMORYPLANNER_H
#define DEEPSEEK_CODEGEN_MEMORYPLANNER_H

#include <cstdint>
#include <vector>

namespace mlir::ds {

/// One buffer to place: |size| bytes live from step |firstUse| to step
/// |lastUse| (inclusive; firstUse <= lastUse).
struct BufferLifetime {
  int64_t size = 0;
  int64_t firstUse = 0;
  int64_t lastUse = 0;
};

struct MemoryPlan {
  /// Byte offset of each buffer in the arena, in the order they were given;
  /// every offset is a multiple of the alignment.
  std::vector<int64_t> offsets;
  /// Bytes the arena needs (a multiple of the alignment).
  int64_t arenaSize = 0;
};

/// |size| rounded up to a multiple of |alignment| (a power of two).
int64_t alignTo(int64_t size, int64_t alignment);

/// Greedy-by-size, best-fit placement of |buffers| (see the file comment).
MemoryPlan planGreedyBySize(const std::vector<BufferLifetime> &buffers,
                            int64_t alignment = 64);

/// Every buffer at its own place, in the order given (no sharing; the layout
/// of the AddressSanitizer build).
MemoryPlan planSeparately(const std::vector<BufferLifetime> &buffers, int64_t alignment = 64);

/// The arena of planSeparately: the sum of the aligned sizes.
int64_t naiveArenaSize(const std::vector<BufferLifetime> &buffers, int64_t alignment = 64);

/// The most aligned bytes live at any one step: no plan can use less.
int64_t liveBytesLowerBound(const std::vector<BufferLifetime> &buffers,
                            int64_t alignment = 64);

/// True when |plan| keeps every pair of buffers that are live at the same
/// time apart in memory and inside the arena, with aligned offsets.
bool isValidPlan(const std::vector<BufferLifetime> &buffers, const MemoryPlan &plan,
                 int64_t alignment = 64);

} // namespace mlir::ds

#endif // DEEPSEEK_CODEGEN_MEMORYPLANNER_H
