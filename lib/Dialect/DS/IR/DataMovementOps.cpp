//===- DataMovementOps.cpp - reshape, transpose, concat, slice, ... -------===//
//
// Ops that move or re-index elements without arithmetic: their inference is
// shape bookkeeping, and they fold when they change nothing or act on a splat.
//
//===----------------------------------------------------------------------===//

#include "OpHelpers.h"

#include "mlir/IR/BuiltinAttributes.h"
#include "mlir/IR/TypeUtilities.h"

using namespace mlir;
using namespace mlir::ds;
using helpers::foldShapeChange;
using helpers::inferError;

namespace {
constexpr int64_t kDynamic = ShapedType::kDynamic;

RankedTensorType rankedOrNull(Type type) { return dyn_cast<RankedTensorType>(type); }

std::string typeStr(Type type) {
  std::string s;
  llvm::raw_string_ostream os(s);
  os << type;
  return s;
}
} // namespace

//===----------------------------------------------------------------------===//
// ReshapeOp
//===----------------------------------------------------------------------===//

LogicalResult ReshapeOp::verify() {
  RankedTensorType in = getInput().getType(), out = getOutput().getType();
  if (failed(helpers::verifySameElementType(*this, in, out)))
    return failure();
  if (out.getNumDynamicDims() > 1)
    return emitOpError("expected at most one dynamic result dimension, got ") << out;
  // Each count is checked before the next is computed, so no error goes unread.
  llvm::Expected<int64_t> inCount = shape::numElements(in.getShape());
  if (!inCount)
    return emitOpError(llvm::toString(inCount.takeError()));
  llvm::Expected<int64_t> outCount = shape::numElements(out.getShape());
  if (!outCount)
    return emitOpError(llvm::toString(outCount.takeError()));
  if (*inCount == kDynamic)
    return success();
  if (*outCount != kDynamic && *inCount != *outCount)
    return emitOpError("expected the same number of elements, got ")
           << *inCount << " in " << in << " and " << *outCount << " in " << out;
  if (*outCount == kDynamic) {
    llvm::Expected<int64_t> known =
        shape::numElements(llvm::to_vector(llvm::make_filter_range(
            out.getShape(), [](int64_t d) { return d != kDynamic; })));
    if (!known)
      return emitOpError(llvm::toString(known.takeError()));
    if (*known == 0 ? *inCount != 0 : *inCount % *known != 0)
      return emitOpError("cannot reshape ") << *inCount << " elements into " << out;
  }
  return success();
}

OpFoldResult ReshapeOp::fold(FoldAdaptor adaptor) {
  if (OpFoldResult folded =
          foldShapeChange(getInput(), adaptor.getInput(), getOutput().getType()))
    return folded;
  // reshape(reshape(x)) is reshape(x): only the final shape matters.
  if (auto inner = getInput().getDefiningOp<ReshapeOp>()) {
    getInputMutable().assign(inner.getInput());
    return getResult();
  }
  return {};
}

//===----------------------------------------------------------------------===//
// ExpandOp
//===----------------------------------------------------------------------===//

LogicalResult ExpandOp::verify() {
  RankedTensorType in = getInput().getType(), out = getOutput().getType();
  if (failed(helpers::verifySameElementType(*this, in, out)))
    return failure();
  if (!shape::broadcastsTo(in.getShape(), out.getShape()))
    return emitOpError("expected input ") << in << " to broadcast to the result " << out;
  return success();
}

OpFoldResult ExpandOp::fold(FoldAdaptor adaptor) {
  if (getInput().getType() == getOutput().getType())
    return getInput();
  if (auto splat = dyn_cast_if_present<SplatElementsAttr>(adaptor.getInput()))
    if (getOutput().getType().hasStaticShape())
      return SplatElementsAttr::get(getOutput().getType(),
                                    splat.getSplatValue<Attribute>());
  // Broadcasting is an elementwise identity over the expanded shape.
  return helpers::foldElementwise(adaptor.getInput(), getOutput().getType(),
                                  [](ArrayRef<Attribute> v) { return v[0]; });
}

