//===- Emitter.cpp - write a compiled model as files -----------------------===//
//
// Objects, assembly and LLVM IR come from the in-process TargetMachine. An
// executable is that object (with a generated `main` calling dsrt_main) linked
// against libdsrt by the system's C compiler driver, the one step that leaves
// the process: linking needs the C library's start files, which only the
// platform's driver knows how to find.
//
//===----------------------------------------------------------------------===//

#include "deepseek/Driver/Emitter.h"

#include "llvm/ADT/StringSwitch.h"
#include "llvm/IR/LLVMContext.h"
#include "llvm/IR/Module.h"
#include "llvm/Object/ArchiveWriter.h"
#include "llvm/Support/FileSystem.h"
#include "llvm/Support/MemoryBuffer.h"
#include "llvm/Support/Path.h"
#include "llvm/Support/Program.h"
#include "llvm/Support/raw_ostream.h"

using namespace mlir;
using namespace mlir::ds;

std::optional<EmitKind> mlir::ds::parseEmitKind(llvm::StringRef name) {
  return llvm::StringSwitch<std::optional<EmitKind>>(name)
      .Case("obj", EmitKind::Object)
      .Case("lib", EmitKind::Library)
      .Case("exe", EmitKind::Executable)
      .Case("asm", EmitKind::Assembly)
      .Case("llvm", EmitKind::LLVMIR)
      .Default(std::nullopt);
}

namespace {

std::string stemOf(llvm::StringRef output) {
  for (llvm::StringRef ext : {".o", ".a", ".s", ".ll", ".h", ".exe"})
    if (output.ends_with(ext))
      return output.drop_back(ext.size()).str();
  return output.str();
}

/// Writes |text| to |path| through a temporary file (atomic replace).
bool writeFile(llvm::StringRef path, llvm::StringRef text, std::string &error) {
  if (llvm::Error e = llvm::writeToOutput(path, [&](llvm::raw_ostream &os) {
        os << text;
        return llvm::Error::success();
      })) {
    error = path.str() + ": " + llvm::toString(std::move(e));
    return false;
  }
  return true;
}

std::string headerText(const ModelInterface &interface) {
  std::string text;
  llvm::raw_string_ostream os(text);
  emitHeader(os, interface);
  return text;
}

/// The C compiler driver used to link executables.
std::string findLinkerDriver(std::string &error) {
  for (const char *name : {"clang-22", "clang", "cc", "gcc"}) {
    if (auto path = llvm::sys::findProgramByName(name))
      return *path;
  }
  for (const char *path : {"/usr/lib/llvm-22/bin/clang"})
    if (llvm::sys::fs::can_execute(path))
      return path;
  error = "no C compiler driver (clang or cc) on PATH to link the executable";
  return "";
}

} // namespace

