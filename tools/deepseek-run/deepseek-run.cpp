//===- deepseek-run.cpp - compile a model in memory and run it at once ----===//
//
//   deepseek-run MODEL --input x.npy ... [--output y.npy ...]
//                [--expect y.npy ... --rtol R --atol A] [--reference] [--bench N] [--threads T]
//
// The quick path for debugging: the model goes through the same pipeline as
// deepseek-compile, but is JIT-compiled (MLIR ExecutionEngine) and run through
// the same runtime (libdsrt) an executable uses. --reference also compiles the
// model unoptimized (the ds IR as imported, without graph optimization, each ds
// op its own serial loop nest, -O0) and compares: a mismatch points at graph
// rewrites, fusion, loop reordering, parallelization or LLVM -O.
//
//===----------------------------------------------------------------------===//

#include "deepseek/Driver/Compiler.h"
#include "deepseek/Driver/ToolSupport.h"

#include "mlir/IR/MLIRContext.h"
#include "llvm/Support/raw_ostream.h"

#include <CLI/CLI.hpp>

#include <algorithm>
#include <cstdio>

using namespace mlir;
using namespace mlir::ds;

namespace {

int fail(const std::string &message, int code = 1) {
  llvm::errs() << "deepseek-run: error: " << message << "\n";
  return code;
}

void printSummary(const dsrt_tensor_desc &desc, const dsrt_host_tensor &t) {
  llvm::outs() << "output '" << desc.name << "' " << dsrt_dtype_name(t.dtype) << "[";
  for (int i = 0; i < t.rank; ++i)
    llvm::outs() << (i ? "x" : "") << t.dims[i];
  llvm::outs() << "]:";
  size_t n = dsrt_tensor_numel(&t);
  for (size_t i = 0; i < std::min<size_t>(n, 8); ++i)
    llvm::outs() << " " << llvm::format("%.6g", dsrt_tensor_get_f64(&t, i));
  llvm::outs() << (n > 8 ? " ...\n" : "\n");
}

} // namespace