//===----------------------------------------------------------------------===//
// FlattenOp
//===----------------------------------------------------------------------===//

LogicalResult FlattenOp::inferReturnTypes(MLIRContext *, std::optional<Location> loc,
                                          Adaptor adaptor,
                                          SmallVectorImpl<Type> &inferred) {
  auto input = rankedOrNull(adaptor.getInput().getType());
  if (!input)
    return failure();
  int64_t axis = adaptor.getAxis(), rank = input.getRank();
  if (failed(helpers::checkAxis(loc, getOperationName(), axis, rank,
                                /*inclusiveEnd=*/true)))
    return failure();
  llvm::Expected<int64_t> outer = shape::numElements(input.getShape().take_front(axis));
  if (!outer)
    return inferError(loc, getOperationName(), outer.takeError());
  llvm::Expected<int64_t> inner = shape::numElements(input.getShape().drop_front(axis));
  if (!inner)
    return inferError(loc, getOperationName(), inner.takeError());
  inferred.push_back(RankedTensorType::get({*outer, *inner}, input.getElementType()));
  return success();
}

OpFoldResult FlattenOp::fold(FoldAdaptor adaptor) {
  return foldShapeChange(getInput(), adaptor.getInput(), getOutput().getType());
}

//===----------------------------------------------------------------------===//
// TransposeOp
//===----------------------------------------------------------------------===//

LogicalResult TransposeOp::inferReturnTypes(MLIRContext *, std::optional<Location> loc,
                                            Adaptor adaptor,
                                            SmallVectorImpl<Type> &inferred) {
  auto input = rankedOrNull(adaptor.getInput().getType());
  if (!input)
    return failure();
  ArrayRef<int64_t> perm = adaptor.getPerm();
  int64_t rank = input.getRank();
  SmallVector<bool> seen(rank, false);
  bool valid = static_cast<int64_t>(perm.size()) == rank;
  for (int64_t p : perm) {
    if (!valid || p < 0 || p >= rank || seen[p]) {
      valid = false;
      break;
    }
    seen[p] = true;
  }
  if (!valid)
    return inferError(loc, getOperationName(),
                      "expected perm to be a permutation of [0, " + Twine(rank) +
                          "), got " + shape::toString(perm));
  shape::Shape result;
  for (int64_t p : perm)
    result.push_back(input.getDimSize(p));
  inferred.push_back(RankedTensorType::get(result, input.getElementType()));
  return success();
}

OpFoldResult TransposeOp::fold(FoldAdaptor adaptor) {
  ArrayRef<int64_t> perm = getPerm();
  bool identity = llvm::all_of(llvm::enumerate(perm), [](auto it) {
    return static_cast<int64_t>(it.index()) == it.value();
  });
  if (identity && getInput().getType() == getOutput().getType())
    return getInput();
  if (auto splat = dyn_cast_if_present<SplatElementsAttr>(adaptor.getInput()))
    return SplatElementsAttr::get(getOutput().getType(),
                                  splat.getSplatValue<Attribute>());
  // transpose(transpose(x, p1), p2) is transpose(x, p1 o p2).
  if (auto inner = getInput().getDefiningOp<TransposeOp>()) {
    ArrayRef<int64_t> innerPerm = inner.getPerm();
    SmallVector<int64_t> composed;
    for (int64_t p : perm)
      composed.push_back(innerPerm[p]);
    getInputMutable().assign(inner.getInput());
    setPerm(composed);
    return getResult();
  }
  return {};
}

//===----------------------------------------------------------------------===//
// ConcatOp
//===----------------------------------------------------------------------===//

