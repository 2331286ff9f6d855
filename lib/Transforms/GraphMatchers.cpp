//===- GraphMatchers.cpp - small matchers shared by the graph passes ------===//

#include "GraphMatchers.h"

#include "deepseek/Transforms/F32Elements.h"

#include "mlir/IR/Matchers.h"

#include <cmath>

using namespace mlir;
using namespace mlir::ds;

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

Value graph::createF32Constant(OpBuilder &b, Location loc, RankedTensorType type,
                               ArrayRef<float> values) {
  return ConstantOp::create(b, loc, makeF32Elements(type, values, "folded_weight"));
}
