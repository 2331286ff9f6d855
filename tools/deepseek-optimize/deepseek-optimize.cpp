//===- deepseek-optimize.cpp - make a model smaller and faster -----------===//
//
//   deepseek-optimize --model IN --output OUT [--quantize INT8|FP16|NONE]
//                     [--calibration DATA] [--calib-method minmax|percentile|entropy]
//                     [--mean M --std S --layout NCHW|NHWC (image samples)]
//                     [--dynamic] [--per-tensor] [--target x86_64|armv8]
//                     [--prune_ratio R] [--prune-criterion l1|l2]
//                     [--prune-granularity N] [--prune-skip NAMES]
//                     [--export-mask m.json] [--report r.json]
//
// Reads an ONNX or TorchScript model (by content), prunes channels (deepseek/Optimize/Pruning.h), then
// quantizes (deepseek/Optimize/Quantization.h) and writes OUT: `.onnx` is a standard ONNX model (QDQ format for static INT8),
// `.mlir`/`.mlirbc` the ds IR deepseek-compile also accepts; `.pt` is ds IR
// bytecode too (an optimized model cannot be TorchScript; every deepseek tool
// recognizes it by content), and the tool says so. OUT is written
// to a temporary file and renamed, and may not be IN: a failure leaves what
// the user had untouched.
//
//===----------------------------------------------------------------------===//

#include "deepseek/Driver/Compiler.h"
#include "deepseek/Driver/ToolSupport.h"
#include "deepseek/Import/ONNX/ModelLoader.h"
#include "deepseek/Import/ONNX/ONNXImporter.h"
#include "deepseek/Optimize/Pruning.h"
#include "deepseek/Optimize/Quantization.h"

#include "mlir/Bytecode/BytecodeWriter.h"
#include "mlir/IR/MLIRContext.h"
#include "onnx/checker.h"
#include "llvm/Support/FileSystem.h"
#include "llvm/Support/FileUtilities.h"
#include "llvm/Support/Format.h"
#include "llvm/Support/Path.h"
#include "llvm/Support/Process.h"
#include "llvm/Support/raw_ostream.h"

#include <CLI/CLI.hpp>

#include <algorithm>
#include <set>

using namespace deepseek::optimize;

namespace {

int fail(const std::string &message, int code = 1) {
  llvm::errs() << "deepseek-optimize: error: " << message << "\n";
  return code;
}

std::string lower(std::string s) {
  std::transform(s.begin(), s.end(), s.begin(), [](unsigned char c) { return std::tolower(c); });
  return s;
}

int64_t fileSize(const std::string &path) {
  uint64_t size = 0;
  return llvm::sys::fs::file_size(path, size) ? -1 : static_cast<int64_t>(size);
}

/// Progress on a terminal: one line rewritten in place.
void showProgress(const char *what, size_t done, size_t total) {
  if (!llvm::sys::Process::StandardErrIsDisplayed())
    return;
  llvm::errs() << "\r" << what << " " << done << "/" << total << (done == total ? "\n" : "");
  llvm::errs().flush();
}

llvm::Error writeModel(const onnx::ModelProto &model, const std::string &output,
                       const std::string &ext) {
  if (ext == ".onnx")
    return llvm::writeToOutput(output, [&](llvm::raw_ostream &os) -> llvm::Error {
      std::string bytes;
      if (!model.SerializeToString(&bytes))
        return llvm::createStringError(llvm::inconvertibleErrorCode(),
                                       "cannot serialize the model");
      os << bytes;
      return llvm::Error::success();
    });
  // ds IR: the rewritten model imported as deepseek-compile would.
  mlir::MLIRContext context;
  mlir::ds::registerCompilerDialects(context);
  std::string diagnostics;
  mlir::ScopedDiagnosticHandler handler(&context, [&](mlir::Diagnostic &diag) {
    diagnostics += "  " + deepseek::onnx_import::describeLocation(diag.getLocation()) + ": " +
                   diag.str() + "\n";
    return mlir::success();
  });
  auto copy = std::make_shared<onnx::ModelProto>(model);
  mlir::OwningOpRef<mlir::ModuleOp> module =
      deepseek::onnx_import::importONNXModel(context, copy, output, {});
  if (!module)
    return llvm::createStringError(llvm::inconvertibleErrorCode(),
                                   "cannot import the rewritten model:\n" + diagnostics);
  return llvm::writeToOutput(output, [&](llvm::raw_ostream &os) -> llvm::Error {
    if (ext == ".mlirbc" || ext == ".pt") {
      if (mlir::failed(mlir::writeBytecodeToFile(*module, os)))
        return llvm::createStringError(llvm::inconvertibleErrorCode(), "cannot write bytecode");
    } else {
      module->print(os);
    }
    return llvm::Error::success();
  });
}

} // namespace

