//===- ChannelsLast.cpp - NHWC lowering of convolution networks ------------===//
//
// ONNX convolutions are NCHW. Lowered as they are, a convolution is a product
// W[F][C*KH*KW] x patches[C*KH*KW][OH*OW] whose vectors run along output
// pixels: every step broadcasts weights and loads pixels, feature maps narrower
// than a vector waste lanes, and pooling windows with stride 2 are strided
// along the vector. In channels-last layout (NHWC) the product is
// patches[OH*OW][KH*KW*C] x W'[KH*KW*C][F]: vectors run along output channels
// (64-2048 in a ResNet, a multiple of 16), the weights W' are a constant
// re-laid out at compile time into the layout the register tiles read, and
// pooling vectorizes across channels. ONNX Runtime does the same with its
// NCHWc kernels.
//
// The layout is chosen per function: when every convolution can run NHWC and
// every value between them stays inside convolutions and pools (a ResNet),
// each marked op is lowered as transpose -> NHWC computation -> transpose
// back, and canonicalization cancels the transpose pairs between neighbours.
// Otherwise nothing changes (a network that would need layout changes between
// layers keeps NCHW).
//
//===----------------------------------------------------------------------===//

#include "LoweringUtils.h"

#include "deepseek/Transforms/F32Elements.h"
#include "mlir/Dialect/Quant/IR/Quant.h"
#include "mlir/IR/DialectResourceBlobManager.h"
#include "mlir/IR/Matchers.h"

#include <cstring>

using namespace mlir;
using namespace mlir::ds;
using namespace mlir::ds::lowering;

namespace {

bool isF32Rank4(Value v) {
  auto type = dyn_cast<RankedTensorType>(v.getType());
  return type && type.getRank() == 4 && type.getElementType().isF32() && type.hasStaticShape();
}

/// A convolution the NHWC lowering handles: 2-D, f32, one group (the
/// product) or one filter per channel (the depthwise taps, up to 7x7).
bool channelsLastConv(ConvOp conv) {
  if (!isF32Rank4(conv.getInput()) || !isF32Rank4(conv.getWeight()) ||
      !isF32Rank4(conv.getResult()) ||
      (conv.getBias() && cast<RankedTensorType>(conv.getBias().getType()).getRank() != 1))
    return false;
  return conv.getGroup() == 1 ||
         isSmallDepthwise(static_cast<int64_t>(conv.getGroup()),
                          cast<RankedTensorType>(conv.getInput().getType()),
                          cast<RankedTensorType>(conv.getWeight().getType()));
}

/// A static 4-D tensor quantized per tensor.
bool isQuantizedRank4(Value v) {
  auto type = dyn_cast<RankedTensorType>(v.getType());
  return type && type.getRank() == 4 && type.hasStaticShape() &&
         isa<quant::UniformQuantizedType>(type.getElementType());
}

/// A quantized convolution of 1x1 images into 1x1 images (a Gemm, see
/// ds-fuse-quantized-convs): NCHW and NHWC are the same bytes.
bool onePixel(QConvOp qconv) {
  auto in = cast<RankedTensorType>(qconv.getInput().getType());
  return isF32Rank4(qconv.getResult()) && in.hasStaticShape() && in.getDimSize(2) == 1 &&
         in.getDimSize(3) == 1 &&
         cast<RankedTensorType>(qconv.getType()).getDimSize(2) == 1 &&
         cast<RankedTensorType>(qconv.getType()).getDimSize(3) == 1;
}

/// A concatenation along the channels of 4-D f32 tensors (SqueezeNet's fire
/// modules): channels-last, it concatenates along the innermost dim.
bool channelConcat(ConcatOp concat) {
  return isF32Rank4(concat.getResult()) && positiveAxis(concat.getAxis(), 4) == 1;
}

/// A quantize or dequantize of an activation per tensor (a QDQ model's pairs
/// between convolutions); weights (storage casts of constants) are excluded,
/// since their layout is the convolution's business.
bool channelsLastQuantization(Operation *op) {
  if (!isa<QuantizeOp, DequantizeOp>(op))
    return false;
  if (op->getOperand(0).getDefiningOp<quant::StorageCastOp>())
    return false;
  auto quantized = cast<RankedTensorType>(
      isa<QuantizeOp>(op) ? op->getResult(0).getType() : op->getOperand(0).getType());
  return quantized.getRank() == 4 && quantized.hasStaticShape() &&
         isa<quant::UniformQuantizedType>(quantized.getElementType());
}

/// An elementwise op over 4-D f32 tensors that broadcast only along H and W
/// (MobileNet's squeeze-and-excitation scale [N, C, 1, 1] x [N, C, H, W]).
bool channelsLastElementwise(Operation *op) {
  if (channelsLastQuantization(op))
    return true;
  if (!isa<MulOp, AddOp, ReluOp, SigmoidOp, HardSwishOp, HardSigmoidOp, ClipOp>(op) ||
      op->getNumResults() != 1 || !isF32Rank4(op->getResult(0)))
    return false;
  auto outType = cast<RankedTensorType>(op->getResult(0).getType());
  return llvm::all_of(op->getOperands(), [&](Value v) {
    auto type = dyn_cast<RankedTensorType>(v.getType());
    if (!type || type.getRank() == 0)
      return type != nullptr; // a scalar (Clip's bounds) broadcasts either way
    return isF32Rank4(v) && type.getDimSize(0) == outType.getDimSize(0) &&
           type.getDimSize(1) == outType.getDimSize(1);
  });
}

} // namespace