LogicalResult ConcatOp::inferReturnTypes(MLIRContext *, std::optional<Location> loc,
                                         Adaptor adaptor,
                                         SmallVectorImpl<Type> &inferred) {
  StringRef name = getOperationName();
  ValueRange inputs = adaptor.getInputs();
  if (inputs.empty())
    return inferError(loc, name, "expected at least one input");
  auto first = rankedOrNull(inputs.front().getType());
  if (!first)
    return failure();
  int64_t rank = first.getRank(), axis = adaptor.getAxis();
  if (failed(helpers::checkAxis(loc, name, axis, rank)))
    return failure();
  shape::Shape result(first.getShape());
  for (auto [index, value] : llvm::enumerate(inputs.drop_front())) {
    auto type = rankedOrNull(value.getType());
    if (!type)
      return failure();
    std::string which = "input " + std::to_string(index + 1);
    if (type.getElementType() != first.getElementType())
      return inferError(loc, name,
                        "expected all inputs to have the element type of input 0, got " +
                            typeStr(type.getElementType()) + " in " + which);
    if (type.getRank() != rank)
      return inferError(loc, name,
                        "expected all inputs to have rank " + Twine(rank) +
                            ", got rank " + Twine(type.getRank()) + " in " + which);
    for (int64_t d = 0; d < rank; ++d) {
      int64_t size = type.getDimSize(d);
      if (d == axis) {
        result[d] =
            (result[d] == kDynamic || size == kDynamic) ? kDynamic : result[d] + size;
      } else if (result[d] == kDynamic) {
        result[d] = size;
      } else if (size != kDynamic && size != result[d]) {
        return inferError(loc, name,
                          "expected dimension " + Twine(d) + " of " + which + " to be " +
                              Twine(result[d]) + " like the inputs before it, got " +
                              Twine(size));
      }
    }
  }
  inferred.push_back(RankedTensorType::get(result, first.getElementType()));
  return success();
}

OpFoldResult ConcatOp::fold(FoldAdaptor adaptor) {
  if (getInputs().size() == 1 && getInputs().front().getType() == getOutput().getType())
    return getInputs().front();
  return helpers::foldConcat(adaptor.getInputs(), getAxis(), getOutput().getType());
}

//===----------------------------------------------------------------------===//
// SliceOp
//===----------------------------------------------------------------------===//

LogicalResult SliceOp::inferReturnTypes(MLIRContext *, std::optional<Location> loc,
                                        Adaptor adaptor,
                                        SmallVectorImpl<Type> &inferred) {
  StringRef name = getOperationName();
  auto input = rankedOrNull(adaptor.getInput().getType());
  if (!input)
    return failure();
  ArrayRef<int64_t> starts = adaptor.getStarts(), ends = adaptor.getEnds(),
                    steps = adaptor.getSteps();
  int64_t rank = input.getRank();
  if (static_cast<int64_t>(starts.size()) != rank ||
      static_cast<int64_t>(ends.size()) != rank ||
      static_cast<int64_t>(steps.size()) != rank)
    return inferError(loc, name,
                      "expected one start, end and step per dimension (" + Twine(rank) +
                          "), got " + Twine(starts.size()) + ", " + Twine(ends.size()) +
                          " and " + Twine(steps.size()));
  shape::Shape result;
  for (int64_t d = 0; d < rank; ++d) {
    int64_t dim = input.getDimSize(d), start = starts[d], end = ends[d], step = steps[d];
    if (step == 0)
      return inferError(loc, name, "expected non-zero steps, dimension " + Twine(d));
    if (dim == kDynamic) {
      result.push_back(kDynamic);
      continue;
    }
    bool normalized = step > 0 ? (0 <= start && start <= end && end <= dim)
                               : (-1 <= end && end <= start && start <= dim - 1);
    if (!normalized)
      return inferError(loc, name,
                        "dimension " + Twine(d) + " of size " + Twine(dim) + ": start " +
                            Twine(start) + ", end " + Twine(end) + ", step " +
                            Twine(step) + " are not a normalized range");
    int64_t span = step > 0 ? end - start : start - end;
    int64_t absStep = step > 0 ? step : -step;
    result.push_back((span + absStep - 1) / absStep);
  }
  inferred.push_back(RankedTensorType::get(result, input.getElementType()));
  return success();
}

