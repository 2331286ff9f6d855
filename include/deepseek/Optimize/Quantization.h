//===- Quantization.h - deepseek-optimize's model rewrites ---------*- C++ -*-===//
//
// deepseek-optimize rewrites ONNX models, so that what it writes is a standard
// model any runtime can check (ONNX Runtime runs it in the tests) and
// deepseek-compile imports like any other:
//   - static INT8: QuantizeLinear/DequantizeLinear pairs (QDQ format) on the
//     activations of quantizable ops, ranges from calibration; weights stored
//     as per-channel symmetric int8, biases as int32;
//   - dynamic INT8: DynamicQuantizeLinear + MatMulInteger/ConvInteger, the
//     activation's range computed at run time;
//   - FP16: float weights stored as float16 and cast back.
// The rewrites work on a model normalized by the importer (opset 17, every
// value typed by shape inference).
//
//===----------------------------------------------------------------------===//
#ifndef DEEPSEEK_OPTIMIZE_QUANTIZATION_H
#define DEEPSEEK_OPTIMIZE_QUANTIZATION_H

#include "dsrt/dsrt_io.h"
#include "onnx/onnx_pb.h"
#include "llvm/Support/Error.h"
#include "llvm/Support/JSON.h"

#include <cstdint>
#include <functional>
#include <map>
#include <string>
#include <vector>

