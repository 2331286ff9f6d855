//===- ToolSupport.cpp - what every command-line tool shares --------------===//

#include "deepseek/Driver/ToolSupport.h"
#include "deepseek/Import/ModelFormat.h"
#include "deepseek/Import/NestingLimit.h"
#include "deepseek/Import/TensorLimits.h"

#include "mlir/IR/BuiltinTypes.h"
#include "mlir/Parser/Parser.h"
#include "llvm/Support/FileSystem.h"
#include "llvm/Support/MemoryBuffer.h"
#include "llvm/Support/SourceMgr.h"
#include "llvm/Support/Path.h"
#include "llvm/Support/raw_ostream.h"

#include <cmath>

using namespace mlir;
using namespace mlir::ds;
using deepseek::onnx_import::ImportOptions;

static bool parseInputShape(llvm::StringRef spec, ImportOptions &options,
                            std::string &error) {
  // NAME=DIMS, or DIMS alone for the next input by position.
  auto [name, dims] = spec.contains('=') ? spec.rsplit('=') : std::make_pair(llvm::StringRef(), spec);
  if (dims.empty() || (spec.contains('=') && name.empty())) {
    error = "--input-shape expects NAME=DIMS or DIMS such as input=1x3x224x224, got '" +
            spec.str() + "'";
    return false;
  }
  llvm::SmallVector<llvm::StringRef> parts;
  dims.split(parts, 'x');
  llvm::SmallVector<int64_t> shape;
  for (llvm::StringRef part : parts) {
    int64_t dim;
    if (part == "?") {
      shape.push_back(ShapedType::kDynamic);
    } else if (part.getAsInteger(10, dim) || dim < 0) {
      error = "--input-shape '" + spec.str() + "': '" + part.str() +
              "' is not a dimension (a non-negative integer or ?)";
      return false;
    } else {
      shape.push_back(dim);
    }
  }
  if (name.empty())
    options.positionalInputShapes.push_back(shape);
  else
    options.inputShapes[name] = shape;
  return true;
}

static bool parseConstantInput(llvm::StringRef spec, ImportOptions &options,
                               std::string &error) {
  auto [name, file] = spec.split('=');
  if (name.empty() || file.empty()) {
    error = "--constant-input expects NAME=FILE.pb, got '" + spec.str() + "'";
    return false;
  }
  options.constantInputs[name] = file.str();
  return true;
}

bool mlir::ds::parseImportFlags(const std::vector<std::string> &inputShapes,
                                const std::vector<std::string> &constantInputs,
                                ImportOptions &options, std::string &error) {
  for (const std::string &spec : inputShapes)
    if (!parseInputShape(spec, options, error))
      return false;
  for (const std::string &spec : constantInputs)
    if (!parseConstantInput(spec, options, error))
      return false;
  return true;
}

void mlir::ds::printDiagnostic(Diagnostic &diag) {
  const char *severity = diag.getSeverity() == DiagnosticSeverity::Error     ? "error"
                         : diag.getSeverity() == DiagnosticSeverity::Warning ? "warning"
                                                                             : "note";
  llvm::errs() << deepseek::onnx_import::describeLocation(diag.getLocation()) << ": "
               << severity << ": " << diag.str() << "\n";
  for (Diagnostic &note : diag.getNotes())
    printDiagnostic(note);
}

OwningOpRef<ModuleOp> mlir::ds::loadModel(MLIRContext &context, llvm::StringRef path,
                                          const ImportOptions &options) {
  // By content, not extension: `optimized.pt` may hold ds IR.
  deepseek::ModelFormat format = deepseek::detectModelFormat(path);
  if (format != deepseek::ModelFormat::MLIRText && format != deepseek::ModelFormat::MLIRBytecode)
    return deepseek::onnx_import::importONNXFile(context, path, options);
  if (!options.inputShapes.empty() || !options.positionalInputShapes.empty() ||
      !options.constantInputs.empty()) {
    emitError(UnknownLoc::get(&context))
        << path << ": --input-shape and --constant-input apply to ONNX and TorchScript "
        << "models only; this file holds " << deepseek::modelFormatName(format);
    return nullptr;
  }
  llvm::ErrorOr<std::unique_ptr<llvm::MemoryBuffer>> file = llvm::MemoryBuffer::getFile(path);
  if (!file) {
    emitError(UnknownLoc::get(&context))
        << path << ": cannot open: " << file.getError().message();
    return nullptr;
  }
  if (format == deepseek::ModelFormat::MLIRText) {
    if (std::optional<unsigned> line = deepseek::findExcessiveNesting((*file)->getBuffer())) {
      emitError(FileLineColLoc::get(&context, path, *line, 0))
          << "brackets nest more than " << deepseek::kMaxIRNesting
          << " deep; ds IR this deep is not a model (MLIR's parser would run out of stack)";
      return nullptr;
    }
  }
  llvm::SourceMgr sourceMgr;
  sourceMgr.AddNewSourceBuffer(std::move(*file), llvm::SMLoc());
  OwningOpRef<ModuleOp> module = parseSourceFile<ModuleOp>(sourceMgr, &context);
  if (module && failed(deepseek::checkTensorSizes(*module)))
    return nullptr;
  return module;
}

