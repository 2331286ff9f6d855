//===- IsolatedProcessTest.cpp - work in a child process ------------------===//

#include "deepseek/Import/IsolatedProcess.h"

#include <gtest/gtest.h>

#include <csignal>
#include <stdexcept>
#include <cstdlib>
#include <string>
#include <sys/mman.h>
#include <unistd.h>

using deepseek::IsolatedOutcome;
using deepseek::runIsolated;

namespace {

TEST(IsolatedProcess, ReplyComesBack) {
  std::string big(3 << 20, 'x'); // larger than a pipe's buffer
  big[12345] = '\0';
  IsolatedOutcome outcome = runIsolated([&] { return big; });
  EXPECT_TRUE(outcome.started);
  EXPECT_TRUE(outcome.finished);
  EXPECT_FALSE(outcome.outOfMemory);
  EXPECT_EQ(outcome.reply, big);
  EXPECT_TRUE(outcome.failure.empty());
}

TEST(IsolatedProcess, ChildStateStaysInTheChild) {
  int value = 1;
  IsolatedOutcome outcome = runIsolated([&] {
    value = 2;
    return std::to_string(value);
  });
  EXPECT_EQ(outcome.reply, "2");
  EXPECT_EQ(value, 1);
}

TEST(IsolatedProcess, SegfaultIsAnOutcome) {
  IsolatedOutcome outcome = runIsolated([]() -> std::string {
    std::raise(SIGSEGV);
    return "unreached";
  });
  EXPECT_FALSE(outcome.finished);
  EXPECT_TRUE(outcome.reply.empty());
  EXPECT_EQ(outcome.failure, "was killed by signal 11 (Segmentation fault)");
}

TEST(IsolatedProcess, AbortIsAnOutcome) {
  IsolatedOutcome outcome = runIsolated([]() -> std::string { std::abort(); });
  EXPECT_FALSE(outcome.finished);
  EXPECT_EQ(outcome.failure, "was killed by signal 6 (Aborted)");
}

TEST(IsolatedProcess, ExceptionEndsTheChild) {
  bool parentCodeRan = false;
  try {
    IsolatedOutcome outcome = runIsolated([]() -> std::string { throw std::runtime_error("x"); });
    EXPECT_TRUE(outcome.started);
    EXPECT_FALSE(outcome.finished);
    EXPECT_EQ(outcome.failure, "exited with status 4");
  } catch (...) {
    parentCodeRan = true; // only the child could get here
  }
  EXPECT_FALSE(parentCodeRan);
}

TEST(IsolatedProcess, KilledChildMayBeOutOfMemory) {
  IsolatedOutcome outcome = runIsolated([]() -> std::string {
    std::raise(SIGKILL);
    return "unreached";
  });
  EXPECT_TRUE(outcome.outOfMemory);
  EXPECT_EQ(outcome.failure, "was killed by signal 9 (Killed)");
}

TEST(IsolatedProcess, AllocationsBeyondTheBudgetFail) {
  // mmap, as allocators get memory: malloc under ASan would abort instead of
  // returning null, and a compiler may drop an unused malloc.
  auto tryToAllocate = [](size_t bytes) {
    return [bytes]() -> std::string {
      void *p = mmap(nullptr, bytes, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
      if (p == MAP_FAILED)
        return "refused";
      munmap(p, bytes);
      return "allocated";
    };
  };
  size_t memory = static_cast<size_t>(sysconf(_SC_PHYS_PAGES)) *
                  static_cast<size_t>(sysconf(_SC_PAGESIZE));
  // By default, no more than the machine's memory.
  IsolatedOutcome outcome = runIsolated(tryToAllocate(memory * 2));
  EXPECT_TRUE(outcome.finished);
  EXPECT_EQ(outcome.reply, "refused");
  // A budget of 1 GiB: 2 GiB is refused, 256 MiB is not.
  EXPECT_EQ(runIsolated(tryToAllocate(size_t(2) << 30), size_t(1) << 30).reply, "refused");
  EXPECT_EQ(runIsolated(tryToAllocate(size_t(256) << 20), size_t(1) << 30).reply, "allocated");
  EXPECT_EQ(deepseek::memoryBudgetFor(1000), size_t(4) << 30);
  EXPECT_EQ(deepseek::memoryBudgetFor(size_t(1) << 30), size_t(16) << 30);
}

TEST(IsolatedProcess, ExitWithoutReplyIsAnOutcome) {
  IsolatedOutcome outcome = runIsolated([]() -> std::string { _exit(0); });
  EXPECT_FALSE(outcome.finished);
  EXPECT_EQ(outcome.failure, "exited with status 0");
  outcome = runIsolated([]() -> std::string { _exit(7); });
  EXPECT_EQ(outcome.failure, "exited with status 7");
}

TEST(IsolatedProcess, FieldsRoundTrip) {
  std::string out;
  deepseek::appendField(out, "first");
  deepseek::appendField(out, "");
  deepseek::appendField(out, std::string("a\0b", 3));
  size_t at = 0;
  std::string a, b, c, d;
  ASSERT_TRUE(deepseek::readField(out, at, a));
  ASSERT_TRUE(deepseek::readField(out, at, b));
  ASSERT_TRUE(deepseek::readField(out, at, c));
  EXPECT_EQ(a, "first");
  EXPECT_EQ(b, "");
  EXPECT_EQ(c, std::string("a\0b", 3));
  EXPECT_EQ(at, out.size());
  EXPECT_FALSE(deepseek::readField(out, at, d));
  // A truncated field is not read.
  std::string cut = out.substr(0, out.size() - 1);
  at = 0;
  EXPECT_TRUE(deepseek::readField(cut, at, a) && deepseek::readField(cut, at, b));
  EXPECT_FALSE(deepseek::readField(cut, at, c));
}

} // namespace
