//===- ShapeInference.cpp - shape arithmetic of the ds ops ----------------===//

#include "deepseek/Dialect/DS/IR/ShapeInference.h"

#include "mlir/IR/BuiltinTypes.h"
#include "llvm/ADT/STLExtras.h"
#include "llvm/Support/MathExtras.h"
#include "llvm/Support/raw_ostream.h"

#include <string>

using llvm::ArrayRef;
using llvm::Error;
using llvm::Expected;

namespace mlir::ds::shape {
namespace {

constexpr int64_t kDynamic = ShapedType::kDynamic;

bool isDynamic(int64_t dim) { return dim == kDynamic; }

} // namespace

std::string toString(ArrayRef<int64_t> dims) {
  std::string out;
  llvm::raw_string_ostream os(out);
  os << '[';
  llvm::interleaveComma(dims, os, [&](int64_t d) {
    if (isDynamic(d))
      os << '?';
    else
      os << d;
  });
  os << ']';
  return out;
}

namespace {
std::string str(ArrayRef<int64_t> dims) { return toString(dims); }

template <typename... Ts> Error fail(const char *fmt, const Ts &...vals) {
  return llvm::createStringError(llvm::inconvertibleErrorCode(), fmt, vals...);
}

} // namespace

Expected<Shape> broadcast(ArrayRef<int64_t> a, ArrayRef<int64_t> b) {
  size_t rank = std::max(a.size(), b.size());
  Shape result(rank, 1);
  for (size_t i = 0; i < rank; ++i) {
    int64_t da = i < a.size() ? a[a.size() - 1 - i] : 1;
    int64_t db = i < b.size() ? b[b.size() - 1 - i] : 1;
    int64_t &out = result[rank - 1 - i];
    if (da == db || db == 1)
      out = da;
    else if (da == 1)
      out = db;
    else if (isDynamic(da))
      out = db;
    else if (isDynamic(db))
      out = da;
    else
      return fail("shapes %s and %s do not broadcast (%lld vs %lld)", str(a).c_str(),
                  str(b).c_str(), (long long)da, (long long)db);
  }
  return result;
}

bool broadcastsTo(ArrayRef<int64_t> from, ArrayRef<int64_t> to) {
  if (from.size() > to.size())
    return false;
  for (size_t i = 0; i < from.size(); ++i) {
    int64_t f = from[from.size() - 1 - i];
    int64_t t = to[to.size() - 1 - i];
    if (f != 1 && f != t && !isDynamic(f) && !isDynamic(t))
      return false;
  }
  return true;
}

Expected<int64_t> windowOutputSize(int64_t in, int64_t kernel, int64_t stride,
                                   int64_t dilation, int64_t padBegin, int64_t padEnd,
                                   bool ceilMode) {
  if (kernel <= 0 || stride <= 0 || dilation <= 0)
    return fail("kernel size, stride and dilation must be positive, got %lld, %lld, %lld",
                (long long)kernel, (long long)stride, (long long)dilation);
  if (isDynamic(in))
    return kDynamic;
  int64_t effectiveKernel = (kernel - 1) * dilation + 1;
  int64_t padded = in + padBegin + padEnd;
  if (padded < effectiveKernel)
    return fail("window of size %lld does not fit into the padded input size %lld",
                (long long)effectiveKernel, (long long)padded);
  int64_t span = padded - effectiveKernel;
  if (!ceilMode)
    return span / stride + 1;
  int64_t out = llvm::divideCeil(span, stride) + 1;
  // A last window that would start in the end padding is dropped (ONNX, PyTorch).
  if ((out - 1) * stride >= in + padBegin)
    --out;
  return out;
}

Expected<int64_t> transposedWindowOutputSize(int64_t in, int64_t kernel, int64_t stride,
                                             int64_t dilation, int64_t padBegin,
                                             int64_t padEnd, int64_t outputPadding) {
  if (kernel <= 0 || stride <= 0 || dilation <= 0)
    return fail("kernel size, stride and dilation must be positive, got %lld, %lld, %lld",
                (long long)kernel, (long long)stride, (long long)dilation);
  if (outputPadding < 0 || outputPadding >= std::max(stride, dilation))
    return fail("output padding %lld must be in [0, max(stride, dilation))",
                (long long)outputPadding);
  if (isDynamic(in))
    return kDynamic;
  int64_t out =
      stride * (in - 1) + outputPadding + (kernel - 1) * dilation + 1 - padBegin - padEnd;
  if (out <= 0)
    return fail("transposed convolution output size %lld is not positive",
                (long long)out);
  return out;
}

Error checkWindowAttributes(unsigned spatialRank, ArrayRef<int64_t> strides,
                            ArrayRef<int64_t> pads, const ArrayRef<int64_t> *dilations) {
  if (strides.size() != spatialRank)
    return fail("expected %u strides, got %zu", spatialRank, strides.size());
  if (pads.size() != 2 * spatialRank)
    return fail("expected %u pads (begin then end per spatial dimension), got %zu",
                2 * spatialRank, pads.size());
  if (dilations && dilations->size() != spatialRank)
    return fail("expected %u dilations, got %zu", spatialRank, dilations->size());
  if (llvm::any_of(strides, [](int64_t s) { return s <= 0; }))
    return fail("expected positive strides, got %s", str(strides).c_str());
  if (dilations && llvm::any_of(*dilations, [](int64_t d) { return d <= 0; }))
    return fail("expected positive dilations, got %s", str(*dilations).c_str());
  if (llvm::any_of(pads, [](int64_t p) { return p < 0; }))
    return fail("expected non-negative pads, got %s", str(pads).c_str());
  return Error::success();
}

Expected<Shape> matmul(ArrayRef<int64_t> lhs, ArrayRef<int64_t> rhs) {
  if (lhs.empty() || rhs.empty())
    return fail("matmul operands must have rank >= 1, got %s and %s", str(lhs).c_str(),
                str(rhs).c_str());
  Shape l(lhs.begin(), lhs.end()), r(rhs.begin(), rhs.end());
  bool lhsVector = l.size() == 1, rhsVector = r.size() == 1;
  if (lhsVector)
    l.insert(l.begin(), 1);
  if (rhsVector)
    r.push_back(1);
  int64_t lk = l.back(), rk = r[r.size() - 2];
  if (!isDynamic(lk) && !isDynamic(rk) && lk != rk)
    return fail("contraction sizes differ: lhs %s has %lld columns, rhs %s has %lld rows",
                str(lhs).c_str(), (long long)lk, str(rhs).c_str(), (long long)rk);
  Expected<Shape> batch =
      broadcast(ArrayRef<int64_t>(l).drop_back(2), ArrayRef<int64_t>(r).drop_back(2));
  if (!batch)
    return fail("batch dimensions: %s", llvm::toString(batch.takeError()).c_str());
  Shape result = std::move(*batch);
  if (!lhsVector)
    result.push_back(l[l.size() - 2]);
  if (!rhsVector)
    result.push_back(r.back());
  return result;
}

Error checkAxes(ArrayRef<int64_t> axes, int64_t rank) {
  for (size_t i = 0; i < axes.size(); ++i) {
    if (axes[i] < 0 || axes[i] >= rank)
      return fail("axis %lld is out of range for rank %lld", (long long)axes[i],
                  (long long)rank);
    if (i > 0 && axes[i] <= axes[i - 1])
      return fail("axes must be sorted and unique, got %s", str(axes).c_str());
  }
  return Error::success();
}

Expected<Shape> reduce(ArrayRef<int64_t> in, ArrayRef<int64_t> axes, bool keepDims) {
  if (Error e = checkAxes(axes, in.size()))
    return std::move(e);
  Shape result;
  for (int64_t i = 0, e = in.size(); i < e; ++i) {
    bool reduced = axes.empty() || llvm::is_contained(axes, i);
    if (!reduced)
      result.push_back(in[i]);
    else if (keepDims)
      result.push_back(1);
  }
  return result;
}

Expected<int64_t> numElements(ArrayRef<int64_t> dims) {
  int64_t product = 1;
  bool dynamic = false;
  for (int64_t d : dims) {
    if (isDynamic(d)) {
      dynamic = true;
      continue;
    }
    if (d < 0)
      return fail("negative dimension %lld in %s", (long long)d, str(dims).c_str());
    if (llvm::MulOverflow(product, d, product))
      return fail("element count of %s overflows int64", str(dims).c_str());
  }
  return dynamic ? kDynamic : product;
}

} // namespace mlir::ds::shape
