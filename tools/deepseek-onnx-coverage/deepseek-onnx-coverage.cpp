//===- deepseek-onnx-coverage.cpp - importer coverage of ONNX's own tests -===//
//
//   deepseek-onnx-coverage --testdata /usr/share/libonnx-testdata/data
//       [--results OUT.tsv] [--expected EXPECTED.tsv] [--doc onnx-ops.md]
//
// Imports every model of the ONNX backend tests (node, pytorch-converted,
// pytorch-operator, simple) and records, per test,
// `imported`, `unsupported` (operators without a converter) or `failed` with
// the first error. With --expected it fails when a test that imported before
// no longer does (a regression gate for ctest); with --doc it writes the
// operator support table (docs/onnx-ops.md) from the ONNX schema registry, the
// converter table and these results.
//
//===----------------------------------------------------------------------===//

#include "deepseek/Import/ONNX/ONNXImporter.h"

#include "mlir/IR/Diagnostics.h"
#include "mlir/IR/MLIRContext.h"
#include "llvm/ADT/StringSet.h"
#include "llvm/Support/FileSystem.h"
#include "llvm/Support/MemoryBuffer.h"
#include "llvm/Support/Path.h"
#include "llvm/Support/raw_ostream.h"

#include "onnx/defs/schema.h"
#include "onnx/onnx_pb.h"

#include <CLI/CLI.hpp>

#include <map>
#include <set>
#include <string>
#include <vector>