void mlir::ds::lowering::markChannelsLast(func::FuncOp fn) {
  // Candidates: every op that can run channels-last. Global pools are sinks
  // (their [N, C, 1, 1] result has the same bytes in either layout).
  llvm::SetVector<Operation *> candidates;
  SmallVector<Operation *> required; // convolutions, pools, concats
  SmallVector<Operation *> onePixelConvs;
  bool ok = true;
  fn.walk([&](Operation *op) {
    if (auto conv = dyn_cast<ConvOp>(op)) {
      ok &= channelsLastConv(conv);
      required.push_back(op);
    } else if (auto qconv = dyn_cast<QConvOp>(op); qconv && onePixel(qconv)) {
      onePixelConvs.push_back(op);
      return;
    } else if (auto qconv = dyn_cast<QConvOp>(op)) {
      ok &= isF32Rank4(qconv.getResult()) &&
            cast<RankedTensorType>(qconv.getInput().getType()).hasStaticShape();
      required.push_back(op);
    } else if (auto pool = dyn_cast<MaxPoolOp>(op)) {
      ok &= (isF32Rank4(pool.getInput()) && isF32Rank4(pool.getResult())) ||
            isQuantizedRank4(pool.getResult());
      required.push_back(op);
    } else if (auto concat = dyn_cast<ConcatOp>(op); concat && channelConcat(concat)) {
      required.push_back(op);
    } else if (isa<GlobalAveragePoolOp, GlobalMaxPoolOp>(op)) {
      if (isF32Rank4(op->getOperand(0)))
        candidates.insert(op);
      return;
    } else if (channelsLastElementwise(op)) {
      candidates.insert(op);
      return;
    } else if (isa<ConvTransposeOp, AveragePoolOp>(op)) {
      ok = false; // NCHW-only ops between the convolutions
      return;
    } else {
      return;
    }
    candidates.insert(op);
  });
  // A candidate whose result reaches a non-candidate would need a layout
  // change there: drop it, and repeat until every candidate's users are
  // candidates.
  for (bool changed = true; changed;) {
    changed = false;
    for (Operation *op : SmallVector<Operation *>(candidates.begin(), candidates.end())) {
      if (isa<GlobalAveragePoolOp, GlobalMaxPoolOp>(op))
        continue;
      if (llvm::any_of(op->getUsers(), [&](Operation *u) { return !candidates.contains(u); })) {
        candidates.remove(op);
        changed = true;
      }
    }
  }
  // All or nothing for the convolutions, pools and concats: one left NCHW
  // would put copies between layers.
  ok &= llvm::all_of(required, [&](Operation *op) { return candidates.contains(op); });
  // One-pixel convolutions run channels-last whatever their neighbours do:
  // their operands have the same bytes in either layout.
  for (Operation *op : onePixelConvs)
    op->setAttr(kChannelsLastAttr, UnitAttr::get(fn.getContext()));
  if (!ok || llvm::none_of(required, [](Operation *op) { return isa<ConvOp, QConvOp>(op); }))
    return;
  for (Operation *op : candidates)
    op->setAttr(kChannelsLastAttr, UnitAttr::get(fn.getContext()));
}

