// DsrtTest.cpp - libdsrt: descriptor ABI, open/run/validation, and the thread pool.
#include "ToyModels.h"

#include "dsrt/dsrt.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <chrono>
#include <atomic>
#include <cstddef>
#include <cstring>
#include <memory>
#include <mutex>
#include <set>
#include <string>
#include <thread>
#include <unistd.h>
#include <vector>

namespace {

// The compiler lays these out by hand; a changed offset breaks every compiled model.
static_assert(offsetof(dsrt_tensor_desc, dims) == 16, "");
static_assert(offsetof(dsrt_tensor_desc, size_bytes) == 24, "");
static_assert(offsetof(dsrt_model_desc, name) == 16, "");
static_assert(offsetof(dsrt_model_desc, arena_size) == 40, "");
static_assert(offsetof(dsrt_model_desc, run) == 48, "");

struct ModelCloser {
  void operator()(dsrt_model *m) const { dsrt_model_close(m); }
};
using ModelPtr = std::unique_ptr<dsrt_model, ModelCloser>;

ModelPtr open(const dsrt_model_desc &desc) {
  dsrt_model *m = nullptr;
  EXPECT_EQ(dsrt_model_open(&desc, &m), DSRT_OK);
  return ModelPtr(m);
}

// Caller-side tensors for the add-one model, valid until each test breaks one field.
struct AddOneIO {
  float x[6] = {0, 1, 2, 3, 4, 5};
  float y[6] = {};
  dsrt_tensor in{DSRT_FLOAT32, 2, toy::kDims23, x, sizeof(x)};
  dsrt_tensor out{DSRT_FLOAT32, 2, toy::kDims23, y, sizeof(y)};
};

TEST(Dsrt, DtypeTables) {
  EXPECT_EQ(dsrt_dtype_size(DSRT_FLOAT32), 4u);
  EXPECT_EQ(dsrt_dtype_size(DSRT_BOOL), 1u);
  EXPECT_EQ(dsrt_dtype_size(DSRT_FLOAT16), 2u);
  EXPECT_EQ(dsrt_dtype_size(DSRT_BFLOAT16), 2u);
  EXPECT_EQ(dsrt_dtype_size(DSRT_UINT64), 8u);
  EXPECT_EQ(dsrt_dtype_size(8), 0u); // ONNX string
  EXPECT_EQ(dsrt_dtype_size(0), 0u);
  EXPECT_STREQ(dsrt_dtype_name(DSRT_FLOAT32), "float32");
  EXPECT_STREQ(dsrt_dtype_name(DSRT_INT64), "int64");
  EXPECT_STREQ(dsrt_dtype_name(DSRT_BOOL), "bool");
  EXPECT_STREQ(dsrt_dtype_name(DSRT_BFLOAT16), "bfloat16");
  EXPECT_STREQ(dsrt_dtype_name(999), "unknown");
  EXPECT_STREQ(dsrt_status_string(DSRT_OK), "ok");
  EXPECT_STREQ(dsrt_status_string(DSRT_ERR_PARSE), "parse error");
}

TEST(Dsrt, RunsToyModel) {
  ModelPtr m = open(toy::kAddOne);
  ASSERT_TRUE(m);
  EXPECT_EQ(dsrt_model_describe(m.get()), &toy::kAddOne);
  AddOneIO io;
  int before = toy::addOneRuns;
  ASSERT_EQ(dsrt_model_run(m.get(), &io.in, 1, &io.out, 1), DSRT_OK) << dsrt_model_error(m.get());
  EXPECT_EQ(toy::addOneRuns, before + 1);
  for (int i = 0; i < 6; ++i)
    EXPECT_FLOAT_EQ(io.y[i], i + 1.0f);
  EXPECT_STREQ(dsrt_model_error(m.get()), "");
  EXPECT_EQ(toy::addOneArena, nullptr); // arena_size 0
}

TEST(Dsrt, ArenaIsAlignedAndStable) {
  dsrt_model_desc desc = toy::kAddOne;
  desc.arena_size = 100; // not a multiple of the alignment on purpose
  ModelPtr m = open(desc);
  ASSERT_TRUE(m);
  AddOneIO io;
  ASSERT_EQ(dsrt_model_run(m.get(), &io.in, 1, &io.out, 1), DSRT_OK);
  void *first = toy::addOneArena;
  ASSERT_NE(first, nullptr);
  EXPECT_EQ(reinterpret_cast<uintptr_t>(first) % 64, 0u);
  ASSERT_EQ(dsrt_model_run(m.get(), &io.in, 1, &io.out, 1), DSRT_OK);
  EXPECT_EQ(toy::addOneArena, first); // allocated once, at open
}

TEST(Dsrt, CallerArena) {
  dsrt_model_desc desc = toy::kAddOne;
  desc.arena_size = 100;
  ModelPtr m = open(desc);
  ASSERT_TRUE(m);
  alignas(64) static unsigned char buffer[192];
  EXPECT_EQ(dsrt_model_set_arena(m.get(), nullptr, 128), DSRT_ERR_INVALID_ARGUMENT);
  EXPECT_STREQ(dsrt_model_error(m.get()), "the arena must be a non-NULL, 64-byte aligned pointer");
  EXPECT_EQ(dsrt_model_set_arena(m.get(), buffer + 8, 128), DSRT_ERR_INVALID_ARGUMENT);
  EXPECT_EQ(dsrt_model_set_arena(m.get(), buffer, 64), DSRT_ERR_SIZE);
  EXPECT_STREQ(dsrt_model_error(m.get()), "the arena has 64 bytes, the model needs 100");
  ASSERT_EQ(dsrt_model_set_arena(m.get(), buffer, sizeof(buffer)), DSRT_OK);
  AddOneIO io;
  ASSERT_EQ(dsrt_model_run(m.get(), &io.in, 1, &io.out, 1), DSRT_OK);
  EXPECT_EQ(toy::addOneArena, buffer); // the caller's, not the one from open
  // A second model shares it (they never run at the same time here).
  ModelPtr other = open(desc);
  ASSERT_TRUE(other);
  ASSERT_EQ(dsrt_model_set_arena(other.get(), buffer, sizeof(buffer)), DSRT_OK);
  ASSERT_EQ(dsrt_model_run(other.get(), &io.in, 1, &io.out, 1), DSRT_OK);
  EXPECT_EQ(toy::addOneArena, buffer);
}

struct PoolReleaser {
  void operator()(dsrt_arena_pool *p) const { dsrt_arena_pool_release(p); }
};
using PoolPtr = std::unique_ptr<dsrt_arena_pool, PoolReleaser>;

PoolPtr createPool(int arenas) {
  dsrt_arena_pool *p = nullptr;
  EXPECT_EQ(dsrt_arena_pool_create(arenas, &p), DSRT_OK);
  return PoolPtr(p);
}

TEST(Dsrt, ArenaPoolSharesOneArena) {
  dsrt_arena_pool *none = reinterpret_cast<dsrt_arena_pool *>(0x1);
  EXPECT_EQ(dsrt_arena_pool_create(0, &none), DSRT_ERR_INVALID_ARGUMENT);
  EXPECT_EQ(none, nullptr);
  EXPECT_EQ(dsrt_arena_pool_create(1, nullptr), DSRT_ERR_INVALID_ARGUMENT);
  PoolPtr pool = createPool(1);
  ASSERT_TRUE(pool);
  EXPECT_EQ(dsrt_arena_pool_bytes(pool.get()), 0u);
  dsrt_model_desc small = toy::kAddOne, large = toy::kAddOne;
  small.arena_size = 100;
  large.arena_size = 300;
  ModelPtr a = open(small), b = open(large), c = open(toy::kAddOne);
  ASSERT_TRUE(a && b && c);
  EXPECT_EQ(dsrt_model_use_arena_pool(a.get(), nullptr), DSRT_ERR_INVALID_ARGUMENT);
  EXPECT_STREQ(dsrt_model_error(a.get()), "the arena pool is NULL");
  ASSERT_EQ(dsrt_model_use_arena_pool(a.get(), pool.get()), DSRT_OK);
  EXPECT_EQ(dsrt_arena_pool_bytes(pool.get()), 128u); // 100 rounded up to 64 bytes
  ASSERT_EQ(dsrt_model_use_arena_pool(b.get(), pool.get()), DSRT_OK);
  EXPECT_EQ(dsrt_arena_pool_bytes(pool.get()), 320u); // grown for the larger model
  ASSERT_EQ(dsrt_model_use_arena_pool(c.get(), pool.get()), DSRT_OK);
  EXPECT_EQ(dsrt_arena_pool_bytes(pool.get()), 320u); // arena_size 0 takes nothing
  // Both models run in the same arena, one at a time.
  AddOneIO io;
  ASSERT_EQ(dsrt_model_run(a.get(), &io.in, 1, &io.out, 1), DSRT_OK);
  void *shared = toy::addOneArena;
  ASSERT_NE(shared, nullptr);
  EXPECT_EQ(reinterpret_cast<uintptr_t>(shared) % 64, 0u);
  ASSERT_EQ(dsrt_model_run(b.get(), &io.in, 1, &io.out, 1), DSRT_OK);
  EXPECT_EQ(toy::addOneArena, shared);
  ASSERT_EQ(dsrt_model_run(c.get(), &io.in, 1, &io.out, 1), DSRT_OK);
  EXPECT_EQ(toy::addOneArena, nullptr);
  // The creator lets go first: the models keep the pool alive.
  pool.reset();
  ASSERT_EQ(dsrt_model_run(a.get(), &io.in, 1, &io.out, 1), DSRT_OK);
  EXPECT_EQ(toy::addOneArena, shared);
  for (int i = 0; i < 6; ++i)
    EXPECT_FLOAT_EQ(io.y[i], i + 1.0f);
  // A caller arena replaces the pool for one model.
  alignas(64) static unsigned char own[128];
  ASSERT_EQ(dsrt_model_set_arena(a.get(), own, sizeof(own)), DSRT_OK);
  ASSERT_EQ(dsrt_model_run(a.get(), &io.in, 1, &io.out, 1), DSRT_OK);
  EXPECT_EQ(toy::addOneArena, own);
}

// Runs of models sharing a pool of two arenas, from four threads: never more
// than two at once, never two in the same arena.
std::mutex lentMutex;
std::set<void *> lent;
std::atomic<int> inFlight{0}, mostInFlight{0}, clashes{0};
void exclusiveRun(void **, void *arena) {
  {
    std::lock_guard<std::mutex> hold(lentMutex);
    if (!lent.insert(arena).second)
      ++clashes;
  }
  int now = ++inFlight;
  int seen = mostInFlight.load();
  while (now > seen && !mostInFlight.compare_exchange_weak(seen, now)) {
  }
  std::this_thread::sleep_for(std::chrono::milliseconds(2));
  --inFlight;
  std::lock_guard<std::mutex> hold(lentMutex);
  lent.erase(arena);
}

TEST(Dsrt, ArenaPoolBoundsConcurrentRuns) {
  PoolPtr pool = createPool(2);
  ASSERT_TRUE(pool);
  dsrt_model_desc desc = toy::kAddOne;
  desc.arena_size = 4096;
  desc.run = exclusiveRun;
  std::vector<std::thread> threads;
  std::atomic<int> failures{0};
  for (int t = 0; t < 4; ++t)
    threads.emplace_back([&] {
      ModelPtr m = open(desc); // one instance per thread, as dsrt.h asks
      if (!m || dsrt_model_use_arena_pool(m.get(), pool.get()) != DSRT_OK) {
        ++failures;
        return;
      }
      AddOneIO io;
      for (int i = 0; i < 10; ++i)
        if (dsrt_model_run(m.get(), &io.in, 1, &io.out, 1) != DSRT_OK)
          ++failures;
    });
  for (std::thread &t : threads)
    t.join();
  EXPECT_EQ(failures.load(), 0);
  EXPECT_EQ(clashes.load(), 0);
  EXPECT_LE(mostInFlight.load(), 2);
  EXPECT_GE(mostInFlight.load(), 1);
  EXPECT_EQ(dsrt_arena_pool_bytes(pool.get()), 2u * 4096u);
}

TEST(Dsrt, OpenRejectsBadDescriptors) {
  dsrt_model *m = reinterpret_cast<dsrt_model *>(0x1);
  dsrt_model_desc bad = toy::kAddOne;
  bad.abi_version = DSRT_ABI_VERSION + 1;
  EXPECT_EQ(dsrt_model_open(&bad, &m), DSRT_ERR_ABI_MISMATCH);
  EXPECT_EQ(m, nullptr);
  bad = toy::kAddOne;
  bad.run = nullptr;
  EXPECT_EQ(dsrt_model_open(&bad, &m), DSRT_ERR_INVALID_ARGUMENT);
  bad = toy::kAddOne;
  bad.inputs = nullptr;
  EXPECT_EQ(dsrt_model_open(&bad, &m), DSRT_ERR_INVALID_ARGUMENT);
  const dsrt_tensor_desc noDims[] = {{"x", DSRT_FLOAT32, 2, nullptr, 24}};
  bad = toy::kAddOne;
  bad.inputs = noDims;
  EXPECT_EQ(dsrt_model_open(&bad, &m), DSRT_ERR_INVALID_ARGUMENT);
  const dsrt_tensor_desc stringOut[] = {{"y", 8, 2, toy::kDims23, 24}};
  bad = toy::kAddOne;
  bad.outputs = stringOut;
  EXPECT_EQ(dsrt_model_open(&bad, &m), DSRT_ERR_INVALID_ARGUMENT);
  EXPECT_EQ(dsrt_model_open(nullptr, &m), DSRT_ERR_INVALID_ARGUMENT);
  EXPECT_EQ(dsrt_model_open(&toy::kAddOne, nullptr), DSRT_ERR_INVALID_ARGUMENT);
  dsrt_model_close(nullptr); // no-op
}

// Runs with one field broken and checks the code, the message, and that the model's
// run function was not called.
void expectRejected(dsrt_model *m, const dsrt_tensor *in, size_t nin, dsrt_tensor *out,
                    size_t nout, dsrt_status code, const std::string &message) {
  int before = toy::addOneRuns;
  EXPECT_EQ(dsrt_model_run(m, in, nin, out, nout), code);
  EXPECT_EQ(std::string(dsrt_model_error(m)), message);
  EXPECT_EQ(toy::addOneRuns, before);
}

TEST(Dsrt, RunValidatesEveryField) {
  ModelPtr m = open(toy::kAddOne);
  ASSERT_TRUE(m);
  {
    AddOneIO io;
    expectRejected(m.get(), &io.in, 0, &io.out, 1, DSRT_ERR_INVALID_ARGUMENT,
                   "got 0 inputs, the model has 1");
    dsrt_tensor two[2] = {io.out, io.out};
    expectRejected(m.get(), &io.in, 1, two, 2, DSRT_ERR_INVALID_ARGUMENT,
                   "got 2 outputs, the model has 1");
    expectRejected(m.get(), nullptr, 1, &io.out, 1, DSRT_ERR_INVALID_ARGUMENT,
                   "the input array is NULL");
  }
  {
    AddOneIO io;
    io.in.dtype = DSRT_INT64;
    expectRejected(m.get(), &io.in, 1, &io.out, 1, DSRT_ERR_DTYPE,
                   "input 'x': dtype is int64, the model expects float32");
  }
  {
    AddOneIO io;
    io.in.rank = 3;
    expectRejected(m.get(), &io.in, 1, &io.out, 1, DSRT_ERR_SHAPE,
                   "input 'x': rank is 3, the model expects 2");
  }
  {
    AddOneIO io;
    const int64_t dims[] = {2, 4};
    io.in.dims = dims;
    expectRejected(m.get(), &io.in, 1, &io.out, 1, DSRT_ERR_SHAPE,
                   "input 'x': dim 1 is 4, the model expects 3");
  }
  {
    AddOneIO io;
    io.in.size_bytes = 20;
    expectRejected(m.get(), &io.in, 1, &io.out, 1, DSRT_ERR_SIZE,
                   "input 'x': size_bytes is 20, the model expects 24");
  }
  {
    AddOneIO io;
    io.in.data = nullptr;
    expectRejected(m.get(), &io.in, 1, &io.out, 1, DSRT_ERR_INVALID_ARGUMENT,
                   "input 'x': data is NULL");
  }
  {
    AddOneIO io;
    io.out.dtype = DSRT_FLOAT16;
    expectRejected(m.get(), &io.in, 1, &io.out, 1, DSRT_ERR_DTYPE,
                   "output 'y': dtype is float16, the model expects float32");
    io.out.dtype = DSRT_FLOAT32;
    io.out.data = nullptr;
    expectRejected(m.get(), &io.in, 1, &io.out, 1, DSRT_ERR_INVALID_ARGUMENT,
                   "output 'y': data is NULL");
  }
  {
    // In place, or sharing any byte with an input: the kernels treat their
    // buffers as noalias, so the run is refused rather than computed wrong.
    AddOneIO io;
    io.out.data = io.x;
    expectRejected(m.get(), &io.in, 1, &io.out, 1, DSRT_ERR_INVALID_ARGUMENT,
                   "output 'y' overlaps input 'x' in memory");
    float both[7] = {};
    io.in.data = both;
    io.out.data = both + 1;
    expectRejected(m.get(), &io.in, 1, &io.out, 1, DSRT_ERR_INVALID_ARGUMENT,
                   "output 'y' overlaps input 'x' in memory");
  }
  // A failed run does not poison the next one, and success clears the message.
  AddOneIO io;
  EXPECT_EQ(dsrt_model_run(m.get(), &io.in, 1, &io.out, 1), DSRT_OK);
  EXPECT_STREQ(dsrt_model_error(m.get()), "");
}

TEST(Dsrt, Threads) {
  ModelPtr m = open(toy::kAddOne);
  ASSERT_TRUE(m);
  long cpus = sysconf(_SC_NPROCESSORS_ONLN);
  EXPECT_EQ(dsrt_model_threads(m.get()), cpus < 1 ? 1 : cpus); // the default
  EXPECT_EQ(dsrt_model_set_threads(m.get(), 3), DSRT_OK);
  EXPECT_EQ(dsrt_model_threads(m.get()), 3);
  EXPECT_EQ(dsrt_model_set_threads(m.get(), -1), DSRT_ERR_INVALID_ARGUMENT);
  EXPECT_NE(std::string(dsrt_model_error(m.get())).find("-1"), std::string::npos);
  EXPECT_EQ(dsrt_model_threads(m.get()), 3);
  EXPECT_EQ(dsrt_model_set_threads(m.get(), 0), DSRT_OK);
  EXPECT_EQ(dsrt_model_threads(m.get()), cpus < 1 ? 1 : cpus);
}

// --- dsrt_parallel_for -------------------------------------------------------------

// What the "parallel" toy model's run function does, set by each test.
struct ParallelJob {
  int64_t n = 0;
  std::vector<std::atomic<int>> hits;
  std::mutex mu;
  std::set<std::thread::id> threads;
  int64_t chunks = 0;
  bool nested = false;
};
ParallelJob *job = nullptr;

void countChunk(void *ctx, int64_t begin, int64_t end) {
  auto *j = static_cast<ParallelJob *>(ctx);
  {
    std::lock_guard<std::mutex> lock(j->mu);
    j->threads.insert(std::this_thread::get_id());
    ++j->chunks;
  }
  for (int64_t i = begin; i < end; ++i)
    j->hits[i].fetch_add(1);
}

void nestedChunk(void *ctx, int64_t begin, int64_t end) {
  // An inner region inside a chunk must run serially on this thread, not deadlock.
  struct Sub {
    ParallelJob *j;
    int64_t base;
  } sub{static_cast<ParallelJob *>(ctx), begin};
  dsrt_parallel_for(
      end - begin,
      [](void *c, int64_t b, int64_t e) {
        auto *s = static_cast<Sub *>(c);
        countChunk(s->j, s->base + b, s->base + e);
      },
      &sub);
}

void parallelRun(void **, void *) {
  dsrt_parallel_for(job->n, job->nested ? nestedChunk : countChunk, job);
}

const dsrt_model_desc kParallel = {DSRT_ABI_VERSION, 0, 0, 0, "parallel", nullptr, nullptr,
                                   0, parallelRun};

void runParallel(dsrt_model *m, ParallelJob &j) {
  job = &j;
  ASSERT_EQ(dsrt_model_run(m, nullptr, 0, nullptr, 0), DSRT_OK) << dsrt_model_error(m);
  job = nullptr;
  for (int64_t i = 0; i < j.n; ++i)
    ASSERT_EQ(j.hits[i].load(), 1) << "index " << i << " of " << j.n;
}

TEST(DsrtParallelFor, CoversEachIndexOnce) {
  for (int threads : {1, 2, 4}) {
    ModelPtr m = open(kParallel);
    ASSERT_TRUE(m);
    ASSERT_EQ(dsrt_model_set_threads(m.get(), threads), DSRT_OK);
    for (int64_t n : {0, 1, 2, 3, 5, 7, 1000, 100003}) {
      SCOPED_TRACE("threads=" + std::to_string(threads) + " n=" + std::to_string(n));
      ParallelJob j;
      j.n = n;
      j.hits = std::vector<std::atomic<int>>(static_cast<size_t>(n));
      runParallel(m.get(), j);
      // Four chunks per participating thread (one when serial), taken by at
      // least one and at most that many threads: a descheduled thread's share
      // goes to the others.
      int64_t participants = std::min<int64_t>(threads, n);
      int64_t expected = n == 0 ? 0 : participants == 1 ? 1 : std::min<int64_t>(4 * participants, n);
      EXPECT_EQ(j.chunks, expected);
      EXPECT_LE(static_cast<int64_t>(j.threads.size()), participants);
      EXPECT_GE(static_cast<int64_t>(j.threads.size()), n == 0 ? 0 : 1);
    }
  }
}

TEST(DsrtParallelFor, ManyRunsAndThreadChanges) {
  ModelPtr m = open(kParallel);
  ASSERT_TRUE(m);
  for (int iter = 0; iter < 300; ++iter) {
    if (iter % 100 == 0)
      ASSERT_EQ(dsrt_model_set_threads(m.get(), iter == 100 ? 2 : 4), DSRT_OK);
    ParallelJob j;
    j.n = 1 + iter % 17;
    j.hits = std::vector<std::atomic<int>>(static_cast<size_t>(j.n));
    runParallel(m.get(), j);
  }
}

TEST(DsrtParallelFor, NestedRegionsRunSerially) {
  ModelPtr m = open(kParallel);
  ASSERT_TRUE(m);
  ASSERT_EQ(dsrt_model_set_threads(m.get(), 4), DSRT_OK);
  ParallelJob j;
  j.n = 1001;
  j.nested = true;
  j.hits = std::vector<std::atomic<int>>(static_cast<size_t>(j.n));
  runParallel(m.get(), j);
  EXPECT_EQ(j.chunks, 16); // the outer region's chunks; the nested ones ran inline
}

TEST(DsrtParallelFor, OutsideARunCallsOnce) {
  ParallelJob j;
  j.n = 50;
  j.hits = std::vector<std::atomic<int>>(50);
  dsrt_parallel_for(j.n, countChunk, &j);
  EXPECT_EQ(j.chunks, 1);
  EXPECT_EQ(*j.threads.begin(), std::this_thread::get_id());
  for (auto &h : j.hits)
    EXPECT_EQ(h.load(), 1);
  dsrt_parallel_for(0, countChunk, &j); // n = 0: fn is not called
  EXPECT_EQ(j.chunks, 1);
}

} // namespace
