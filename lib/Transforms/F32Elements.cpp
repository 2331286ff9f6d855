//===- F32Elements.cpp - f32 tensor contents in and out of attributes -----===//

#include "deepseek/Transforms/F32Elements.h"

#include "mlir/IR/BuiltinAttributes.h"
#include "mlir/IR/DialectResourceBlobManager.h"
#include "mlir/IR/Matchers.h"
#include "mlir/IR/TypeUtilities.h"

#include <cstring>

using namespace mlir;

namespace {
/// Up to this many elements a new constant is printed inline.
constexpr int64_t kInlineElements = 64;
} // namespace

std::optional<SmallVector<float>> mlir::ds::readF32Elements(ElementsAttr attr) {
  auto type = cast<ShapedType>(attr.getType());
  if (!type.getElementType().isF32() || !type.hasStaticShape())
    return std::nullopt;
  if (auto dense = dyn_cast<DenseElementsAttr>(attr)) {
    auto values = dense.getValues<float>();
    return SmallVector<float>(values.begin(), values.end());
  }
  if (auto resource = dyn_cast<DenseResourceElementsAttr>(attr)) {
    AsmResourceBlob *blob = resource.getRawHandle().getBlob();
    size_t bytes = static_cast<size_t>(type.getNumElements()) * sizeof(float);
    if (!blob || blob->getData().size() != bytes)
      return std::nullopt;
    SmallVector<float> values(type.getNumElements());
    std::memcpy(values.data(), blob->getData().data(), bytes);
    return values;
  }
  return std::nullopt;
}

ElementsAttr mlir::ds::makeF32Elements(RankedTensorType type, ArrayRef<float> values,
                                       StringRef blobName) {
  if (type.getNumElements() <= kInlineElements)
    return DenseElementsAttr::get(type, values);
  ArrayRef<char> bytes(reinterpret_cast<const char *>(values.data()),
                       values.size() * sizeof(float));
  return DenseResourceElementsAttr::get(
      type, blobName, HeapAsmResourceBlob::allocateAndCopyWithAlign(bytes, alignof(float)));
}

std::optional<SmallVector<float>> mlir::ds::readF32Constant(Value value) {
  ElementsAttr elements;
  if (!value || !matchPattern(value, m_Constant(&elements)))
    return std::nullopt;
  return readF32Elements(elements);
}

std::optional<SmallVector<int8_t>> mlir::ds::readI8Constant(Value value) {
  Attribute attr;
  if (!matchPattern(value, m_Constant(&attr)) ||
      !getElementTypeOrSelf(cast<TypedAttr>(attr).getType()).isInteger(8))
    return std::nullopt;
  if (auto dense = dyn_cast<DenseIntElementsAttr>(attr)) {
    SmallVector<int8_t> bytes;
    for (const APInt &v : dense.getValues<APInt>())
      bytes.push_back(static_cast<int8_t>(v.getSExtValue()));
    return bytes;
  }
  auto resource = dyn_cast<DenseResourceElementsAttr>(attr);
  AsmResourceBlob *blob = resource ? resource.getRawHandle().getBlob() : nullptr;
  if (!blob)
    return std::nullopt;
  return SmallVector<int8_t>(blob->getData().begin(), blob->getData().end());
}
