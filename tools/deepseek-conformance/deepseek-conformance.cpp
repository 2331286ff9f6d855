//===- deepseek-conformance.cpp - compiled models against ONNX's test data --===//
//
//   deepseek-conformance --testdata /usr/share/libonnx-testdata/data
//       [--results OUT.tsv] [--expected EXPECTED.tsv] [--doc onnx-conformance.md]
//       [--filter SUBSTRING] [--limit N] [--jobs N] [--timeout SECONDS]
//       [--target armv8|nvptx [--min-pass N]]
//
// For every model of the ONNX backend tests (node, pytorch-converted,
// pytorch-operator, simple): import, compile to native code (the JIT path of
// deepseek-run: same pipeline, same runtime), run on each test_data_set_*'s
// input_*.pb and compare with its output_*.pb. Each case runs in its own
// process, so a crash or hang is a result, not the end of the run.
//
// --target armv8 compiles each model to a static aarch64 executable instead
// (deepseek-cross-compile's path) and runs it under qemu-aarch64 on the
// test's tensors: the same comparisons, on the other architecture.
//
// --target nvptx compiles each model to PTX for sm_80 and sm_90 and assembles
// both with the CUDA toolkit's ptxas (a case passes when both assemble); the
// kernels are not run (that needs a GPU: scripts/gpu-check.sh).
//
// Tolerances are ONNX's own (rtol 1e-3, atol 1e-7) except for the cases in
// kToleranceOverrides, each with the reason. With --expected the run fails
// when a case listed as `pass` no longer passes.
//
//===----------------------------------------------------------------------===//

#include "deepseek/Driver/BackendTestData.h"
#include "deepseek/Driver/Compiler.h"
#include "deepseek/Driver/Emitter.h"
#include "deepseek/Driver/ToolSupport.h"

#include "mlir/IR/MLIRContext.h"
#include "llvm/Support/FileSystem.h"
#include "llvm/Support/FormatVariadic.h"
#include "llvm/Support/MemoryBuffer.h"
#include "llvm/Support/Path.h"
#include "llvm/Support/Program.h"
#include "llvm/Support/raw_ostream.h"

#include <CLI/CLI.hpp>

#include <chrono>
#include <csignal>
#include <map>
#include <string>
#include <sys/wait.h>
#include <unistd.h>
#include <vector>

using namespace mlir;
using namespace mlir::ds;