namespace {

/// The NHWC type of an NCHW tensor type.
RankedTensorType channelsLastType(RankedTensorType nchw) {
  return RankedTensorType::get(
      {nchw.getDimSize(0), nchw.getDimSize(2), nchw.getDimSize(3), nchw.getDimSize(1)},
      nchw.getElementType());
}

/// |value| transposed by |perm| (result dim i is input dim perm[i]).
Value transposed(OpBuilder &b, Location loc, Value value, ArrayRef<int64_t> perm) {
  auto type = cast<RankedTensorType>(value.getType());
  SmallVector<int64_t> shape;
  for (int64_t d : perm)
    shape.push_back(type.getDimSize(d));
  auto resultType = RankedTensorType::get(shape, type.getElementType());
  return linalg::TransposeOp::create(b, loc, value, emptyTensor(b, loc, resultType), perm)
      .getResult()
      .front();
}

} // namespace

/// |x| [N, H, W, C] padded on H and W by |pads| (begins, then ends).
Value mlir::ds::lowering::padChannelsLast(OpBuilder &b, Location loc, Value x,
                                         ArrayRef<int64_t> pads,
                      ArrayRef<int64_t> extraEnd, Value padValue) {
  auto type = cast<RankedTensorType>(x.getType());
  SmallVector<int64_t> low{0, pads[0], pads[1], 0},
      high{0, pads[2] + extraEnd[0], pads[3] + extraEnd[1], 0};
  if (llvm::all_of(low, [](int64_t p) { return p == 0; }) &&
      llvm::all_of(high, [](int64_t p) { return p == 0; }))
    return x;
  SmallVector<int64_t> shape(type.getShape());
  shape[1] += low[1] + high[1];
  shape[2] += low[2] + high[2];
  // The pad value goes into the border strips only, then |x| into the
  // interior: tensor.pad filled the whole padded buffer first (a memset of
  // every activation before each 3x3 or depthwise convolution, 7% of
  // MobileNetV3) only to overwrite all but its border.
  Type elem = type.getElementType();
  Value padded = emptyTensor(b, loc, RankedTensorType::get(shape, elem));
  auto fillRegion = [&](int64_t row, int64_t rows, int64_t col, int64_t cols) {
    if (rows <= 0 || cols <= 0)
      return;
    auto stripType = RankedTensorType::get({shape[0], rows, cols, shape[3]}, elem);
    padded = insertAt(b, loc, filledTensor(b, loc, stripType, padValue), padded,
                      {0, row, col, 0});
  };
  int64_t h = type.getDimSize(1), w = type.getDimSize(2);
  fillRegion(0, low[1], 0, shape[2]);                 // top rows
  fillRegion(low[1] + h, high[1], 0, shape[2]);       // bottom rows
  fillRegion(low[1], h, 0, low[2]);                   // left columns
  fillRegion(low[1], h, low[2] + w, high[2]);         // right columns
  return insertAt(b, loc, x, padded, {0, low[1], low[2], 0});
}

Value mlir::ds::lowering::toChannelsLast(OpBuilder &b, Location loc, Value nchw) {
  return transposed(b, loc, nchw, {0, 2, 3, 1});
}

Value mlir::ds::lowering::fromChannelsLast(OpBuilder &b, Location loc, Value nhwc) {
  return transposed(b, loc, nhwc, {0, 3, 1, 2});
}

