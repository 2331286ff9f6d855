//===- onnx_import_fuzzer.cpp - libFuzzer target: bytes -> ds IR or an error ===//
//
// The whole ONNX import path a downloaded model takes: format detection,
// protobuf parsing, the ONNX checker, version conversion, shape inference,
// every op converter and the ds verifier. Any input must end in a verified
// module or an error. Built a second time as torchscript_import_fuzzer, with
// the TorchScript converter linked in: format detection sends zip archives
// through libtorch's loader and the converter first.
//
//===----------------------------------------------------------------------===//

#include "deepseek/Import/ONNX/ONNXImporter.h"

#include "mlir/IR/Diagnostics.h"
#include "mlir/IR/MLIRContext.h"
#include "mlir/IR/Verifier.h"

#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <functional>
#include <fstream>
#include <string>
#include <string_view>
#include <unistd.h>

// LLVM's BumpPtrAllocator poisons the free part of its slabs when compiled
// with ASan, as the instrumented sources here are, but libMLIR's own copy is
// not instrumented and hands that memory out without unpoisoning it: turn the
// manual poisoning off (ASan still guards every malloc'd block).
extern "C" const char *__asan_default_options() { return "allow_user_poisoning=0"; }

// libonnx and libtorch run in child processes (IsolatedProcess.h), so their
// crashes are errors, not crashes of this target. They are still worth a look
// (a check in InferencePrechecks.cpp gives a better message than "libonnx
// failed"): each such input is kept in $DEEPSEEK_FUZZ_CONTAINED (a folder)
// when it is set.
// The message's start, not anywhere in it: node and value names are quoted in
// messages, and libFuzzer soon learns to put these words into them.
static bool isContainedCrash(const std::string &message) {
  return message.rfind("libonnx failed on this model", 0) == 0 ||
         message.rfind("libtorch failed reading this file", 0) == 0;
}

static void keepContainedCrash(const uint8_t *data, size_t size) {
  static const char *dir = std::getenv("DEEPSEEK_FUZZ_CONTAINED");
  if (!dir)
    return;
  // Named by content: an input run again is kept once.
  std::string_view bytes(reinterpret_cast<const char *>(data), size);
  char name[32];
  std::snprintf(name, sizeof name, "/contained-%016zx", std::hash<std::string_view>()(bytes));
  std::ofstream out(dir + std::string(name), std::ios::binary);
  out.write(bytes.data(), static_cast<std::streamsize>(bytes.size()));
}

extern "C" int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
  // Through a file, as deepseek-compile reads a model: format detection,
  // protobuf parsing, the checker and the structural checks included.
  static const std::string path = "/dev/shm/deepseek-onnx-fuzz-" + std::to_string(getpid()) + ".onnx";
  {
    std::ofstream out(path, std::ios::binary | std::ios::trunc);
    out.write(reinterpret_cast<const char *>(data), static_cast<std::streamsize>(size));
  }
  mlir::DialectRegistry registry;
  deepseek::onnx_import::registerImportDialects(registry);
  mlir::MLIRContext context(registry, mlir::MLIRContext::Threading::DISABLED);
  bool contained = false;
  mlir::ScopedDiagnosticHandler quiet(&context, [&](mlir::Diagnostic &diagnostic) {
    contained |= isContainedCrash(diagnostic.str());
    return mlir::success();
  });
  deepseek::onnx_import::ImportOptions options;
  mlir::OwningOpRef<mlir::ModuleOp> module =
      deepseek::onnx_import::importONNXFile(context, path, options);
  if (contained)
    keepContainedCrash(data, size);
  if (module && mlir::failed(mlir::verify(*module)))
    __builtin_trap(); // the importer returned IR that does not verify
  return 0;
}
