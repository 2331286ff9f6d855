//===- IsolatedProcess.cpp - run library code in a child process ----------===//
//
// fork, a pipe, waitpid. The reply is one length-prefixed field, so a child
// that dies mid-write is told apart from one that finished.
//
//===----------------------------------------------------------------------===//

#include "deepseek/Import/IsolatedProcess.h"

#include <cerrno>
#include <csignal>
#include <cstdint>
#include <cstring>
#include <fcntl.h>
#include <sstream>
#include <sys/wait.h>
#include <unistd.h>

// Set where sanitizers (or libFuzzer) are linked in.
extern "C" void __sanitizer_set_death_callback(void (*callback)(void)) __attribute__((weak));

namespace deepseek {
namespace {

bool writeAll(int fd, const std::string &data) {
  for (size_t done = 0; done < data.size();) {
    ssize_t n = ::write(fd, data.data() + done, data.size() - done);
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

[[noreturn]] void runChild(int fd, const std::function<std::string()> &work) {
  for (int sig : {SIGSEGV, SIGBUS, SIGABRT, SIGFPE, SIGILL})
    std::signal(sig, SIG_DFL);
  if (__sanitizer_set_death_callback)
    __sanitizer_set_death_callback(nullptr);
  std::string reply;
  appendField(reply, work());
  _exit(writeAll(fd, reply) ? 0 : 3);
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

IsolatedOutcome runIsolated(const std::function<std::string()> &work) {
  IsolatedOutcome outcome;
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
    runChild(fds[1], work);
  }
  close(fds[1]);
  std::string reply = readAll(fds[0]);
  close(fds[0]);
  int status = 0;
  while (waitpid(child, &status, 0) < 0 && errno == EINTR) {
  }
  size_t at = 0;
  if (WIFEXITED(status) && WEXITSTATUS(status) == 0 && readField(reply, at, outcome.reply) &&
      at == reply.size()) {
    outcome.finished = true;
    return outcome;
  }
  outcome.reply.clear();
  outcome.failure = describeStatus(status);
  return outcome;
}

} // namespace deepseek