Comparison mlir::ds::compareTensors(const dsrt_host_tensor &actual,
                                    const dsrt_host_tensor &expected, double rtol,
                                    double atol) {
  Comparison c;
  auto shapeOf = [](const dsrt_host_tensor &t) {
    std::string s = std::string(dsrt_dtype_name(t.dtype)) + "[";
    for (int i = 0; i < t.rank; ++i)
      s += (i ? "x" : "") + std::to_string(t.dims[i]);
    return s + "]";
  };
  bool sameShape = actual.rank == expected.rank &&
                   std::equal(actual.dims, actual.dims + actual.rank, expected.dims);
  if (actual.dtype != expected.dtype || !sameShape) {
    c.problem = "got " + shapeOf(actual) + ", expected " + shapeOf(expected);
    return c;
  }
  size_t n = dsrt_tensor_numel(&expected);
  for (size_t i = 0; i < n; ++i) {
    double a = dsrt_tensor_get_f64(&actual, i), e = dsrt_tensor_get_f64(&expected, i);
    bool match;
    if (std::isnan(e) || std::isnan(a))
      match = std::isnan(a) && std::isnan(e);
    else if (std::isinf(e) || std::isinf(a))
      match = a == e;
    else {
      double diff = std::fabs(a - e);
      c.maxAbsDiff = std::max(c.maxAbsDiff, diff);
      c.maxAbsRef = std::max(c.maxAbsRef, std::fabs(e));
      match = diff <= atol + rtol * std::fabs(e);
    }
    if (!match && c.mismatches++ == 0)
      c.firstMismatch = i;
  }
  c.ok = c.mismatches == 0;
  return c;
}

bool mlir::ds::runOnce(const dsrt_model_desc *desc, std::vector<dsrt_host_tensor> &inputs,
                       std::vector<dsrt_host_tensor> &outputs, int threads,
                       std::string &error) {
  char err[512] = {0};
  outputs.assign(desc->num_outputs, dsrt_host_tensor{});
  for (uint32_t i = 0; i < desc->num_outputs; ++i) {
    if (dsrt_tensor_alloc(&outputs[i], &desc->outputs[i], err, sizeof err) != DSRT_OK) {
      error = err;
      return false;
    }
  }
  dsrt_model *model = nullptr;
  dsrt_status status = dsrt_model_open(desc, &model);
  if (status != DSRT_OK) {
    error = std::string("cannot open the compiled model: ") + dsrt_status_string(status);
    return false;
  }
  std::vector<dsrt_tensor> in, out;
  for (dsrt_host_tensor &t : inputs)
    in.push_back(dsrt_tensor_view(&t));
  for (dsrt_host_tensor &t : outputs)
    out.push_back(dsrt_tensor_view(&t));
  dsrt_model_set_threads(model, threads);
  status = dsrt_model_run(model, in.data(), in.size(), out.data(), out.size());
  if (status != DSRT_OK)
    error = dsrt_model_error(model);
  dsrt_model_close(model);
  return status == DSRT_OK;
}

bool mlir::ds::parseImageFlags(const std::string &mean, const std::string &std,
                               const std::string &layout, ImagePreprocess &image,
                               std::string &error) {
  auto parse = [&](const std::string &text, const char *flag, float *out, bool positive) {
    if (text.empty())
      return true;
    SmallVector<StringRef> parts;
    StringRef(text).split(parts, ',');
    float values[3];
    for (size_t i = 0; i < parts.size() && i < 3; ++i) {
      double v;
      if (parts[i].trim().getAsDouble(v) || (positive && !(v > 0))) {
        error = std::string(flag) + " " + text + ": expected " +
                (positive ? "positive numbers" : "numbers") + " (one, or three for R,G,B)";
        return false;
      }
      values[i] = static_cast<float>(v);
    }
    if (parts.size() != 1 && parts.size() != 3) {
      error = std::string(flag) + " " + text + ": expected one value or three (R,G,B)";
      return false;
    }
    for (int c = 0; c < 3; ++c)
      out[c] = values[parts.size() == 1 ? 0 : c];
    return true;
  };
  if (!parse(mean, "--mean", image.mean, false) || !parse(std, "--std", image.std, true))
    return false;
  if (!layout.empty()) {
    if (layout != "NCHW" && layout != "NHWC") {
      error = "--layout " + layout + ": expected NCHW or NHWC";
      return false;
    }
    image.nhwc = layout == "NHWC";
  }
  return true;
}

std::string mlir::ds::toolDirectory(const char *argv0, void *anchor) {
  return llvm::sys::path::parent_path(llvm::sys::fs::getMainExecutable(argv0, anchor)).str();
}