namespace {

/// |weight| [F][C][KH][KW] (row-major, |shape|) laid out as [KH*KW*C][|width|],
/// the extra columns zero: the NHWC product's right-hand side.
template <typename T>
SmallVector<T> nhwcProductLayout(ArrayRef<T> weight, ArrayRef<int64_t> shape, int64_t width) {
  int64_t f = shape[0], c = shape[1], kh = shape[2], kw = shape[3];
  SmallVector<T> laidOut(kh * kw * c * width, T());
  for (int64_t o = 0; o < f; ++o)
    for (int64_t i = 0; i < c; ++i)
      for (int64_t y = 0; y < kh; ++y)
        for (int64_t x = 0; x < kw; ++x)
          laidOut[((y * kw + x) * c + i) * width + o] = weight[((o * c + i) * kh + y) * kw + x];
  return laidOut;
}

/// The f16 constant an FP16 model's weight |value| widens (a generic whose
/// body is one arith.extf to f32, as ds.cast lowers), as raw 2-byte
/// elements; nullopt for anything else.
std::optional<ArrayRef<char>> widenedF16Constant(Value value) {
  auto widen = value.getDefiningOp<linalg::GenericOp>();
  if (!widen || widen.getNumDpsInputs() != 1 ||
      widen.getNumParallelLoops() != widen.getNumLoops() ||
      !llvm::all_of(widen.getIndexingMapsArray(), [](AffineMap m) { return m.isIdentity(); }))
    return std::nullopt;
  Block &body = widen.getRegion().front();
  auto extend = dyn_cast<arith::ExtFOp>(&body.front());
  if (body.getOperations().size() != 2 || !extend || extend.getIn() != body.getArgument(0))
    return std::nullopt;
  Value source = widen.getDpsInputOperand(0)->get();
  auto type = dyn_cast<RankedTensorType>(source.getType());
  ElementsAttr elements;
  if (!type || !type.getElementType().isF16() || !type.hasStaticShape() ||
      !matchPattern(source, m_Constant(&elements)))
    return std::nullopt;
  size_t bytes = static_cast<size_t>(type.getNumElements()) * 2;
  if (auto dense = dyn_cast<DenseElementsAttr>(elements);
      dense && !dense.isSplat() && dense.getRawData().size() == bytes)
    return dense.getRawData();
  if (auto resource = dyn_cast<DenseResourceElementsAttr>(elements))
    if (AsmResourceBlob *blob = resource.getRawHandle().getBlob();
        blob && blob->getData().size() == bytes)
      return blob->getData();
  return std::nullopt;
}

/// An FP16 weight laid out like productWeight's constants, as f16, then
/// widened by a generic of its own (which the GPU's tiled products stage
/// widened; ds-fuse-elementwise{widen-into-contractions}).
Value widenedProductWeight(OpBuilder &b, Location loc, ArrayRef<char> halves,
                           RankedTensorType weightType, int64_t width) {
  ArrayRef<int64_t> shape = weightType.getShape();
  auto halfType = RankedTensorType::get({shape[2] * shape[3] * shape[1], width}, b.getF16Type());
  // The raw halves (their bits), copied out: the blob need not be 2-aligned.
  SmallVector<uint16_t> bits(halves.size() / 2);
  std::memcpy(bits.data(), halves.data(), halves.size());
  SmallVector<uint16_t> laidOut = nhwcProductLayout<uint16_t>(bits, shape, width);
  ArrayRef<char> bytes(reinterpret_cast<const char *>(laidOut.data()), laidOut.size() * 2);
  auto blob = HeapAsmResourceBlob::allocateAndCopyWithAlign(bytes, alignof(uint16_t));
  Value half = arith::ConstantOp::create(
      b, loc, halfType, DenseResourceElementsAttr::get(halfType, "nhwc_weight_f16", std::move(blob)));
  auto wideType = RankedTensorType::get(halfType.getShape(), b.getF32Type());
  AffineMap id = b.getMultiDimIdentityMap(2);
  return linalg::GenericOp::create(
             b, loc, wideType, ValueRange{half}, ValueRange{emptyTensor(b, loc, wideType)},
             ArrayRef<AffineMap>{id, id},
             ArrayRef<utils::IteratorType>{utils::IteratorType::parallel,
                                           utils::IteratorType::parallel},
             [&](OpBuilder &nested, Location nestedLoc, ValueRange args) {
               Value wide = arith::ExtFOp::create(nested, nestedLoc, nested.getF32Type(), args[0]);
               linalg::YieldOp::create(nested, nestedLoc, wide);
             })
      .getResult(0);
}

/// A convolution weight [F][C][KH][KW] as the NHWC product's right-hand side
/// [KH*KW*C][|width|] (|width| >= F; the extra columns are zero): a new
/// constant when the weight is one (the usual case; the re-layout costs
/// nothing at run time), the same for an FP16 weight's f16 constant, widened
/// after, otherwise a transpose (and a pad).
Value productWeight(OpBuilder &b, Location loc, Value weight, int64_t width) {
  auto type = cast<RankedTensorType>(weight.getType());
  int64_t f = type.getDimSize(0), c = type.getDimSize(1), kh = type.getDimSize(2),
          kw = type.getDimSize(3);
  auto resultType = RankedTensorType::get({kh * kw * c, width}, type.getElementType());
  if (type.getElementType().isF32())
    if (std::optional<ArrayRef<char>> halves = widenedF16Constant(weight))
      return widenedProductWeight(b, loc, *halves, type, width);
  if (std::optional<SmallVector<float>> values = readF32Constant(weight)) {
    SmallVector<float> laidOut = nhwcProductLayout<float>(*values, type.getShape(), width);
    return arith::ConstantOp::create(b, loc, resultType,
                                     makeF32Elements(resultType, laidOut, "nhwc_weight"));
  }
  Value kf = reshapeTo(b, loc, transposed(b, loc, weight, {2, 3, 1, 0}),
                       RankedTensorType::get({kh * kw * c, f}, type.getElementType()));
  if (width == f)
    return kf;
  return padTensor(b, loc, resultType, kf, {0, 0}, {0, width - f},
                   scalarConstant(b, loc, type.getElementType(), 0));
}


/// The [N, OH, OW, C] window of padded |x| that tap (i, j) of a strided,
/// dilated window reads.
Value tapView(OpBuilder &b, Location loc, Value x, int64_t i, int64_t j,
              RankedTensorType tapType, ArrayRef<int64_t> strides,
              ArrayRef<int64_t> dilations) {
  auto index = [&](int64_t v) -> OpFoldResult { return b.getIndexAttr(v); };
  return tensor::ExtractSliceOp::create(
      b, loc, tapType, x,
      SmallVector<OpFoldResult>{index(0), index(i * dilations[0]), index(j * dilations[1]),
                                index(0)},
      SmallVector<OpFoldResult>{index(tapType.getDimSize(0)), index(tapType.getDimSize(1)),
                                index(tapType.getDimSize(2)), index(tapType.getDimSize(3))},
      SmallVector<OpFoldResult>{index(1), index(strides[0]), index(strides[1]), index(1)});
}

} // namespace

