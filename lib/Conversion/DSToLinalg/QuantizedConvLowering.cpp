//===- QuantizedConvLowering.cpp - ds.qconv as an 8-bit integer product ---===//
//
// In a channels-last network, a ds.qconv becomes the product of its u8
// input's storage (padded with the input's zero point, channels rounded up
// to a multiple of 4 with it) and its i8 weights, accumulated in i32, in the
// layout AVX-512 VNNI's vpdpbusd reads. The product reads each output
// pixel's patch in place from the padded NHWC input (implicit GEMM, as the
// f32 convolutions do: no im2col copy); four consecutive channels of a tap
// are one 32-bit broadcast, and the weights are packed at compile time as
// [F/16, KH, KW, C/4, 16, 4] (sixteen output channels of four channels
// each: one 64-byte row per step). The epilogue takes the integer sum to
// float:
//   y[f] = (acc[f] - x_zp * sum_k w[k, f]) * x_scale * w_scale[f] + bias[f]
// then the residual and the activation. ds-cpu-tile-contractions register-
// tiles the product with vpdpbusd where the target has VNNI; elsewhere it is
// an ordinary integer loop nest.
//
// A qconv outside a channels-last network, or whose weights are not
// constants, goes back to dequantize + conv (float).
//
//===----------------------------------------------------------------------===//

#include "LoweringUtils.h"

#include "deepseek/Transforms/F32Elements.h"

#include "mlir/Dialect/Quant/IR/Quant.h"
#include "mlir/Dialect/Quant/IR/QuantTypes.h"

using namespace mlir;
using namespace mlir::ds;
using namespace mlir::ds::lowering;

namespace {

/// The i8 values of the constant behind quantized |weight| (a storage cast of
/// a constant), or nothing.
std::optional<SmallVector<int8_t>> constantStorage(Value weight) {
  auto cast = weight.getDefiningOp<quant::StorageCastOp>();
  if (!cast)
    return std::nullopt;
  return readI8Constant(cast.getInput());
}

Value buildImplicitVNNIProduct(OpBuilder &b, Location loc, Value padded, Value rhs, int64_t oh,
                               int64_t ow, ArrayRef<int64_t> strides,
                               ArrayRef<int64_t> dilations, bool signedInput);

/// An 8-bit product: i32 sums of a * i8(w), a u8 or (|signedA|) i8, over
/// |maps| with |parallel| parallel then |reductions| reduction loops, from
/// a zero-filled |accType|.
Value buildEightBitProduct(OpBuilder &b, Location loc, RankedTensorType accType, Value lhs,
                           Value rhs, ArrayRef<AffineMap> maps, unsigned parallel,
                           unsigned reductions, bool signedA) {
  SmallVector<utils::IteratorType> iterators(parallel, utils::IteratorType::parallel);
  iterators.append(reductions, utils::IteratorType::reduction);
  Value zero = scalarConstant(b, loc, b.getI32Type(), 0);
  return linalg::GenericOp::create(
             b, loc, TypeRange{accType}, ValueRange{lhs, rhs},
             ValueRange{filledTensor(b, loc, accType, zero)}, maps, iterators,
             [&](OpBuilder &nb, Location nloc, ValueRange args) {
               Type i32 = nb.getI32Type();
               Value a = signedA ? arith::ExtSIOp::create(nb, nloc, i32, args[0]).getResult()
                                 : arith::ExtUIOp::create(nb, nloc, i32, args[0]).getResult();
               Value w = arith::ExtSIOp::create(nb, nloc, i32, args[1]);
               Value sum = arith::AddIOp::create(nb, nloc, args[2],
                                                 arith::MulIOp::create(nb, nloc, a, w));
               linalg::YieldOp::create(nb, nloc, ValueRange{sum});
             })
      .getResult(0);
}

/// The quantized operands as dequantize + float conv.
Value buildFloatConv(PatternRewriter &rewriter, QConvOp op) {
  Location loc = op.getLoc();
  auto asFloat = [&](Value q) {
    auto type = cast<RankedTensorType>(q.getType());
    return DequantizeOp::create(rewriter, loc, type.clone(rewriter.getF32Type()), q)
        .getResult();
  };
  return ConvOp::create(rewriter, loc, op.getType(), asFloat(op.getInput()),
                        asFloat(op.getWeight()), op.getBias(), op.getResidual(),
                        op.getStridesAttr(), op.getPadsAttr(), op.getDilationsAttr(),
                        rewriter.getI64IntegerAttr(1), op.getActivationAttr())
      .getResult();
}

struct QConvLowering : OpRewritePattern<QConvOp> {
  using OpRewritePattern::OpRewritePattern;

