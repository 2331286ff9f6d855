//===- DataMovementLowering.cpp - reshapes, slicing, gathers, padding -----===//
//
// Shape-only ops become tensor reshapes (views after bufferization). Strided
// access with affine addresses (slice with any step, tile, expand, transpose)
// is a linalg.generic with the address in its indexing map; data-dependent
// addresses (gathers, pad modes) compute the index in the body and
// tensor.extract. Indices are clamped into range so that bad data can never
// read outside a buffer (ONNX leaves out-of-range indices undefined).
//
//===----------------------------------------------------------------------===//

#include "LoweringUtils.h"

#include "mlir/Dialect/Quant/IR/Quant.h"
#include "mlir/Dialect/Quant/IR/QuantTypes.h"

using namespace mlir;
using namespace mlir::ds;
using namespace mlir::ds::lowering;

namespace {

struct ConstantLowering : OpRewritePattern<ConstantOp> {
  using OpRewritePattern::OpRewritePattern;
  LogicalResult matchAndRewrite(ConstantOp op, PatternRewriter &rewriter) const override {
    auto type = cast<RankedTensorType>(op.getType());
    if (!type.getElementType().isSignlessIntOrFloat())
      return rewriter.notifyMatchFailure(op, "only signless integer and float constants");
    rewriter.replaceOpWithNewOp<arith::ConstantOp>(op, type, cast<TypedAttr>(op.getValue()));
    return success();
  }
};

/// Every op that only changes the shape: one static reshape.
template <typename OpTy>
struct ReshapeLikeLowering : OpRewritePattern<OpTy> {
  using OpRewritePattern<OpTy>::OpRewritePattern;
  LogicalResult matchAndRewrite(OpTy op, PatternRewriter &rewriter) const override {
    if (failed(requireStaticShapes(op, rewriter)))
      return failure();
    auto type = cast<RankedTensorType>(op->getResult(0).getType());
    Location loc = op.getLoc();
    if (!isa<quant::QuantizedType>(type.getElementType())) {
      rewriter.replaceOp(op, reshapeTo(rewriter, loc, op->getOperand(0), type));
      return success();
    }
    // A quantized tensor: its integer storage reshaped, handed on as the
    // quantized type (the consumers' lowerings peel the cast off again).
    Value storage = storageOf(rewriter, loc, op->getOperand(0));
    auto storageType = type.clone(getElementTypeOrSelf(storage.getType()));
    rewriter.replaceOpWithNewOp<quant::StorageCastOp>(
        op, type, reshapeTo(rewriter, loc, storage, storageType));
    return success();
  }
};

struct ExpandLowering : OpRewritePattern<ExpandOp> {
  using OpRewritePattern::OpRewritePattern;
  LogicalResult matchAndRewrite(ExpandOp op, PatternRewriter &rewriter) const override {
    if (failed(requireStaticShapes(op, rewriter)))
      return failure();
    rewriter.replaceOp(op, buildElementwise(rewriter, op.getLoc(),
                                            cast<RankedTensorType>(op.getType()), op.getInput(),
                                            [](OpBuilder &, Location, ValueRange a) { return a[0]; }));
    return success();
  }
};

struct TransposeLowering : OpRewritePattern<TransposeOp> {
  using OpRewritePattern::OpRewritePattern;
  LogicalResult matchAndRewrite(TransposeOp op, PatternRewriter &rewriter) const override {
    if (failed(requireStaticShapes(op, rewriter)))
      return failure();
    auto type = cast<RankedTensorType>(op.getType());
    Value init = emptyTensor(rewriter, op.getLoc(), type);
    rewriter.replaceOp(op, linalg::TransposeOp::create(rewriter, op.getLoc(), op.getInput(),
                                                       init, op.getPerm())
                               .getResult());
    return success();
  }
};

/// A generic reading |input| through an affine map of the output indices.
Value buildAffineCopy(OpBuilder &b, Location loc, Value input, RankedTensorType outType,
                      AffineMap inputMap) {
  int64_t rank = outType.getRank();
  SmallVector<utils::IteratorType> iterators(rank, utils::IteratorType::parallel);
  return linalg::GenericOp::create(
             b, loc, TypeRange{outType}, ValueRange{input},
             ValueRange{emptyTensor(b, loc, outType)},
             SmallVector<AffineMap>{inputMap, b.getMultiDimIdentityMap(rank)}, iterators,
             [](OpBuilder &nb, Location nloc, ValueRange a) {
               linalg::YieldOp::create(nb, nloc, a[0]);
             })
      .getResult(0);
}

struct SliceLowering : OpRewritePattern<SliceOp> {
  using OpRewritePattern::OpRewritePattern;
  LogicalResult matchAndRewrite(SliceOp op, PatternRewriter &rewriter) const override {
    if (failed(requireStaticShapes(op, rewriter)))
      return failure();
    auto inType = cast<RankedTensorType>(op.getInput().getType());
    auto outType = cast<RankedTensorType>(op.getType());
    MLIRContext *ctx = getContext();
    if (outType.getNumElements() == 0)
      return rewriter.notifyMatchFailure(op, "empty result");
    // starts/steps are per dim of the input, already clamped by the importer
    // and the verifier. Positive steps are a strided view; a negative step reads
    // start + i * step through the indexing map (never a plain dim expression,
    // so linalg takes the loop bounds from the result).
    ArrayRef<int64_t> starts = op.getStarts(), steps = op.getSteps();
    // 1. The positive-step dims as a strided view (negative-step dims kept whole).
    SmallVector<OpFoldResult> offsets, sizes, strides;
    SmallVector<int64_t> viewShape;
    for (int64_t d = 0; d < inType.getRank(); ++d) {
      bool forward = steps[d] > 0;
      viewShape.push_back(forward ? outType.getDimSize(d) : inType.getDimSize(d));
      offsets.push_back(rewriter.getIndexAttr(forward ? starts[d] : 0));
      sizes.push_back(rewriter.getIndexAttr(viewShape.back()));
      strides.push_back(rewriter.getIndexAttr(forward ? steps[d] : 1));
    }
    auto viewType = RankedTensorType::get(viewShape, inType.getElementType());
    Value view = tensor::ExtractSliceOp::create(rewriter, op.getLoc(), viewType, op.getInput(),
                                                offsets, sizes, strides);
    if (llvm::all_of(steps, [](int64_t s) { return s > 0; })) {
      rewriter.replaceOp(op, view);
      return success();
    }
    // 2. The negative-step dims read start + i * step through the indexing map.
    SmallVector<AffineExpr> exprs;
    for (int64_t d = 0; d < inType.getRank(); ++d)
      exprs.push_back(steps[d] > 0 ? getAffineDimExpr(d, ctx)
                                   : getAffineDimExpr(d, ctx) * steps[d] + starts[d]);
    rewriter.replaceOp(op, buildAffineCopy(rewriter, op.getLoc(), view, outType,
                                           AffineMap::get(outType.getRank(), 0, exprs, ctx)));
    return success();
  }
};

struct TileLowering : OpRewritePattern<TileOp> {
  using OpRewritePattern::OpRewritePattern;
  LogicalResult matchAndRewrite(TileOp op, PatternRewriter &rewriter) const override {
    if (failed(requireStaticShapes(op, rewriter)))
      return failure();
    auto inType = cast<RankedTensorType>(op.getInput().getType());
    auto outType = cast<RankedTensorType>(op.getType());
    MLIRContext *ctx = getContext();
    SmallVector<AffineExpr> exprs;
    for (int64_t d = 0; d < inType.getRank(); ++d)
      exprs.push_back(getAffineDimExpr(d, ctx) % inType.getDimSize(d));
    rewriter.replaceOp(op, buildAffineCopy(rewriter, op.getLoc(), op.getInput(), outType,
                                           AffineMap::get(outType.getRank(), 0, exprs, ctx)));
    return success();
  }
};

struct ConcatLowering : OpRewritePattern<ConcatOp> {
  using OpRewritePattern::OpRewritePattern;
  LogicalResult matchAndRewrite(ConcatOp op, PatternRewriter &rewriter) const override {
    if (failed(requireStaticShapes(op, rewriter)))
      return failure();
    Location loc = op.getLoc();
    if (op->hasAttr(kChannelsLastAttr)) {
      rewriter.replaceOp(op, buildChannelsLastConcat(rewriter, loc, op));
      return success();
    }
    auto outType = cast<RankedTensorType>(op.getType());
    rewriter.replaceOp(op, concatenate(rewriter, loc, op.getInputs(), outType,
                                       positiveAxis(op.getAxis(), outType.getRank())));
    return success();
  }
};

struct SplitLowering : OpRewritePattern<SplitOp> {
  using OpRewritePattern::OpRewritePattern;
  LogicalResult matchAndRewrite(SplitOp op, PatternRewriter &rewriter) const override {
    if (failed(requireStaticShapes(op, rewriter)))
      return failure();
    Location loc = op.getLoc();
    auto inType = cast<RankedTensorType>(op.getInput().getType());
    int64_t rank = inType.getRank();
    int64_t axis = positiveAxis(op.getAxis(), rank);
    SmallVector<Value> results;
    int64_t offset = 0;
    for (Value out : op.getOutputs()) {
      auto outType = cast<RankedTensorType>(out.getType());
      SmallVector<OpFoldResult> offsets(rank, rewriter.getIndexAttr(0)), sizes,
          strides(rank, rewriter.getIndexAttr(1));
      for (int64_t s : outType.getShape())
        sizes.push_back(rewriter.getIndexAttr(s));
      offsets[axis] = rewriter.getIndexAttr(offset);
      results.push_back(tensor::ExtractSliceOp::create(rewriter, loc, outType, op.getInput(),
                                                       offsets, sizes, strides));
      offset += outType.getDimSize(axis);
    }
    rewriter.replaceOp(op, results);
    return success();
  }
};

struct GatherLowering : OpRewritePattern<GatherOp> {
  using OpRewritePattern::OpRewritePattern;
  LogicalResult matchAndRewrite(GatherOp op, PatternRewriter &rewriter) const override {
    if (failed(requireStaticShapes(op, rewriter)))
      return failure();
    auto dataType = cast<RankedTensorType>(op.getData().getType());
    auto idxType = cast<RankedTensorType>(op.getIndices().getType());
    auto outType = cast<RankedTensorType>(op.getType());
    int64_t axis = positiveAxis(op.getAxis(), dataType.getRank());
    int64_t q = idxType.getRank();
    Value data = op.getData(), indices = op.getIndices();
    // out[a..., j..., b...] = data[a..., indices[j...], b...]
    Value result = buildIndexed(
        rewriter, op.getLoc(), outType, [&](OpBuilder &b, Location l, ValueRange idx) -> Value {
          SmallVector<Value> idxPos(idx.begin() + axis, idx.begin() + axis + q);
          Value raw = tensor::ExtractOp::create(b, l, indices, idxPos);
          SmallVector<Value> src(idx.begin(), idx.begin() + axis);
          src.push_back(clampedIndex(b, l, raw, dataType.getDimSize(axis)));
          src.append(idx.begin() + axis + q, idx.end());
          return tensor::ExtractOp::create(b, l, data, src);
        });
    rewriter.replaceOp(op, result);
    return success();
  }
};

struct GatherElementsLowering : OpRewritePattern<GatherElementsOp> {
  using OpRewritePattern::OpRewritePattern;
  LogicalResult matchAndRewrite(GatherElementsOp op, PatternRewriter &rewriter) const override {
    if (failed(requireStaticShapes(op, rewriter)))
      return failure();
    auto dataType = cast<RankedTensorType>(op.getData().getType());
    auto outType = cast<RankedTensorType>(op.getType());
    int64_t axis = positiveAxis(op.getAxis(), dataType.getRank());
    Value data = op.getData(), indices = op.getIndices();
    Value result = buildIndexed(
        rewriter, op.getLoc(), outType, [&](OpBuilder &b, Location l, ValueRange idx) -> Value {
          Value raw = tensor::ExtractOp::create(b, l, indices, idx);
          SmallVector<Value> src(idx);
          src[axis] = clampedIndex(b, l, raw, dataType.getDimSize(axis));
          return tensor::ExtractOp::create(b, l, data, src);
        });
    rewriter.replaceOp(op, result);
    return success();
  }
};

struct GatherNDLowering : OpRewritePattern<GatherNDOp> {
  using OpRewritePattern::OpRewritePattern;
  LogicalResult matchAndRewrite(GatherNDOp op, PatternRewriter &rewriter) const override {
    if (failed(requireStaticShapes(op, rewriter)))
      return failure();
    auto dataType = cast<RankedTensorType>(op.getData().getType());
    auto idxType = cast<RankedTensorType>(op.getIndices().getType());
    auto outType = cast<RankedTensorType>(op.getType());
    int64_t batch = op.getBatchDims();
    int64_t q = idxType.getRank(), k = idxType.getDimSize(q - 1);
    Value data = op.getData(), indices = op.getIndices();
    // out[batch..., j..., rest...] = data[batch..., indices[batch..., j..., :], rest...]
    Value result = buildIndexed(
        rewriter, op.getLoc(), outType, [&](OpBuilder &b, Location l, ValueRange idx) -> Value {
          SmallVector<Value> src(idx.begin(), idx.begin() + batch);
          SmallVector<Value> idxPos(idx.begin(), idx.begin() + (q - 1));
          idxPos.push_back(Value());
          for (int64_t i = 0; i < k; ++i) {
            idxPos.back() = arith::ConstantIndexOp::create(b, l, i);
            Value raw = tensor::ExtractOp::create(b, l, indices, idxPos);
            src.push_back(clampedIndex(b, l, raw, dataType.getDimSize(batch + i)));
          }
          src.append(idx.begin() + (q - 1), idx.end());
          return tensor::ExtractOp::create(b, l, data, src);
        });
    rewriter.replaceOp(op, result);
    return success();
  }
};

/// reverse_sequence: out[..t..b..] = in[..t'..b..] with t' = len[b] - 1 - t
/// for t < len[b] (len clamped to the time dim) and t otherwise.
struct ReverseSequenceLowering : OpRewritePattern<ReverseSequenceOp> {
  using OpRewritePattern::OpRewritePattern;
  LogicalResult matchAndRewrite(ReverseSequenceOp op, PatternRewriter &rewriter) const override {
    if (failed(requireStaticShapes(op, rewriter)))
      return failure();
    auto type = cast<RankedTensorType>(op.getType());
    int64_t batchAxis = op.getBatchAxis(), timeAxis = op.getTimeAxis();
    int64_t steps = type.getDimSize(timeAxis);
    Value input = op.getInput(), lens = op.getSequenceLens();
    Value result = buildIndexed(
        rewriter, op.getLoc(), type, [&](OpBuilder &b, Location l, ValueRange idx) -> Value {
          Value raw = tensor::ExtractOp::create(b, l, lens, ValueRange{idx[batchAxis]});
          // Lengths outside [0, steps] are clamped; the index-typed value is
          // the count of reversed steps.
          Value len = arith::IndexCastOp::create(b, l, b.getIndexType(), raw);
          Value zero = arith::ConstantIndexOp::create(b, l, 0);
          Value max = arith::ConstantIndexOp::create(b, l, steps);
          len = arith::MinSIOp::create(b, l, arith::MaxSIOp::create(b, l, len, zero), max);
          Value t = idx[timeAxis];
          Value inside = arith::CmpIOp::create(b, l, arith::CmpIPredicate::slt, t, len);
          Value one = arith::ConstantIndexOp::create(b, l, 1);
          Value mirrored =
              arith::SubIOp::create(b, l, arith::SubIOp::create(b, l, len, one), t);
          SmallVector<Value> src(idx);
          src[timeAxis] = arith::SelectOp::create(b, l, inside, mirrored, t);
          return tensor::ExtractOp::create(b, l, input, src);
        });
    rewriter.replaceOp(op, result);
    return success();
  }
};

struct TriluLowering : OpRewritePattern<TriluOp> {
  using OpRewritePattern::OpRewritePattern;
  LogicalResult matchAndRewrite(TriluOp op, PatternRewriter &rewriter) const override {
    if (failed(requireStaticShapes(op, rewriter)))
      return failure();
    auto type = cast<RankedTensorType>(op.getType());
    int64_t rank = type.getRank(), k = op.getK();
    bool upper = op.getUpper();
    Value result = buildElementwise(
        rewriter, op.getLoc(), type, op.getInput(),
        [&](OpBuilder &b, Location l, ValueRange a) -> Value {
          // Keep when j - i >= k (upper) or j - i <= k (lower).
          Value i = linalg::IndexOp::create(b, l, rank - 2);
          Value j = linalg::IndexOp::create(b, l, rank - 1);
          Value diff = arith::SubIOp::create(b, l, j, i);
          Value kv = arith::ConstantIndexOp::create(b, l, k);
          Value keep = arith::CmpIOp::create(
              b, l, upper ? arith::CmpIPredicate::sge : arith::CmpIPredicate::sle, diff, kv);
          return arith::SelectOp::create(b, l, keep, a[0],
                                         scalarConstant(b, l, type.getElementType(), 0));
        });
    rewriter.replaceOp(op, result);
    return success();
  }
};

struct OneHotLowering : OpRewritePattern<OneHotOp> {
  using OpRewritePattern::OpRewritePattern;
  LogicalResult matchAndRewrite(OneHotOp op, PatternRewriter &rewriter) const override {
    if (failed(requireStaticShapes(op, rewriter)))
      return failure();
    auto outType = cast<RankedTensorType>(op.getType());
    int64_t rank = outType.getRank();
    int64_t axis = positiveAxis(op.getAxis(), rank);
    int64_t depth = op.getDepth();
    double on = op.getOnValue().convertToDouble(), off = op.getOffValue().convertToDouble();
    Value indices = op.getIndices();
    Type elem = outType.getElementType();
    Value result = buildIndexed(
        rewriter, op.getLoc(), outType, [&](OpBuilder &b, Location l, ValueRange idx) -> Value {
          SmallVector<Value> pos(idx.begin(), idx.begin() + axis);
          pos.append(idx.begin() + axis + 1, idx.end());
          Value raw = tensor::ExtractOp::create(b, l, indices, pos);
          Value i = arith::IndexCastOp::create(b, l, b.getIndexType(), raw);
          Value negative = arith::CmpIOp::create(b, l, arith::CmpIPredicate::slt, i,
                                                 arith::ConstantIndexOp::create(b, l, 0));
          i = arith::SelectOp::create(
              b, l, negative,
              arith::AddIOp::create(b, l, i, arith::ConstantIndexOp::create(b, l, depth)), i);
          Value hit = arith::CmpIOp::create(b, l, arith::CmpIPredicate::eq, i, idx[axis]);
          return arith::SelectOp::create(b, l, hit, scalarConstant(b, l, elem, on),
                                         scalarConstant(b, l, elem, off));
        });
    rewriter.replaceOp(op, result);
    return success();
  }
};

struct PadLowering : OpRewritePattern<PadOp> {
  using OpRewritePattern::OpRewritePattern;
  LogicalResult matchAndRewrite(PadOp op, PatternRewriter &rewriter) const override {
    if (failed(requireStaticShapes(op, rewriter)))
      return failure();
    Location loc = op.getLoc();
    auto inType = cast<RankedTensorType>(op.getInput().getType());
    auto outType = cast<RankedTensorType>(op.getType());
    int64_t rank = inType.getRank();
    ArrayRef<int64_t> pads = op.getPads();
    Value input = op.getInput();
    if (op.getMode() == PadMode::Constant) {
      // Negative pads crop; do them as a slice, then pad by the positive parts.
      bool crop = llvm::any_of(pads, [](int64_t p) { return p < 0; });
      if (crop) {
        SmallVector<OpFoldResult> offsets, sizes, strides(rank, rewriter.getIndexAttr(1));
        SmallVector<int64_t> shape;
        for (int64_t d = 0; d < rank; ++d) {
          int64_t lo = std::max<int64_t>(-pads[d], 0), hi = std::max<int64_t>(-pads[rank + d], 0);
          shape.push_back(inType.getDimSize(d) - lo - hi);
          offsets.push_back(rewriter.getIndexAttr(lo));
          sizes.push_back(rewriter.getIndexAttr(shape.back()));
        }
        input = tensor::ExtractSliceOp::create(
            rewriter, loc, RankedTensorType::get(shape, inType.getElementType()), input,
            offsets, sizes, strides);
      }
      SmallVector<int64_t> low, high;
      for (int64_t d = 0; d < rank; ++d) {
        low.push_back(std::max<int64_t>(pads[d], 0));
        high.push_back(std::max<int64_t>(pads[rank + d], 0));
      }
      Value value = scalarConstant(rewriter, loc, inType.getElementType(),
                                   op.getValue().convertToDouble());
      rewriter.replaceOp(op, padTensor(rewriter, loc, outType, input, low, high, value));
      return success();
    }
    PadMode mode = op.getMode();
    Value result = buildIndexed(
        rewriter, loc, outType, [&](OpBuilder &b, Location l, ValueRange idx) -> Value {
          SmallVector<Value> src;
          for (int64_t d = 0; d < rank; ++d) {
            int64_t n = inType.getDimSize(d);
            auto c = [&](int64_t v) { return arith::ConstantIndexOp::create(b, l, v); };
            Value i = arith::SubIOp::create(b, l, idx[d], c(pads[d]));
            if (mode == PadMode::Edge) {
              i = arith::MinSIOp::create(b, l, arith::MaxSIOp::create(b, l, i, c(0)), c(n - 1));
            } else {
              // Reflect: mirror without repeating the edge, period 2(n-1).
              if (n == 1) {
                i = c(0);
              } else {
                Value period = c(2 * (n - 1));
                Value m = arith::RemSIOp::create(b, l, i, period);
                Value neg = arith::CmpIOp::create(b, l, arith::CmpIPredicate::slt, m, c(0));
                m = arith::SelectOp::create(b, l, neg, arith::AddIOp::create(b, l, m, period), m);
                Value over = arith::CmpIOp::create(b, l, arith::CmpIPredicate::sge, m, c(n));
                i = arith::SelectOp::create(b, l, over, arith::SubIOp::create(b, l, period, m), m);
              }
            }
            src.push_back(i);
          }
          return tensor::ExtractOp::create(b, l, input, src);
        });
    rewriter.replaceOp(op, result);
    return success();
  }
};

} // namespace

void mlir::ds::lowering::populateDataMovementLoweringPatterns(RewritePatternSet &patterns) {
  patterns.add<ConstantLowering, ReshapeLikeLowering<ReshapeOp>, ReshapeLikeLowering<FlattenOp>,
               ReshapeLikeLowering<SqueezeOp>, ReshapeLikeLowering<UnsqueezeOp>, ExpandLowering,
               TransposeLowering, SliceLowering, TileLowering, ConcatLowering, SplitLowering,
               GatherLowering, GatherElementsLowering, GatherNDLowering, TriluLowering,
               OneHotLowering, PadLowering, ReverseSequenceLowering>(patterns.getContext());
}
