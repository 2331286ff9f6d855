//===- IsolatedProcess.cpp - run library code in a child process ----------===//
//
// fork, a pipe, waitpid. The reply is sent length-prefixed, so a child that
// dies mid-write is told apart from one that finished.
//
//===----------------------------------------------------------------------===//

#include "deepseek/Import/IsolatedProcess.h"

#include <algorithm>
#include <cerrno>
#include <csignal>
#include <cstdint>
#include <cstdio>
#include <cstring>
#include <fcntl.h>
#include <sstream>
#include <sys/prctl.h>
#include <sys/resource.h>
#include <sys/wait.h>
#include <unistd.h>

// Set where sanitizers (or libFuzzer) are linked in.
extern "C" void __sanitizer_set_death_callback(void (*callback)(void)) __attribute__((weak));

namespace deepseek {
namespace {

bool writeAll(int fd, const char *data, size_t size) {
  for (size_t done = 0; done < size;) {
    ssize_t n = ::write(fd, data + done, size - done);
    if (n < 0 && errno == EINTR)
      continue;
    if (n <= 0)
      return false;
    done += static_cast<size_t>(n);
  }
  return true;
}

std::string readAll(int fd) {
  std::string data;
  char buffer[1 << 16];
  for (;;) {
    ssize_t n = ::read(fd, buffer, sizeof buffer);
    if (n < 0 && errno == EINTR)
      continue;
    if (n <= 0)
      return data;
    data.append(buffer, static_cast<size_t>(n));
  }
}

/// A lying size field makes a library allocate and touch what it claims
/// (libtorch, given a 16 KB archive, asked for 9 and 18 GB and paged for 38 s
/// on a 24 GB machine before failing; found by torchscript_import_fuzzer).
/// The child may map |budget| bytes beyond what it has mapped at the start
/// (so sanitizers' shadow memory fits), never more than the machine's
/// memory; past that an allocation fails at once and the work reports it.
void limitAddressSpace(size_t budget) {
  long pages = sysconf(_SC_PHYS_PAGES), pageSize = sysconf(_SC_PAGESIZE);
  unsigned long long mapped = 0;
  if (FILE *statm = std::fopen("/proc/self/statm", "r")) {
    if (std::fscanf(statm, "%llu", &mapped) != 1)
      mapped = 0;
    std::fclose(statm);
  }
  if (pages <= 0 || pageSize <= 0 || mapped == 0)
    return;
  unsigned long long memory = static_cast<unsigned long long>(pages) * pageSize;
  if (budget == 0 || budget > memory)
    budget = memory;
  rlimit limit;
  limit.rlim_cur = limit.rlim_max = mapped * pageSize + budget;
  setrlimit(RLIMIT_AS, &limit);
}

[[noreturn]] void runChild(int fd, pid_t parent, const std::function<std::string()> &work,
                          size_t budget) {
  for (int sig : {SIGSEGV, SIGBUS, SIGABRT, SIGFPE, SIGILL})
    std::signal(sig, SIG_DFL);
  if (__sanitizer_set_death_callback)
    __sanitizer_set_death_callback(nullptr);
  // A parent killed by a timeout must not leave a child busy in a library.
  prctl(PR_SET_PDEATHSIG, SIGKILL);
  if (getppid() != parent)
    _exit(5);
  limitAddressSpace(budget);
  // An exception must not unwind into the parent's code, which would go on
  // running here as a second copy of the tool.
  try {
    std::string reply = work();
    uint64_t size = reply.size();
    bool sent = writeAll(fd, reinterpret_cast<const char *>(&size), sizeof size) &&
                writeAll(fd, reply.data(), reply.size());
    _exit(sent ? 0 : 3);
  } catch (...) {
    _exit(4);
  }
}

std::string describeStatus(int status) {
  std::ostringstream os;
  if (WIFSIGNALED(status))
    os << "was killed by signal " << WTERMSIG(status) << " (" << strsignal(WTERMSIG(status))
       << ")";
  else
    os << "exited with status " << WEXITSTATUS(status);
  return os.str();
}

} // namespace

size_t memoryBudgetFor(size_t inputBytes) {
  constexpr size_t kFloor = size_t(4) << 30;
  if (inputBytes > SIZE_MAX / 16)
    return 0;
  return std::max(kFloor, inputBytes * 16);
}

void appendField(std::string &out, const std::string &field) {
  uint64_t size = field.size();
  out.append(reinterpret_cast<const char *>(&size), sizeof size);
  out += field;
}

bool readField(const std::string &in, size_t &at, std::string &field) {
  uint64_t size;
  if (at > in.size() || in.size() - at < sizeof size)
    return false;
  std::memcpy(&size, in.data() + at, sizeof size);
  at += sizeof size;
  if (in.size() - at < size)
    return false;
  field.assign(in, at, size);
  at += size;
  return true;
}

IsolatedOutcome runIsolated(const std::function<std::string()> &work, size_t memoryBudget) {
  IsolatedOutcome outcome;
  pid_t parent = getpid();
  int fds[2];
  if (pipe2(fds, O_CLOEXEC) != 0) {
    outcome.failure = std::string("could not start: ") + std::strerror(errno);
    return outcome;
  }
  pid_t child = fork();
  if (child < 0) {
    outcome.failure = std::string("could not start: ") + std::strerror(errno);
    close(fds[0]);
    close(fds[1]);
    return outcome;
  }
  if (child == 0) {
    close(fds[0]);
    runChild(fds[1], parent, work, memoryBudget);
  }
  outcome.started = true;
  close(fds[1]);
  std::string reply = readAll(fds[0]);
  close(fds[0]);
  int status = 0;
  pid_t waited;
  while ((waited = waitpid(child, &status, 0)) < 0 && errno == EINTR) {
  }
  if (waited < 0) { // SIGCHLD ignored: the status is gone
    outcome.failure = std::string("could not be waited for: ") + std::strerror(errno);
    return outcome;
  }
  uint64_t size = 0;
  if (WIFEXITED(status) && WEXITSTATUS(status) == 0 && reply.size() >= sizeof size) {
    std::memcpy(&size, reply.data(), sizeof size);
    if (reply.size() - sizeof size == size) {
      reply.erase(0, sizeof size); // in place: replies may be gigabytes
      outcome.reply = std::move(reply);
      outcome.finished = true;
      return outcome;
    }
  }
  outcome.outOfMemory = WIFSIGNALED(status) && WTERMSIG(status) == SIGKILL;
  outcome.failure = describeStatus(status);
  return outcome;
}

} // namespace deepseek