  LogicalResult matchAndRewrite(QConvOp op, PatternRewriter &rewriter) const override {
    if (failed(requireStaticShapes(op, rewriter)))
      return failure();
    std::optional<SmallVector<int8_t>> weights = constantStorage(op.getWeight());
    if (!op->hasAttr(kChannelsLastAttr) || !weights) {
      rewriter.replaceOp(op, buildFloatConv(rewriter, op));
      return success();
    }
    // A qconv whose only user quantizes its result per tensor (the next
    // layer's input) writes the quantized bytes from its epilogue: the float
    // tensor is never stored.
    QuantizeOp requantize;
    if (op->hasOneUse())
      if (auto user = dyn_cast<QuantizeOp>(*op->getUsers().begin()))
        if (isa<quant::UniformQuantizedType>(
                cast<RankedTensorType>(user.getType()).getElementType()))
          requantize = user;
    Value result = buildIntegerConv(rewriter, op, *weights, requantize);
    if (requantize) {
      rewriter.replaceOp(requantize, result);
      rewriter.eraseOp(op);
    } else {
      rewriter.replaceOp(op, result);
    }
    return success();
  }

  Value buildIntegerConv(PatternRewriter &b, QConvOp op, ArrayRef<int8_t> w,
                         QuantizeOp requantize) const {
    Location loc = op.getLoc();
    auto inType = cast<RankedTensorType>(op.getInput().getType());
    auto wType = cast<RankedTensorType>(op.getWeight().getType());
    auto outType = cast<RankedTensorType>(op.getType());
    auto inQ = cast<quant::UniformQuantizedType>(inType.getElementType());
    auto wQ = cast<quant::QuantizedType>(wType.getElementType());
    int64_t n = outType.getDimSize(0), f = outType.getDimSize(1), oh = outType.getDimSize(2),
            ow = outType.getDimSize(3);
    int64_t c = wType.getDimSize(1), kh = wType.getDimSize(2), kw = wType.getDimSize(3);
    int64_t c4 = (c + 3) / 4 * 4, k = kh * kw * c4, p = oh * ow, groups = (f + 15) / 16;
    Type i8 = b.getI8Type(), i32 = b.getI32Type(), f32 = b.getF32Type();
    ArrayRef<int64_t> strides = op.getStrides(), dilations = op.getDilations();

    // Patches of the input's storage; padding (spatial and the channels up
    // to c4) holds the zero point, which dequantizes to 0.
    int64_t zp = inQ.getZeroPoint();
    Value zpByte = arith::ConstantOp::create(b, loc, b.getIntegerAttr(i8, static_cast<int8_t>(zp)));
    Value x = toChannelsLast(b, loc, storageOf(b, loc, op.getInput()));
    SmallVector<int64_t> pads(op.getPads());
    Value padded;
    if (c4 == c) {
      padded = padChannelsLast(b, loc, x, pads, {0, 0}, zpByte);
    } else {
      auto xType = cast<RankedTensorType>(x.getType());
      SmallVector<int64_t> shape(xType.getShape());
      shape[1] += pads[0] + pads[2];
      shape[2] += pads[1] + pads[3];
      shape[3] = c4;
      padded = padTensor(b, loc, RankedTensorType::get(shape, i8), x, {0, pads[0], pads[1], 0},
                         {0, pads[2], pads[3], c4 - c}, zpByte);
    }

    // Weights packed [F/16][K/4][16][4]; per output channel the sum of its
    // weights (for the zero point), its float scale and its bias.
    SmallVector<int8_t> packed(groups * k * 16, 0);
    SmallVector<int32_t> correction(groups * 16, 0);
    SmallVector<float> scales(groups * 16, 0.0f), biases(groups * 16, 0.0f);
    auto perAxis = dyn_cast<quant::UniformQuantizedPerAxisType>(wQ);
    double xScale = inQ.getScale();
    for (int64_t o = 0; o < f; ++o) {
      int64_t sum = 0;
      for (int64_t i = 0; i < c; ++i)
        for (int64_t y = 0; y < kh; ++y)
          for (int64_t xx = 0; xx < kw; ++xx) {
            int8_t v = w[((o * c + i) * kh + y) * kw + xx];
            int64_t kk = (y * kw + xx) * c4 + i;
            packed[(((o / 16) * (k / 4) + kk / 4) * 16 + o % 16) * 4 + kk % 4] = v;
            sum += v;
          }
      correction[o] = static_cast<int32_t>(zp * sum);
      double wScale = perAxis ? perAxis.getScales()[o]
                              : cast<quant::UniformQuantizedType>(wQ).getScale();
      scales[o] = static_cast<float>(xScale * wScale);
    }
    // A bias that is not a constant joins the epilogue as an operand.
    Value dynamicBias;
    if (Value bias = op.getBias()) {
      if (std::optional<SmallVector<float>> values = readF32Constant(bias))
        std::copy(values->begin(), values->end(), biases.begin());
      else
        dynamicBias = bias;
    }
    // (The product reads these bytes as [F/16][KH][KW][C4/4][16][4]: K runs
    // over (kh, kw, c).)
    auto packedType = RankedTensorType::get({groups, kh, kw, c4 / 4, 16, 4}, i8);
    Value rhs = arith::ConstantOp::create(
        b, loc, packedType,
        DenseElementsAttr::get(packedType, ArrayRef(packed)));
    auto vecType = [&](Type t) { return RankedTensorType::get({groups, 16}, t); };
    Value corrT = arith::ConstantOp::create(
        b, loc, vecType(i32), DenseElementsAttr::get(vecType(i32), ArrayRef(correction)));
    Value scaleT = arith::ConstantOp::create(
        b, loc, vecType(f32), DenseElementsAttr::get(vecType(f32), ArrayRef(scales)));
    Value biasT = arith::ConstantOp::create(
        b, loc, vecType(f32), DenseElementsAttr::get(vecType(f32), ArrayRef(biases)));

    Value acc = buildImplicitVNNIProduct(b, loc, padded, rhs, oh, ow, strides, dilations,
                                         inQ.isSigned());

    // The epilogue, on the product's [N, OH, OW, F/16, 16] iteration space
    // (every convolution's, so that a residual add of two of them iterates
    // over one shape and fuses into one of them).
    SmallVector<Value> operands{acc, corrT, scaleT, biasT};
    auto floatType = cast<RankedTensorType>(acc.getType()).clone(f32);
    auto padChannels = [&](Value v) { // [N, P, F] -> [N, P, F/16, 16]
      if (groups * 16 != f)
        v = padTensor(b, loc, RankedTensorType::get({n, p, groups * 16}, f32), v, {0, 0, 0},
                      {0, 0, groups * 16 - f}, scalarConstant(b, loc, f32, 0));
      return reshapeTo(b, loc, v, floatType);
    };
    Value residual = op.getResidual();
    if (residual)
      operands.push_back(padChannels(reshapeTo(b, loc, toChannelsLast(b, loc, residual),
                                               RankedTensorType::get({n, p, f}, f32))));
    if (dynamicBias) {
      Value row = reshapeTo(b, loc, dynamicBias, RankedTensorType::get({1, 1, f}, f32));
      if (groups * 16 != f)
        row = padTensor(b, loc, RankedTensorType::get({1, 1, groups * 16}, f32), row, {0, 0, 0},
                        {0, 0, groups * 16 - f}, scalarConstant(b, loc, f32, 0));
      operands.push_back(reshapeTo(b, loc, row, RankedTensorType::get({1, 1, groups, 16}, f32)));
    }
    ActivationAttr activation = op.getActivationAttr();
    bool hasResidual = residual != nullptr;
    quant::UniformQuantizedType outQ;
    if (requantize)
      outQ = cast<quant::UniformQuantizedType>(
          cast<RankedTensorType>(requantize.getType()).getElementType());
    Type elem = outQ ? outQ.getStorageType() : f32;
    Value result = buildElementwise(
        b, loc, floatType.clone(elem), operands,
        [&](OpBuilder &nb, Location nloc, ValueRange args) {
          Value corrected = arith::SubIOp::create(nb, nloc, args[0], args[1]);
          Value v = arith::SIToFPOp::create(nb, nloc, nb.getF32Type(), corrected);
          v = arith::MulFOp::create(nb, nloc, v, args[2]);
          v = arith::AddFOp::create(nb, nloc, v, args[3]);
          unsigned next = 4;
          if (hasResidual)
            v = arith::AddFOp::create(nb, nloc, v, args[next++]);
          if (dynamicBias)
            v = arith::AddFOp::create(nb, nloc, v, args[next++]);
          if (activation)
            v = applyActivation(nb, nloc, v, activation);
          if (!outQ)
            return v;
          auto constant = [&](double c) { return scalarConstant(nb, nloc, f32, c); };
          return quantizeScalar(nb, nloc, v, constant(outQ.getScale()),
                                constant(static_cast<double>(outQ.getZeroPoint())),
                                static_cast<double>(outQ.getStorageTypeMin()),
                                static_cast<double>(outQ.getStorageTypeMax()),
                                outQ.getStorageType());
        });
    result = reshapeTo(b, loc, result, RankedTensorType::get({n, p, groups * 16}, elem));
    if (groups * 16 != f) {
      auto index = [&](int64_t v) -> OpFoldResult { return b.getIndexAttr(v); };
      result = tensor::ExtractSliceOp::create(
          b, loc, RankedTensorType::get({n, p, f}, elem), result,
          SmallVector<OpFoldResult>(3, index(0)),
          SmallVector<OpFoldResult>{index(n), index(p), index(f)},
          SmallVector<OpFoldResult>(3, index(1)));
    }
    Value nhwc = reshapeTo(b, loc, result, RankedTensorType::get({n, oh, ow, f}, elem));
    Value nchw = fromChannelsLast(b, loc, nhwc);
    if (!outQ)
      return nchw;
    return quant::StorageCastOp::create(b, loc, requantize.getType(), nchw);
  }
};

/// acc[n, y, x, g, j] += u8(in[n, y*sh + i*dh, x*sw + jj*dw, c4*4 + kk]) *
///                       i8(w[g, i, jj, c4, j, kk])
/// over loops (n, y, x, g, j, i, jj, c4, kk) (the input i8 when |signedInput|):
/// the 8-bit product reading its
/// patches in place from the padded NHWC input |padded| (channels a multiple
/// of 4), the weights |rhs| packed [F/16][KH][KW][C/4][16][4]. Four
/// consecutive channels of a pixel are one 32-bit broadcast, as in the
/// im2col layout.
Value buildImplicitVNNIProduct(OpBuilder &b, Location loc, Value padded, Value rhs, int64_t oh,
                               int64_t ow, ArrayRef<int64_t> strides,
                               ArrayRef<int64_t> dilations, bool signedInput) {
  MLIRContext *ctx = b.getContext();
  auto inType = cast<RankedTensorType>(padded.getType());
  auto rhsType = cast<RankedTensorType>(rhs.getType());
  Type i32 = b.getI32Type();
  auto accType =
      RankedTensorType::get({inType.getDimSize(0), oh, ow, rhsType.getDimSize(0), 16}, i32);
  auto d = [&](int64_t i) { return getAffineDimExpr(i, ctx); };
  SmallVector<AffineMap> maps{
      AffineMap::get(9, 0,
                     {d(0), d(1) * strides[0] + d(5) * dilations[0],
                      d(2) * strides[1] + d(6) * dilations[1], d(7) * 4 + d(8)},
                     ctx),
      AffineMap::get(9, 0, {d(3), d(5), d(6), d(7), d(4), d(8)}, ctx),
      AffineMap::get(9, 0, {d(0), d(1), d(2), d(3), d(4)}, ctx)};
  return buildEightBitProduct(b, loc, accType, padded, rhs, maps, 5, 4, signedInput);
}

} // namespace

