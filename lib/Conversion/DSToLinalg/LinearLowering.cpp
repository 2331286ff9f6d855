//===- LinearLowering.cpp - conv, conv_transpose, gemm, matmul, batch_norm --===//
//
// Contractions lower to linalg named ops where one fits exactly (2-D convs with
// one group, depthwise 2-D convs) and to a linalg.generic contraction
// otherwise. Fused epilogues (bias, residual, activation) become one
// elementwise linalg.generic over the contraction's result, which the
// elementwise-fusion stage can merge further.
//
//===----------------------------------------------------------------------===//

#include "LoweringUtils.h"

#include "mlir/Dialect/Utils/StructuredOpsUtils.h"

using namespace mlir;
using namespace mlir::ds;
using namespace mlir::ds::lowering;

namespace {

/// Zero-pads the spatial dims (2..) of |input| by |pads| (begins then ends).
Value padSpatial(OpBuilder &b, Location loc, Value input, ArrayRef<int64_t> pads,
                 Value padValue) {
  auto type = cast<RankedTensorType>(input.getType());
  int64_t spatial = type.getRank() - 2;
  if (llvm::all_of(pads, [](int64_t p) { return p == 0; }))
    return input;
  SmallVector<int64_t> low(2, 0), high(2, 0), shape(type.getShape());
  for (int64_t i = 0; i < spatial; ++i) {
    low.push_back(pads[i]);
    high.push_back(pads[spatial + i]);
    shape[2 + i] += pads[i] + pads[spatial + i];
  }
  auto paddedType = RankedTensorType::get(shape, type.getElementType());
  return padTensor(b, loc, paddedType, input, low, high, padValue);
}

/// The grouped convolution of an already padded |input| [N, C, X...] with
/// |weight| [F, C/G, K...] into |outType| [N, F, O...] as one linalg.generic over
/// (n, g, f, o..., c, k...) on group-expanded views of the operands.
Value buildGroupedConv(OpBuilder &b, Location loc, Value input, Value weight,
                       RankedTensorType outType, ArrayRef<int64_t> strides,
                       ArrayRef<int64_t> dilations, int64_t groups) {
  MLIRContext *ctx = b.getContext();
  auto inType = cast<RankedTensorType>(input.getType());
  auto wType = cast<RankedTensorType>(weight.getType());
  int64_t d = outType.getRank() - 2;
  int64_t n = inType.getDimSize(0), c = inType.getDimSize(1), f = wType.getDimSize(0);
  auto withGroups = [&](RankedTensorType t, int64_t groupDim, int64_t total) {
    SmallVector<int64_t> shape(t.getShape().take_front(groupDim));
    shape.push_back(groups);
    shape.push_back(total / groups);
    llvm::append_range(shape, t.getShape().drop_front(groupDim + 1));
    return RankedTensorType::get(shape, t.getElementType());
  };
  auto inG = withGroups(inType, 1, c);      // [N, G, C/G, X...]
  auto wG = withGroups(wType, 0, f);        // [G, F/G, C/G, K...]
  auto outG = withGroups(outType, 1, f);    // [N, G, F/G, O...]
  Value inV = reshapeTo(b, loc, input, inG);
  Value wV = reshapeTo(b, loc, weight, wG);
  Value zero = scalarConstant(b, loc, outType.getElementType(), 0);
  Value init = filledTensor(b, loc, outG, zero);

  // Loops: n=0, g=1, f=2, o=3..3+d-1, c=3+d, k=4+d..
  int64_t numLoops = 4 + 2 * d;
  auto dim = [&](int64_t i) { return getAffineDimExpr(i, ctx); };
  SmallVector<AffineExpr> inExprs{dim(0), dim(1), dim(3 + d)};
  SmallVector<AffineExpr> wExprs{dim(1), dim(2), dim(3 + d)};
  SmallVector<AffineExpr> outExprs{dim(0), dim(1), dim(2)};
  for (int64_t i = 0; i < d; ++i) {
    inExprs.push_back(dim(3 + i) * strides[i] + dim(4 + d + i) * dilations[i]);
    wExprs.push_back(dim(4 + d + i));
    outExprs.push_back(dim(3 + i));
  }
  SmallVector<AffineMap> maps{AffineMap::get(numLoops, 0, inExprs, ctx),
                              AffineMap::get(numLoops, 0, wExprs, ctx),
                              AffineMap::get(numLoops, 0, outExprs, ctx)};
  SmallVector<utils::IteratorType> iterators(3 + d, utils::IteratorType::parallel);
  iterators.append(1 + d, utils::IteratorType::reduction);
  Type elem = outType.getElementType();
  auto conv = linalg::GenericOp::create(
      b, loc, TypeRange{outG}, ValueRange{inV, wV}, ValueRange{init}, maps, iterators,
      [&](OpBuilder &nb, Location nloc, ValueRange args) {
        Value x = convertScalar(nb, nloc, args[0], elem);
        Value w = convertScalar(nb, nloc, args[1], elem);
        linalg::YieldOp::create(nb, nloc, add(nb, nloc, args[2], mul(nb, nloc, x, w)));
      });
  (void)n;
  return reshapeTo(b, loc, conv.getResult(0), outType);
}

/// Applies a conv's epilogue to its product, in whatever shape the product has:
/// [N, F, OH, OW], or inside the im2col path [N, F, OH*OW].
using EpilogueFn = function_ref<Value(Value product)>;

/// A 2-D, one-group f32 convolution as a matrix product (im2col): the patches
/// [N, C*KH*KW, OH*OW] (a plain reshape for 1x1 kernels with stride 1) times the
/// weight [F, C*KH*KW]. The product is a matmul-like generic, which
/// ds-cpu-tile-contractions register-tiles; when OH*OW is not a multiple of 16
/// the patches get zero columns up to the next multiple. The epilogue applies
/// to the product directly where it can, so that it reads the product's
/// result (and the tiling pass can fuse it into the product's tiles).
Value buildIm2colConv(OpBuilder &b, Location loc, Value input, Value weight,
                      RankedTensorType outType, ArrayRef<int64_t> strides,
                      ArrayRef<int64_t> dilations, EpilogueFn epilogue) {
  MLIRContext *ctx = b.getContext();
  auto inType = cast<RankedTensorType>(input.getType());
  auto wType = cast<RankedTensorType>(weight.getType());
  Type elem = outType.getElementType();
  int64_t n = inType.getDimSize(0), c = inType.getDimSize(1);
  int64_t kh = wType.getDimSize(2), kw = wType.getDimSize(3), f = wType.getDimSize(0);
  int64_t oh = outType.getDimSize(2), ow = outType.getDimSize(3);
  int64_t k = c * kh * kw, p = oh * ow;
  auto dim = [&](int64_t i) { return getAffineDimExpr(i, ctx); };
  Value patches;
  auto patchesType = RankedTensorType::get({n, k, p}, elem);
  if (kh == 1 && kw == 1 && strides[0] == 1 && strides[1] == 1 &&
      inType.getDimSize(2) == oh && inType.getDimSize(3) == ow) {
    patches = reshapeTo(b, loc, input, patchesType);
  } else {
    // patches[n, c, i, j, y, x] = input[n, c, y * sh + i * dh, x * sw + j * dw]
    auto fullType = RankedTensorType::get({n, c, kh, kw, oh, ow}, elem);
    AffineMap read = AffineMap::get(
        6, 0,
        {dim(0), dim(1), dim(4) * strides[0] + dim(2) * dilations[0],
         dim(5) * strides[1] + dim(3) * dilations[1]},
        ctx);
    patches = reshapeTo(b, loc, gatherCopy(b, loc, input, fullType, read), patchesType);
  }
  Value w = reshapeTo(b, loc, weight, RankedTensorType::get({f, k}, elem));
  // out[n, f, p] += w[f, k] * patches[n, k, p] over loops (n, f, p, k).
  auto multiply = [&](Value cols, int64_t width) {
    auto type = RankedTensorType::get({n, f, width}, elem);
    Value init = filledTensor(b, loc, type, scalarConstant(b, loc, elem, 0));
    SmallVector<AffineMap> maps{AffineMap::get(4, 0, {dim(1), dim(3)}, ctx),
                                AffineMap::get(4, 0, {dim(0), dim(3), dim(2)}, ctx),
                                AffineMap::get(4, 0, {dim(0), dim(1), dim(2)}, ctx)};
    SmallVector<utils::IteratorType> iterators(3, utils::IteratorType::parallel);
    iterators.push_back(utils::IteratorType::reduction);
    return linalg::GenericOp::create(
               b, loc, TypeRange{type}, ValueRange{w, cols}, ValueRange{init}, maps, iterators,
               [&](OpBuilder &nb, Location nloc, ValueRange args) {
                 linalg::YieldOp::create(
                     nb, nloc, add(nb, nloc, args[2], mul(nb, nloc, args[0], args[1])));
               })
        .getResult(0);
  };
  Value product;
  if (p % 16 == 0) {
    product = epilogue(multiply(patches, p));
  } else {
    // Zero columns pad the patches to whole 16-wide tiles and the product's
    // first P columns are the result (its epilogue then runs as a separate
    // pass over them). Splitting off the last P % 16 columns as an untiled
    // product instead cost as much as the tiled rest: for ResNet's 7x7 maps
    // that one scalar column took half the time of a 1x1 convolution.
    int64_t wide = (p + 15) / 16 * 16;
    Value paddedPatches =
        padTensor(b, loc, RankedTensorType::get({n, k, wide}, elem), patches, {0, 0, 0},
                  {0, 0, wide - p}, scalarConstant(b, loc, elem, 0));
    SmallVector<OpFoldResult> zeros(3, b.getIndexAttr(0)),
        sizes{b.getIndexAttr(n), b.getIndexAttr(f), b.getIndexAttr(p)},
        unit(3, b.getIndexAttr(1));
    Value columns = tensor::ExtractSliceOp::create(b, loc, RankedTensorType::get({n, f, p}, elem),
                                                   multiply(paddedPatches, wide), zeros, sizes,
                                                   unit);
    product = epilogue(columns);
  }
  return reshapeTo(b, loc, product, outType);
}

/// A depthwise f32 2-D convolution (one filter per channel) as one
/// elementwise kernel over the output: the sum over the KH x KW taps of a
/// strided view of the padded input times that tap's per-channel weight. Each
/// output element is then accumulated in a register and written once, and the
/// loop over output columns vectorizes (the named depthwise op's loop nest
/// re-loaded and re-stored its output row for every tap: 4-12 GFLOP/s on
/// MobileNetV3's depthwise layers). The epilogue fuses into it as well.
Value buildDepthwiseTaps(OpBuilder &b, Location loc, Value input, Value weight,
                         RankedTensorType outType, ArrayRef<int64_t> strides,
                         ArrayRef<int64_t> dilations) {
  auto wType = cast<RankedTensorType>(weight.getType());
  Type elem = outType.getElementType();
  int64_t n = outType.getDimSize(0), c = outType.getDimSize(1);
  int64_t oh = outType.getDimSize(2), ow = outType.getDimSize(3);
  int64_t kh = wType.getDimSize(2), kw = wType.getDimSize(3);
  SmallVector<Value> operands;
  auto index = [&](int64_t v) -> OpFoldResult { return b.getIndexAttr(v); };
  for (int64_t i = 0; i < kh; ++i)
    for (int64_t j = 0; j < kw; ++j) {
      operands.push_back(tensor::ExtractSliceOp::create(
          b, loc, outType, input,
          SmallVector<OpFoldResult>{index(0), index(0), index(i * dilations[0]),
                                    index(j * dilations[1])},
          SmallVector<OpFoldResult>{index(n), index(c), index(oh), index(ow)},
          SmallVector<OpFoldResult>{index(1), index(1), index(strides[0]), index(strides[1])}));
      Value tap = tensor::ExtractSliceOp::create(
          b, loc, RankedTensorType::get({c, 1, 1, 1}, elem), weight,
          SmallVector<OpFoldResult>{index(0), index(0), index(i), index(j)},
          SmallVector<OpFoldResult>{index(c), index(1), index(1), index(1)},
          SmallVector<OpFoldResult>(4, index(1)));
      // [C, 1, 1] broadcasts along the channel dim of [N, C, OH, OW].
      operands.push_back(reshapeTo(b, loc, tap, RankedTensorType::get({c, 1, 1}, elem)));
    }
  return buildElementwise(b, loc, outType, operands, sumOfProducts);
}

/// The convolution of a padded input, choosing a named linalg op when one fits.
Value buildConvProduct(OpBuilder &b, Location loc, Value input, Value weight,
                       RankedTensorType outType, ArrayRef<int64_t> strides,
                       ArrayRef<int64_t> dilations, int64_t groups) {
  auto inType = cast<RankedTensorType>(input.getType());
  auto wType = cast<RankedTensorType>(weight.getType());
  Type elem = outType.getElementType();
  bool sameTypes = inType.getElementType() == elem && wType.getElementType() == elem;
  if (outType.getRank() == 4 && sameTypes && elem.isF32() &&
      isSmallDepthwise(groups, inType, wType))
    return buildDepthwiseTaps(b, loc, input, weight, outType, strides, dilations);
  if (outType.getRank() == 4 && sameTypes) {
    auto stridesAttr = b.getI64TensorAttr(strides);
    auto dilationsAttr = b.getI64TensorAttr(dilations);
    Value init = filledTensor(b, loc, outType, scalarConstant(b, loc, elem, 0));
    if (groups == 1)
      return linalg::Conv2DNchwFchwOp::create(b, loc, TypeRange{outType},
                                              ValueRange{input, weight}, ValueRange{init},
                                              stridesAttr, dilationsAttr)
          .getResult(0);
    int64_t channels = inType.getDimSize(1);
    if (groups == channels && wType.getDimSize(0) == channels) {
      auto dwType = RankedTensorType::get(
          {channels, wType.getDimSize(2), wType.getDimSize(3)}, elem);
      Value dw = reshapeTo(b, loc, weight, dwType);
      return linalg::DepthwiseConv2DNchwChwOp::create(b, loc, TypeRange{outType},
                                                      ValueRange{input, dw},
                                                      ValueRange{init}, stridesAttr,
                                                      dilationsAttr)
          .getResult(0);
    }
  }
  return buildGroupedConv(b, loc, input, weight, outType, strides, dilations, groups);
}

/// The convolution of a padded input followed by |epilogue|: im2col for 2-D,
/// one-group f32 convolutions with at least 16 output pixels, otherwise
/// buildConvProduct and the epilogue after it.
Value buildConv(OpBuilder &b, Location loc, Value input, Value weight,
                RankedTensorType outType, ArrayRef<int64_t> strides,
                ArrayRef<int64_t> dilations, int64_t groups, EpilogueFn epilogue) {
  auto inType = cast<RankedTensorType>(input.getType());
  auto wType = cast<RankedTensorType>(weight.getType());
  Type elem = outType.getElementType();
  bool sameTypes = inType.getElementType() == elem && wType.getElementType() == elem;
  if (outType.getRank() == 4 && sameTypes && groups == 1 && elem.isF32() &&
      outType.getDimSize(2) * outType.getDimSize(3) >= 16)
    return buildIm2colConv(b, loc, input, weight, outType, strides, dilations, epilogue);
  return epilogue(buildConvProduct(b, loc, input, weight, outType, strides, dilations, groups));
}

} // namespace