int main(int argc, char **argv) {
  CLI::App app{"deepseek-optimize: prune and quantize an ONNX model (structured channel "
               "pruning; INT8 static or dynamic, FP16)"};
  std::string input, output, quantize = "NONE", calibration, method = "minmax", target = "x86_64",
                             reportPath;
  double percentile = 99.999, pruneRatio = 0;
  std::string pruneCriterion = "l1", maskPath;
  int64_t pruneGranularity = 8;
  std::vector<std::string> pruneSkip;
  int latencyRuns = 10;
  bool noCompensation = false;
  bool dynamic = false, perTensor = false;
  int threads = 0;
  size_t evalSamples = 32;
  std::vector<std::string> inputShapes;
  app.add_option("--model", input, "the model to optimize: ONNX or TorchScript (.pt)")
      ->required();
  app.add_option("--output", output,
                 "where to write it: .onnx, .mlir, .mlirbc, or .pt (ds IR bytecode)")
      ->required();
  app.add_option("--input-shape", inputShapes,
                 "an input's shape, NAME=DIMS or DIMS by position (TorchScript models "
                 "record none), e.g. 1x3x224x224");
  app.add_option("--quantize", quantize, "INT8 | FP16 | NONE")->capture_default_str();
  app.add_option("--calibration", calibration,
                 "calibration data for static INT8: a folder of .npy/.pb tensors or .jpg/.png "
                 "images (one per sample), a folder of per-sample folders, or a list file");
  std::string mean, stdDev, layout;
  app.add_option("--mean", mean, "image samples: per-channel mean subtracted from pixels "
                                 "scaled to [0, 1], as the executables' --mean (default "
                                 "ImageNet's 0.485,0.456,0.406)");
  app.add_option("--std", stdDev, "image samples: per-channel divisor (default "
                                  "0.229,0.224,0.225)");
  app.add_option("--layout", layout, "image samples: the input as NCHW (default) or NHWC");
  app.add_option("--calib-method", method, "minmax | percentile | entropy")
      ->capture_default_str();
  app.add_option("--percentile", percentile, "for --calib-method percentile: the |x| "
                                             "percentile kept")
      ->capture_default_str();
  app.add_flag("--dynamic", dynamic, "INT8 with activation ranges computed at run time");
  app.add_flag("--per-tensor", perTensor, "one scale per weight tensor (default: per channel)");
  app.add_option("--target", target, "x86_64 (u8 activations, for VNNI) | armv8 (s8)")
      ->capture_default_str();
  app.add_option("--report", reportPath, "write what was done as JSON");
  app.add_option("--threads", threads, "threads for calibration runs (0 = all cores)");
  app.add_option("--eval-samples", evalSamples,
                 "calibration samples the rewritten model is compared on (0 = none)")
      ->capture_default_str();
  app.add_option("--prune_ratio,--prune-ratio", pruneRatio,
                 "remove this fraction of the output channels of prunable Conv/Gemm/MatMul "
                 "layers (0 <= R < 1)");
  app.add_option("--prune-criterion", pruneCriterion,
                 "rank channels by the l1 or l2 norm of their weights")
      ->capture_default_str();
  app.add_option("--prune-granularity", pruneGranularity,
                 "kept channel counts are multiples of this")
      ->capture_default_str();
  app.add_option("--prune-skip", pruneSkip, "node names whose output channels stay")
      ->delimiter(',');
  app.add_flag("--no-prune-compensation", noCompensation,
               "with --calibration, do not fold removed channels' mean activations into "
               "the next layers' biases");
  app.add_option("--export-mask", maskPath,
                 "write the kept channels of every pruned initializer as JSON");
  app.add_option("--latency-runs", latencyRuns,
                 "timed runs of the original and the pruned model (0 = do not time)")
      ->capture_default_str();
  try {
    app.parse(argc, argv);
  } catch (const CLI::ParseError &e) {
    return app.exit(e);
  }
  quantize = lower(quantize);
  if (quantize != "int8" && quantize != "fp16" && quantize != "none")
    return fail("--quantize " + quantize + ": expected INT8, FP16 or NONE", 2);
  CalibrationMethod calibMethod;
  if (method == "minmax")
    calibMethod = CalibrationMethod::MinMax;
  else if (method == "percentile")
    calibMethod = CalibrationMethod::Percentile;
  else if (method == "entropy")
    calibMethod = CalibrationMethod::Entropy;
  else
    return fail("--calib-method " + method + ": expected minmax, percentile or entropy", 2);
  if (target != "x86_64" && target != "armv8")
    return fail("--target " + target + ": expected x86_64 or armv8", 2);
  mlir::ds::ImagePreprocess imageFlags;
  std::string imageError;
  if (!mlir::ds::parseImageFlags(mean, stdDev, layout, imageFlags, imageError))
    return fail(imageError, 2);
  // How image samples become tensors: what an executable compiled with the
  // same flags does with the same image.
  dsrt_image_preprocess image{};
  for (int c = 0; c < 3; ++c) {
    image.mean[c] = imageFlags.mean[c];
    image.std[c] = imageFlags.std[c];
  }
  image.layout = imageFlags.nhwc ? DSRT_LAYOUT_NHWC : DSRT_LAYOUT_NCHW;
  if (!(pruneRatio >= 0 && pruneRatio < 1))
    return fail("--prune_ratio " + std::to_string(pruneRatio) + ": expected 0 <= R < 1", 2);
  if (pruneCriterion != "l1" && pruneCriterion != "l2")
    return fail("--prune-criterion " + pruneCriterion + ": expected l1 or l2", 2);
  if (pruneGranularity < 1)
    return fail("--prune-granularity must be at least 1", 2);
  bool prune = pruneRatio > 0;
  if (!maskPath.empty() && !prune)
    return fail("--export-mask needs --prune_ratio", 2);
  // The seed's command names files without extensions: `--model mobilenet_v3
  // --output optimized` reads mobilenet_v3.onnx and writes optimized.onnx.
  if (!llvm::sys::fs::exists(input) && llvm::sys::path::extension(input).empty() &&
      llvm::sys::fs::exists(input + ".onnx"))
    input += ".onnx";
  std::string ext = lower(llvm::sys::path::extension(output).str());
  if (ext.empty()) {
    output += ".onnx";
    ext = ".onnx";
  }
  if (ext != ".onnx" && ext != ".mlir" && ext != ".mlirbc" && ext != ".pt")
    return fail("--output " + output + ": the extension must be .onnx, .mlir, .mlirbc or .pt",
                2);
  deepseek::onnx_import::ImportOptions importOptions;
  std::string shapeError;
  if (!mlir::ds::parseImportFlags(inputShapes, {}, importOptions, shapeError))
    return fail(shapeError, 2);
  if (!llvm::sys::fs::exists(input))
    return fail(input + ": no such file", 2);
  if (llvm::sys::fs::equivalent(input, output))
    return fail("--output is the input model; write to another file", 2);

  try {
    llvm::Expected<std::shared_ptr<onnx::ModelProto>> loaded =
        deepseek::onnx_import::readModel(input, importOptions);
    if (!loaded)
      return fail(llvm::toString(loaded.takeError()));
    onnx::ModelProto &model = **loaded;
    if (llvm::Error e = deepseek::onnx_import::normalizeModel(model, input, {}))
      return fail(llvm::toString(std::move(e)));
    const onnx::ModelProto original = model;
    initializersFromConstantNodes(*model.mutable_graph());

    QuantizeOptions options;
    options.perTensor = perTensor;
    options.signedActivations = target == "armv8";
    options.method = calibMethod;
    options.percentile = percentile;
    QuantizationReport report;
    std::vector<Sample> samples;
    if (!calibration.empty()) {
      size_t inputs = 0;
      std::set<std::string> initializers;
      for (const onnx::TensorProto &t : model.graph().initializer())
        initializers.insert(t.name());
      for (const onnx::ValueInfoProto &v : model.graph().input())
        inputs += !initializers.count(v.name());
      llvm::Expected<std::vector<Sample>> read = readCalibrationSamples(calibration, inputs);
      if (!read)
        return fail(llvm::toString(read.takeError()), 2);
      samples = std::move(*read);
    }
    PruningReport pruning;
    if (prune) {
      PruneOptions pruneOptions;
      pruneOptions.ratio = pruneRatio;
      pruneOptions.l2 = pruneCriterion == "l2";
      pruneOptions.granularity = pruneGranularity;
      pruneOptions.skip = pruneSkip;
      std::map<std::string, TensorStats> means;
      if (!samples.empty() && !noCompensation) {
        CalibrationOptions meanOptions;
        meanOptions.threads = threads;
        meanOptions.image = image;
        meanOptions.progress = [](size_t done, size_t total) {
          showProgress("measuring channel means", done, total);
        };
        auto measured =
            calibrate(model, input, compensationInputs(model), samples, meanOptions);
        if (!measured)
          return fail(llvm::toString(measured.takeError()));
        means = std::move(*measured);
        pruneOptions.activationStats = &means;
      }
      if (llvm::Error e = pruneChannels(model, input, pruneOptions, pruning))
        return fail(input + ": " + llvm::toString(std::move(e)));
    }

    if (quantize == "int8" && !dynamic && samples.empty()) {
      llvm::errs() << "deepseek-optimize: note: INT8 without --calibration is dynamic "
                      "quantization (activation ranges computed at run time); static "
                      "quantization with --calibration DATA gives faster and usually more "
                      "accurate models\n";
      dynamic = true;
    }

    if (quantize == "int8") {
      if (int folded = foldBatchNormsIntoConvs(model))
        report.notes.push_back(std::to_string(folded) +
                               " BatchNormalization folded into the Conv before it");
    }
    if (quantize == "int8" && dynamic) {
      if (llvm::Error e = quantizeDynamic(model, options, report))
        return fail(input + ": " + llvm::toString(std::move(e)));
    } else if (quantize == "int8") {
      CalibrationOptions calibOptions;
      calibOptions.method = calibMethod;
      calibOptions.threads = threads;
      calibOptions.image = image;
      calibOptions.progress = [](size_t done, size_t total) {
        showProgress("calibrating", done, total);
      };
      std::vector<std::string> tensors = activationsToQuantize(model);
      auto stats = calibrate(model, input, tensors, samples, calibOptions);
      if (!stats)
        return fail(llvm::toString(stats.takeError()));
      if (llvm::Error e = quantizeStatic(model, *stats, options, report))
        return fail(input + ": " + llvm::toString(std::move(e)));
    } else if (quantize == "fp16") {
      if (llvm::Error e = convertWeightsToFP16(model, report))
        return fail(input + ": " + llvm::toString(std::move(e)));
    } else {
      report.mode = "none";
    }
    declareInitializersAsInputs(model);
    onnx::checker::check_model(model);

    // How closely the rewritten model follows the original (and, pruned,
    // how much faster it is). Without calibration data a pruned model is
    // compared on generated inputs.
    std::optional<Fidelity> fidelity;
    std::vector<Sample> evaluated(samples.begin(),
                                  samples.begin() + std::min(samples.size(), evalSamples));
    std::string generatedFolder;
    if (prune && evaluated.empty() && evalSamples > 0) {
      llvm::SmallString<128> folder;
      if (std::error_code ec = llvm::sys::fs::createUniqueDirectory("deepseek-optimize", folder))
        return fail("cannot create a temporary folder: " + ec.message());
      generatedFolder = folder.str().str();
      for (unsigned i = 0; i < std::min<size_t>(evalSamples, 8); ++i) {
        llvm::SmallString<128> sampleFolder(folder);
        llvm::sys::path::append(sampleFolder, std::to_string(i));
        llvm::sys::fs::create_directory(sampleFolder);
        auto sample = generateSample(original, sampleFolder.str().str(), 1234 + i);
        if (!sample) {
          llvm::errs() << "deepseek-optimize: note: not comparing with the original: "
                       << llvm::toString(sample.takeError()) << "\n";
          evaluated.clear();
          llvm::sys::fs::remove_directories(generatedFolder);
          generatedFolder.clear();
          break;
        }
        evaluated.push_back(*sample);
      }
    }
    if ((quantize != "none" || prune) && !evaluated.empty()) {
      auto compared = compareModels(original, model, input, evaluated, threads,
                                    prune ? latencyRuns : 0, image);
      if (!generatedFolder.empty())
        llvm::sys::fs::remove_directories(generatedFolder);
      // The comparison only informs the summary: when it cannot run (a
      // generated input that does not fit, say), the rewrite still stands.
      if (compared)
        fidelity = *compared;
      else if (generatedFolder.empty())
        return fail(llvm::toString(compared.takeError()));
      else
        llvm::errs() << "deepseek-optimize: note: not compared with the original on "
                        "generated inputs: "
                     << llvm::toString(compared.takeError()) << "\n";
    }
    std::optional<ModelCost> costBefore, costAfter;
    if (prune) {
      auto before = measureCost(original, input);
      auto after = measureCost(model, input);
      if (!before || !after)
        return fail(input + ": " +
                    llvm::toString(before ? after.takeError() : before.takeError()));
      costBefore = *before;
      costAfter = *after;
    }

    if (llvm::Error e = writeModel(model, output, ext))
      return fail(output + ": " + llvm::toString(std::move(e)));

    int64_t weightsBefore = initializerBytes(original), weightsAfter = initializerBytes(model);
    int64_t fileBefore = fileSize(input), fileAfter = fileSize(output);
    llvm::outs() << "deepseek-optimize: " << input << " -> " << output << " (" << report.mode
                 << ")\n";
    if (ext == ".pt")
      llvm::outs() << "  note: " << output
                   << " holds deepseek's ds IR as MLIR bytecode, not TorchScript (an optimized "
                      "model cannot be TorchScript); deepseek-compile, deepseek-run and "
                      "deepseek-cross-compile read it\n";
    auto fewer = [](double before, double after) {
      return before > 0 ? 100.0 * (1.0 - after / before) : 0.0;
    };
    if (prune) {
      llvm::outs() << llvm::format(
          "  pruned: %lld of %lld channel groups, %lld -> %lld channels (ratio %.2f, %s, "
          "granularity %lld)\n",
          (long long)pruning.prunedGroups, (long long)pruning.groups,
          (long long)pruning.channelsBefore, (long long)pruning.channelsAfter, pruneRatio,
          pruneCriterion.c_str(), (long long)pruneGranularity);
      if (pruning.compensated || pruning.uncompensated)
        llvm::outs() << "  removed channels' mean activations folded into " << pruning.compensated
                     << " layers' biases (" << pruning.uncompensated
                     << " without a bias initializer left as they are)\n";
      llvm::outs() << llvm::format("  parameters: %lld -> %lld (%.1f%% fewer)\n",
                                   (long long)costBefore->parameters,
                                   (long long)costAfter->parameters,
                                   fewer(costBefore->parameters, costAfter->parameters));
      llvm::outs() << llvm::format("  FLOPs: %.3f G -> %.3f G (%.1f%% fewer)\n",
                                   costBefore->flops * 1e-9, costAfter->flops * 1e-9,
                                   fewer(costBefore->flops, costAfter->flops));
      if (fidelity && fidelity->originalMs > 0)
        llvm::outs() << llvm::format(
            "  latency: %.2f ms -> %.2f ms (%.1f%% lower; median of %d runs, deepseek JIT on "
            "this machine)\n",
            fidelity->originalMs, fidelity->rewrittenMs,
            fewer(fidelity->originalMs, fidelity->rewrittenMs), latencyRuns);
    }
    if (quantize != "none")
      llvm::outs() << "  quantized: " << report.quantizedOps
                   << (quantize == "fp16" ? " weight tensors" : " ops") << "\n";
    llvm::outs() << llvm::format("  weights: %lld -> %lld bytes (%.1f%% smaller)\n",
                                 (long long)weightsBefore, (long long)weightsAfter,
                                 100.0 * (1.0 - double(weightsAfter) / double(weightsBefore)));
    if (ext == ".onnx")
      llvm::outs() << llvm::format("  file: %lld -> %lld bytes (%.1f%% smaller)\n",
                                   (long long)fileBefore, (long long)fileAfter,
                                   100.0 * (1.0 - double(fileAfter) / double(fileBefore)));
    for (const auto &[node, why] : report.keptFloat)
      llvm::outs() << "  kept float: " << node << ": " << why << "\n";
    for (const std::string &note : report.notes)
      llvm::outs() << "  note: " << note << "\n";
    if (fidelity) {
      llvm::outs() << llvm::format("  vs original on %zu %s: cosine mean %.5f "
                                   "min %.5f, max|diff| %.4g",
                                   fidelity->samples,
                                   generatedFolder.empty() ? "calibration samples"
                                                           : "generated inputs",
                                   fidelity->meanCosine, fidelity->minCosine,
                                   fidelity->maxAbsDiff);
      if (fidelity->rows)
        llvm::outs() << llvm::format(", top-1 agreement %.2f%%",
                                     100.0 * fidelity->top1Agree / fidelity->rows);
      llvm::outs() << "\n";
    }

    if (!maskPath.empty()) {
      llvm::json::Object mask{{"model", input},
                              {"ratio", pruneRatio},
                              {"initializers", std::move(pruning.mask)}};
      if (llvm::Error e = llvm::writeToOutput(maskPath, [&](llvm::raw_ostream &os) {
            os << llvm::formatv("{0:2}", llvm::json::Value(std::move(mask))) << "\n";
            return llvm::Error::success();
          }))
        return fail(maskPath + ": " + llvm::toString(std::move(e)));
    }
    if (!reportPath.empty()) {
      llvm::json::Array kept, notes;
      for (const auto &[node, why] : report.keptFloat)
        kept.push_back(llvm::json::Object{{"node", node}, {"why", why}});
      for (const std::string &note : report.notes)
        notes.push_back(note);
      llvm::json::Object json{
          {"model", input},
          {"output", output},
          {"mode", report.mode},
          {"calibration",
           samples.empty() ? llvm::json::Value(nullptr)
                           : llvm::json::Value(llvm::json::Object{
                                 {"data", calibration},
                                 {"samples", static_cast<int64_t>(samples.size())},
                                 {"method", method}})},
          {"quantized_ops", report.quantizedOps},
          {"weight_bytes", llvm::json::Object{{"before", weightsBefore},
                                              {"after", weightsAfter}}},
          {"file_bytes", llvm::json::Object{{"before", fileBefore}, {"after", fileAfter}}},
          {"activations", std::move(report.activations)},
          {"weights", std::move(report.weights)},
          {"kept_float", std::move(kept)},
          {"notes", std::move(notes)}};
      if (prune) {
        json["pruning"] = llvm::json::Object{
            {"ratio", pruneRatio},
            {"criterion", pruneCriterion},
            {"granularity", pruneGranularity},
            {"groups", pruning.groups},
            {"compensated_layers", pruning.compensated},
            {"pruned_groups", pruning.prunedGroups},
            {"channels", llvm::json::Object{{"before", pruning.channelsBefore},
                                            {"after", pruning.channelsAfter}}},
            {"group_list", std::move(pruning.groupList)}};
        json["parameters"] = llvm::json::Object{{"before", costBefore->parameters},
                                                {"after", costAfter->parameters}};
        json["flops"] =
            llvm::json::Object{{"before", costBefore->flops}, {"after", costAfter->flops}};
        if (fidelity && fidelity->originalMs > 0)
          json["latency_ms"] = llvm::json::Object{{"before", fidelity->originalMs},
                                                  {"after", fidelity->rewrittenMs},
                                                  {"runs", latencyRuns},
                                                  {"threads", threads}};
      }
      if (fidelity)
        json["fidelity"] = llvm::json::Object{
            {"samples", static_cast<int64_t>(fidelity->samples)},
            {"cosine_mean", fidelity->meanCosine},
            {"cosine_min", fidelity->minCosine},
            {"max_abs_diff", fidelity->maxAbsDiff},
            {"top1_agreement", fidelity->rows ? llvm::json::Value(double(fidelity->top1Agree) /
                                                                  double(fidelity->rows))
                                              : llvm::json::Value(nullptr)}};
      if (llvm::Error e = llvm::writeToOutput(reportPath, [&](llvm::raw_ostream &os) {
            os << llvm::formatv("{0:2}", llvm::json::Value(std::move(json))) << "\n";
            return llvm::Error::success();
          }))
        return fail(reportPath + ": " + llvm::toString(std::move(e)));
    }
  } catch (const std::exception &e) {
    return fail(input + ": ONNX library error: " + e.what());
  }
  return 0;
}