namespace {

/// A depthwise convolution channels-last: the sum over the KH x KW taps of a
/// strided view of the padded input times that tap's per-channel weights,
/// one elementwise kernel whose loop over channels vectorizes (NCHW, the
/// vectors ran along output rows of 7 to 112 pixels).
Value buildChannelsLastDepthwise(OpBuilder &b, Location loc, ConvOp op) {
  auto outType = cast<RankedTensorType>(op.getType());
  auto wType = cast<RankedTensorType>(op.getWeight().getType());
  Type elem = outType.getElementType();
  int64_t c = outType.getDimSize(1), kh = wType.getDimSize(2), kw = wType.getDimSize(3);
  Value x = padChannelsLast(b, loc, toChannelsLast(b, loc, op.getInput()), op.getPads(), {0, 0},
                            scalarConstant(b, loc, elem, 0));
  // The weights as [KH*KW][C]: row t holds every channel's weight for tap t.
  auto tapsType = RankedTensorType::get({kh * kw, c}, elem);
  Value taps;
  if (std::optional<SmallVector<float>> values = readF32Constant(op.getWeight())) {
    SmallVector<float> laidOut(values->size());
    for (int64_t ch = 0; ch < c; ++ch)
      for (int64_t t = 0; t < kh * kw; ++t)
        laidOut[t * c + ch] = (*values)[ch * kh * kw + t];
    taps = arith::ConstantOp::create(b, loc, tapsType,
                                     makeF32Elements(tapsType, laidOut, "nhwc_taps"));
  } else {
    Value rows = reshapeTo(b, loc, op.getWeight(), RankedTensorType::get({c, kh * kw}, elem));
    taps = transposed(b, loc, rows, {1, 0});
  }
  RankedTensorType tapType = channelsLastType(outType);
  auto index = [&](int64_t v) -> OpFoldResult { return b.getIndexAttr(v); };
  SmallVector<Value> operands;
  for (int64_t i = 0; i < kh; ++i)
    for (int64_t j = 0; j < kw; ++j) {
      operands.push_back(tapView(b, loc, x, i, j, tapType, op.getStrides(), op.getDilations()));
      operands.push_back(tensor::ExtractSliceOp::create(
          b, loc, RankedTensorType::get({c}, elem), taps,
          SmallVector<OpFoldResult>{index(i * kw + j), index(0)},
          SmallVector<OpFoldResult>{index(1), index(c)},
          SmallVector<OpFoldResult>{index(1), index(1)}));
    }
  Value sum = buildElementwise(b, loc, tapType, operands, sumOfProducts);
  Value residual = op.getResidual();
  if (residual)
    residual = toChannelsLast(b, loc, residual);
  return fromChannelsLast(
      b, loc, buildEpilogue(b, loc, sum, op.getBias(), 3, residual, op.getActivationAttr()));
}

} // namespace