namespace {

constexpr double kRtol = 1e-3, kAtol = 1e-7;

/// --target: "" (this machine, JIT), "armv8" (qemu-aarch64 runs the
/// executables) or "nvptx" (PTX checked by ptxas), and where this tool lives
/// (the runtime libraries are found from it) and ptxas.
std::string gTarget, gToolDir, gPtxas;
int gTimeout = 120;

/// Runs the aarch64 executable |exe| under qemu on |in| (written to |tmp| as
/// .pb files) and reads its |numOutputs| outputs back.
bool runUnderQemu(const std::string &exe, const std::string &tmp,
                  std::vector<dsrt_host_tensor> &in, std::vector<dsrt_host_tensor> &out,
                  size_t numOutputs, std::string &error) {
  auto qemu = llvm::sys::findProgramByName("qemu-aarch64");
  if (!qemu) {
    error = "qemu-aarch64 is not installed (Debian package qemu-user)";
    return false;
  }
  std::vector<std::string> args = {*qemu, exe};
  char err[512];
  for (size_t i = 0; i < in.size(); ++i) {
    std::string path = tmp + "/input_" + std::to_string(i) + ".pb";
    if (dsrt_tensor_save(path.c_str(), &in[i], err, sizeof err) != DSRT_OK) {
      error = err;
      return false;
    }
    args.insert(args.end(), {"--input", path});
  }
  for (size_t i = 0; i < numOutputs; ++i)
    args.insert(args.end(), {"--output", tmp + "/output_" + std::to_string(i) + ".pb"});
  std::string log = tmp + "/log";
  std::vector<llvm::StringRef> argRefs(args.begin(), args.end());
  std::optional<llvm::StringRef> redirects[] = {std::nullopt, llvm::StringRef(log),
                                                llvm::StringRef(log)};
  int rc = llvm::sys::ExecuteAndWait(*qemu, argRefs, std::nullopt, redirects, gTimeout);
  if (rc != 0) {
    auto text = llvm::MemoryBuffer::getFile(log);
    error = "the aarch64 executable failed (exit " + std::to_string(rc) + "): " +
            (text ? (*text)->getBuffer().str() : std::string());
    return false;
  }
  out.assign(numOutputs, dsrt_host_tensor{});
  for (size_t i = 0; i < numOutputs; ++i) {
    std::string path = tmp + "/output_" + std::to_string(i) + ".pb";
    if (dsrt_tensor_load(path.c_str(), &out[i], err, sizeof err) != DSRT_OK) {
      error = err;
      return false;
    }
  }
  return true;
}

/// Cases whose reference data needs wider tolerances than ONNX's defaults.
struct ToleranceOverride {
  const char *name;
  double rtol, atol;
  const char *why;
};
const ToleranceOverride kToleranceOverrides[] = {
    {nullptr, 0, 0, nullptr},
};

struct CaseResult {
  std::string name;
  std::string status; // pass | fail | unsupported | error
  std::string stage;  // import | codegen | run | compare
  double maxAbsDiff = 0, maxAbsRef = 0;
  std::string detail;
};

std::string oneLine(std::string s) {
  s = llvm::StringRef(s).split('\n').first.str();
  for (char &c : s)
    if (c == '\t')
      c = ' ';
  if (s.size() > 200)
    s = s.substr(0, 197) + "...";
  return s;
}

std::vector<std::string> sortedEntries(const std::string &dir, llvm::StringRef prefix) {
  std::vector<std::string> names;
  std::error_code ec;
  for (llvm::sys::fs::directory_iterator it(dir, ec), end; it != end && !ec; it.increment(ec)) {
    std::string name = llvm::sys::path::filename(it->path()).str();
    if (llvm::StringRef(name).starts_with(prefix))
      names.push_back(name);
  }
  // input_10 after input_9: sort by length, then by name.
  std::sort(names.begin(), names.end(), [](const std::string &a, const std::string &b) {
    return a.size() != b.size() ? a.size() < b.size() : a < b;
  });
  return names;
}

/// Removes a case's scratch folder (when one was made) however the case ends.
struct RemoveScratch {
  llvm::SmallString<128> &dir;
  ~RemoveScratch() {
    if (!dir.empty())
      llvm::sys::fs::remove_directories(dir);
  }
};

/// --target nvptx: |module| compiled to PTX for sm_80 and sm_90, each
/// assembled by ptxas for its chip. |firstError| is the first diagnostic.
CaseResult checkPTX(CaseResult r, ModuleOp module, const std::string &firstError) {
  llvm::SmallString<128> tmp;
  if (std::error_code ec = llvm::sys::fs::createUniqueDirectory("deepseek-conformance", tmp)) {
    r.detail = "cannot create a scratch folder: " + ec.message();
    return r;
  }
  RemoveScratch removeScratch{tmp};
  for (const char *chip : {"sm_80", "sm_90"}) {
    OwningOpRef<ModuleOp> copy = module.clone();
    CompileOptions options;
    options.target.target = "nvptx";
    options.target.cpu = chip;
    r.stage = "codegen";
    FailureOr<std::string> ptx = compileToPTX(*copy, options);
    if (failed(ptx)) {
      r.status = "unsupported";
      r.detail = oneLine(firstError);
      return r;
    }
    std::string file = (tmp + "/" + chip + ".ptx").str(), log = (tmp + "/ptxas.log").str();
    std::error_code ec;
    llvm::raw_fd_ostream os(file, ec);
    os << *ptx;
    os.close();
    if (ec) {
      r.detail = file + ": " + ec.message();
      return r;
    }
    r.stage = "ptxas";
    std::string arch = std::string("-arch=") + chip;
    llvm::StringRef args[] = {gPtxas, arch, file, "-o", "/dev/null"};
    std::optional<llvm::StringRef> redirects[] = {std::nullopt, llvm::StringRef(log),
                                                  llvm::StringRef(log)};
    if (llvm::sys::ExecuteAndWait(gPtxas, args, std::nullopt, redirects) != 0) {
      auto text = llvm::MemoryBuffer::getFile(log);
      r.status = "fail";
      r.detail = std::string(chip) + ": " + (text ? oneLine((*text)->getBuffer().str()) : "ptxas failed");
      return r;
    }
  }
  r.status = "pass";
  return r;
}

/// Runs one case to completion in this (child) process.
CaseResult runCase(const std::string &name, const std::string &dir) {
  CaseResult r{name, "error", "import", 0, 0, ""};
  double rtol = kRtol, atol = kAtol;
  for (const ToleranceOverride &o : kToleranceOverrides)
    if (o.name && name == o.name)
      rtol = o.rtol, atol = o.atol;

  MLIRContext context(MLIRContext::Threading::DISABLED);
  registerCompilerDialects(context);
  std::string firstError;
  ScopedDiagnosticHandler handler(&context, [&](Diagnostic &diag) {
    if (firstError.empty() && diag.getSeverity() == DiagnosticSeverity::Error)
      firstError = diag.str();
    return success();
  });
  deepseek::onnx_import::ImportOptions importOptions;
  OwningOpRef<ModuleOp> module = loadModel(context, dir + "/model.onnx", importOptions);
  // Inputs the importer needs at compile time (Resize sizes, TopK's k, Reshape
  // shapes...) are bound from the test's own data, as a user would with
  // --constant-input: the trailing inputs, fewest first.
  size_t bound = 0;
  std::vector<std::string> sets = sortedEntries(dir, "test_data_set_");
  if (!module && !sets.empty() &&
      (llvm::StringRef(firstError).contains("must be a constant") ||
       llvm::StringRef(firstError).contains("needs constant"))) {
    std::string setDir = dir + "/" + sets.front();
    std::vector<std::string> inFiles = sortedEntries(setDir, "input_");
    std::vector<std::string> names;
    for (const std::string &file : inFiles) {
      dsrt_host_tensor t{};
      char err[512];
      if (dsrt_tensor_load((setDir + "/" + file).c_str(), &t, err, sizeof err) == DSRT_OK)
        names.push_back(t.name);
      dsrt_tensor_free(&t);
    }
    std::string originalError = firstError;
    for (size_t count = 1; count < names.size() && !module; ++count) {
      importOptions.constantInputs.clear();
      std::string detail = "constant inputs:";
      for (size_t i = names.size() - count; i < names.size(); ++i) {
        importOptions.constantInputs[names[i]] = setDir + "/" + inFiles[i];
        detail += " " + names[i];
      }
      firstError.clear();
      module = loadModel(context, dir + "/model.onnx", importOptions);
      if (module) {
        bound = count;
        r.detail = detail;
      }
    }
    if (!module)
      firstError = originalError;
  }
  if (!module) {
    r.status = "unsupported";
    r.detail = oneLine(firstError);
    return r;
  }
  r.stage = "codegen";
  if (gTarget == "nvptx")
    return checkPTX(std::move(r), *module, firstError);
  CompileOptions options;
  bool cross = gTarget == "armv8";
  if (cross)
    options.target.target = "armv8";
  FailureOr<ModelInterface> interface = lowerToLLVMDialect(*module, options);
  if (failed(interface)) {
    r.status = "unsupported";
    r.detail = oneLine(firstError);
    return r;
  }
  // This machine: the JIT. armv8: a static executable in a scratch folder.
  FailureOr<std::unique_ptr<JITModel>> jit = failure();
  llvm::SmallString<128> tmp;
  std::string exe;
  if (cross) {
    if (std::error_code ec = llvm::sys::fs::createUniqueDirectory("deepseek-conformance", tmp)) {
      r.detail = "cannot create a scratch folder: " + ec.message();
      return r;
    }
    exe = (tmp + "/model").str();
    std::string error;
    if (!emitArtifacts(*module, *interface, options, EmitKind::Executable, exe, gToolDir,
                       error)) {
      r.detail = oneLine(error);
      llvm::sys::fs::remove_directories(tmp);
      return r;
    }
  } else {
    jit = JITModel::create(*module, *interface, options.target.optLevel);
    if (failed(jit)) {
      r.detail = oneLine(firstError);
      return r;
    }
  }
  RemoveScratch removeScratch{tmp};
  const dsrt_model_desc *desc = cross ? nullptr : (*jit)->descriptor();
  auto inputDtype = [&](size_t i) {
    return cross ? (i < interface->inputs.size() ? interface->inputs[i].dtype : 0)
                 : (i < desc->num_inputs ? desc->inputs[i].dtype : 0);
  };
  auto outputDtype = [&](size_t i) {
    return cross ? (i < interface->outputs.size() ? interface->outputs[i].dtype : 0)
                 : (i < desc->num_outputs ? desc->outputs[i].dtype : 0);
  };
  r.stage = "run";
  char err[512];
  bool allPass = true;
  for (const std::string &set : sets) {
    std::string setDir = dir + "/" + set;
    std::vector<std::string> inFiles = sortedEntries(setDir, "input_"),
                             outFiles = sortedEntries(setDir, "output_");
    inFiles.resize(inFiles.size() - std::min(bound, inFiles.size()));
    std::vector<dsrt_host_tensor> in(inFiles.size()), out, expected(outFiles.size());
    auto cleanup = [&] {
      for (auto *list : {&in, &out, &expected})
        for (dsrt_host_tensor &t : *list)
          dsrt_tensor_free(&t);
    };
    for (size_t i = 0; i < inFiles.size(); ++i)
      if (dsrt_tensor_load((setDir + "/" + inFiles[i]).c_str(), &in[i], err, sizeof err) !=
          DSRT_OK) {
        r.status = "unsupported";
        r.detail = oneLine(err);
        cleanup();
        return r;
      }
    for (size_t i = 0; i < outFiles.size(); ++i)
      if (dsrt_tensor_load((setDir + "/" + outFiles[i]).c_str(), &expected[i], err,
                           sizeof err) != DSRT_OK) {
        r.status = "unsupported";
        r.detail = oneLine(err);
        cleanup();
        return r;
      }
    // ONNX's test data stores bfloat16 tensors as uint16 bit patterns (numpy has
    // no bfloat16): read those bits as the bfloat16 the model declares.
    auto relabelBF16 = [](dsrt_host_tensor &t, int32_t dtype) {
      if (dtype == DSRT_BFLOAT16 && t.dtype == DSRT_UINT16)
        t.dtype = DSRT_BFLOAT16;
    };
    for (size_t i = 0; i < in.size(); ++i)
      relabelBF16(in[i], inputDtype(i));
    for (size_t i = 0; i < expected.size(); ++i)
      relabelBF16(expected[i], outputDtype(i));
    std::string error;
    bool ran = cross ? runUnderQemu(exe, tmp.str().str(), in, out,
                                    interface->outputs.size(), error)
                     : runOnce(desc, in, out, 1, error);
    if (!ran) {
      r.detail = oneLine(set + ": " + error);
      cleanup();
      return r;
    }
    r.stage = "compare";
    if (out.size() != expected.size()) {
      r.status = "fail";
      r.detail = "the model has " + std::to_string(out.size()) + " outputs, the test " +
                 std::to_string(expected.size());
      cleanup();
      return r;
    }
    for (size_t i = 0; i < out.size(); ++i) {
      Comparison c = compareTensors(out[i], expected[i], rtol, atol);
      r.maxAbsDiff = std::max(r.maxAbsDiff, c.maxAbsDiff);
      r.maxAbsRef = std::max(r.maxAbsRef, c.maxAbsRef);
      if (!c.ok && allPass) {
        allPass = false;
        r.detail = oneLine(set + " output " + std::to_string(i) + ": " +
                           (c.problem.empty() ? std::to_string(c.mismatches) +
                                                    " elements outside tolerance"
                                              : c.problem));
      }
    }
    cleanup();
  }
  r.status = allPass ? "pass" : "fail";
  return r;
}

std::string serialize(const CaseResult &r) {
  return r.status + "\t" + r.stage + "\t" + llvm::formatv("{0:e3}", r.maxAbsDiff).str() + "\t" +
         llvm::formatv("{0:e3}", r.maxAbsRef).str() + "\t" + r.detail;
}

CaseResult deserialize(const std::string &name, llvm::StringRef line) {
  CaseResult r{name, "", "", 0, 0, ""};
  llvm::SmallVector<llvm::StringRef> fields;
  line.split(fields, '\t', 4);
  if (fields.size() < 5)
    return CaseResult{name, "error", "run", 0, 0, "no result (crashed?)"};
  r.status = fields[0].str();
  r.stage = fields[1].str();
  fields[2].getAsDouble(r.maxAbsDiff);
  fields[3].getAsDouble(r.maxAbsRef);
  r.detail = fields[4].rtrim("\n").str();
  return r;
}

struct Case {
  std::string name, dir;
};

/// Runs |cases| in child processes, |jobs| at a time, each limited to
/// |timeout| seconds.
std::vector<CaseResult> runAll(const std::vector<Case> &cases, int jobs, int timeout) {
  std::vector<CaseResult> results(cases.size());
  struct Running {
    size_t index;
    int fd;
  };
  std::map<pid_t, Running> running;
  size_t next = 0, done = 0;
  auto start = std::chrono::steady_clock::now();
  while (done < cases.size()) {
    while (next < cases.size() && static_cast<int>(running.size()) < jobs) {
      int fds[2];
      if (pipe(fds) != 0) {
        perror("pipe");
        exit(2);
      }
      pid_t pid = fork();
      if (pid == 0) {
        close(fds[0]);
        alarm(timeout);
        CaseResult r = runCase(cases[next].name, cases[next].dir);
        std::string line = serialize(r) + "\n";
        (void)!write(fds[1], line.data(), line.size());
        _exit(0);
      }
      close(fds[1]);
      running[pid] = {next++, fds[0]};
    }
    int status = 0;
    pid_t pid = waitpid(-1, &status, 0);
    auto it = running.find(pid);
    if (it == running.end())
      continue;
    std::string text;
    char buffer[4096];
    ssize_t n;
    while ((n = read(it->second.fd, buffer, sizeof buffer)) > 0)
      text.append(buffer, n);
    close(it->second.fd);
    const Case &c = cases[it->second.index];
    CaseResult r = deserialize(c.name, text);
    if (WIFSIGNALED(status)) {
      int sig = WTERMSIG(status);
      r = CaseResult{c.name, "error", "run", 0, 0,
                     sig == SIGALRM ? "timed out after " + std::to_string(timeout) + " s"
                                    : std::string("crashed with signal ") + strsignal(sig)};
    }
    results[it->second.index] = r;
    running.erase(it);
    if (++done % 100 == 0 || done == cases.size()) {
      double s = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
      llvm::errs() << llvm::formatv("[{0}/{1}] {2:f1} s\n", done, cases.size(), s);
    }
  }
  return results;
}



void writeResults(llvm::raw_ostream &os, const std::vector<CaseResult> &results) {
  os << (gTarget == "nvptx"
             ? "# ONNX backend tests compiled to PTX by deepseek (pass: ptxas assembles it for "
               "sm_80 and sm_90; not run):\n"
             : "# ONNX backend tests compiled to native code by deepseek:\n")
     << "# suite/test<TAB>status<TAB>stage<TAB>max|diff|<TAB>max|ref|<TAB>detail\n"
        "# Generated by deepseek-conformance; a test listed as pass must keep passing.\n";
  for (const CaseResult &r : results)
    os << r.name << '\t' << serialize(r) << '\n';
}

void writeDoc(llvm::raw_ostream &os, const std::vector<CaseResult> &results) {
  os << "# ONNX backend conformance of compiled code\n\n"
     << "<!-- Generated by deepseek-conformance (`ninja -C build update-conformance`); "
        "do not edit. -->\n\n"
     << "Every model of the ONNX backend tests (Debian `libonnx-testdata`) is imported, "
        "compiled to native x86-64 code through the same pipeline as `deepseek-compile` "
        "(JIT-compiled, run through `libdsrt`, one thread) and run on each "
        "`test_data_set_*`; every output must match the reference within ONNX's own "
        "tolerances, `|actual - expected| <= atol + rtol * |expected|` with rtol = 1e-3, "
        "atol = 1e-7 (NaN must match NaN, infinities must be equal).\n\n";
  bool anyOverride = false;
  for (const ToleranceOverride &o : kToleranceOverrides)
    if (o.name) {
      if (!anyOverride)
        os << "Cases that need wider tolerances:\n\n| test | rtol | atol | why |\n|---|---|---|---|\n";
      anyOverride = true;
      os << "| " << o.name << " | " << o.rtol << " | " << o.atol << " | " << o.why << " |\n";
    }
  if (anyOverride)
    os << "\n";
  os << "Status: **pass** (all outputs match), **fail** (runs, wrong numbers: max |diff| "
        "shown), **unsupported** (the importer or the code generator refuses the model, "
        "with its reason), **error** (compiled but did not run, crashed or timed out).\n\n"
     << "| suite | pass | fail | unsupported | error | total |\n|---|---|---|---|---|---|\n";
  int all[4] = {0, 0, 0, 0};
  for (const char *suite : mlir::ds::kBackendTestSuites) {
    int counts[4] = {0, 0, 0, 0}, total = 0;
    for (const CaseResult &r : results) {
      if (!llvm::StringRef(r.name).starts_with(std::string(suite) + "/"))
        continue;
      ++total;
      int k = r.status == "pass" ? 0 : r.status == "fail" ? 1 : r.status == "unsupported" ? 2 : 3;
      ++counts[k];
      ++all[k];
    }
    os << "| " << suite << " | " << counts[0] << " | " << counts[1] << " | " << counts[2]
       << " | " << counts[3] << " | " << total << " |\n";
  }
  os << "| **all** | " << all[0] << " | " << all[1] << " | " << all[2] << " | " << all[3]
     << " | " << results.size() << " |\n\n";
  int withConstants = 0;
  for (const CaseResult &r : results)
    withConstants += r.status == "pass" && !r.detail.empty();
  os << "Of the passing tests, " << withConstants
     << " bind inputs that the importer needs at compile time (Resize sizes, TopK's k, "
        "Reshape's shape, ...) from the test's own `input_N.pb` as constants, as a user "
        "would with `--constant-input`; the table names them.\n\n";
  // Failures show their error sizes; passing cases do not, so the table does
  // not change with last-bit differences between CPUs or libm versions.
  os << "| test | status | detail |\n|---|---|---|\n";
  for (const CaseResult &r : results) {
    std::string detail = r.detail;
    for (char &c : detail)
      if (c == '|')
        c = '/';
    os << "| " << r.name << " | " << r.status << " | ";
    if (r.status == "fail" && r.stage == "compare")
      os << llvm::formatv("max /diff/ {0:e2} (max /ref/ {1:e2}); ", r.maxAbsDiff, r.maxAbsRef);
    if (r.status != "pass")
      os << r.stage << ": " << detail;
    else
      os << detail;
    os << " |\n";
  }
}

} // namespace