OpFoldResult SliceOp::fold(FoldAdaptor adaptor) {
  RankedTensorType in = getInput().getType();
  bool whole = in == getOutput().getType() && in.hasStaticShape();
  for (int64_t d = 0; whole && d < in.getRank(); ++d)
    whole = getStarts()[d] == 0 && getSteps()[d] == 1 && getEnds()[d] == in.getDimSize(d);
  if (whole)
    return getInput();
  if (auto input = dyn_cast_if_present<DenseElementsAttr>(adaptor.getInput()))
    return helpers::foldSlice(input, getStarts(), getSteps(), getOutput().getType());
  return {};
}

OpFoldResult GatherOp::fold(FoldAdaptor adaptor) {
  auto data = dyn_cast_if_present<DenseElementsAttr>(adaptor.getData());
  auto indices = dyn_cast_if_present<DenseElementsAttr>(adaptor.getIndices());
  if (!data || !indices)
    return {};
  return helpers::foldGather(data, indices, getAxis(), getOutput().getType());
}

//===----------------------------------------------------------------------===//
// SplitOp
//===----------------------------------------------------------------------===//

LogicalResult SplitOp::inferReturnTypes(MLIRContext *, std::optional<Location> loc,
                                        Adaptor adaptor,
                                        SmallVectorImpl<Type> &inferred) {
  StringRef name = getOperationName();
  auto input = rankedOrNull(adaptor.getInput().getType());
  if (!input)
    return failure();
  int64_t rank = input.getRank(), axis = adaptor.getAxis();
  if (failed(helpers::checkAxis(loc, name, axis, rank)))
    return failure();
  ArrayRef<int64_t> sizes = adaptor.getSizes();
  if (sizes.empty())
    return inferError(loc, name, "expected at least one size");
  int64_t total = 0;
  for (int64_t size : sizes) {
    if (size < 0)
      return inferError(loc, name,
                        "expected non-negative sizes, got " + shape::toString(sizes));
    total += size;
  }
  int64_t dim = input.getDimSize(axis);
  if (dim != kDynamic && dim != total)
    return inferError(loc, name,
                      "expected sizes " + shape::toString(sizes) + " to add up to " +
                          Twine(dim) + ", the size of dimension " + Twine(axis));
  for (int64_t size : sizes) {
    shape::Shape piece(input.getShape());
    piece[axis] = size;
    inferred.push_back(RankedTensorType::get(piece, input.getElementType()));
  }
  return success();
}

//===----------------------------------------------------------------------===//
// GatherOp
//===----------------------------------------------------------------------===//

LogicalResult GatherOp::inferReturnTypes(MLIRContext *, std::optional<Location> loc,
                                         Adaptor adaptor,
                                         SmallVectorImpl<Type> &inferred) {
  auto data = rankedOrNull(adaptor.getData().getType());
  auto indices = rankedOrNull(adaptor.getIndices().getType());
  if (!data || !indices)
    return failure();
  int64_t rank = data.getRank(), axis = adaptor.getAxis();
  if (failed(helpers::checkAxis(loc, getOperationName(), axis, rank)))
    return failure();
  shape::Shape result(data.getShape().take_front(axis));
  llvm::append_range(result, indices.getShape());
  llvm::append_range(result, data.getShape().drop_front(axis + 1));
  inferred.push_back(RankedTensorType::get(result, data.getElementType()));
  return success();
}

//===----------------------------------------------------------------------===//
// PadOp
//===----------------------------------------------------------------------===//

