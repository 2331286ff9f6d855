//===- ds_ir_fuzzer.cpp - libFuzzer target: MLIR parsing of ds IR ----------===//
//
// deepseek-compile, -run and -cross-compile accept ds IR (text or bytecode,
// e.g. deepseek-optimize's optimized.pt): the MLIR parser with the ds dialect's
// custom syntax, attributes and verifiers, then the size limits, on any bytes
// (after the nesting check the tools make).
//
//===----------------------------------------------------------------------===//

#include "deepseek/Dialect/DS/IR/DSDialect.h"
#include "deepseek/Import/NestingLimit.h"
#include "deepseek/Import/TensorLimits.h"

#include "mlir/Dialect/Func/IR/FuncOps.h"
#include "mlir/Dialect/Quant/IR/Quant.h"
#include "mlir/IR/BuiltinOps.h"
#include "mlir/IR/Diagnostics.h"
#include "mlir/IR/MLIRContext.h"
#include "mlir/Parser/Parser.h"

#include <cstdint>
#include <string>

// LLVM's BumpPtrAllocator poisons the free part of its slabs when compiled
// with ASan, as the instrumented sources here are, but libMLIR's own copy is
// not instrumented and hands that memory out without unpoisoning it: turn the
// manual poisoning off (ASan still guards every malloc'd block).
extern "C" const char *__asan_default_options() { return "allow_user_poisoning=0"; }

extern "C" int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
  mlir::DialectRegistry registry;
  registry.insert<mlir::ds::DSDialect, mlir::func::FuncDialect, mlir::quant::QuantDialect>();
  mlir::MLIRContext context(registry, mlir::MLIRContext::Threading::DISABLED);
  context.loadAllAvailableDialects();
  mlir::ScopedDiagnosticHandler quiet(&context, [](mlir::Diagnostic &) {
    return mlir::success();
  });
  mlir::ParserConfig config(&context);
  // The tools read files into NUL-terminated buffers, which MLIR's lexer
  // relies on; so does this copy.
  std::string text(reinterpret_cast<const char *>(data), size);
  // As the tools do: text nested past the limit is refused before parsing.
  if (deepseek::findExcessiveNesting(text))
    return 0;
  mlir::OwningOpRef<mlir::ModuleOp> module =
      mlir::parseSourceString<mlir::ModuleOp>(text, config, "fuzz.mlir");
  if (module)
    (void)deepseek::checkTensorSizes(*module);
  return 0;
}
