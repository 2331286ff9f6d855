//===- TargetMachine.cpp - in-process LLVM code generation ----------------===//
//
// Object files come from an llvm::TargetMachine in this process (no llc): the
// triple names the target, the CPU and its features select the vector ISA
// (AVX2/AVX-512 on x86-64, NEON on armv8), and PIC relocations let the object
// link into position-independent executables and shared libraries.
//
//===----------------------------------------------------------------------===//

#include "deepseek/Target/TargetMachine.h"

#include "mlir/ExecutionEngine/OptUtils.h"
#include "llvm/IR/LegacyPassManager.h"
#include "llvm/IR/Module.h"
#include "llvm/Passes/PassBuilder.h"
#include "llvm/Transforms/Instrumentation/AddressSanitizer.h"
#include "llvm/MC/MCSubtargetInfo.h"
#include "llvm/MC/TargetRegistry.h"
#include "llvm/Support/TargetSelect.h"
#include "llvm/TargetParser/Host.h"
#include "llvm/TargetParser/Triple.h"

using namespace mlir::ds;

std::string mlir::ds::tripleForTarget(const std::string &target) {
  if (target == "x86_64" || target == "x86-64" || target == "x86")
    return "x86_64-unknown-linux-gnu";
  if (target == "armv8" || target == "aarch64" || target == "arm64")
    return "aarch64-unknown-linux-gnu";
  return "";
}

static void initializeTargets() {
  static bool done = [] {
    LLVMInitializeX86TargetInfo();
    LLVMInitializeX86Target();
    LLVMInitializeX86TargetMC();
    LLVMInitializeX86AsmPrinter();
    LLVMInitializeAArch64TargetInfo();
    LLVMInitializeAArch64Target();
    LLVMInitializeAArch64TargetMC();
    LLVMInitializeAArch64AsmPrinter();
    return true;
  }();
  (void)done;
}

std::unique_ptr<llvm::TargetMachine>
mlir::ds::createTargetMachine(const TargetOptions &options, std::string &error) {
  initializeTargets();
  std::string tripleName = tripleForTarget(options.target);
  if (tripleName.empty()) {
    error = "unknown target '" + options.target + "' (expected x86_64 or armv8)";
    return nullptr;
  }
  llvm::Triple triple(tripleName);
  const llvm::Target *target = llvm::TargetRegistry::lookupTarget(triple, error);
  if (!target)
    return nullptr;
  std::string cpu = options.cpu;
  std::string features;
  bool isX86 = triple.getArch() == llvm::Triple::x86_64;
  if (cpu.empty())
    cpu = isX86 ? "native" : "cortex-a72";
  if (cpu == "native" || cpu == "host") {
    if (!isX86 || llvm::Triple(llvm::sys::getProcessTriple()).getArch() != triple.getArch()) {
      error = "--cpu native only applies when compiling for this machine's architecture";
      return nullptr;
    }
    cpu = llvm::sys::getHostCPUName().str();
    std::vector<std::string> list;
    for (const auto &feature : llvm::sys::getHostCPUFeatures())
      list.push_back((feature.second ? "+" : "-") + feature.first().str());
    features = llvm::join(list, ",");
  }
  // The extra features, each trimmed (LLVM ignores " +i8mm" with a warning).
  std::string extra;
  for (llvm::StringRef feature : llvm::split(options.features, ','))
    if (!feature.trim().empty())
      extra += (extra.empty() ? "" : ",") + feature.trim().str();
  if (!extra.empty())
    features = features.empty() ? extra : features + "," + extra;
  llvm::TargetOptions targetOptions;
  llvm::CodeGenOptLevel level = options.optLevel <= 0   ? llvm::CodeGenOptLevel::None
                                : options.optLevel == 1 ? llvm::CodeGenOptLevel::Less
                                : options.optLevel == 2 ? llvm::CodeGenOptLevel::Default
                                                        : llvm::CodeGenOptLevel::Aggressive;
  std::unique_ptr<llvm::TargetMachine> tm(target->createTargetMachine(
      triple, cpu, features, targetOptions, llvm::Reloc::PIC_, std::nullopt, level));
  if (!tm) {
    error = "LLVM has no target machine for " + tripleName + " / " + cpu;
    return nullptr;
  }
  // An unknown CPU name or feature only warns inside LLVM; refuse it here
  // with a clear error.
  if (!tm->getMCSubtargetInfo()->isCPUStringValid(cpu)) {
    error = "unknown --cpu '" + options.cpu + "' for target " + options.target;
    return nullptr;
  }
  for (llvm::StringRef feature : llvm::split(options.features, ',')) {
    feature = feature.trim();
    if (feature.empty())
      continue;
    llvm::StringRef name = feature.drop_front();
    bool known = llvm::any_of(tm->getMCSubtargetInfo()->getAllProcessorFeatures(),
                              [&](const llvm::SubtargetFeatureKV &kv) { return name == kv.Key; });
    if ((feature[0] != '+' && feature[0] != '-') || !known) {
      error = "unknown --features entry '" + feature.str() + "' for target " + options.target +
              " (expected +name or -name)";
      return nullptr;
    }
  }
  return tm;
}