Value mlir::ds::lowering::buildVNNIProduct(OpBuilder &b, Location loc, Value lhs, Value rhs) {
  MLIRContext *ctx = b.getContext();
  auto lhsType = cast<RankedTensorType>(lhs.getType());
  auto rhsType = cast<RankedTensorType>(rhs.getType());
  Type i32 = b.getI32Type();
  auto accType = RankedTensorType::get(
      {lhsType.getDimSize(0), lhsType.getDimSize(1), rhsType.getDimSize(0), 16}, i32);
  // acc[n, p, g, j] += u8(lhs[n, p, k4, kk]) * i8(rhs[g, k4, j, kk])
  auto dim = [&](int64_t i) { return getAffineDimExpr(i, ctx); };
  SmallVector<AffineMap> maps{AffineMap::get(6, 0, {dim(0), dim(1), dim(4), dim(5)}, ctx),
                              AffineMap::get(6, 0, {dim(2), dim(4), dim(3), dim(5)}, ctx),
                              AffineMap::get(6, 0, {dim(0), dim(1), dim(2), dim(3)}, ctx)};
  return buildEightBitProduct(b, loc, accType, lhs, rhs, maps, 4, 2, /*signedA=*/false);
}

void mlir::ds::lowering::populateQuantizedConvLoweringPatterns(RewritePatternSet &patterns) {
  patterns.add<QConvLowering>(patterns.getContext());
}