bool mlir::ds::emitArtifacts(ModuleOp lowered, const ModelInterface &interface,
                             const CompileOptions &options, EmitKind kind,
                             llvm::StringRef output, llvm::StringRef toolDir,
                             std::string &error) {
  std::unique_ptr<llvm::TargetMachine> tm = createTargetMachine(options.target, error);
  if (!tm)
    return false;
  llvm::LLVMContext context;
  std::unique_ptr<llvm::Module> module = translateToLLVMIR(lowered, context, interface);
  if (!module) {
    error = "translation to LLVM IR failed";
    return false;
  }
  if (kind == EmitKind::Executable)
    emitExecutableMain(*module, interface, options.image, options.threads);
  if (!optimizeModule(*module, *tm, options.target.optLevel, error))
    return false;
  if (options.sanitizeAddress)
    instrumentWithAddressSanitizer(*module, *tm);
  std::string stem = stemOf(output);

  if (kind == EmitKind::LLVMIR) {
    std::string text;
    llvm::raw_string_ostream os(text);
    module->print(os, nullptr);
    return writeFile(stem + ".ll", text, error);
  }
  llvm::SmallString<0> code;
  llvm::raw_svector_ostream codeStream(code);
  auto fileType = kind == EmitKind::Assembly ? llvm::CodeGenFileType::AssemblyFile
                                             : llvm::CodeGenFileType::ObjectFile;
  if (!emitCode(*module, *tm, fileType, codeStream, error))
    return false;
  switch (kind) {
  case EmitKind::Assembly:
    return writeFile(stem + ".s", code, error);
  case EmitKind::Object:
    return writeFile(stem + ".o", code, error) &&
           writeFile(stem + ".h", headerText(interface), error);
  case EmitKind::Library: {
    std::string memberName = llvm::sys::path::filename(stem).str() + ".o";
    std::vector<llvm::NewArchiveMember> members;
    members.emplace_back(llvm::MemoryBufferRef(code, memberName));
    std::string archivePath = stem + ".a";
    // writeArchive writes through its own temporary file.
    if (llvm::Error e = llvm::writeArchive(archivePath, members,
                                           llvm::SymtabWritingMode::NormalSymtab,
                                           llvm::object::Archive::K_GNU, true, false)) {
      error = archivePath + ": " + llvm::toString(std::move(e));
      return false;
    }
    return writeFile(stem + ".h", headerText(interface), error);
  }
  case EmitKind::Executable: {
    // x86-64: the host's C driver and runtime; armv8: Debian's cross gcc, the
    // runtime built for aarch64 (lib/aarch64) and -static, so the result is
    // one file with no dynamic dependencies for any aarch64 Linux.
    bool aarch64 = tripleForTarget(options.target.target) == "aarch64-unknown-linux-gnu";
    std::string driver;
    if (aarch64) {
      if (options.sanitizeAddress) {
        error = "--sanitize address builds x86_64 executables only";
        return false;
      }
      if (auto path = llvm::sys::findProgramByName("aarch64-linux-gnu-gcc")) {
        driver = *path;
      } else {
        error = "armv8 executables are linked with aarch64-linux-gnu-gcc (Debian package "
                "gcc-aarch64-linux-gnu; scripts/setup.sh installs it)";
        return false;
      }
    } else {
      driver = findLinkerDriver(error);
    }
    if (driver.empty())
      return false;
    llvm::SmallString<256> libDir(toolDir);
    llvm::sys::path::append(libDir, "..", "lib");
    if (aarch64)
      llvm::sys::path::append(libDir, "aarch64");
    // The ASan build links the runtime's instrumented twins.
    llvm::StringRef suffix = options.sanitizeAddress ? "_asan" : "";
    std::string dsrt = (libDir + "/libdsrt" + suffix + ".a").str();
    std::string dsrtIO = (libDir + "/libdsrt_io" + suffix + ".a").str();
    // GPU models launch their kernels through libdsrt_cuda (driver dlopen'ed).
    std::string dsrtCuda = (libDir + "/libdsrt_cuda.a").str();
    std::vector<std::string> libs = {dsrt, dsrtIO};
    if (interface.cuda)
      libs.push_back(dsrtCuda);
    for (const std::string &lib : libs)
      if (!llvm::sys::fs::exists(lib)) {
        error = "the runtime library " + lib + " is missing (build the dsrt targets" +
                (aarch64 ? std::string(" with aarch64-linux-gnu-gcc installed)") : ")");
        return false;
      }
    llvm::SmallString<128> objectPath, tempExe;
    if (std::error_code ec = llvm::sys::fs::createTemporaryFile("deepseek-model", "o", objectPath)) {
      error = "cannot create a temporary object file: " + ec.message();
      return false;
    }
    tempExe = stem + ".partial";
    bool ok = writeFile(objectPath, code, error);
    std::string linkLog;
    if (ok) {
      llvm::SmallString<128> logPath;
      llvm::sys::fs::createTemporaryFile("deepseek-link", "log", logPath);
      std::vector<llvm::StringRef> args = {driver, objectPath, dsrtIO, dsrt};
      if (interface.cuda)
        args.insert(args.end(), {dsrtCuda, "-ldl"});
      args.insert(args.end(), {"-lm", "-lpthread", "-o", tempExe});
      if (aarch64)
        args.push_back("-static");
      if (options.sanitizeAddress)
        args.push_back("-fsanitize=address");
#ifdef DEEPSEEK_RUNTIME_SANITIZE
      if (!aarch64)
        args.push_back("-fsanitize=" DEEPSEEK_RUNTIME_SANITIZE);
#endif
      std::optional<llvm::StringRef> redirects[] = {std::nullopt, llvm::StringRef(logPath),
                                                    llvm::StringRef(logPath)};
      int rc = llvm::sys::ExecuteAndWait(driver, args, std::nullopt, redirects);
      if (auto log = llvm::MemoryBuffer::getFile(logPath))
        linkLog = (*log)->getBuffer().str();
      llvm::sys::fs::remove(logPath);
      if (rc != 0) {
        error = "linking with " + driver + " failed:\n" + linkLog;
        ok = false;
      }
    }
    llvm::sys::fs::remove(objectPath);
    if (ok) {
      if (std::error_code ec = llvm::sys::fs::rename(tempExe, stem)) {
        error = stem + ": " + ec.message();
        ok = false;
      }
    }
    if (!ok)
      llvm::sys::fs::remove(tempExe);
    return ok;
  }
  case EmitKind::LLVMIR:
    break;
  }
  return true;
}
