//===- IsolatedConversion.cpp - TorchScript conversion in a child process --===//
//
// convertTorchScript forks; the child loads and converts the archive with
// libtorch and writes the outcome to a pipe; the parent reads it and waits.
// Whatever libtorch does with a malformed file (SIGSEGV, abort, an
// out-of-memory kill) ends the child only, and the parent reports it.
//
// Wire format, child to parent: a status byte (1: converted), then three
// length-prefixed (uint64) fields: the notices joined by '\n', the error,
// the serialized onnx::ModelProto.
//
//===----------------------------------------------------------------------===//

#include "deepseek/Import/TorchScript/TorchScriptToONNX.h"

#include "onnx/onnx_pb.h"

#include <cerrno>
#include <csignal>
#include <cstdint>
#include <cstring>
#include <sstream>
#include <string>
#include <fcntl.h>
#include <sys/wait.h>
#include <unistd.h>

// Set where sanitizers (or libFuzzer) are linked in.
extern "C" void __sanitizer_set_death_callback(void (*callback)(void)) __attribute__((weak));

namespace deepseek::torchscript_import {
namespace {

void appendField(std::string &out, const std::string &field) {
  uint64_t size = field.size();
  out.append(reinterpret_cast<const char *>(&size), sizeof size);
  out += field;
}

bool readField(const std::string &in, size_t &at, std::string &field) {
  uint64_t size;
  if (in.size() - at < sizeof size)
    return false;
  std::memcpy(&size, in.data() + at, sizeof size);
  at += sizeof size;
  if (in.size() - at < size)
    return false;
  field.assign(in, at, size);
  at += size;
  return true;
}

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

/// The child: convert, send the outcome, leave without running the
/// parent's exit handlers (LLVM's, the sanitizers' leak check).
[[noreturn]] void runChild(int fd, const std::string &path, const InputShapes &shapes) {
  // A fault in libtorch ends the child plainly: the parent reports it. The
  // handlers a fuzzer or sanitizer installed would treat it as the parent's
  // crash (and save the input as one).
  for (int sig : {SIGSEGV, SIGBUS, SIGABRT, SIGFPE, SIGILL})
    std::signal(sig, SIG_DFL);
  if (__sanitizer_set_death_callback)
    __sanitizer_set_death_callback(nullptr);
  onnx::ModelProto model;
  std::string error;
  std::vector<std::string> notices;
  bool converted = convertTorchScriptInProcess(path, shapes, model, error, notices);
  std::string joined;
  for (const std::string &notice : notices)
    joined += (joined.empty() ? "" : "\n") + notice;
  std::string bytes;
  if (converted && !model.SerializeToString(&bytes)) {
    converted = false;
    error = path + ": the converted model is over protobuf's 2 GB limit";
  }
  std::string out(1, converted ? '\1' : '\0');
  appendField(out, joined);
  appendField(out, error);
  appendField(out, bytes);
  _exit(writeAll(fd, out) ? 0 : 3);
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

bool convertTorchScript(const std::string &path, const InputShapes &shapes,
                        onnx::ModelProto &model, std::string &error,
                        std::vector<std::string> &notices) {
  int fds[2];
  if (pipe2(fds, O_CLOEXEC) != 0) {
    error = path + ": cannot start the TorchScript loader: " + std::strerror(errno);
    return false;
  }
  pid_t child = fork();
  if (child < 0) {
    error = path + ": cannot start the TorchScript loader: " + std::strerror(errno);
    close(fds[0]);
    close(fds[1]);
    return false;
  }
  if (child == 0) {
    close(fds[0]);
    runChild(fds[1], path, shapes);
  }
  close(fds[1]);
  std::string reply = readAll(fds[0]);
  close(fds[0]);
  int status = 0;
  while (waitpid(child, &status, 0) < 0 && errno == EINTR) {
  }
  size_t at = 1;
  std::string joined, bytes;
  bool complete = WIFEXITED(status) && WEXITSTATUS(status) == 0 && !reply.empty() &&
                  readField(reply, at, joined) && readField(reply, at, error) &&
                  readField(reply, at, bytes);
  if (!complete) {
    error = path + ": libtorch failed reading this file: its loader " + describeStatus(status) +
            " (a malformed or truncated TorchScript archive, or one too large for memory)";
    return false;
  }
  std::istringstream lines(joined);
  for (std::string line; std::getline(lines, line);)
    notices.push_back(line);
  if (reply[0] != '\1')
    return false;
  if (!model.ParseFromString(bytes)) {
    error = path + ": the converted model did not come back whole from the TorchScript loader";
    return false;
  }
  return true;
}

} // namespace deepseek::torchscript_import