Value mlir::ds::lowering::buildChannelsLastConv(OpBuilder &b, Location loc, ConvOp op) {
  if (op.getGroup() != 1)
    return buildChannelsLastDepthwise(b, loc, op);
  MLIRContext *ctx = b.getContext();
  auto outType = cast<RankedTensorType>(op.getType());
  auto wType = cast<RankedTensorType>(op.getWeight().getType());
  Type elem = outType.getElementType();
  int64_t n = outType.getDimSize(0), f = outType.getDimSize(1), oh = outType.getDimSize(2),
          ow = outType.getDimSize(3);
  int64_t c = wType.getDimSize(1), kh = wType.getDimSize(2), kw = wType.getDimSize(3);
  int64_t k = kh * kw * c, p = oh * ow;
  ArrayRef<int64_t> strides = op.getStrides(), dilations = op.getDilations();
  Value x = padChannelsLast(b, loc, toChannelsLast(b, loc, op.getInput()), op.getPads(), {0, 0},
                            scalarConstant(b, loc, elem, 0));
  auto xType = cast<RankedTensorType>(x.getType());
  auto patchesType = RankedTensorType::get({n, p, k}, elem);
  Value patches;
  if (kh == 1 && kw == 1 && strides[0] == 1 && strides[1] == 1 && xType.getDimSize(1) == oh &&
      xType.getDimSize(2) == ow) {
    patches = reshapeTo(b, loc, x, patchesType); // a 1x1 convolution reads pixels as rows
  } else {
    // patches[n, y, x, i, j, c] = input[n, y * sh + i * dh, x * sw + j * dw, c]:
    // every row of the product is one output pixel's KH x KW x C window.
    auto dim = [&](int64_t i) { return getAffineDimExpr(i, ctx); };
    auto fullType = RankedTensorType::get({n, oh, ow, kh, kw, c}, elem);
    AffineMap read = AffineMap::get(6, 0,
                                    {dim(0), dim(1) * strides[0] + dim(3) * dilations[0],
                                     dim(2) * strides[1] + dim(4) * dilations[1], dim(5)},
                                    ctx);
    patches = reshapeTo(b, loc, gatherCopy(b, loc, x, fullType, read), patchesType);
  }
  // out[n, p, f] += patches[n, p, k] * w[k, f] over loops (n, p, f, k). F
  // that is not a multiple of 16 gets zero weight columns up to the next
  // multiple, so that the register tiles cover it, and the first F columns
  // of the product are the result; up to the next multiple of 32 (two
  // vectors a step, half the loads per FMA) when that adds at most 1/8 (a
  // classifier's 1000 becomes 1024).
  int64_t width = (f + 15) / 16 * 16;
  if (width % 32 != 0 && (width + 16 - f) * 8 <= f)
    width += 16;
  auto dim = [&](int64_t i) { return getAffineDimExpr(i, ctx); };
  auto productType = RankedTensorType::get({n, p, width}, elem);
  SmallVector<AffineMap> maps{AffineMap::get(4, 0, {dim(0), dim(1), dim(3)}, ctx),
                              AffineMap::get(4, 0, {dim(3), dim(2)}, ctx),
                              AffineMap::get(4, 0, {dim(0), dim(1), dim(2)}, ctx)};
  SmallVector<utils::IteratorType> iterators(3, utils::IteratorType::parallel);
  iterators.push_back(utils::IteratorType::reduction);
  Value product =
      linalg::GenericOp::create(
          b, loc, TypeRange{productType},
          ValueRange{patches, productWeight(b, loc, op.getWeight(), width)},
          ValueRange{filledTensor(b, loc, productType, scalarConstant(b, loc, elem, 0))}, maps,
          iterators,
          [&](OpBuilder &nb, Location nloc, ValueRange args) {
            linalg::YieldOp::create(nb, nloc,
                                    add(nb, nloc, args[2], mul(nb, nloc, args[0], args[1])));
          })
          .getResult(0);
  if (width != f) {
    auto index = [&](int64_t v) -> OpFoldResult { return b.getIndexAttr(v); };
    productType = RankedTensorType::get({n, p, f}, elem);
    product = tensor::ExtractSliceOp::create(
        b, loc, productType, product, SmallVector<OpFoldResult>(3, index(0)),
        SmallVector<OpFoldResult>{index(n), index(p), index(f)},
        SmallVector<OpFoldResult>(3, index(1)));
  }
  // Bias along the last dim, the residual viewed as [N, OH*OW, F].
  Value residual = op.getResidual();
  if (residual)
    residual = reshapeTo(b, loc, toChannelsLast(b, loc, residual), productType);
  Value result =
      buildEpilogue(b, loc, product, op.getBias(), 2, residual, op.getActivationAttr());
  Value nhwc = reshapeTo(b, loc, result, RankedTensorType::get({n, oh, ow, f}, elem));
  return fromChannelsLast(b, loc, nhwc);
}