Value mlir::ds::lowering::buildEpilogue(OpBuilder &b, Location loc, Value value, Value bias, int64_t channelDim,
                    Value residual, ActivationAttr activation) {
  auto type = cast<RankedTensorType>(value.getType());
  SmallVector<Value> operands{value};
  if (bias) {
    auto biasType = cast<RankedTensorType>(bias.getType());
    if (biasType.getRank() == 1 && channelDim != type.getRank() - 1) {
      // Line the per-channel vector up with the channel dim: [C] -> [C, 1, ...].
      SmallVector<int64_t> shape{biasType.getDimSize(0)};
      shape.append(type.getRank() - channelDim - 1, 1);
      bias = reshapeTo(b, loc, bias, RankedTensorType::get(shape, biasType.getElementType()));
    }
    operands.push_back(bias);
  }
  if (residual)
    operands.push_back(residual);
  if (operands.size() == 1 && !activation)
    return value;
  bool hasBias = bool(bias);
  return buildElementwise(b, loc, type, operands, [&](OpBuilder &nb, Location nloc,
                                                      ValueRange args) {
    Value v = args[0];
    unsigned next = 1;
    if (hasBias)
      v = add(nb, nloc, v, args[next++]);
    if (residual)
      v = add(nb, nloc, v, args[next++]);
    return applyActivation(nb, nloc, v, activation);
  });
}

