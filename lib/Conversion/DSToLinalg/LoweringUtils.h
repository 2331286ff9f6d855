//===- LoweringUtils.h - shared builders for the ds -> linalg lowering ----*- C++ -*-===//
//
// Every ds op lowers on static shapes. These helpers build the recurring pieces:
// empty/filled tensors, broadcasting elementwise linalg.generic ops, scalar
// arithmetic that picks the float or integer arith op by element type, and
// reshapes between static shapes.
//
//===----------------------------------------------------------------------===//
#ifndef DEEPSEEK_LIB_CONVERSION_DSTOLINALG_LOWERINGUTILS_H
#define DEEPSEEK_LIB_CONVERSION_DSTOLINALG_LOWERINGUTILS_H

#include "deepseek/Dialect/DS/IR/DSOps.h"
#include "deepseek/Transforms/F32Elements.h"
#include "deepseek/Transforms/StaticReshape.h"

#include "mlir/Dialect/Arith/IR/Arith.h"
#include "mlir/Dialect/Func/IR/FuncOps.h"
#include "mlir/Dialect/Linalg/IR/Linalg.h"
#include "mlir/Dialect/Math/IR/Math.h"
#include "mlir/Dialect/Tensor/IR/Tensor.h"
#include "mlir/IR/PatternMatch.h"

