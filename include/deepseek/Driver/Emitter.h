//===- Emitter.h - write a compiled model as files ---------------*- C++ -*-===//
#ifndef DEEPSEEK_DRIVER_EMITTER_H
#define DEEPSEEK_DRIVER_EMITTER_H

#include "deepseek/Driver/Compiler.h"

#include <string>

namespace mlir::ds {

enum class EmitKind { Object, Library, Executable, Assembly, LLVMIR };

/// Parses obj | lib | exe | asm | llvm.
std::optional<EmitKind> parseEmitKind(llvm::StringRef name);

/// Writes the artifacts of |kind| for the lowered |module|:
///   obj  -> STEM.o + STEM.h      lib -> libSTEM.a-style archive STEM.a + STEM.h
///   exe  -> STEM (linked with libdsrt)   asm -> STEM.s   llvm -> STEM.ll
/// where STEM is |output| without a known extension. Files appear only when
/// everything succeeded (written to temporaries, then renamed). |toolDir| is
/// the directory of the running tool, used to find lib/libdsrt.a.
bool emitArtifacts(ModuleOp lowered, const ModelInterface &interface,
                   const CompileOptions &options, EmitKind kind, llvm::StringRef output,
                   llvm::StringRef toolDir, std::string &error);

} // namespace mlir::ds

#endif // DEEPSEEK_DRIVER_EMITTER_H