int main(int argc, char **argv) {
  CLI::App app{"deepseek-conformance: compile and run the ONNX backend tests"};
  std::string testdata, resultsPath, expectedPath, docPath, filter;
  int jobs = 2, timeout = 120, limit = 0, minPass = 0;
  app.add_option("--testdata", testdata, "the ONNX backend test data folder")->required();
  app.add_option("--results", resultsPath, "write per-test results (TSV)");
  app.add_option("--expected", expectedPath, "fail when a test listed as pass regresses");
  app.add_option("--doc", docPath, "write the conformance table (markdown)");
  app.add_option("--filter", filter, "only tests whose suite/name contains this");
  app.add_option("--jobs,-j", jobs, "tests run at once")->capture_default_str();
  app.add_option("--timeout", timeout, "seconds per test")->capture_default_str();
  app.add_option("--limit", limit, "only the first N tests (after --filter), by name");
  app.add_option("--target", gTarget,
                 "armv8: static aarch64 executables run under qemu-aarch64; nvptx: PTX for "
                 "sm_80 and sm_90 assembled by ptxas, not run (default: this machine, JIT)");
  app.add_option("--min-pass", minPass, "fail when fewer tests pass");
  try {
    app.parse(argc, argv);
  } catch (const CLI::ParseError &e) {
    return app.exit(e);
  }
  if (!gTarget.empty() && gTarget != "armv8" && gTarget != "nvptx") {
    llvm::errs() << "deepseek-conformance: error: --target " << gTarget
                 << ": expected armv8 or nvptx (or nothing for this machine)\n";
    return 2;
  }
  if (gTarget == "nvptx") {
    auto ptxas = llvm::sys::findProgramByName("ptxas");
    if (!ptxas)
      ptxas = llvm::sys::findProgramByName("ptxas", {"/usr/local/cuda/bin"});
    if (!ptxas) {
      // ctest treats this exit code as "skipped".
      llvm::errs() << "deepseek-conformance: ptxas (CUDA toolkit) not found on PATH or in "
                      "/usr/local/cuda/bin: nothing to check the PTX with\n";
      return 77;
    }
    gPtxas = *ptxas;
  }
  gTimeout = timeout;
  gToolDir = toolDirectory(argv[0], (void *)&oneLine);

  std::vector<Case> cases;
  for (const char *suite : mlir::ds::kBackendTestSuites) {
    std::string dir = testdata + "/" + suite;
    for (const std::string &name : sortedEntries(dir, "")) {
      std::string full = std::string(suite) + "/" + name;
      if (!filter.empty() && full.find(filter) == std::string::npos)
        continue;
      if (llvm::sys::fs::exists(dir + "/" + name + "/model.onnx"))
        cases.push_back({full, dir + "/" + name});
    }
  }
  std::sort(cases.begin(), cases.end(),
            [](const Case &a, const Case &b) { return a.name < b.name; });
  if (limit > 0 && cases.size() > static_cast<size_t>(limit))
    cases.resize(limit);
  if (cases.empty()) {
    llvm::errs() << "deepseek-conformance: error: no tests under " << testdata << "\n";
    return 2;
  }
  std::vector<CaseResult> results = runAll(cases, std::max(1, jobs), timeout);

  int pass = 0;
  for (const CaseResult &r : results)
    pass += r.status == "pass";
  llvm::outs() << pass << " of " << results.size() << " tests pass"
               << (gTarget.empty() ? "" : " on " + gTarget) << "\n";
  if (pass < minPass) {
    llvm::errs() << "deepseek-conformance: error: " << pass << " tests pass, fewer than "
                 << minPass << " (--min-pass)\n";
    return 1;
  }

  auto write = [](const std::string &path, auto fn) {
    std::error_code ec;
    llvm::raw_fd_ostream os(path, ec);
    if (ec) {
      llvm::errs() << path << ": error: " << ec.message() << "\n";
      return false;
    }
    fn(os);
    return true;
  };
  if (!resultsPath.empty() &&
      !write(resultsPath, [&](llvm::raw_ostream &os) { writeResults(os, results); }))
    return 2;
  if (!docPath.empty() && !write(docPath, [&](llvm::raw_ostream &os) { writeDoc(os, results); }))
    return 2;

  if (!expectedPath.empty()) {
    auto expected = mlir::ds::readExpectedStatuses(expectedPath);
    if (expected.empty()) {
      llvm::errs() << expectedPath << ": error: no expectations read\n";
      return 2;
    }
    int regressions = 0;
    for (const CaseResult &r : results) {
      auto it = expected.find(r.name);
      if (it != expected.end() && it->second == "pass" && r.status != "pass") {
        llvm::errs() << "REGRESSION " << r.name << ": " << r.status << " (" << r.stage
                     << "): " << r.detail << "\n";
        ++regressions;
      }
    }
    int newPasses = 0;
    for (const CaseResult &r : results) {
      auto it = expected.find(r.name);
      newPasses += r.status == "pass" && (it == expected.end() || it->second != "pass");
    }
    if (newPasses)
      llvm::outs() << newPasses << " tests pass that the expectations do not list yet "
                   << "(refresh with `ninja -C build update-conformance`)\n";
    if (regressions) {
      llvm::errs() << regressions << " tests that passed before fail now\n";
      return 1;
    }
  }
  return 0;
}