namespace mlir::ds::lowering {

/// Marks set by normalizeSignedness on ops that computed on unsigned integers.
constexpr const char kUnsignedAttr[] = "ds.unsigned";
constexpr const char kSourceUnsignedAttr[] = "ds.source_unsigned";
constexpr const char kTargetUnsignedAttr[] = "ds.target_unsigned";

/// Makes every unsigned integer tensor in |fn| signless, marking the ops that
/// computed on unsigned values (run before the lowering patterns).
LogicalResult normalizeSignedness(func::FuncOp fn);

/// Whether |op| was marked as computing on unsigned integers.
inline bool isUnsignedOp(Operation *op) { return op->hasAttr(kUnsignedAttr); }

using BodyFn = function_ref<Value(OpBuilder &, Location, ValueRange)>;

/// |axis| counted from the front (ONNX allows negative axes).
inline int64_t positiveAxis(int64_t axis, int64_t rank) { return axis < 0 ? axis + rank : axis; }

/// Whether a scalar is a float (else an integer or index).
inline bool isFloatScalar(Value v) { return isa<FloatType>(v.getType()); }

/// A floating-point scalar truncated toward zero to an `index` (no clamping).
Value floatToIndex(OpBuilder &b, Location loc, Value x);

/// An index-tensor element (i32/i64) as an `index` in [0, size): negative
/// indices count from the end, as ONNX specifies, then the result is clamped
/// into range so that bad data can never address outside a buffer.
Value clampedIndex(OpBuilder &b, Location loc, Value raw, int64_t size);

/// |value| (a float tensor) divided elementwise by the constant |divisor|.
Value divideByConstant(OpBuilder &b, Location loc, Value value, double divisor);

/// A tensor.empty of |type| (static shape).
Value emptyTensor(OpBuilder &b, Location loc, RankedTensorType type);
/// A tensor of |type| filled with |value| (a scalar of the element type).
Value filledTensor(OpBuilder &b, Location loc, RankedTensorType type, Value value);
/// A scalar constant of |type| (float, integer or index) holding |value|.
Value scalarConstant(OpBuilder &b, Location loc, Type type, double value);
/// The lowest / highest value of |type| (reduction identities): infinities for
/// floats, the integer range for signed or (|isUnsigned|) unsigned integers.
Value lowestValue(OpBuilder &b, Location loc, Type type, bool isUnsigned = false);
Value highestValue(OpBuilder &b, Location loc, Type type, bool isUnsigned = false);

/// tensor.pad of |source| to |type| by static |low|/|high| amounts with |value|.
Value padTensor(OpBuilder &b, Location loc, RankedTensorType type, Value source,
                ArrayRef<int64_t> low, ArrayRef<int64_t> high, Value value);

/// The indexing map that reads |input| (numpy-broadcast) at the iteration point of
/// a loop nest over |resultShape|: missing leading dims are dropped, size-1 dims
/// that broadcast read index 0.
AffineMap broadcastMap(MLIRContext *ctx, ArrayRef<int64_t> inputShape,
                       ArrayRef<int64_t> resultShape);

/// linalg.generic over |resultType| reading |inputs| with numpy broadcasting and
/// computing each element with |body|(inputs' scalars).
Value buildElementwise(OpBuilder &b, Location loc, RankedTensorType resultType,
                       ValueRange inputs, BodyFn body);

/// linalg.generic over |resultType| whose element is computed by |body| from the
/// iteration indices (as `index` values); the body typically tensor.extracts from
/// other tensors. Used for data-dependent addressing (gather, resize, pad modes).
Value buildIndexed(OpBuilder &b, Location loc, RankedTensorType resultType,
                   function_ref<Value(OpBuilder &, Location, ValueRange)> body);

/// Reduces |input| over |axes| (sorted, unique) with |combine|(element, acc),
/// starting from |init|; the result drops the reduced dims (reshape for keepdims).
Value buildReduction(OpBuilder &b, Location loc, Value input, ArrayRef<int64_t> axes,
                     Value init, function_ref<Value(OpBuilder &, Location, Value, Value)> combine);

/// The shape of |type| with |axes| set to 1 (keepdims form of a reduction).
RankedTensorType keepDimsType(RankedTensorType type, ArrayRef<int64_t> axes);

/// |value| reshaped to the static |type| (deepseek/Transforms/StaticReshape.h).
using ::mlir::ds::reshapeTo;

// Scalar arithmetic choosing the float or integer op from the operand type.
Value add(OpBuilder &b, Location loc, Value x, Value y);
Value sub(OpBuilder &b, Location loc, Value x, Value y);
Value mul(OpBuilder &b, Location loc, Value x, Value y);
Value div(OpBuilder &b, Location loc, Value x, Value y, bool isUnsigned = false);
Value minimum(OpBuilder &b, Location loc, Value x, Value y, bool isUnsigned = false);
Value maximum(OpBuilder &b, Location loc, Value x, Value y, bool isUnsigned = false);
/// Whether |x| orders strictly before |y| (greater when |greater|, else
/// smaller), with the float, signed or unsigned comparison the type asks for;
/// and whether they are equal. Shared by the selection ops (arg_max, top_k).
Value strictlyBefore(OpBuilder &b, Location loc, Value x, Value y, bool greater,
                     bool isUnsigned);
Value equalTo(OpBuilder &b, Location loc, Value x, Value y);

/// Converts a scalar between element types with ONNX Cast semantics (float to int
/// truncates toward zero; to i1 is `!= 0`; signless integers are signed).
Value convertScalar(OpBuilder &b, Location loc, Value x, Type to,
                    bool sourceUnsigned = false, bool targetUnsigned = false);
/// Applies a fused-epilogue activation to a float scalar.
Value applyActivation(OpBuilder &b, Location loc, Value x, ActivationAttr act);

/// True when every operand and result of |op| has a static shape; otherwise
/// reports why on |rewriter| and returns false.
LogicalResult requireStaticShapes(Operation *op, PatternRewriter &rewriter);

/// Pattern registration, one function per op family (each in its own file).
/// Numerically stable (log-)softmax of |x| along |axis|: exp(x - max) / sum.
Value buildSoftmax(OpBuilder &b, Location loc, Value x, int64_t axis, bool isLog);

void populateElementwiseLoweringPatterns(RewritePatternSet &patterns);
void populateLinearLoweringPatterns(RewritePatternSet &patterns);
void populatePoolingLoweringPatterns(RewritePatternSet &patterns);
void populateReductionLoweringPatterns(RewritePatternSet &patterns);
void populateNormalizationLoweringPatterns(RewritePatternSet &patterns);
void populateDataMovementLoweringPatterns(RewritePatternSet &patterns);
void populateResizeLoweringPatterns(RewritePatternSet &patterns);
void populateTopKLoweringPatterns(RewritePatternSet &patterns);
void populateScatterLoweringPatterns(RewritePatternSet &patterns);
void populateAttentionLoweringPatterns(RewritePatternSet &patterns);
void populateGridSampleLoweringPatterns(RewritePatternSet &patterns);
void populateRoiAlignLoweringPatterns(RewritePatternSet &patterns);
void populateQuantizationLoweringPatterns(RewritePatternSet &patterns);
void populateQuantizedConvLoweringPatterns(RewritePatternSet &patterns);
/// The integer storage of quantized |value|: the operand of the storage cast
/// that produced it (a lowered quantize, or a constant's bytes), else a new
/// storage cast (QuantizationLowering.cpp).
Value storageOf(OpBuilder &b, Location loc, Value value);
/// f32 |x| quantized: x / |scale| rounded half to even, plus |zeroPoint|,
/// saturated to [|min|, |max|], truncated to the integer |storage| type.
Value quantizeScalar(OpBuilder &b, Location loc, Value x, Value scale, Value zeroPoint,
                     double min, double max, Type storage);
/// The 8-bit product in the layout AVX-512 VNNI reads (see
/// QuantizedConvLowering.cpp): i32 [N, P, G, 16] sums of u8 |lhs| [N, P, K/4, 4]
/// times i8 |rhs| [G, K/4, 16, 4] (weights packed 16 channels x 4 taps).
Value buildVNNIProduct(OpBuilder &b, Location loc, Value lhs, Value rhs);
/// ds.matmul of (u8 - zero point) x constant i8 in i32 (what MatMulInteger
/// imports as) lowered as that product, before the patterns run (they would
/// lower the casts first).
void lowerIntegerMatmuls(func::FuncOp fn);

/// A 2-D convolution with one filter per channel and at most 7x7 taps: the
/// kind lowered as one elementwise kernel over its taps (NCHW or NHWC).
inline bool isSmallDepthwise(int64_t groups, RankedTensorType input, RankedTensorType weight) {
  return groups > 1 && input.getRank() == 4 && weight.getRank() == 4 &&
         groups == input.getDimSize(1) && weight.getDimSize(0) == groups &&
         weight.getDimSize(1) == 1 && weight.getDimSize(2) * weight.getDimSize(3) <= 49;
}

/// |source| inserted whole into |dest| at |offsets| (unit strides).
Value insertAt(OpBuilder &b, Location loc, Value source, Value dest, ArrayRef<int64_t> offsets);

/// |inputs| joined along |axis| into a tensor of |outType| (empty inputs skipped).
Value concatenate(OpBuilder &b, Location loc, ValueRange inputs, RankedTensorType outType,
                  int64_t axis);

/// The sum of args[0] * args[1] + args[2] * args[3] + ... with contractible
/// multiply-adds: the body of the depthwise kernels (tap view, tap weight pairs).
Value sumOfProducts(OpBuilder &b, Location loc, ValueRange args);

/// How many input positions a window reaches along one dim: from the first
/// output's first tap to the last output's last tap. Beyond the input and its
/// begin padding, the rest is end padding (with ceil_mode, more than pads).
inline int64_t windowExtent(int64_t outSize, int64_t kernel, int64_t stride, int64_t dilation) {
  return (outSize - 1) * stride + (kernel - 1) * dilation + 1;
}

/// A copy of |source| into a new tensor of |resultType| whose element at
/// each index is |source| at |read|(index) (im2col's patch matrices).
Value gatherCopy(OpBuilder &b, Location loc, Value source, RankedTensorType resultType,
                 AffineMap read);

/// Marks the convolutions and pools of |fn| that lower channels-last
/// (kChannelsLastAttr): all of them when the whole network can, none
/// otherwise (see ChannelsLast.cpp).
constexpr const char kChannelsLastAttr[] = "ds.channels_last";
void markChannelsLast(func::FuncOp fn);

/// |x| [N, H, W, C] padded on H and W by |pads| (begins, then ends) plus
/// |extraEnd| more at the ends, with |padValue| written to the border strips
/// only (not a fill of the whole buffer).
Value padChannelsLast(OpBuilder &b, Location loc, Value x, ArrayRef<int64_t> pads,
                      ArrayRef<int64_t> extraEnd, Value padValue);
/// NCHW <-> NHWC transposes (canonicalization cancels back-to-back pairs).
Value toChannelsLast(OpBuilder &b, Location loc, Value nchw);
Value fromChannelsLast(OpBuilder &b, Location loc, Value nhwc);

/// A marked convolution / max pool computed NHWC, its result back in NCHW.
Value buildChannelsLastConv(OpBuilder &b, Location loc, ConvOp op);
/// The max pool reads |input| (the op's input or its integer storage) and
/// computes |outType| (NCHW), comparing unsigned when |isUnsigned|.
Value buildChannelsLastMaxPool(OpBuilder &b, Location loc, MaxPoolOp op, Value input,
                               RankedTensorType outType, bool isUnsigned);
Value buildChannelsLastConcat(OpBuilder &b, Location loc, ConcatOp op);
/// A marked elementwise op: |body| over its operands transposed to NHWC.
Value buildChannelsLastElementwise(OpBuilder &b, Location loc, Operation *op, BodyFn body);

/// bias (per channel along |channelDim|), residual and activation over
/// |value|; |value| itself when there are none.
Value buildEpilogue(OpBuilder &b, Location loc, Value value, Value bias, int64_t channelDim,
                    Value residual, ActivationAttr activation);

} // namespace mlir::ds::lowering

#endif // DEEPSEEK_LIB_CONVERSION_DSTOLINALG_LOWERINGUTILS_H
