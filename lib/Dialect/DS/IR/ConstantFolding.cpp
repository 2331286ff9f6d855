//===- ConstantFolding.cpp - evaluating ds ops on small constants ---------===//
//
// Exporters compute shapes with subgraphs (Shape -> Gather -> Unsqueeze -> Concat
// -> Reshape) that are constant once input shapes are static. These helpers let
// the ds folders evaluate such subgraphs, element by element, on tensors small
// enough that doing so costs nothing; large tensors (weights) are never folded
// here.
//
//===----------------------------------------------------------------------===//

#include "OpHelpers.h"

#include "mlir/IR/BuiltinAttributes.h"

using namespace mlir;
using namespace mlir::ds;

namespace {
/// Row-major strides of |shape|.
SmallVector<int64_t> stridesOf(ArrayRef<int64_t> shape) {
  SmallVector<int64_t> strides(shape.size(), 1);
  for (int64_t d = static_cast<int64_t>(shape.size()) - 2; d >= 0; --d)
    strides[d] = strides[d + 1] * shape[d + 1];
  return strides;
}
} // namespace

bool helpers::isFoldable(Attribute value) {
  auto dense = dyn_cast_if_present<DenseElementsAttr>(value);
  return dense && dense.getNumElements() <= kMaxFoldElements;
}

Attribute helpers::foldElementwise(ArrayRef<Attribute> operands,
                                   RankedTensorType resultType,
                                   function_ref<Attribute(ArrayRef<Attribute>)> fn) {
  if (!resultType.hasStaticShape() || resultType.getNumElements() > kMaxFoldElements)
    return {};
  SmallVector<DenseElementsAttr> inputs;
  SmallVector<SmallVector<Attribute>> values;
  for (Attribute operand : operands) {
    if (!isFoldable(operand))
      return {};
    auto dense = cast<DenseElementsAttr>(operand);
    inputs.push_back(dense);
    values.push_back(llvm::to_vector(dense.getValues<Attribute>()));
  }
  ArrayRef<int64_t> shape = resultType.getShape();
  SmallVector<int64_t> resultStrides = stridesOf(shape);
  SmallVector<Attribute> results;
  SmallVector<Attribute> scalars(inputs.size());
  for (int64_t linear = 0, e = resultType.getNumElements(); linear < e; ++linear) {
    for (auto [i, input] : llvm::enumerate(inputs)) {
      // Broadcasting: right-align the operand's shape; size-1 dimensions repeat.
      ArrayRef<int64_t> inShape = input.getType().getShape();
      SmallVector<int64_t> inStrides = stridesOf(inShape);
      int64_t offset = 0, rankDiff = shape.size() - inShape.size();
      for (size_t d = 0; d < inShape.size(); ++d) {
        int64_t index = (linear / resultStrides[d + rankDiff]) % shape[d + rankDiff];
        offset += (inShape[d] == 1 ? 0 : index) * inStrides[d];
      }
      scalars[i] = values[i][offset];
    }
    Attribute result = fn(scalars);
    if (!result)
      return {};
    results.push_back(result);
  }
  return DenseElementsAttr::get(resultType, results);
}

Attribute helpers::foldGather(DenseElementsAttr data, DenseElementsAttr indices,
                              int64_t axis, RankedTensorType resultType) {
  if (!isFoldable(data) || !isFoldable(indices) || !resultType.hasStaticShape() ||
      resultType.getNumElements() > kMaxFoldElements)
    return {};
  ArrayRef<int64_t> dataShape = data.getType().getShape();
  int64_t outer = 1, inner = 1, axisSize = dataShape[axis];
  for (int64_t d = 0; d < axis; ++d)
    outer *= dataShape[d];
  for (size_t d = axis + 1; d < dataShape.size(); ++d)
    inner *= dataShape[d];
  SmallVector<Attribute> values = llvm::to_vector(data.getValues<Attribute>());
  SmallVector<int64_t> picks;
  for (const APInt &index : indices.getValues<APInt>()) {
    int64_t i = index.getSExtValue();
    if (i < -axisSize || i >= axisSize)
      return {}; // Out of range: leave it to run time, which reports it.
    picks.push_back(i < 0 ? i + axisSize : i);
  }
  SmallVector<Attribute> result;
  for (int64_t o = 0; o < outer; ++o)
    for (int64_t pick : picks)
      for (int64_t in = 0; in < inner; ++in)
        result.push_back(values[(o * axisSize + pick) * inner + in]);
  return DenseElementsAttr::get(resultType, result);
}

Attribute helpers::foldConcat(ArrayRef<Attribute> inputs, int64_t axis,
                              RankedTensorType resultType) {
  if (!resultType.hasStaticShape() || resultType.getNumElements() > kMaxFoldElements)
    return {};
  SmallVector<SmallVector<Attribute>> values;
  SmallVector<int64_t> chunk; // elements per outer index, per input
  int64_t outer = 1;
  for (int64_t d = 0; d < axis; ++d)
    outer *= resultType.getDimSize(d);
  for (Attribute input : inputs) {
    if (!isFoldable(input))
      return {};
    auto dense = cast<DenseElementsAttr>(input);
    values.push_back(llvm::to_vector(dense.getValues<Attribute>()));
    chunk.push_back(outer ? dense.getNumElements() / outer : 0);
  }
  SmallVector<Attribute> result;
  for (int64_t o = 0; o < outer; ++o)
    for (auto [i, v] : llvm::enumerate(values))
      result.append(v.begin() + o * chunk[i], v.begin() + (o + 1) * chunk[i]);
  return DenseElementsAttr::get(resultType, result);
}

Attribute helpers::foldSlice(DenseElementsAttr input, ArrayRef<int64_t> starts,
                             ArrayRef<int64_t> steps, RankedTensorType resultType) {
  if (!isFoldable(input) || !resultType.hasStaticShape())
    return {};
  ArrayRef<int64_t> inShape = input.getType().getShape();
  SmallVector<int64_t> inStrides = stridesOf(inShape);
  SmallVector<int64_t> outStrides = stridesOf(resultType.getShape());
  SmallVector<Attribute> values = llvm::to_vector(input.getValues<Attribute>());
  SmallVector<Attribute> result;
  for (int64_t linear = 0, e = resultType.getNumElements(); linear < e; ++linear) {
    int64_t offset = 0;
    for (size_t d = 0; d < inShape.size(); ++d) {
      int64_t index = (linear / outStrides[d]) % resultType.getDimSize(d);
      offset += (starts[d] + index * steps[d]) * inStrides[d];
    }
    result.push_back(values[offset]);
  }
  return DenseElementsAttr::get(resultType, result);
}