LogicalResult PadOp::inferReturnTypes(MLIRContext *, std::optional<Location> loc,
                                      Adaptor adaptor, SmallVectorImpl<Type> &inferred) {
  StringRef name = getOperationName();
  auto input = rankedOrNull(adaptor.getInput().getType());
  if (!input)
    return failure();
  ArrayRef<int64_t> pads = adaptor.getPads();
  int64_t rank = input.getRank();
  if (static_cast<int64_t>(pads.size()) != 2 * rank)
    return inferError(loc, name,
                      "expected " + Twine(2 * rank) +
                          " pads (begin then end per dimension), got " +
                          Twine(pads.size()));
  bool reflect = adaptor.getMode() == PadMode::Reflect;
  shape::Shape result;
  for (int64_t d = 0; d < rank; ++d) {
    int64_t dim = input.getDimSize(d), begin = pads[d], end = pads[rank + d];
    if (dim == kDynamic) {
      result.push_back(kDynamic);
      continue;
    }
    if (reflect && (begin >= dim || end >= dim))
      return inferError(loc, name,
                        "reflect padding of dimension " + Twine(d) +
                            " must be smaller "
                            "than its size " +
                            Twine(dim) + ", got " + Twine(begin) + " and " + Twine(end));
    int64_t size = dim + begin + end;
    if (size < 0)
      return inferError(loc, name,
                        "pads crop dimension " + Twine(d) + " of size " + Twine(dim) +
                            " to a negative size");
    result.push_back(size);
  }
  inferred.push_back(RankedTensorType::get(result, input.getElementType()));
  return success();
}

//===----------------------------------------------------------------------===//
// ResizeOp
//===----------------------------------------------------------------------===//

LogicalResult ResizeOp::verify() {
  RankedTensorType in = getInput().getType(), out = getOutput().getType();
  if (failed(helpers::verifySameElementType(*this, in, out)))
    return failure();
  if (in.getRank() != out.getRank())
    return emitOpError("expected the result rank to equal the input rank ")
           << in.getRank() << ", got " << out.getRank();
  if (llvm::any_of(out.getShape(), [](int64_t d) { return d == 0; }))
    return emitOpError("expected a non-empty result, got ") << out;
  if (std::optional<ArrayRef<float>> scales = getScales()) {
    if (static_cast<int64_t>(scales->size()) != in.getRank())
      return emitOpError("expected one scale per dimension (")
             << in.getRank() << "), got " << scales->size();
    if (llvm::any_of(*scales, [](float s) { return !(s > 0.0f); }))
      return emitOpError("expected positive scales");
  }
  return success();
}

//===----------------------------------------------------------------------===//
// SqueezeOp, UnsqueezeOp
//===----------------------------------------------------------------------===//

LogicalResult SqueezeOp::inferReturnTypes(MLIRContext *, std::optional<Location> loc,
                                          Adaptor adaptor,
                                          SmallVectorImpl<Type> &inferred) {
  StringRef name = getOperationName();
  auto input = rankedOrNull(adaptor.getInput().getType());
  if (!input)
    return failure();
  ArrayRef<int64_t> axes = adaptor.getAxes();
  if (axes.empty())
    return inferError(loc, name, "expected at least one axis");
  if (llvm::Error e = shape::checkAxes(axes, input.getRank()))
    return inferError(loc, name, std::move(e));
  shape::Shape result;
  for (int64_t d = 0; d < input.getRank(); ++d) {
    int64_t size = input.getDimSize(d);
    if (!llvm::is_contained(axes, d)) {
      result.push_back(size);
    } else if (size != 1 && size != kDynamic) {
      return inferError(
          loc, name, "cannot squeeze dimension " + Twine(d) + " of size " + Twine(size));
    }
  }
  inferred.push_back(RankedTensorType::get(result, input.getElementType()));
  return success();
}

OpFoldResult SqueezeOp::fold(FoldAdaptor adaptor) {
  return foldShapeChange(getInput(), adaptor.getInput(), getOutput().getType());
}

LogicalResult UnsqueezeOp::inferReturnTypes(MLIRContext *, std::optional<Location> loc,
                                            Adaptor adaptor,
                                            SmallVectorImpl<Type> &inferred) {
  StringRef name = getOperationName();
  auto input = rankedOrNull(adaptor.getInput().getType());
  if (!input)
    return failure();
  ArrayRef<int64_t> axes = adaptor.getAxes();
  if (axes.empty())
    return inferError(loc, name, "expected at least one axis");
  int64_t rank = input.getRank() + axes.size();
  if (llvm::Error e = shape::checkAxes(axes, rank))
    return inferError(loc, name, std::move(e));
  shape::Shape result;
  ArrayRef<int64_t> remaining = input.getShape();
  for (int64_t d = 0; d < rank; ++d) {
    if (llvm::is_contained(axes, d)) {
      result.push_back(1);
    } else {
      result.push_back(remaining.front());
      remaining = remaining.drop_front();
    }
  }
  inferred.push_back(RankedTensorType::get(result, input.getElementType()));
  return success();
}

