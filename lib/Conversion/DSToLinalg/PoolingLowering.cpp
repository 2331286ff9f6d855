//===- PoolingLowering.cpp - max/average/global pooling to linalg ---------===//
//
// Windowed pooling is one linalg.generic over (n, c, out..., window...) reading
// the padded input at out * stride + window * dilation; a window-shaped empty
// tensor gives the window loops their bounds, as linalg's named pooling ops do.
// Average pooling divides by a per-position count computed in closed form, so
// count_include_pad and the ceil_mode tail follow ONNX exactly.
//
//===----------------------------------------------------------------------===//

#include "LoweringUtils.h"

#include "mlir/Dialect/Quant/IR/Quant.h"
#include "mlir/Dialect/Quant/IR/QuantTypes.h"

using namespace mlir;
using namespace mlir::ds;
using namespace mlir::ds::lowering;

namespace {

struct WindowSpec {
  ArrayRef<int64_t> kernel, strides, pads, dilations;
};

/// Pads |input| so that every window of |outType| lies inside, then reduces
/// each window with |combine| starting from |init|.
Value buildWindowReduction(OpBuilder &b, Location loc, Value input, RankedTensorType outType,
                           const WindowSpec &w, Value padValue, Value init,
                           function_ref<Value(OpBuilder &, Location, Value, Value)> combine) {
  MLIRContext *ctx = b.getContext();
  auto inType = cast<RankedTensorType>(input.getType());
  int64_t d = inType.getRank() - 2;
  SmallVector<int64_t> low(2, 0), high(2, 0), padded(inType.getShape());
  bool anyPad = false;
  for (int64_t i = 0; i < d; ++i) {
    int64_t dil = w.dilations.empty() ? 1 : w.dilations[i];
    int64_t needed = windowExtent(outType.getDimSize(2 + i), w.kernel[i], w.strides[i], dil);
    int64_t begin = w.pads.empty() ? 0 : w.pads[i];
    int64_t end = std::max<int64_t>(needed - inType.getDimSize(2 + i) - begin, 0);
    low.push_back(begin);
    high.push_back(end);
    padded[2 + i] += begin + end;
    anyPad |= begin != 0 || end != 0;
  }
  if (anyPad)
    input = padTensor(b, loc, RankedTensorType::get(padded, inType.getElementType()), input,
                      low, high, padValue);
  Value window = tensor::EmptyOp::create(b, loc, w.kernel, b.getI1Type());
  int64_t numLoops = 2 + 2 * d;
  auto dim = [&](int64_t i) { return getAffineDimExpr(i, ctx); };
  SmallVector<AffineExpr> inExprs{dim(0), dim(1)}, winExprs, outExprs{dim(0), dim(1)};
  for (int64_t i = 0; i < d; ++i) {
    int64_t dil = w.dilations.empty() ? 1 : w.dilations[i];
    inExprs.push_back(dim(2 + i) * w.strides[i] + dim(2 + d + i) * dil);
    winExprs.push_back(dim(2 + d + i));
    outExprs.push_back(dim(2 + i));
  }
  SmallVector<AffineMap> maps{AffineMap::get(numLoops, 0, inExprs, ctx),
                              AffineMap::get(numLoops, 0, winExprs, ctx),
                              AffineMap::get(numLoops, 0, outExprs, ctx)};
  SmallVector<utils::IteratorType> iterators(2 + d, utils::IteratorType::parallel);
  iterators.append(d, utils::IteratorType::reduction);
  return linalg::GenericOp::create(b, loc, TypeRange{outType}, ValueRange{input, window},
                                   ValueRange{filledTensor(b, loc, outType, init)}, maps,
                                   iterators,
                                   [&](OpBuilder &nb, Location nloc, ValueRange args) {
                                     linalg::YieldOp::create(
                                         nb, nloc, combine(nb, nloc, args[0], args[2]));
                                   })
      .getResult(0);
}

struct MaxPoolLowering : OpRewritePattern<MaxPoolOp> {
  using OpRewritePattern::OpRewritePattern;
  LogicalResult matchAndRewrite(MaxPoolOp op, PatternRewriter &rewriter) const override {
    if (failed(requireStaticShapes(op, rewriter)))
      return failure();
    Location loc = op.getLoc();
    auto outType = cast<RankedTensorType>(op.getType());
    // A quantized tensor pools its storage (max commutes with the increasing
    // dequantization), compared unsigned for u8.
    auto quantized = dyn_cast<quant::UniformQuantizedType>(outType.getElementType());
    if (isa<quant::QuantizedType>(outType.getElementType()) &&
        (!quantized || quantized.getScale() <= 0))
      return rewriter.notifyMatchFailure(op, "quantized per tensor with a positive scale only");
    Value input = quantized ? storageOf(rewriter, loc, op.getInput()) : op.getInput();
    bool isUnsigned = quantized ? !quantized.isSigned() : isUnsignedOp(op);
    if (quantized)
      outType = outType.clone(getElementTypeOrSelf(input.getType()));
    Value result;
    if (op->hasAttr(kChannelsLastAttr)) {
      result = buildChannelsLastMaxPool(rewriter, loc, op, input, outType, isUnsigned);
    } else {
      Value lowest = lowestValue(rewriter, loc, outType.getElementType(), isUnsigned);
      WindowSpec w{op.getKernelShape(), op.getStrides(), op.getPads(), op.getDilations()};
      result = buildWindowReduction(rewriter, loc, input, outType, w, lowest, lowest,
                                    [&](OpBuilder &b, Location l, Value x, Value acc) {
                                      return maximum(b, l, acc, x, isUnsigned);
                                    });
    }
    if (quantized)
      result = quant::StorageCastOp::create(rewriter, loc, op.getType(), result);
    rewriter.replaceOp(op, result);
    return success();
  }
};

struct AveragePoolLowering : OpRewritePattern<AveragePoolOp> {
  using OpRewritePattern::OpRewritePattern;
  LogicalResult matchAndRewrite(AveragePoolOp op, PatternRewriter &rewriter) const override {
    if (failed(requireStaticShapes(op, rewriter)))
      return failure();
    Location loc = op.getLoc();
    auto outType = cast<RankedTensorType>(op.getType());
    auto inType = cast<RankedTensorType>(op.getInput().getType());
    Type elem = outType.getElementType();
    Value zero = scalarConstant(rewriter, loc, elem, 0);
    WindowSpec w{op.getKernelShape(), op.getStrides(), op.getPads(), {}};
    Value sums = buildWindowReduction(
        rewriter, loc, op.getInput(), outType, w, zero, zero,
        [](OpBuilder &b, Location l, Value x, Value acc) { return add(b, l, acc, x); });
    // Divisor: the number of window positions inside [lo, hi) per spatial dim,
    // where [lo, hi) is the input (or the input plus its explicit pads).
    int64_t d = inType.getRank() - 2;
    bool includePad = op.getCountIncludePad();
    ArrayRef<int64_t> kernel = op.getKernelShape(), strides = op.getStrides();
    SmallVector<int64_t> pads(op.getPads());
    pads.resize(2 * d, 0);
    Value result = buildIndexed(
        rewriter, loc, outType, [&](OpBuilder &b, Location l, ValueRange idx) -> Value {
          auto c = [&](int64_t v) { return arith::ConstantIndexOp::create(b, l, v); };
          Value count = c(1);
          for (int64_t i = 0; i < d; ++i) {
            int64_t begin = pads[i], end = pads[d + i];
            int64_t lo = includePad ? -begin : 0;
            int64_t hi = inType.getDimSize(2 + i) + (includePad ? end : 0);
            // Window start in input coordinates: o * stride - pad_begin.
            Value start = arith::SubIOp::create(
                b, l, arith::MulIOp::create(b, l, idx[2 + i], c(strides[i])), c(begin));
            Value first = arith::MaxSIOp::create(b, l, start, c(lo));
            Value last = arith::MinSIOp::create(
                b, l, arith::AddIOp::create(b, l, start, c(kernel[i])), c(hi));
            Value n = arith::MaxSIOp::create(b, l, arith::SubIOp::create(b, l, last, first), c(0));
            count = arith::MulIOp::create(b, l, count, n);
          }
          Value countF = arith::SIToFPOp::create(
              b, l, elem, arith::IndexCastOp::create(b, l, b.getI64Type(), count));
          Value sum = tensor::ExtractOp::create(b, l, sums, idx);
          return arith::DivFOp::create(b, l, sum, countF);
        });
    rewriter.replaceOp(op, result);
    return success();
  }
};

template <typename OpTy, bool IsMax>
struct GlobalPoolLowering : OpRewritePattern<OpTy> {
  using OpRewritePattern<OpTy>::OpRewritePattern;
  LogicalResult matchAndRewrite(OpTy op, PatternRewriter &rewriter) const override {
    if (failed(requireStaticShapes(op, rewriter)))
      return failure();
    Location loc = op.getLoc();
    auto inType = cast<RankedTensorType>(op.getInput().getType());
    auto outType = cast<RankedTensorType>(op.getType());
    Type elem = outType.getElementType();
    SmallVector<int64_t> axes;
    int64_t count = 1;
    for (int64_t d = 2; d < inType.getRank(); ++d) {
      axes.push_back(d);
      count *= inType.getDimSize(d);
    }
    // Channels-last: reduce H and W of the NHWC producer (the channels stay
    // innermost, the loop over them vectorizes); [N, C] reshapes to NCHW.
    Value input = op.getInput();
    if (op->hasAttr(kChannelsLastAttr)) {
      input = toChannelsLast(rewriter, loc, input);
      axes = {1, 2};
    }
    Value init = IsMax ? lowestValue(rewriter, loc, elem) : scalarConstant(rewriter, loc, elem, 0);
    Value reduced = buildReduction(
        rewriter, loc, input, axes, init,
        [](OpBuilder &b, Location l, Value x, Value acc) {
          return IsMax ? maximum(b, l, acc, x) : add(b, l, acc, x);
        });
    if (!IsMax)
      reduced = divideByConstant(rewriter, loc, reduced, count);
    rewriter.replaceOp(op, reshapeTo(rewriter, loc, reduced, outType));
    return success();
  }
};

} // namespace

void mlir::ds::lowering::populatePoolingLoweringPatterns(RewritePatternSet &patterns) {
  patterns.add<MaxPoolLowering, AveragePoolLowering,
               GlobalPoolLowering<GlobalAveragePoolOp, false>,
               GlobalPoolLowering<GlobalMaxPoolOp, true>>(patterns.getContext());
}
