//===- RangeSelection.cpp - a tensor's quantization range from its statistics ===//
//
// minmax keeps every observed value representable, at the price of
// resolution when a few outliers stretch the range; percentile clips the
// rarest magnitudes; entropy picks the clipping threshold whose quantized
// histogram loses the least information (KL divergence), the method TensorRT
// introduced for INT8 calibration.
//
//===----------------------------------------------------------------------===//

#include "deepseek/Optimize/Quantization.h"

#include <algorithm>
#include <cmath>
#include <limits>
#include <numeric>

namespace deepseek::optimize {
namespace {

/// The smallest bin edge below which |fraction| of the histogram's mass lies.
float percentileEdge(const std::vector<double> &histogram, float absMax, double fraction) {
  double total = std::accumulate(histogram.begin(), histogram.end(), 0.0);
  if (total <= 0)
    return absMax;
  double target = total * fraction, running = 0;
  for (size_t i = 0; i < histogram.size(); ++i) {
    running += histogram[i];
    if (running >= target)
      return absMax * static_cast<float>(i + 1) / static_cast<float>(histogram.size());
  }
  return absMax;
}

/// KL(p || q) of two unnormalized distributions over the same bins.
double klDivergence(const std::vector<double> &p, const std::vector<double> &q) {
  double pSum = std::accumulate(p.begin(), p.end(), 0.0);
  double qSum = std::accumulate(q.begin(), q.end(), 0.0);
  if (pSum <= 0 || qSum <= 0)
    return std::numeric_limits<double>::infinity();
  double kl = 0;
  for (size_t i = 0; i < p.size(); ++i) {
    if (p[i] <= 0)
      continue;
    if (q[i] <= 0)
      return std::numeric_limits<double>::infinity();
    kl += (p[i] / pSum) * std::log((p[i] / pSum) / (q[i] / qSum));
  }
  return kl;
}

/// The entropy threshold: for each candidate count of bins i, the reference
/// distribution is the first i bins with the clipped tail folded into the
/// last; the candidate is that distribution quantized to |levels| levels and
/// expanded back over the nonzero bins. The i with the least divergence wins.
float entropyThreshold(const std::vector<double> &histogram, float absMax, int levels) {
  size_t bins = histogram.size();
  if (bins <= static_cast<size_t>(levels))
    return absMax;
  double best = std::numeric_limits<double>::infinity();
  size_t bestBins = bins;
  for (size_t i = levels; i <= bins; ++i) {
    std::vector<double> reference(histogram.begin(), histogram.begin() + i);
    for (size_t j = i; j < bins; ++j)
      reference[i - 1] += histogram[j];
    // Bin 0 (the zeros a ReLU writes, often most of the mass) is exact at any
    // threshold; left in, it drowns the tail and every threshold looks alike.
    reference[0] = 0;
    std::vector<double> candidate(i, 0.0);
    double perLevel = static_cast<double>(i) / levels;
    for (int level = 0; level < levels; ++level) {
      size_t start = static_cast<size_t>(std::floor(level * perLevel));
      size_t end = std::min(i, static_cast<size_t>(std::floor((level + 1) * perLevel)));
      if (level == levels - 1)
        end = i;
      double mass = 0;
      size_t nonzero = 0;
      for (size_t j = start; j < end; ++j) {
        mass += histogram[j];
        nonzero += histogram[j] > 0;
      }
      for (size_t j = start; j < end; ++j)
        if (histogram[j] > 0)
          candidate[j] = mass / static_cast<double>(nonzero);
    }
    // The folded tail lives in the last reference bin; give the candidate
    // the same mass there so that clipping is charged only for resolution.
    candidate[i - 1] = std::max(candidate[i - 1], reference[i - 1] > 0 ? 1e-12 : 0.0);
    candidate[0] = 0;
    double kl = klDivergence(reference, candidate);
    if (kl < best) {
      best = kl;
      bestBins = i;
    }
  }
  return absMax * static_cast<float>(bestBins) / static_cast<float>(bins);
}

} // namespace

std::pair<float, float> selectRange(const TensorStats &stats, CalibrationMethod method,
                                    double percentile) {
  float lo = std::min(stats.min, 0.0f), hi = std::max(stats.max, 0.0f);
  if (method == CalibrationMethod::MinMax || stats.absHistogram.empty())
    return {lo, hi};
  float absMax = stats.absMax();
  float threshold =
      method == CalibrationMethod::Percentile
          ? percentileEdge(stats.absHistogram, absMax, percentile / 100.0)
          : entropyThreshold(stats.absHistogram, absMax, stats.min < 0 ? 128 : 256);
  return {std::max(lo, -threshold), std::min(hi, threshold)};
}

} // namespace deepseek::optimize