OpFoldResult UnsqueezeOp::fold(FoldAdaptor adaptor) {
  return foldShapeChange(getInput(), adaptor.getInput(), getOutput().getType());
}

//===----------------------------------------------------------------------===//
// GatherElementsOp, TileOp, TriluOp
//===----------------------------------------------------------------------===//

LogicalResult GatherElementsOp::inferReturnTypes(MLIRContext *,
                                                 std::optional<Location> loc,
                                                 Adaptor adaptor,
                                                 SmallVectorImpl<Type> &inferred) {
  StringRef name = getOperationName();
  auto data = rankedOrNull(adaptor.getData().getType());
  auto indices = rankedOrNull(adaptor.getIndices().getType());
  if (!data || !indices)
    return failure();
  if (data.getRank() != indices.getRank())
    return inferError(loc, name,
                      "expected indices of the data's rank " + Twine(data.getRank()) +
                          ", got rank " + Twine(indices.getRank()));
  if (failed(helpers::checkAxis(loc, name, adaptor.getAxis(), data.getRank())))
    return failure();
  inferred.push_back(RankedTensorType::get(indices.getShape(), data.getElementType()));
  return success();
}

LogicalResult TileOp::inferReturnTypes(MLIRContext *, std::optional<Location> loc,
                                       Adaptor adaptor, SmallVectorImpl<Type> &inferred) {
  StringRef name = getOperationName();
  auto input = rankedOrNull(adaptor.getInput().getType());
  if (!input)
    return failure();
  ArrayRef<int64_t> repeats = adaptor.getRepeats();
  if (static_cast<int64_t>(repeats.size()) != input.getRank())
    return inferError(loc, name,
                      "expected one repeat count per dimension (" +
                          Twine(input.getRank()) + "), got " + Twine(repeats.size()));
  shape::Shape result;
  for (auto [dim, repeat] : llvm::zip_equal(input.getShape(), repeats)) {
    if (repeat < 0)
      return inferError(loc, name,
                        "expected non-negative repeats, got " + shape::toString(repeats));
    int64_t size;
    if (dim == kDynamic)
      size = kDynamic;
    else if (llvm::MulOverflow(dim, repeat, size))
      return inferError(loc, name, "tiled size overflows int64");
    result.push_back(size);
  }
  inferred.push_back(RankedTensorType::get(result, input.getElementType()));
  return success();
}

LogicalResult TriluOp::verify() {
  if (getInput().getType().getRank() < 2)
    return emitOpError("expected an input of rank >= 2, got rank ")
           << getInput().getType().getRank();
  return success();
}

//===----------------------------------------------------------------------===//
// TopKOp, OneHotOp
//===----------------------------------------------------------------------===//

LogicalResult TopKOp::inferReturnTypes(MLIRContext *context, std::optional<Location> loc,
                                       Adaptor adaptor, SmallVectorImpl<Type> &inferred) {
  StringRef name = getOperationName();
  auto input = rankedOrNull(adaptor.getInput().getType());
  if (!input)
    return failure();
  int64_t axis = adaptor.getAxis(), k = adaptor.getK();
  if (failed(helpers::checkAxis(loc, name, axis, input.getRank())))
    return failure();
  int64_t dim = input.getDimSize(axis);
  if (k <= 0 || (dim != kDynamic && k > dim))
    return inferError(loc, name,
                      "expected k in [1, " + Twine(dim) + "] for axis " + Twine(axis) +
                          ", got " + Twine(k));
  shape::Shape result(input.getShape());
  result[axis] = k;
  inferred.push_back(RankedTensorType::get(result, input.getElementType()));
  inferred.push_back(RankedTensorType::get(result, IntegerType::get(context, 64)));
  return success();
}