namespace deepseek::optimize {

//===----------------------------------------------------------------------===//
// Calibration
//===----------------------------------------------------------------------===//

enum class CalibrationMethod { MinMax, Percentile, Entropy };

/// What calibration saw of one tensor over all samples.
struct TensorStats {
  float min = 0, max = 0;
  bool seen = false;
  /// Counts of |x| over [0, absMax] in equal bins (second pass; for the
  /// percentile and entropy methods).
  std::vector<double> absHistogram;
  /// Sums of the values per index of dimension 1 (the channels of NCHW, the
  /// columns of a matrix) and the values summed into each (first pass):
  /// channel pruning folds a removed channel's mean into the next bias.
  std::vector<double> channelSums;
  double perChannel = 0;
  float absMax() const { return std::max(-min, max); }
  double channelMean(size_t c) const {
    return perChannel > 0 && c < channelSums.size() ? channelSums[c] / perChannel : 0.0;
  }
};

/// One calibration sample: a tensor file (.npy or .pb) per model input, in
/// the model's input order.
using Sample = std::vector<std::string>;

/// Reads DATA as deepseek-optimize --calibration takes it: one tensor file
/// (one sample of a one-input model), a folder of
/// tensor files (one sample each, for a model of one input; sorted by name),
/// a folder of folders (one per sample, one file per input, sorted), or a
/// text file listing one sample per line (files separated by commas).
llvm::Expected<std::vector<Sample>> readCalibrationSamples(const std::string &data,
                                                           size_t numInputs);

struct CalibrationOptions {
  CalibrationMethod method = CalibrationMethod::MinMax;
  int threads = 0;
  /// How .jpg/.png samples become input tensors (the executables' flags).
  dsrt_image_preprocess image = dsrt_imagenet_preprocess;
  /// Called after each model run: (runs done, runs in all).
  std::function<void(size_t, size_t)> progress;
};

/// Runs the FP32 |model| (compiled in memory for this machine) on every
/// sample and returns the statistics of |tensors| (names of values in the
/// graph). The percentile and entropy methods run the samples twice (ranges,
/// then histograms).
llvm::Expected<std::map<std::string, TensorStats>>
calibrate(const onnx::ModelProto &model, const std::string &path,
          const std::vector<std::string> &tensors, const std::vector<Sample> &samples,
          const CalibrationOptions &options);

/// The range [lo, hi] to quantize a tensor over, from its statistics: the
/// observed extremes (minmax), the |x| below which |percentile| percent of the
/// values fall (percentile), or the clipping threshold that minimizes the KL
/// divergence between the histogram and its quantized form (entropy, as
/// TensorRT calibrates). Always contains 0.
std::pair<float, float> selectRange(const TensorStats &stats, CalibrationMethod method,
                                    double percentile = 99.999);

//===----------------------------------------------------------------------===//
// Rewrites
//===----------------------------------------------------------------------===//

struct QuantizeOptions {
  /// One scale per weight tensor instead of one per output channel.
  bool perTensor = false;
  /// Activations as asymmetric uint8 (x86-64: VNNI multiplies u8 by s8) or
  /// symmetric int8 (armv8: sdot multiplies s8 by s8).
  bool signedActivations = false;
  CalibrationMethod method = CalibrationMethod::MinMax;
  double percentile = 99.999;
};

/// What a rewrite did, for the summary and --report.
struct QuantizationReport {
  std::string mode;
  int64_t quantizedOps = 0;
  /// Ops that could have been quantized but stayed FP32, with the reason.
  std::vector<std::pair<std::string, std::string>> keptFloat; // (node, why)
  /// Per activation: range and parameters; per weight: channels and scale span.
  llvm::json::Array activations, weights;
  std::vector<std::string> notes;
};

/// The activations static quantization puts QDQ pairs on (and calibration
/// must measure): inputs of Conv, Gemm, MatMul, Add, pools and Concat, and
/// the outputs of Conv/Gemm/MatMul/Add (after a Relu or Clip that follows
/// alone). Graph outputs stay float.
std::vector<std::string> activationsToQuantize(const onnx::ModelProto &model);

/// Constant nodes (with a `value` tensor) and Identity nodes reading an
/// initializer become initializers named as their output: exporters write
/// folded and shared weights that way (torch.onnx reads a shared bias through
/// an Identity per user), and the rewrites look for weights among the
/// initializers. Returns how many nodes were replaced.
int initializersFromConstantNodes(onnx::GraphProto &graph);

/// Models of IR version 3 and older must list every initializer among the
/// graph inputs: adds the ones the rewrites created (with their type and
/// shape) and updates the shapes of the listed ones. Newer models: nothing.
void declareInitializersAsInputs(onnx::ModelProto &model);

/// Folds each BatchNormalization that alone follows a Conv with constant
/// weights into the Conv's weights and bias (what ONNX Runtime's quantization
/// pre-processing does): quantizing the Conv's output before a BatchNorm
/// would quantize a tensor the fused kernel never writes. Returns how many.
int foldBatchNormsIntoConvs(onnx::ModelProto &model);

/// Static INT8 in QDQ format from calibrated |stats|.
llvm::Error quantizeStatic(onnx::ModelProto &model,
                           const std::map<std::string, TensorStats> &stats,
                           const QuantizeOptions &options, QuantizationReport &report);

/// Dynamic INT8: MatMul and Conv with constant weights become
/// DynamicQuantizeLinear + MatMulInteger/ConvInteger + a float rescale.
llvm::Error quantizeDynamic(onnx::ModelProto &model, const QuantizeOptions &options,
                            QuantizationReport &report);

/// Float initializers of more than 16 elements stored as float16, each
/// followed by a Cast back to float.
llvm::Error convertWeightsToFP16(onnx::ModelProto &model, QuantizationReport &report);

/// How closely a rewritten model follows the original on some samples
/// (first output): the cosine similarity of the two outputs (mean and
/// worst sample), the largest difference, and for outputs that are class
/// scores [N, C] how often the top-1 classes agree (and, with labels, the
/// accuracy of each).
struct Fidelity {
  size_t samples = 0;
  double meanCosine = 0, minCosine = 1, maxAbsDiff = 0;
  size_t rows = 0, top1Agree = 0;
  /// With latency runs: the median milliseconds of each model on the first
  /// sample (same process, same threads, alternating order not needed: the
  /// runs are back to back).
  double originalMs = 0, rewrittenMs = 0;
};

/// Runs |original| and |rewritten| on each of |samples| (compiled in memory);
/// with |latencyRuns| > 0 also times both on the first sample.
llvm::Expected<Fidelity> compareModels(const onnx::ModelProto &original,
                                       const onnx::ModelProto &rewritten,
                                       const std::string &path,
                                       const std::vector<Sample> &samples, int threads,
                                       int latencyRuns = 0,
                                       const dsrt_image_preprocess &image =
                                           dsrt_imagenet_preprocess);

/// Bytes of the model's initializers (the weights).
int64_t initializerBytes(const onnx::ModelProto &model);

} // namespace deepseek::optimize

#endif // DEEPSEEK_OPTIMIZE_QUANTIZATION_H
