//===- GraphMatchers.cpp - small matchers shared by the graph passes ------===//

#include "GraphMatchers.h"

#include "mlir/IR/BuiltinAttributes.h"
#include "mlir/IR/DialectResourceBlobManager.h"
#include "mlir/IR/Matchers.h"

#include <cmath>
#include <cstring>

using namespace mlir;
using namespace mlir::ds;

namespace {
/// The weights a graph pass creates get resource keys like the importer's.
constexpr int64_t kInlineElements = 64;
} // namespace

std::optional<double> graph::getSplatFloat(Value value) {
  DenseElementsAttr dense;
  if (!value || !matchPattern(value, m_Constant(&dense)) ||
      !isa<FloatType>(dense.getElementType()))
    return std::nullopt;
  if (!dense.isSplat() && dense.getNumElements() != 1)
    return std::nullopt;
  return (*dense.value_begin<APFloat>()).convertToDouble();
}

bool graph::isSplatFloat(Value value, double expected, double relTol) {
  std::optional<double> actual = getSplatFloat(value);
  return actual && std::fabs(*actual - expected) <= relTol * std::fabs(expected) + 1e-12;
}

SmallVector<Value> graph::productFactors(MulOp root) {
  SmallVector<Value> leaves, pending{root.getLhs(), root.getRhs()};
  Type rootType = root.getType();
  while (!pending.empty()) {
    Value v = pending.pop_back_val();
    auto mul = singleUseProducer<MulOp>(v);
    if (mul && mul.getType() == rootType) {
      pending.push_back(mul.getLhs());
      pending.push_back(mul.getRhs());
      continue;
    }
    leaves.push_back(v);
  }
  return leaves;
}

std::optional<SmallVector<float>> graph::readF32Constant(Value value) {
  auto constant = value ? value.getDefiningOp<ConstantOp>() : nullptr;
  if (!constant)
    return std::nullopt;
  auto type = cast<RankedTensorType>(constant.getType());
  if (!type.getElementType().isF32() || !type.hasStaticShape())
    return std::nullopt;
  int64_t count = type.getNumElements();
  Attribute attr = constant.getValue();
  if (auto dense = dyn_cast<DenseElementsAttr>(attr)) {
    auto values = dense.getValues<float>();
    return SmallVector<float>(values.begin(), values.end());
  }
  if (auto resource = dyn_cast<DenseResourceElementsAttr>(attr)) {
    AsmResourceBlob *blob = resource.getRawHandle().getBlob();
    if (!blob || blob->getData().size() != static_cast<size_t>(count) * sizeof(float))
      return std::nullopt;
    ArrayRef<char> bytes = blob->getData();
    SmallVector<float> values(count);
    std::memcpy(values.data(), bytes.data(), bytes.size());
    return values;
  }
  return std::nullopt;
}

Value graph::createF32Constant(OpBuilder &b, Location loc, RankedTensorType type,
                               ArrayRef<float> values) {
  ElementsAttr attr;
  if (type.getNumElements() <= kInlineElements) {
    attr = DenseElementsAttr::get(type, values);
  } else {
    ArrayRef<char> bytes(reinterpret_cast<const char *>(values.data()),
                         values.size() * sizeof(float));
    attr = DenseResourceElementsAttr::get(
        type, "folded_weight",
        HeapAsmResourceBlob::allocateAndCopyWithAlign(bytes, alignof(float)));
  }
  return ConstantOp::create(b, loc, attr);
}
