//===- TargetMachine.h - in-process LLVM code generation ----------*- C++ -*-===//
#ifndef DEEPSEEK_TARGET_TARGETMACHINE_H
#define DEEPSEEK_TARGET_TARGETMACHINE_H

#include "llvm/Support/CodeGen.h"
#include "llvm/Target/TargetMachine.h"

#include <memory>
#include <string>

namespace llvm {
class Module;
class raw_pwrite_stream;
} // namespace llvm

namespace mlir::ds {

struct TargetOptions {
  /// x86_64 or armv8 (aarch64).
  std::string target = "x86_64";
  /// A CPU name for the target; "native"/"host" (x86_64 default) is this
  /// machine's CPU with its features. armv8 defaults to cortex-a72.
  std::string cpu;
  /// Extra target features ("+dotprod,+i8mm"), on top of the CPU's own.
  std::string features;
  /// 0..3, as -O0..-O3.
  int optLevel = 2;
};

/// The LLVM triple for a deepseek target name, or "" when unknown.
std::string tripleForTarget(const std::string &target);

/// A TargetMachine for |options| (PIC, so objects link into PIE executables).
/// On failure returns null and sets |error|.
std::unique_ptr<llvm::TargetMachine> createTargetMachine(const TargetOptions &options,
                                                         std::string &error);

/// Sets |module|'s triple and data layout from |tm| and runs LLVM's -O pipeline.
bool optimizeModule(llvm::Module &module, llvm::TargetMachine &tm, int optLevel,
                    std::string &error);

/// Instruments every function defined in |module| with AddressSanitizer (the
/// `sanitize_address` attribute and LLVM's ASan pass, as clang's
/// -fsanitize=address does after optimization). The code then needs the ASan
/// runtime: link with `-fsanitize=address`.
void instrumentWithAddressSanitizer(llvm::Module &module, llvm::TargetMachine &tm);

/// Emits |module| as an object file or assembly into |os|.
bool emitCode(llvm::Module &module, llvm::TargetMachine &tm, llvm::CodeGenFileType type,
              llvm::raw_pwrite_stream &os, std::string &error);

} // namespace mlir::ds

#endif // DEEPSEEK_TARGET_TARGETMACHINE_H
