//===- BackendTestData.h - the ONNX backend test suites' bookkeeping -*- C++ -*-===//
//
// Shared by deepseek-onnx-coverage (import) and deepseek-conformance (compiled
// code): the suites of Debian's libonnx-testdata, and the checked-in TSV files
// of expected results (`suite/test<TAB>status<TAB>...`, `#` comments) that
// their regression gates read. Header-only so the import tool needs no link
// dependency on the code generator.
//
//===----------------------------------------------------------------------===//
#ifndef DEEPSEEK_DRIVER_BACKENDTESTDATA_H
#define DEEPSEEK_DRIVER_BACKENDTESTDATA_H

#include "llvm/ADT/SmallVector.h"
#include "llvm/ADT/StringRef.h"
#include "llvm/Support/MemoryBuffer.h"

#include <map>
#include <string>

namespace mlir::ds {

/// The suites of the ONNX backend test data, in the order they are reported.
inline constexpr const char *kBackendTestSuites[] = {"node", "pytorch-converted",
                                                     "pytorch-operator", "simple"};

/// Test name -> expected status from an expectations TSV; empty when the file
/// cannot be read.
inline std::map<std::string, std::string> readExpectedStatuses(const std::string &path) {
  std::map<std::string, std::string> expected;
  auto buffer = llvm::MemoryBuffer::getFile(path);
  if (!buffer)
    return expected;
  llvm::SmallVector<llvm::StringRef> lines;
  (*buffer)->getBuffer().split(lines, '\n', -1, false);
  for (llvm::StringRef line : lines) {
    if (line.starts_with("#"))
      continue;
    auto [name, rest] = line.split('\t');
    expected[name.str()] = rest.split('\t').first.str();
  }
  return expected;
}

} // namespace mlir::ds

#endif // DEEPSEEK_DRIVER_BACKENDTESTDATA_H