Value mlir::ds::lowering::buildChannelsLastMaxPool(OpBuilder &b, Location loc, MaxPoolOp op,
                                                   Value input, RankedTensorType outType,
                                                   bool isUnsigned) {
  auto inType = cast<RankedTensorType>(input.getType());
  Type elem = outType.getElementType();
  ArrayRef<int64_t> kernel = op.getKernelShape(), strides = op.getStrides();
  SmallVector<int64_t> dilations(op.getDilations());
  if (dilations.empty())
    dilations.assign(2, 1);
  SmallVector<int64_t> pads(op.getPads());
  if (pads.empty())
    pads.assign(4, 0);
  // Extra end padding for ceil_mode's last window.
  SmallVector<int64_t> extra;
  for (int64_t i = 0; i < 2; ++i) {
    int64_t needed = windowExtent(outType.getDimSize(2 + i), kernel[i], strides[i], dilations[i]);
    extra.push_back(std::max<int64_t>(needed - inType.getDimSize(2 + i) - pads[i] - pads[2 + i], 0));
  }
  Value x = padChannelsLast(b, loc, toChannelsLast(b, loc, input), pads, extra,
                            lowestValue(b, loc, elem, isUnsigned));
  RankedTensorType tapType = channelsLastType(outType);
  // The maximum over the taps, one strided view each: one elementwise kernel
  // whose loop over channels vectorizes.
  SmallVector<Value> taps;
  for (int64_t i = 0; i < kernel[0]; ++i)
    for (int64_t j = 0; j < kernel[1]; ++j)
      taps.push_back(tapView(b, loc, x, i, j, tapType, strides, dilations));
  Value result = buildElementwise(b, loc, tapType, taps,
                                  [&](OpBuilder &nb, Location nloc, ValueRange args) {
                                    Value m = args[0];
                                    for (Value v : args.drop_front())
                                      m = maximum(nb, nloc, m, v, isUnsigned);
                                    return m;
                                  });
  return fromChannelsLast(b, loc, result);
}

Value mlir::ds::lowering::buildChannelsLastConcat(OpBuilder &b, Location loc, ConcatOp op) {
  SmallVector<Value> inputs;
  for (Value input : op.getInputs())
    inputs.push_back(toChannelsLast(b, loc, input));
  auto outType = cast<RankedTensorType>(op.getType());
  return fromChannelsLast(b, loc, concatenate(b, loc, inputs, channelsLastType(outType), 3));
}

Value mlir::ds::lowering::buildChannelsLastElementwise(OpBuilder &b, Location loc,
                                                       Operation *op, BodyFn body) {
  SmallVector<Value> operands;
  for (Value v : op->getOperands())
    operands.push_back(cast<RankedTensorType>(v.getType()).getRank() == 4
                           ? toChannelsLast(b, loc, v)
                           : v);
  auto type = cast<RankedTensorType>(op->getResult(0).getType());
  return fromChannelsLast(b, loc, buildElementwise(b, loc, channelsLastType(type), operands, body));
}