LogicalResult OneHotOp::verify() {
  RankedTensorType indices = getIndices().getType(), out = getOutput().getType();
  if (getDepth() <= 0)
    return emitOpError("expected a positive depth, got ") << getDepth();
  if (out.getRank() != indices.getRank() + 1)
    return emitOpError("expected a result of rank ")
           << indices.getRank() + 1 << ", got " << out;
  int64_t axis = getAxis();
  if (failed(helpers::checkAxis(getLoc(), getOperationName(), axis, out.getRank())))
    return failure();
  shape::Shape expected(indices.getShape());
  expected.insert(expected.begin() + axis, getDepth());
  if (failed(verifyCompatibleShape(expected, out.getShape())))
    return emitOpError("expected result shape ")
           << shape::toString(expected) << ", got " << out;
  return success();
}

//===----------------------------------------------------------------------===//
// GatherNDOp, ScatterElementsOp, ScatterNDOp
//===----------------------------------------------------------------------===//

LogicalResult GatherNDOp::inferReturnTypes(MLIRContext *, std::optional<Location> loc,
                                           Adaptor adaptor,
                                           SmallVectorImpl<Type> &inferred) {
  StringRef name = getOperationName();
  auto data = rankedOrNull(adaptor.getData().getType());
  auto indices = rankedOrNull(adaptor.getIndices().getType());
  if (!data || !indices)
    return failure();
  int64_t r = data.getRank(), q = indices.getRank(), b = adaptor.getBatchDims();
  if (r < 1 || q < 1)
    return inferError(loc, name, "expected data and indices of rank >= 1");
  if (b < 0 || b >= std::min(q, r))
    return inferError(loc, name,
                      "expected batch_dims in [0, " + Twine(std::min(q, r)) + "), got " +
                          Twine(b));
  int64_t last = indices.getDimSize(q - 1);
  if (last == kDynamic || last < 1 || b + last > r)
    return inferError(loc, name,
                      "the last dimension of indices (" +
                          (last == kDynamic ? std::string("?") : std::to_string(last)) +
                          ") must be static and at most " + Twine(r - b));
  shape::Shape result(indices.getShape().drop_back());
  llvm::append_range(result, data.getShape().drop_front(b + last));
  inferred.push_back(RankedTensorType::get(result, data.getElementType()));
  return success();
}

LogicalResult ScatterElementsOp::verify() {
  RankedTensorType data = getData().getType(), indices = getIndices().getType(),
                   updates = getUpdates().getType();
  if (failed(helpers::verifySameElementType(*this, data, updates)))
    return failure();
  if (indices.getRank() != data.getRank() ||
      failed(verifyCompatibleShape(indices, updates)))
    return emitOpError(
               "expected indices and updates of one shape and the data's rank, got ")
           << indices << " and " << updates;
  return helpers::checkAxis(getLoc(), getOperationName(), getAxis(), data.getRank());
}

LogicalResult ScatterNDOp::verify() {
  RankedTensorType data = getData().getType(), indices = getIndices().getType(),
                   updates = getUpdates().getType();
  if (failed(helpers::verifySameElementType(*this, data, updates)))
    return failure();
  int64_t q = indices.getRank();
  int64_t last = q ? indices.getDimSize(q - 1) : kDynamic;
  if (last == kDynamic || last > data.getRank())
    return emitOpError("the last dimension of indices must be static and at most ")
           << data.getRank();
  shape::Shape expected(indices.getShape().drop_back());
  llvm::append_range(expected, data.getShape().drop_front(last));
  if (failed(verifyCompatibleShape(expected, updates.getShape())))
    return emitOpError("expected updates of shape ")
           << shape::toString(expected) << ", got " << updates;
  return success();
}

