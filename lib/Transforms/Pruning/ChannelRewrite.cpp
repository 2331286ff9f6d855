//===- ChannelRewrite.cpp - narrow a ds function to the kept channels -----===//
//
// Applying a plan touches three things: constants lose the removed rows,
// columns or blocks along every dimension that is a slot of a pruned group;
// the values in between get the narrower types (the ds ops' inferred types
// then agree again, which the verifier checks); depthwise convolutions get
// the new channel count as their group count.
//
//===----------------------------------------------------------------------===//

#include "PruningInternals.h"
#include "deepseek/Transforms/F32Elements.h"

#include "mlir/IR/BuiltinDialect.h"
#include "mlir/IR/DialectResourceBlobManager.h"
#include "llvm/ADT/MapVector.h"

using namespace mlir;
using namespace mlir::ds;
using namespace mlir::ds::pruning;

namespace {

/// Per dimension of a tensor: the source indices kept along it.
using DimIndices = SmallVector<SmallVector<int64_t>>;

std::string blobName(ElementsAttr attr) {
  if (auto resource = dyn_cast<DenseResourceElementsAttr>(attr))
    return resource.getRawHandle().getKey().str() + "_pruned";
  return "pruned";
}

} // namespace

SmallVector<float> mlir::ds::pruning::gatherKept(ArrayRef<float> values,
                                                 ArrayRef<int64_t> shape,
                                                 ArrayRef<SmallVector<int64_t>> kept) {
  int64_t rank = shape.size();
  SmallVector<int64_t> strides(rank, 1);
  for (int64_t d = rank - 2; d >= 0; --d)
    strides[d] = strides[d + 1] * shape[d + 1];
  int64_t total = 1;
  for (const SmallVector<int64_t> &k : kept)
    total *= k.size();
  SmallVector<float> result;
  result.reserve(total);
  if (total == 0)
    return result;
  SmallVector<int64_t> position(rank, 0);
  for (int64_t n = 0; n < total; ++n) {
    int64_t offset = 0;
    for (int64_t d = 0; d < rank; ++d)
      offset += kept[d][position[d]] * strides[d];
    result.push_back(values[offset]);
    for (int64_t d = rank - 1; d >= 0; --d) {
      if (++position[d] < static_cast<int64_t>(kept[d].size()))
        break;
      position[d] = 0;
    }
  }
  return result;
}

SmallVector<int64_t> mlir::ds::pruning::keptIndices(const ChannelGroup &group,
                                                    const ChannelSlot &slot) {
  SmallVector<int64_t> indices;
  for (int64_t c : group.kept)
    for (int64_t b = 0; b < slot.block; ++b)
      indices.push_back(c * slot.block + b);
  return indices;
}

LogicalResult mlir::ds::pruning::applyChannelPruning(func::FuncOp func,
                                                     const PruningPlan &plan) {
  llvm::MapVector<Value, SmallVector<std::pair<int64_t, SmallVector<int64_t>>>> narrowed;
  for (const ChannelGroup &group : plan.groups) {
    if (!group.removesChannels())
      continue;
    for (const ChannelSlot &slot : group.slots)
      narrowed[slot.value].push_back({slot.dim, keptIndices(group, slot)});
  }
  for (auto &[value, dims] : narrowed) {
    if (isa<BlockArgument>(value))
      return func.emitOpError("channel pruning would change the type of argument ")
             << cast<BlockArgument>(value).getArgNumber();
    auto type = cast<RankedTensorType>(value.getType());
    DimIndices kept(type.getRank());
    for (int64_t d = 0; d < type.getRank(); ++d)
      for (int64_t i = 0; i < type.getDimSize(d); ++i)
        kept[d].push_back(i);
    SmallVector<int64_t> shape(type.getShape());
    for (auto &[d, indices] : dims) {
      shape[d] = indices.size();
      kept[d] = indices;
    }
    auto newType = RankedTensorType::get(shape, type.getElementType(), type.getEncoding());
    if (auto constant = value.getDefiningOp<ConstantOp>()) {
      std::optional<SmallVector<float>> values = readF32Constant(value);
      if (!values)
        return constant.emitOpError("is in a pruned channel group but is not f32");
      constant.setValueAttr(makeF32Elements(newType, gatherKept(*values, type.getShape(), kept),
                                            blobName(constant.getValue())));
    }
    value.setType(newType);
  }
  for (const ChannelGroup &group : plan.groups)
    if (group.removesChannels())
      for (ConvOp conv : group.depthwise)
        conv.setGroup(cast<RankedTensorType>(conv.getInput().getType()).getDimSize(1));
  return success();
}