namespace {

struct TestResult {
  std::string name;
  std::string status; // imported | unsupported | failed
  std::string detail; // first error, one line
  std::set<std::string> ops;
};

/// The default-domain op types a model uses (empty if it does not parse).
std::set<std::string> opTypesOf(llvm::StringRef path) {
  std::set<std::string> ops;
  auto buffer = llvm::MemoryBuffer::getFile(path);
  onnx::ModelProto model;
  if (!buffer || !model.ParseFromArray((*buffer)->getBufferStart(),
                                       static_cast<int>((*buffer)->getBufferSize())))
    return ops;
  for (const onnx::NodeProto &node : model.graph().node())
    if (node.domain().empty() || node.domain() == "ai.onnx")
      ops.insert(node.op_type());
  return ops;
}

TestResult importOne(const std::string &name, const std::string &path) {
  TestResult result{name, "imported", "", opTypesOf(path)};
  mlir::MLIRContext context;
  std::string firstError;
  mlir::ScopedDiagnosticHandler handler(&context, [&](mlir::Diagnostic &diag) {
    if (firstError.empty() && diag.getSeverity() == mlir::DiagnosticSeverity::Error)
      firstError = diag.str();
    return mlir::success();
  });
  deepseek::onnx_import::ImportOptions options;
  if (deepseek::onnx_import::importONNXFile(context, path, options))
    return result;
  // Keep one line: the unsupported-operator list names nodes on later lines.
  llvm::StringRef line = llvm::StringRef(firstError).split('\n').first;
  result.status = line.contains("use operators the importer does not support")
                      ? "unsupported"
                      : "failed";
  result.detail = line.str();
  for (char &c : result.detail)
    if (c == '\t')
      c = ' ';
  return result;
}

/// The suites of the ONNX backend test data, in the order they are reported.
const char *const kSuites[] = {"node", "pytorch-converted", "pytorch-operator", "simple"};

/// Imports every `SUITE/TEST/model.onnx`; results are named `SUITE/TEST`.
std::vector<TestResult> runTests(const std::string &testdata) {
  std::vector<TestResult> results;
  for (const char *suite : kSuites) {
    std::vector<std::string> names;
    std::error_code ec;
    std::string dir = testdata + "/" + suite;
    for (llvm::sys::fs::directory_iterator it(dir, ec), end; it != end && !ec;
         it.increment(ec))
      names.push_back(llvm::sys::path::filename(it->path()).str());
    std::sort(names.begin(), names.end());
    for (const std::string &name : names) {
      std::string model = dir + "/" + name + "/model.onnx";
      if (llvm::sys::fs::exists(model))
        results.push_back(importOne(std::string(suite) + "/" + name, model));
    }
  }
  return results;
}

/// "imported" count and total of the tests in |suite| (all suites when empty).
std::pair<int, int> tally(const std::vector<TestResult> &results, llvm::StringRef suite) {
  int imported = 0, total = 0;
  for (const TestResult &r : results) {
    if (!suite.empty() && !llvm::StringRef(r.name).starts_with((suite + "/").str()))
      continue;
    ++total;
    imported += r.status == "imported";
  }
  return {imported, total};
}

std::map<std::string, std::string> readExpected(const std::string &path) {
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

void writeResults(llvm::raw_ostream &os, const std::vector<TestResult> &results) {
  os << "# ONNX backend tests imported by deepseek: suite/test<TAB>status<TAB>first "
        "error.\n# Generated by deepseek-onnx-coverage; a test listed as imported "
        "must keep importing.\n";
  for (const TestResult &r : results)
    os << r.name << '\t' << r.status << '\t' << r.detail << '\n';
}

void writeDoc(llvm::raw_ostream &os, const std::vector<TestResult> &results) {
  std::vector<std::string> supportedList = deepseek::onnx_import::supportedOperators();
  std::set<std::string> supported(supportedList.begin(), supportedList.end());
  // Latest default-domain schemas, by name.
  std::map<std::string, const onnx::OpSchema *> schemas;
  static const std::vector<onnx::OpSchema> all =
      onnx::OpSchemaRegistry::get_all_schemas();
  for (const onnx::OpSchema &schema : all)
    if (schema.domain().empty())
      schemas[schema.Name()] = &schema;
  struct Tally {
    int imported = 0, failed = 0;
    std::vector<std::string> failures;
  };
  std::map<std::string, Tally> byOp;
  for (const TestResult &r : results)
    for (const std::string &op : r.ops) {
      if (!supported.count(op))
        continue;
      Tally &t = byOp[op];
      if (r.status == "imported") {
        ++t.imported;
      } else if (r.status == "failed") {
        ++t.failed;
        if (t.failures.size() < 2)
          t.failures.push_back(r.name);
      }
    }

  auto [nodeImported, nodeTotal] = tally(results, "node");
  int otherImported = 0, otherTotal = 0;
  for (const char *suite : kSuites)
    if (llvm::StringRef(suite) != "node") {
      auto [i, t] = tally(results, suite);
      otherImported += i;
      otherTotal += t;
    }
  os << "<!-- Generated by deepseek-onnx-coverage from the ONNX schema registry, the\n"
        "     importer's converter table and the ONNX backend tests; do not edit.\n"
        "     Refresh with `ninja -C build update-docs`. -->\n\n"
     << "# ONNX operator support\n\n"
     << "Default-domain (ai.onnx) operators as of libonnx's schema registry. Models are "
        "converted to opset 17 before import, so one mapping serves every opset the "
        "ONNX version converter handles.\n\n"
     << "- **supported**: a converter exists and every backend test that uses the "
        "operator (and only supported operators) imports.\n"
     << "- **partial**: a converter exists, but some tests using the operator do not "
        "import; the notes name examples. Most of these tests feed a shape, axis, "
        "scale or similar parameter as a graph input, which deepseek needs as a "
        "constant (`--constant-input` binds one).\n"
     << "- **unsupported**: no converter yet.\n\n"
     << "ONNX backend tests imported: " << nodeImported << " of " << nodeTotal
     << " node tests and " << otherImported << " of " << otherTotal
     << " pytorch-converted, pytorch-operator and simple tests (import only; "
        "numerical conformance is measured separately). The table counts all "
        "suites.\n\n"
     << "| operator | status | tests imported / failing | notes |\n"
     << "| --- | --- | --- | --- |\n";
  for (const auto &[name, schema] : schemas) {
    if (schema->Deprecated())
      continue;
    std::string status = "unsupported", counts, notes;
    if (supported.count(name)) {
      const Tally &t = byOp[name];
      status = t.failed ? "partial" : "supported";
      counts = std::to_string(t.imported) + " / " + std::to_string(t.failed);
      for (const std::string &f : t.failures)
        notes += (notes.empty() ? "fails: " : ", ") + f;
    }
    os << "| " << name << " | " << status << " | " << counts << " | " << notes << " |\n";
  }
}

} // namespace

int main(int argc, char **argv) {
  CLI::App app{"deepseek-onnx-coverage: import the ONNX backend node tests and report"};
  std::string testdata, resultsPath, expectedPath, docPath;
  app.add_option("--testdata", testdata, "the libonnx-testdata data directory")
      ->required();
  app.add_option("--results", resultsPath, "write per-test results (TSV)");
  app.add_option("--expected", expectedPath,
                 "fail if a test listed as imported here no longer imports");
  app.add_option("--doc", docPath, "write the operator support table (Markdown)");
  try {
    app.parse(argc, argv);
  } catch (const CLI::ParseError &e) {
    return app.exit(e);
  }
  if (!llvm::sys::fs::is_directory(testdata + "/node")) {
    llvm::errs() << "deepseek-onnx-coverage: error: no node tests under '" << testdata
                 << "/node' (Debian package libonnx-testdata)\n";
    return 1;
  }

  std::vector<TestResult> results = runTests(testdata);
  int counts[3] = {0, 0, 0};
  for (const TestResult &r : results)
    ++counts[r.status == "imported" ? 0 : r.status == "unsupported" ? 1 : 2];
  auto [nodeImported, nodeTotal] = tally(results, "node");
  llvm::outs() << "node tests: " << nodeImported << " of " << nodeTotal << " imported; ";
  llvm::outs() << results.size() << " tests in all: " << counts[0] << " imported, "
               << counts[1] << " use unsupported operators, " << counts[2] << " failed\n";

  auto write = [](const std::string &path, auto &&fn) {
    llvm::Error e = llvm::writeToOutput(path, [&](llvm::raw_ostream &os) {
      fn(os);
      return llvm::Error::success();
    });
    if (e) {
      llvm::errs() << path << ": error: " << llvm::toString(std::move(e)) << "\n";
      return false;
    }
    return true;
  };
  if (!resultsPath.empty() &&
      !write(resultsPath, [&](llvm::raw_ostream &os) { writeResults(os, results); }))
    return 1;
  if (!docPath.empty() &&
      !write(docPath, [&](llvm::raw_ostream &os) { writeDoc(os, results); }))
    return 1;

  if (expectedPath.empty())
    return 0;
  std::map<std::string, std::string> expected = readExpected(expectedPath);
  if (expected.empty()) {
    llvm::errs() << expectedPath << ": error: no expected results\n";
    return 1;
  }
  int regressions = 0, newlyImported = 0;
  for (const TestResult &r : results) {
    auto it = expected.find(r.name);
    bool wasImported = it != expected.end() && it->second == "imported";
    if (wasImported && r.status != "imported") {
      ++regressions;
      llvm::errs() << "regression: " << r.name << " no longer imports: " << r.detail
                   << "\n";
    } else if (!wasImported && r.status == "imported") {
      ++newlyImported;
    }
  }
  if (newlyImported)
    llvm::outs() << newlyImported << " test(s) import now that did not before; "
                 << "refresh " << expectedPath << " with --results\n";
  return regressions ? 1 : 0;
}
