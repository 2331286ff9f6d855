//===- IsolatedProcess.h - run library code in a child process ------*- C++ -*-===//
//
// The libraries the importers hand a model to (libtorch's loader, libonnx's
// version converter and shape inference) crash on some malformed models: null
// dereferences, divisions by zero, reads out of bounds, multi-gigabyte
// allocations (fuzz/ found dozens). runIsolated runs such work in a forked
// child; the child's reply comes back through a pipe, and a child that dies
// is an outcome the caller reports, never the caller's own crash.
//
// Standard types only: the TorchScript importer (built apart from LLVM's
// flags, docs/torchscript.md) uses this too.
//
//===----------------------------------------------------------------------===//
#ifndef DEEPSEEK_IMPORT_ISOLATEDPROCESS_H
#define DEEPSEEK_IMPORT_ISOLATEDPROCESS_H

#include <cstddef>
#include <functional>
#include <string>

namespace deepseek {

/// What became of work run by runIsolated.
struct IsolatedOutcome {
  /// The child process ran (fork and pipe worked).
  bool started = false;
  /// The work returned and its whole reply arrived.
  bool finished = false;
  /// The child was killed by SIGKILL, as the kernel's out-of-memory killer does.
  bool outOfMemory = false;
  /// The work's return value, when finished.
  std::string reply;
  /// Otherwise how the child ended ("was killed by signal 11 (Segmentation
  /// fault)", "exited with status 3") or why it could not start.
  std::string failure;
};

/// Runs |work| in a forked child process and returns its result. In the child,
/// fatal signals end the process plainly (the handlers a fuzzer or sanitizer
/// installed would report them as the parent's crash), an exception leaving
/// |work| ends it too, it dies with its parent, and it leaves with _exit,
/// running none of the parent's exit handlers (leak checks included). Only the
/// calling thread exists in the child: |work| must not wait on others.
/// The child may map |memoryBudget| bytes of address space beyond what it
/// starts with (0, or more than the machine's memory: the machine's memory);
/// past that its allocations fail, so a lying size field cannot make it page
/// for minutes.
IsolatedOutcome runIsolated(const std::function<std::string()> &work,
                            size_t memoryBudget = 0);

/// The memory budget for work on an input of |inputBytes|: 16 times it, at
/// least 4 GiB.
size_t memoryBudgetFor(size_t inputBytes);

/// Length-prefixed fields, for replies that carry several strings.
void appendField(std::string &out, const std::string &field);
/// Reads the field at |at| and moves past it; false if the bytes end first.
bool readField(const std::string &in, size_t &at, std::string &field);

} // namespace deepseek

#endif // DEEPSEEK_IMPORT_ISOLATEDPROCESS_H