namespace {

struct ConvLowering : OpRewritePattern<ConvOp> {
  using OpRewritePattern::OpRewritePattern;
  LogicalResult matchAndRewrite(ConvOp op, PatternRewriter &rewriter) const override {
    if (failed(requireStaticShapes(op, rewriter)))
      return failure();
    Location loc = op.getLoc();
    if (op->hasAttr(kChannelsLastAttr)) {
      rewriter.replaceOp(op, buildChannelsLastConv(rewriter, loc, op));
      return success();
    }
    auto outType = cast<RankedTensorType>(op.getType());
    auto inElem = cast<RankedTensorType>(op.getInput().getType()).getElementType();
    Value padded = padSpatial(rewriter, loc, op.getInput(), op.getPads(),
                              scalarConstant(rewriter, loc, inElem, 0));
    auto epilogue = [&](Value product) {
      auto productType = cast<RankedTensorType>(product.getType());
      Value residual = op.getResidual();
      // The im2col product is [N, F, OH*OW]: the residual is viewed the same way.
      if (residual && residual.getType() != productType)
        residual = reshapeTo(rewriter, loc, residual, productType);
      return buildEpilogue(rewriter, loc, product, op.getBias(), 1, residual,
                           op.getActivationAttr());
    };
    rewriter.replaceOp(op, buildConv(rewriter, loc, padded, op.getWeight(), outType,
                                     op.getStrides(), op.getDilations(), op.getGroup(),
                                     epilogue));
    return success();
  }
};

/// conv_transpose as a direct convolution: the input dilated by the strides (zeros
/// between elements), padded by dilation * (K - 1) on both sides, convolved with
/// the flipped, channel-swapped weight; the result is then cropped by the pads.
struct ConvTransposeLowering : OpRewritePattern<ConvTransposeOp> {
  using OpRewritePattern::OpRewritePattern;
  LogicalResult matchAndRewrite(ConvTransposeOp op, PatternRewriter &rewriter) const override {
    if (failed(requireStaticShapes(op, rewriter)))
      return failure();
    Location loc = op.getLoc();
    auto outType = cast<RankedTensorType>(op.getType());
    auto inType = cast<RankedTensorType>(op.getInput().getType());
    auto wType = cast<RankedTensorType>(op.getWeight().getType());
    Type elem = outType.getElementType();
    int64_t d = inType.getRank() - 2, groups = op.getGroup();
    ArrayRef<int64_t> strides = op.getStrides(), dilations = op.getDilations(),
                      pads = op.getPads(), outPad = op.getOutputPadding();
    Value zero = scalarConstant(rewriter, loc, elem, 0);

    // 1. Stride-dilated, fully padded input.
    SmallVector<int64_t> fullShape(inType.getShape().take_front(2));
    SmallVector<OpFoldResult> offsets(2, rewriter.getIndexAttr(0)),
        sizes, insertStrides(2, rewriter.getIndexAttr(1));
    for (int64_t s : inType.getShape())
      sizes.push_back(rewriter.getIndexAttr(s));
    for (int64_t i = 0; i < d; ++i) {
      int64_t k = wType.getDimSize(2 + i);
      int64_t edge = dilations[i] * (k - 1);
      int64_t dilated = (inType.getDimSize(2 + i) - 1) * strides[i] + 1;
      int64_t extra = outPad.empty() ? 0 : outPad[i];
      fullShape.push_back(dilated + 2 * edge + extra);
      offsets.push_back(rewriter.getIndexAttr(edge));
      insertStrides.push_back(rewriter.getIndexAttr(strides[i]));
    }
    auto fullType = RankedTensorType::get(fullShape, elem);
    Value full = tensor::InsertSliceOp::create(rewriter, loc, op.getInput(),
                                               filledTensor(rewriter, loc, fullType, zero),
                                               offsets, sizes, insertStrides);

    // 2. Weight [C, F/G, K...] -> [F, C/G, K...], flipped in space.
    int64_t c = wType.getDimSize(0), fPerGroup = wType.getDimSize(1);
    int64_t cPerGroup = c / groups;
    SmallVector<int64_t> wShape{fPerGroup * groups, cPerGroup};
    for (int64_t i = 0; i < d; ++i)
      wShape.push_back(wType.getDimSize(2 + i));
    auto newWType = RankedTensorType::get(wShape, elem);
    Value weight = op.getWeight();
    Value flipped = buildIndexed(
        rewriter, loc, newWType, [&](OpBuilder &b, Location l, ValueRange idx) -> Value {
          auto cIdx = [&](int64_t v) { return arith::ConstantIndexOp::create(b, l, v); };
          Value g = arith::DivUIOp::create(b, l, idx[0], cIdx(fPerGroup));
          Value fg = arith::RemUIOp::create(b, l, idx[0], cIdx(fPerGroup));
          Value ci = arith::AddIOp::create(b, l, arith::MulIOp::create(b, l, g, cIdx(cPerGroup)),
                                           idx[1]);
          SmallVector<Value> src{ci, fg};
          for (int64_t i = 0; i < d; ++i)
            src.push_back(
                arith::SubIOp::create(b, l, cIdx(wType.getDimSize(2 + i) - 1), idx[2 + i]));
          return tensor::ExtractOp::create(b, l, weight, src);
        });

    // 3. Unit-stride convolution over the full output, then crop by the pads.
    SmallVector<int64_t> convShape(outType.getShape().take_front(2));
    SmallVector<OpFoldResult> cropOffsets(2, rewriter.getIndexAttr(0)), cropSizes,
        unit(outType.getRank(), rewriter.getIndexAttr(1));
    for (int64_t s : outType.getShape())
      cropSizes.push_back(rewriter.getIndexAttr(s));
    for (int64_t i = 0; i < d; ++i) {
      convShape.push_back(fullShape[2 + i] - dilations[i] * (wType.getDimSize(2 + i) - 1));
      cropOffsets.push_back(rewriter.getIndexAttr(pads[i]));
    }
    SmallVector<int64_t> ones(d, 1);
    Value conv = buildConv(rewriter, loc, full, flipped, RankedTensorType::get(convShape, elem),
                           ones, dilations, groups, [](Value product) { return product; });
    Value cropped = conv;
    if (convShape != SmallVector<int64_t>(outType.getShape()))
      cropped = tensor::ExtractSliceOp::create(rewriter, loc, outType, conv, cropOffsets,
                                               cropSizes, unit);
    rewriter.replaceOp(op, buildEpilogue(rewriter, loc, cropped, op.getBias(), 1, Value(),
                                         ActivationAttr()));
    return success();
  }
};

struct GemmLowering : OpRewritePattern<GemmOp> {
  using OpRewritePattern::OpRewritePattern;
  LogicalResult matchAndRewrite(GemmOp op, PatternRewriter &rewriter) const override {
    if (failed(requireStaticShapes(op, rewriter)))
      return failure();
    Location loc = op.getLoc();
    MLIRContext *ctx = getContext();
    auto outType = cast<RankedTensorType>(op.getType());
    Type elem = outType.getElementType();
    AffineExpr m = getAffineDimExpr(0, ctx), n = getAffineDimExpr(1, ctx),
               k = getAffineDimExpr(2, ctx);
    SmallVector<AffineMap> maps{
        AffineMap::get(3, 0, op.getTransA() ? ArrayRef<AffineExpr>{k, m} : ArrayRef<AffineExpr>{m, k}, ctx),
        AffineMap::get(3, 0, op.getTransB() ? ArrayRef<AffineExpr>{n, k} : ArrayRef<AffineExpr>{k, n}, ctx),
        AffineMap::get(3, 0, {m, n}, ctx)};
    Value init = filledTensor(rewriter, loc, outType, scalarConstant(rewriter, loc, elem, 0));
    Value product =
        linalg::GenericOp::create(
            rewriter, loc, TypeRange{outType}, ValueRange{op.getA(), op.getB()},
            ValueRange{init}, maps,
            {utils::IteratorType::parallel, utils::IteratorType::parallel,
             utils::IteratorType::reduction},
            [&](OpBuilder &b, Location l, ValueRange args) {
              linalg::YieldOp::create(b, l, add(b, l, args[2], mul(b, l, args[0], args[1])));
            })
            .getResult(0);
    double alpha = op.getAlpha().convertToFloat(), beta = op.getBeta().convertToFloat();
    SmallVector<Value> operands{product};
    if (op.getC() && beta != 0)
      operands.push_back(op.getC());
    if (op.getResidual())
      operands.push_back(op.getResidual());
    bool hasC = op.getC() && beta != 0;
    bool hasResidual = bool(op.getResidual());
    ActivationAttr act = op.getActivationAttr();
    if (alpha == 1 && operands.size() == 1 && !act) {
      rewriter.replaceOp(op, product);
      return success();
    }
    Value result = buildElementwise(
        rewriter, loc, outType, operands, [&](OpBuilder &b, Location l, ValueRange args) {
          Value v = args[0];
          if (alpha != 1)
            v = mul(b, l, v, scalarConstant(b, l, elem, alpha));
          unsigned next = 1;
          if (hasC) {
            Value cv = args[next++];
            if (beta != 1)
              cv = mul(b, l, cv, scalarConstant(b, l, elem, beta));
            v = add(b, l, v, cv);
          }
          if (hasResidual)
            v = add(b, l, v, args[next++]);
          return applyActivation(b, l, v, act);
        });
    rewriter.replaceOp(op, result);
    return success();
  }
};

/// numpy matmul: batch dims broadcast, 1-D operands are promoted and the
/// promoted dim dropped from the result.
struct MatMulLowering : OpRewritePattern<MatMulOp> {
  using OpRewritePattern::OpRewritePattern;
  LogicalResult matchAndRewrite(MatMulOp op, PatternRewriter &rewriter) const override {
    if (failed(requireStaticShapes(op, rewriter)))
      return failure();
    Location loc = op.getLoc();
    MLIRContext *ctx = getContext();
    auto lhsType = cast<RankedTensorType>(op.getLhs().getType());
    auto rhsType = cast<RankedTensorType>(op.getRhs().getType());
    auto outType = cast<RankedTensorType>(op.getType());
    Type elem = outType.getElementType();
    bool lhsVec = lhsType.getRank() == 1, rhsVec = rhsType.getRank() == 1;
    // Output dims: batch..., [m], [n]; plus one reduction dim k last.
    int64_t outRank = outType.getRank();
    int64_t batch = outRank - (lhsVec ? 0 : 1) - (rhsVec ? 0 : 1);
    int64_t numLoops = outRank + 1;
    auto dim = [&](int64_t i) { return getAffineDimExpr(i, ctx); };
    AffineExpr k = dim(outRank);
    AffineExpr m = lhsVec ? AffineExpr() : dim(batch);
    AffineExpr n = rhsVec ? AffineExpr() : dim(outRank - 1);
    auto batchExprs = [&](RankedTensorType t, int64_t matrixDims) {
      SmallVector<AffineExpr> exprs;
      int64_t tb = t.getRank() - matrixDims;
      for (int64_t i = 0; i < tb; ++i) {
        int64_t outDim = batch - tb + i;
        exprs.push_back(t.getDimSize(i) == 1 && outType.getDimSize(outDim) != 1
                            ? getAffineConstantExpr(0, ctx)
                            : dim(outDim));
      }
      return exprs;
    };
    SmallVector<AffineExpr> lhsExprs =
        lhsVec ? SmallVector<AffineExpr>{} : batchExprs(lhsType, 2);
    if (!lhsVec)
      lhsExprs.push_back(m);
    lhsExprs.push_back(k);
    SmallVector<AffineExpr> rhsExprs =
        rhsVec ? SmallVector<AffineExpr>{} : batchExprs(rhsType, 2);
    rhsExprs.push_back(k);
    if (!rhsVec)
      rhsExprs.push_back(n);
    SmallVector<AffineExpr> outExprs;
    for (int64_t i = 0; i < outRank; ++i)
      outExprs.push_back(dim(i));
    SmallVector<AffineMap> maps{AffineMap::get(numLoops, 0, lhsExprs, ctx),
                                AffineMap::get(numLoops, 0, rhsExprs, ctx),
                                AffineMap::get(numLoops, 0, outExprs, ctx)};
    SmallVector<utils::IteratorType> iterators(outRank, utils::IteratorType::parallel);
    iterators.push_back(utils::IteratorType::reduction);
    Value init = filledTensor(rewriter, loc, outType, scalarConstant(rewriter, loc, elem, 0));
    Value product =
        linalg::GenericOp::create(
            rewriter, loc, TypeRange{outType}, ValueRange{op.getLhs(), op.getRhs()},
            ValueRange{init}, maps, iterators,
            [&](OpBuilder &b, Location l, ValueRange args) {
              Value x = convertScalar(b, l, args[0], elem);
              Value y = convertScalar(b, l, args[1], elem);
              linalg::YieldOp::create(b, l, add(b, l, args[2], mul(b, l, x, y)));
            })
            .getResult(0);
    rewriter.replaceOp(op, buildEpilogue(rewriter, loc, product, op.getBias(),
                                         outRank - 1, op.getResidual(),
                                         op.getActivationAttr()));
    return success();
  }
};

/// Inference batch norm: (x - mean) / sqrt(var + eps) * scale + bias per channel.
struct BatchNormLowering : OpRewritePattern<BatchNormOp> {
  using OpRewritePattern::OpRewritePattern;
  LogicalResult matchAndRewrite(BatchNormOp op, PatternRewriter &rewriter) const override {
    if (failed(requireStaticShapes(op, rewriter)))
      return failure();
    Location loc = op.getLoc();
    auto outType = cast<RankedTensorType>(op.getType());
    SmallVector<Value> operands{op.getInput()};
    for (Value v : {op.getScale(), op.getBias(), op.getMean(), op.getVariance()}) {
      auto t = cast<RankedTensorType>(v.getType());
      SmallVector<int64_t> shape{t.getNumElements()};
      shape.append(std::max<int64_t>(outType.getRank() - 2, 0), 1);
      operands.push_back(reshapeTo(rewriter, loc, v, RankedTensorType::get(shape, t.getElementType())));
    }
    double eps = op.getEpsilon().convertToFloat();
    Value result = buildElementwise(
        rewriter, loc, outType, operands, [&](OpBuilder &b, Location l, ValueRange a) {
          Value stddev = math::SqrtOp::create(
              b, l, arith::AddFOp::create(b, l, a[4], scalarConstant(b, l, a[4].getType(), eps)));
          Value norm = arith::DivFOp::create(b, l, arith::SubFOp::create(b, l, a[0], a[3]), stddev);
          return arith::AddFOp::create(b, l, arith::MulFOp::create(b, l, norm, a[1]), a[2]);
        });
    rewriter.replaceOp(op, result);
    return success();
  }
};

} // namespace

void mlir::ds::lowering::populateLinearLoweringPatterns(RewritePatternSet &patterns) {
  patterns.add<ConvLowering, ConvTransposeLowering, GemmLowering, MatMulLowering,
               BatchNormLowering>(patterns.getContext());
}
