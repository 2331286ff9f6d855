//===- MemoryPlannerTest.cpp - the arena planner on synthetic lifetimes ---===//

#include "deepseek/Codegen/MemoryPlanner.h"

#include <gtest/gtest.h>

#include <random>

using namespace mlir::ds;

namespace {

TEST(MemoryPlanner, EmptySetNeedsNoArena) {
  MemoryPlan plan = planGreedyBySize({});
  EXPECT_EQ(plan.arenaSize, 0);
  EXPECT_TRUE(plan.offsets.empty());
  EXPECT_EQ(naiveArenaSize({}), 0);
  EXPECT_EQ(liveBytesLowerBound({}), 0);
}

TEST(MemoryPlanner, DisjointLifetimesShareMemory) {
  std::vector<BufferLifetime> buffers{{100, 0, 1}, {100, 2, 3}};
  MemoryPlan plan = planGreedyBySize(buffers);
  EXPECT_EQ(plan.offsets, (std::vector<int64_t>{0, 0}));
  EXPECT_EQ(plan.arenaSize, 128); // 100 rounded up to 64-byte alignment
  EXPECT_EQ(naiveArenaSize(buffers), 256);
  EXPECT_EQ(liveBytesLowerBound(buffers), 128);
}

TEST(MemoryPlanner, OverlappingLifetimesDoNot) {
  // Live together at step 1 only: that is enough to keep them apart.
  std::vector<BufferLifetime> buffers{{100, 0, 1}, {100, 1, 2}};
  MemoryPlan plan = planGreedyBySize(buffers);
  EXPECT_EQ(plan.arenaSize, 256);
  EXPECT_NE(plan.offsets[0], plan.offsets[1]);
  EXPECT_TRUE(isValidPlan(buffers, plan));
}

TEST(MemoryPlanner, ChainReachesTheLowerBound) {
  // A sequential network: buffer i is written at step i, read at step i + 1.
  std::vector<BufferLifetime> buffers;
  int64_t sizes[] = {4096, 8192, 2048, 8192, 1024, 512, 4096, 64};
  for (int64_t i = 0; i < 8; ++i)
    buffers.push_back({sizes[i], i, i + 1});
  MemoryPlan plan = planGreedyBySize(buffers);
  EXPECT_TRUE(isValidPlan(buffers, plan));
  // The largest pair live together: 4096 + 8192 at step 1.
  EXPECT_EQ(liveBytesLowerBound(buffers), 12288);
  EXPECT_EQ(plan.arenaSize, 12288);
  EXPECT_EQ(naiveArenaSize(buffers), 28224);
  // Both 8192-byte buffers (never live together) share offset 0.
  EXPECT_EQ(plan.offsets[1], 0);
  EXPECT_EQ(plan.offsets[3], 0);
}

TEST(MemoryPlanner, DeadBuffersAreReused) {
  // By size: A at 0, B (live with A) at 1024; C starts after A died, so it
  // reuses offset 0; E lives with A and B, so it goes above them; D lives
  // with B and C but not with E, so it reuses E's offset.
  std::vector<BufferLifetime> buffers{
      {1024, 0, 3}, // A
      {1024, 0, 9}, // B
      {1024, 4, 9}, // C
      {256, 5, 6},  // D
      {768, 0, 2},  // E
  };
  MemoryPlan plan = planGreedyBySize(buffers);
  EXPECT_TRUE(isValidPlan(buffers, plan));
  EXPECT_EQ(plan.offsets, (std::vector<int64_t>{0, 1024, 0, 2048, 2048}));
  EXPECT_EQ(plan.arenaSize, 2816);
  EXPECT_EQ(liveBytesLowerBound(buffers), 2816);
  EXPECT_EQ(naiveArenaSize(buffers), 4096);
}

TEST(MemoryPlanner, BestFitPrefersTheTighterGap) {
  // X (dies at 1), Y (long-lived), Z (dies at 1), W (long-lived) stack up as
  // X:[0,1024) Y:[1024,2048) Z:[2048,2560) W:[2560,3072). T, live only with
  // Y and W, sees two holes, [0,1024) and [2048,2560), and takes the smaller
  // one that fits (first fit would take 0).
  std::vector<BufferLifetime> buffers{
      {1024, 0, 1}, // X
      {1024, 0, 9}, // Y
      {512, 0, 1},  // Z
      {512, 0, 9},  // W
      {256, 5, 9},  // T
  };
  MemoryPlan plan = planGreedyBySize(buffers);
  ASSERT_TRUE(isValidPlan(buffers, plan));
  EXPECT_EQ(plan.offsets, (std::vector<int64_t>{0, 1024, 2048, 2560, 2048}));
  EXPECT_EQ(plan.arenaSize, 3072);
  EXPECT_EQ(plan.arenaSize, liveBytesLowerBound(buffers));
}

TEST(MemoryPlanner, OffsetsAreAligned) {
  std::vector<BufferLifetime> buffers{{1, 0, 5}, {3, 1, 5}, {65, 2, 5}, {7, 3, 5}};
  MemoryPlan plan = planGreedyBySize(buffers, 64);
  EXPECT_TRUE(isValidPlan(buffers, plan, 64));
  for (int64_t offset : plan.offsets)
    EXPECT_EQ(offset % 64, 0);
  EXPECT_EQ(plan.arenaSize, 64 + 64 + 128 + 64);
}

TEST(MemoryPlanner, ValidatorCatchesOverlap) {
  std::vector<BufferLifetime> buffers{{128, 0, 2}, {128, 1, 3}};
  MemoryPlan bad{{0, 64}, 192};
  EXPECT_FALSE(isValidPlan(buffers, bad));
  MemoryPlan outside{{0, 128}, 128};
  EXPECT_FALSE(isValidPlan(buffers, outside));
  MemoryPlan unaligned{{0, 130}, 320};
  EXPECT_FALSE(isValidPlan(buffers, unaligned));
}

TEST(MemoryPlanner, RandomSetsAreValidAndBounded) {
  std::mt19937 rng(20261128);
  for (int trial = 0; trial < 300; ++trial) {
    std::vector<BufferLifetime> buffers;
    int count = 1 + rng() % 60;
    for (int i = 0; i < count; ++i) {
      int64_t first = rng() % 40, length = rng() % 8;
      buffers.push_back({static_cast<int64_t>(1 + rng() % 100000), first, first + length});
    }
    MemoryPlan plan = planGreedyBySize(buffers);
    ASSERT_TRUE(isValidPlan(buffers, plan)) << "trial " << trial;
    EXPECT_GE(plan.arenaSize, liveBytesLowerBound(buffers));
    EXPECT_LE(plan.arenaSize, naiveArenaSize(buffers));
  }
}

} // namespace