bool mlir::ds::optimizeModule(llvm::Module &module, llvm::TargetMachine &tm, int optLevel,
                              std::string &error) {
  module.setTargetTriple(tm.getTargetTriple());
  module.setDataLayout(tm.createDataLayout());
  // LLVM vectorizes loops for AVX-512 CPUs with 256-bit vectors unless told
  // otherwise (older parts lowered their clock for 512-bit code). The loops
  // it vectorizes here (depthwise taps, pooling, copies, unfused epilogues)
  // then run at half width; the register tiles use 512-bit vectors
  // explicitly either way.
  if (tm.getTargetTriple().isX86() && tm.getMCSubtargetInfo()->checkFeatures("+avx512f"))
    for (llvm::Function &fn : module)
      if (!fn.isDeclaration())
        fn.addFnAttr("prefer-vector-width", "512");
  auto transformer = mlir::makeOptimizingTransformer(std::max(0, std::min(optLevel, 3)),
                                                     /*sizeLevel=*/0, &tm);
  if (llvm::Error e = transformer(&module)) {
    error = llvm::toString(std::move(e));
    return false;
  }
  return true;
}

void mlir::ds::instrumentWithAddressSanitizer(llvm::Module &module, llvm::TargetMachine &tm) {
  for (llvm::Function &fn : module)
    if (!fn.isDeclaration())
      fn.addFnAttr(llvm::Attribute::SanitizeAddress);
  llvm::LoopAnalysisManager lam;
  llvm::FunctionAnalysisManager fam;
  llvm::CGSCCAnalysisManager cgam;
  llvm::ModuleAnalysisManager mam;
  llvm::PassBuilder builder(&tm);
  builder.registerModuleAnalyses(mam);
  builder.registerCGSCCAnalyses(cgam);
  builder.registerFunctionAnalyses(fam);
  builder.registerLoopAnalyses(lam);
  builder.crossRegisterProxies(lam, fam, cgam, mam);
  llvm::ModulePassManager mpm;
  mpm.addPass(llvm::AddressSanitizerPass(llvm::AddressSanitizerOptions{}));
  mpm.run(module, mam);
}

bool mlir::ds::emitCode(llvm::Module &module, llvm::TargetMachine &tm,
                        llvm::CodeGenFileType type, llvm::raw_pwrite_stream &os,
                        std::string &error) {
  module.setTargetTriple(tm.getTargetTriple());
  module.setDataLayout(tm.createDataLayout());
  llvm::legacy::PassManager pm;
  if (tm.addPassesToEmitFile(pm, os, nullptr, type)) {
    error = "the target cannot emit this file type";
    return false;
  }
  pm.run(module);
  return true;
}