//===----------------------------------------------------------------------===//
// MaxUnpoolOp, ReverseSequenceOp, RoiAlignOp, GridSampleOp
//===----------------------------------------------------------------------===//

LogicalResult MaxUnpoolOp::verify() {
  RankedTensorType in = getInput().getType(), out = getOutput().getType();
  if (failed(verifyCompatibleShape(in, getIndices().getType())))
    return emitOpError("expected indices of the input's shape, got ")
           << getIndices().getType();
  if (in.getRank() < 3 || out.getRank() != in.getRank())
    return emitOpError("expected input and result of one rank >= 3, got ")
           << in << " and " << out;
  if (failed(verifyCompatibleShape(in.getShape().take_front(2),
                                   out.getShape().take_front(2))))
    return emitOpError("expected the result to keep N and C of the input, got ") << out;
  return success();
}

LogicalResult ReverseSequenceOp::verify() {
  RankedTensorType in = getInput().getType();
  int64_t batch = getBatchAxis(), time = getTimeAxis();
  if (in.getRank() < 2)
    return emitOpError("expected an input of rank >= 2, got ") << in;
  if (batch < 0 || batch > 1 || time < 0 || time > 1 || batch == time)
    return emitOpError("expected batch_axis and time_axis to be 0 and 1 in some order");
  RankedTensorType lens = getSequenceLens().getType();
  if (lens.getRank() != 1 ||
      failed(verifyCompatibleShape({lens.getDimSize(0)}, {in.getDimSize(batch)})))
    return emitOpError("expected sequence_lens of shape [")
           << in.getDimSize(batch) << "], got " << lens;
  return success();
}

LogicalResult RoiAlignOp::inferReturnTypes(MLIRContext *, std::optional<Location> loc,
                                           Adaptor adaptor,
                                           SmallVectorImpl<Type> &inferred) {
  StringRef name = getOperationName();
  auto input = rankedOrNull(adaptor.getInput().getType());
  auto rois = rankedOrNull(adaptor.getRois().getType());
  auto batch = rankedOrNull(adaptor.getBatchIndices().getType());
  if (!input || !rois || !batch)
    return failure();
  if (input.getRank() != 4 || rois.getRank() != 2 || batch.getRank() != 1)
    return inferError(loc, name, "expected a 4-D input, R x 4 rois and R batch indices");
  if (rois.getDimSize(1) != 4 && rois.getDimSize(1) != kDynamic)
    return inferError(loc, name, "expected rois of shape R x 4");
  if (failed(verifyCompatibleShape({rois.getDimSize(0)}, {batch.getDimSize(0)})))
    return inferError(loc, name, "expected one batch index per region");
  int64_t h = adaptor.getOutputHeight(), w = adaptor.getOutputWidth();
  if (h <= 0 || w <= 0)
    return inferError(loc, name, "expected a positive output size");
  inferred.push_back(RankedTensorType::get(
      {rois.getDimSize(0), input.getDimSize(1), h, w}, input.getElementType()));
  return success();
}

LogicalResult GridSampleOp::inferReturnTypes(MLIRContext *, std::optional<Location> loc,
                                             Adaptor adaptor,
                                             SmallVectorImpl<Type> &inferred) {
  StringRef name = getOperationName();
  auto input = rankedOrNull(adaptor.getInput().getType());
  auto grid = rankedOrNull(adaptor.getGrid().getType());
  if (!input || !grid)
    return failure();
  if (input.getRank() != 4 || grid.getRank() != 4 ||
      (grid.getDimSize(3) != 2 && grid.getDimSize(3) != kDynamic))
    return inferError(loc, name, "expected a 4-D input and an N x H x W x 2 grid");
  if (failed(verifyCompatibleShape({input.getDimSize(0)}, {grid.getDimSize(0)})))
    return inferError(loc, name, "expected the grid's batch to match the input's");
  inferred.push_back(RankedTensorType::get(
      {input.getDimSize(0), input.getDimSize(1), grid.getDimSize(1), grid.getDimSize(2)},
      input.getElementType()));
  return success();
}
