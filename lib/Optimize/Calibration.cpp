//===- Calibration.cpp - activation statistics from running the FP32 model ===//
//
// The model is compiled in memory by deepseek itself (the same pipeline and
// runtime as deepseek-run), with every tensor to calibrate added as a graph
// output, and run on each sample. No other runtime is involved.
//
//===----------------------------------------------------------------------===//

#include "deepseek/Optimize/Quantization.h"

#include "InMemoryModel.h"

#include "llvm/ADT/StringExtras.h"
#include "llvm/Support/FileSystem.h"
#include "llvm/Support/MemoryBuffer.h"
#include "llvm/Support/Path.h"

#include <algorithm>
#include <cmath>
#include <memory>
#include <set>

namespace deepseek::optimize {
namespace {

/// A sample file: a tensor (.npy, .pb) or an image the runtime decodes.
bool isTensorFile(llvm::StringRef path) {
  std::string lower = path.lower();
  return llvm::StringRef(lower).ends_with(".npy") || llvm::StringRef(lower).ends_with(".pb") ||
         dsrt_is_image_path(path.str().c_str());
}

/// The entries of |dir|, sorted by name.
std::vector<std::string> listDirectory(const std::string &dir) {
  std::vector<std::string> entries;
  std::error_code ec;
  for (llvm::sys::fs::directory_iterator it(dir, ec), end; it != end && !ec; it.increment(ec))
    entries.push_back(it->path());
  std::sort(entries.begin(), entries.end());
  return entries;
}

constexpr size_t kHistogramBins = 2048;

/// Adds what |t| (f32) holds to |stats|: the range on the first pass, the
/// |x| histogram over [0, absMax] on the second.
void accumulate(TensorStats &stats, const dsrt_host_tensor &t, bool histogram) {
  const float *data = static_cast<const float *>(t.data);
  size_t n = dsrt_tensor_numel(&t);
  if (!histogram) {
    if (t.rank >= 2 && t.dims[1] > 0) {
      size_t channels = t.dims[1], inner = 1;
      for (int d = 2; d < t.rank; ++d)
        inner *= t.dims[d];
      if (stats.channelSums.empty())
        stats.channelSums.assign(channels, 0.0);
      if (stats.channelSums.size() == channels) {
        for (size_t i = 0; i < n; ++i)
          if (std::isfinite(data[i]))
            stats.channelSums[(i / inner) % channels] += data[i];
        stats.perChannel += static_cast<double>(n / channels);
      }
    }
    for (size_t i = 0; i < n; ++i) {
      float v = data[i];
      if (!std::isfinite(v))
        continue;
      if (!stats.seen) {
        stats.min = stats.max = v;
        stats.seen = true;
      }
      stats.min = std::min(stats.min, v);
      stats.max = std::max(stats.max, v);
    }
    return;
  }
  float absMax = stats.absMax();
  if (stats.absHistogram.empty())
    stats.absHistogram.assign(kHistogramBins, 0.0);
  if (!(absMax > 0))
    return;
  float perBin = static_cast<float>(kHistogramBins) / absMax;
  for (size_t i = 0; i < n; ++i) {
    float v = std::fabs(data[i]);
    if (!std::isfinite(v))
      continue;
    size_t bin = std::min(kHistogramBins - 1, static_cast<size_t>(v * perBin));
    stats.absHistogram[bin] += 1;
  }
}

} // namespace

llvm::Expected<std::vector<Sample>> readCalibrationSamples(const std::string &data,
                                                           size_t numInputs) {
  std::vector<Sample> samples;
  if (!llvm::sys::fs::exists(data))
    return optimizeError(data + ": no such file or folder (--calibration)");
  if (isTensorFile(data) && !llvm::sys::fs::is_directory(data)) {
    samples.push_back({data}); // one sample of a one-input model
  } else if (llvm::sys::fs::is_directory(data)) {
    for (const std::string &entry : listDirectory(data)) {
      if (llvm::sys::fs::is_directory(entry)) {
        Sample sample;
        for (const std::string &file : listDirectory(entry))
          if (isTensorFile(file))
            sample.push_back(file);
        samples.push_back(std::move(sample));
      } else if (isTensorFile(entry)) {
        samples.push_back({entry});
      }
    }
  } else {
    auto buffer = llvm::MemoryBuffer::getFile(data);
    if (!buffer)
      return optimizeError(data + ": " + buffer.getError().message());
    llvm::SmallVector<llvm::StringRef> lines;
    (*buffer)->getBuffer().split(lines, '\n', -1, false);
    llvm::SmallString<256> base = llvm::sys::path::parent_path(data);
    for (llvm::StringRef line : lines) {
      line = line.trim();
      if (line.empty() || line.starts_with("#"))
        continue;
      llvm::SmallVector<llvm::StringRef> files;
      line.split(files, ',', -1, false);
      Sample sample;
      for (llvm::StringRef file : files) {
        llvm::SmallString<256> path = file.trim();
        if (llvm::sys::path::is_relative(path)) {
          llvm::SmallString<256> joined = base;
          llvm::sys::path::append(joined, path);
          path = joined;
        }
        sample.push_back(std::string(path));
      }
      samples.push_back(std::move(sample));
    }
  }
  if (samples.empty())
    return optimizeError(data +
                         ": no calibration samples (.npy/.pb tensors or .jpg/.png images) found");
  for (const Sample &sample : samples)
    if (sample.size() != numInputs)
      return optimizeError(data + ": a sample has " + llvm::Twine(sample.size()) +
                  " tensor files but the model has " + llvm::Twine(numInputs) +
                  " inputs (first file: " + (sample.empty() ? "none" : sample.front()) + ")");
  return samples;
}

llvm::Expected<std::map<std::string, TensorStats>>
calibrate(const onnx::ModelProto &model, const std::string &path,
          const std::vector<std::string> &tensors, const std::vector<Sample> &samples,
          const CalibrationOptions &options) {
  // The model with each tensor to calibrate as an extra graph output.
  auto augmented = std::make_shared<onnx::ModelProto>(model);
  onnx::GraphProto &graph = *augmented->mutable_graph();
  std::set<std::string> outputs;
  for (const onnx::ValueInfoProto &v : graph.output())
    outputs.insert(v.name());
  std::map<std::string, const onnx::ValueInfoProto *> infos;
  for (const auto *list : {&graph.value_info(), &graph.input()})
    for (const onnx::ValueInfoProto &v : *list)
      infos[v.name()] = &v;
  for (const std::string &name : tensors) {
    if (outputs.count(name))
      continue;
    auto it = infos.find(name);
    if (it == infos.end())
      return optimizeError(path + ": tensor '" + name + "' has no type after shape inference");
    if (it->second->type().tensor_type().elem_type() != onnx::TensorProto::FLOAT)
      continue;
    *graph.add_output() = *it->second;
    outputs.insert(name);
  }

  llvm::Expected<std::unique_ptr<InMemoryModel>> compiled =
      InMemoryModel::compile(*augmented, path, samples.front(), "calibration", options.image);
  if (!compiled)
    return compiled.takeError();
  const dsrt_model_desc *desc = (*compiled)->descriptor();

  std::map<std::string, TensorStats> stats;
  bool histograms = options.method != CalibrationMethod::MinMax;
  size_t passes = histograms ? 2 : 1, done = 0;
  for (size_t pass = 0; pass < passes; ++pass) {
    for (const Sample &sample : samples) {
      Tensors out;
      if (llvm::Error error = (*compiled)->run(sample, options.threads, out))
        return std::move(error);
      for (uint32_t i = 0; i < desc->num_outputs; ++i)
        if (out.list[i].dtype == DSRT_FLOAT32)
          accumulate(stats[desc->outputs[i].name], out.list[i], pass == 1);
      if (options.progress)
        options.progress(++done, passes * samples.size());
    }
  }
  return stats;
}

} // namespace deepseek::optimize