int main(int argc, char **argv) {
  CLI::App app{"deepseek-run: compile a model in memory (JIT) and run it"};
  std::string model;
  std::vector<std::string> inputs, outputs, expects, inputShapes, constantInputs;
  double rtol = 1e-3, atol = 1e-5;
  int bench = 0, threads = 0, optLevel = 2;
  bool reference = false;
  app.add_option("MODEL", model, "the model: ONNX, TorchScript (.pt) or ds IR (.mlir, .mlirbc), "
                 "told by content")
      ->required();
  app.add_option("--input", inputs, "an input tensor (.npy or .pb), once per model input");
  app.add_option("--output", outputs, "where to write an output (.npy, .pb or .json)");
  app.add_option("--expect", expects, "the expected output (.npy or .pb), once per output");
  app.add_option("--rtol", rtol, "relative tolerance for --expect")->capture_default_str();
  app.add_option("--atol", atol, "absolute tolerance for --expect")->capture_default_str();
  app.add_option("--bench", bench, "time N runs after a warm-up; print median/min/max");
  app.add_option("--threads", threads, "worker threads (0 = all cores)")->capture_default_str();
  app.add_option("--opt-level,-O", optLevel, "LLVM optimization level 0..3")
      ->capture_default_str();
  app.add_option("--input-shape", inputShapes, "fix a graph input's shape, NAME=DIMS or DIMS by position");
  app.add_option("--constant-input", constantInputs,
                 "replace a graph input by a TensorProto file, NAME=FILE.pb");
  app.add_flag("--reference", reference,
               "also run the unoptimized compilation (the IR as imported, each ds op its "
               "own serial loop nest, no fusion, -O0) and compare every output with it");
  try {
    app.parse(argc, argv);
  } catch (const CLI::ParseError &e) {
    return app.exit(e);
  }

  deepseek::onnx_import::ImportOptions importOptions;
  std::string error;
  if (!parseImportFlags(inputShapes, constantInputs, importOptions, error))
    return fail(error, 2);

  MLIRContext context;
  registerCompilerDialects(context);
  ScopedDiagnosticHandler handler(&context, [](Diagnostic &diag) {
    printDiagnostic(diag);
    return success();
  });
  OwningOpRef<ModuleOp> module = loadModel(context, model, importOptions);
  if (!module)
    return 1;
  // The reference compiles a copy of the ds-level module before it is lowered.
  OwningOpRef<ModuleOp> referenceModule;
  if (reference)
    referenceModule = module->clone();
  CompileOptions options;
  options.target.optLevel = optLevel;
  options.optimize = optLevel > 0;
  options.optimizeGraph = optLevel > 0;
  FailureOr<ModelInterface> interface = lowerToLLVMDialect(*module, options);
  if (failed(interface))
    return 1;
  auto jit = JITModel::create(*module, *interface, optLevel);
  if (failed(jit))
    return 1;
  const dsrt_model_desc *desc = (*jit)->descriptor();

  if (inputs.size() != desc->num_inputs)
    return fail("the model has " + std::to_string(desc->num_inputs) + " inputs; got " +
                    std::to_string(inputs.size()) + " --input files",
                2);
  std::vector<dsrt_host_tensor> in(inputs.size()), out;
  auto freeAll = [&] {
    for (auto *list : {&in, &out})
      for (dsrt_host_tensor &t : *list)
        dsrt_tensor_free(&t);
  };
  char err[512];
  for (size_t i = 0; i < inputs.size(); ++i) {
    if (dsrt_tensor_load(inputs[i].c_str(), &in[i], err, sizeof err) != DSRT_OK) {
      freeAll();
      return fail(err);
    }
  }
  if (!runOnce(desc, in, out, threads, error)) {
    freeAll();
    return fail(error);
  }

  int status = 0;
  if (!outputs.empty() && outputs.size() != desc->num_outputs) {
    freeAll();
    return fail("the model has " + std::to_string(desc->num_outputs) + " outputs; got " +
                    std::to_string(outputs.size()) + " --output files",
                2);
  }
  for (size_t i = 0; i < outputs.size(); ++i)
    if (dsrt_tensor_save(outputs[i].c_str(), &out[i], err, sizeof err) != DSRT_OK)
      status = fail(err);
  if (outputs.empty() && expects.empty() && bench == 0 && !reference)
    for (size_t i = 0; i < out.size(); ++i)
      printSummary(desc->outputs[i], out[i]);

  if (reference) {
    CompileOptions referenceOptions;
    referenceOptions.target.optLevel = 0;
    referenceOptions.optimize = false;
    referenceOptions.optimizeGraph = false;
    FailureOr<ModelInterface> refInterface =
        lowerToLLVMDialect(*referenceModule, referenceOptions);
    if (failed(refInterface)) {
      freeAll();
      return 1;
    }
    auto refJit = JITModel::create(*referenceModule, *refInterface, 0);
    if (failed(refJit)) {
      freeAll();
      return 1;
    }
    std::vector<dsrt_host_tensor> refOut;
    if (!runOnce((*refJit)->descriptor(), in, refOut, 1, error)) {
      freeAll();
      return fail("reference run: " + error);
    }
    for (size_t i = 0; i < out.size(); ++i) {
      Comparison c = compareTensors(out[i], refOut[i], rtol, atol);
      llvm::outs() << "reference: output '" << desc->outputs[i].name << "': "
                   << (c.ok ? "match" : "MISMATCH") << " max|diff| "
                   << llvm::format("%.3g", c.maxAbsDiff) << " max|ref| "
                   << llvm::format("%.3g", c.maxAbsRef) << "\n";
      if (!c.ok)
        status = 1;
    }
    for (dsrt_host_tensor &t : refOut)
      dsrt_tensor_free(&t);
  }

  if (!expects.empty()) {
    if (expects.size() != desc->num_outputs) {
      freeAll();
      return fail("--expect needs one file per output (" +
                      std::to_string(desc->num_outputs) + ")",
                  2);
    }
    for (size_t i = 0; i < expects.size(); ++i) {
      dsrt_host_tensor expected{};
      if (dsrt_tensor_load(expects[i].c_str(), &expected, err, sizeof err) != DSRT_OK) {
        status = fail(err);
        continue;
      }
      Comparison c = compareTensors(out[i], expected, rtol, atol);
      llvm::outs() << "output '" << desc->outputs[i].name << "': ";
      if (!c.problem.empty())
        llvm::outs() << "MISMATCH " << c.problem << "\n";
      else
        llvm::outs() << (c.ok ? "match" : "MISMATCH") << " max|diff| "
                     << llvm::format("%.3g", c.maxAbsDiff) << " max|ref| "
                     << llvm::format("%.3g", c.maxAbsRef) << " (" << c.mismatches
                     << " elements outside rtol " << rtol << " atol " << atol << ")\n";
      if (!c.ok)
        status = 1;
      dsrt_tensor_free(&expected);
    }
  }

  if (bench > 0) {
    dsrt_model *m = nullptr;
    if (dsrt_model_open(desc, &m) != DSRT_OK) {
      freeAll();
      return fail("cannot open the compiled model for --bench");
    }
    dsrt_model_set_threads(m, threads);
    std::vector<dsrt_tensor> iv, ov;
    for (auto &t : in)
      iv.push_back(dsrt_tensor_view(&t));
    for (auto &t : out)
      ov.push_back(dsrt_tensor_view(&t));
    // The runtime times and prints, as the compiled executables do.
    llvm::outs().flush();
    if (dsrt_model_run(m, iv.data(), iv.size(), ov.data(), ov.size()) != DSRT_OK || // warm-up
        dsrt_bench(m, bench, iv.data(), iv.size(), ov.data(), ov.size()) != 0)
      status = 1;
    fflush(stdout);
    dsrt_model_close(m);
  }
  freeAll();
  return status;
}
