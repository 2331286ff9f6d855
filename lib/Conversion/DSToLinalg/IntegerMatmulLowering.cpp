//===- IntegerMatmulLowering.cpp - u8 x i8 matmuls as 8-bit products ------===//
//
// Dynamic quantization (ONNX Runtime's format, deepseek-optimize --dynamic)
// multiplies an activation quantized at run time to u8 by int8 weights with
// MatMulInteger, which the importer spells in i32:
//   matmul(cast<i32>(a_u8) - a_zp, cast<i32>(w_i8) [- 0])
// Lowered as written, every element is widened and the product is an i32
// loop nest (vpmulld, several times slower than the float model). Here it
// becomes the 8-bit product QuantizedConvLowering builds (u8 rows viewed as
// [1, M, K/4, 4], the constant weights packed [N/16, K/4, 16, 4]), whose i32
// sums are corrected for the activation's zero point:
//   sum_k (a - a_zp) w = sum_k a w - a_zp * sum_k w
// This runs before the lowering patterns: they would lower the casts first.
//
//===----------------------------------------------------------------------===//

#include "LoweringUtils.h"

#include "mlir/IR/Matchers.h"

using namespace mlir;
using namespace mlir::ds;
using namespace mlir::ds::lowering;

namespace {

bool isZeroConstant(Value v) {
  DenseIntElementsAttr attr;
  return matchPattern(v, m_Constant(&attr)) && attr.isSplat() &&
         attr.getSplatValue<APInt>().isZero();
}

/// The operands of an integer matmul this lowering handles.
struct IntegerMatmul {
  Value a;              ///< u8 storage [..., M, K] (signless i8)
  Value zeroPoint;      ///< a's zero point, i32 of rank 0
  SmallVector<int8_t> w; ///< [K, N]
};

std::optional<IntegerMatmul> matchIntegerMatmul(MatMulOp op) {
  auto type = cast<RankedTensorType>(op.getType());
  if (!type.getElementType().isInteger(32) || !type.hasStaticShape() || op.getBias() ||
      op.getResidual() || op.getActivationAttr())
    return std::nullopt;
  auto sub = op.getLhs().getDefiningOp<SubOp>();
  auto widen = sub ? sub.getLhs().getDefiningOp<CastOp>() : CastOp();
  if (!widen || !widen->hasAttr(kSourceUnsignedAttr) ||
      !getElementTypeOrSelf(widen.getInput().getType()).isInteger(8) ||
      cast<RankedTensorType>(sub.getRhs().getType()).getRank() != 0)
    return std::nullopt;
  Value b = op.getRhs();
  if (auto subB = b.getDefiningOp<SubOp>()) {
    if (!isZeroConstant(subB.getRhs()))
      return std::nullopt;
    b = subB.getLhs();
  }
  auto castB = b.getDefiningOp<CastOp>();
  if (!castB || castB->hasAttr(kSourceUnsignedAttr))
    return std::nullopt;
  auto bType = cast<RankedTensorType>(castB.getInput().getType());
  std::optional<SmallVector<int8_t>> w = readI8Constant(castB.getInput());
  auto aType = cast<RankedTensorType>(widen.getInput().getType());
  if (!w || bType.getRank() != 2 || aType.getRank() < 2 || !aType.hasStaticShape() ||
      aType.getShape().back() % 4 != 0)
    return std::nullopt;
  return IntegerMatmul{widen.getInput(), sub.getRhs(), std::move(*w)};
}

} // namespace

void mlir::ds::lowering::lowerIntegerMatmuls(func::FuncOp fn) {
  SmallVector<MatMulOp> matmuls;
  fn.walk([&](MatMulOp op) { matmuls.push_back(op); });
  for (MatMulOp op : matmuls) {
    std::optional<IntegerMatmul> m = matchIntegerMatmul(op);
    if (!m)
      continue;
    OpBuilder b(op);
    Location loc = op.getLoc();
    auto aType = cast<RankedTensorType>(m->a.getType());
    auto outType = cast<RankedTensorType>(op.getType());
    int64_t k = aType.getShape().back(), n = outType.getShape().back();
    int64_t rows = aType.getNumElements() / k, groups = (n + 15) / 16;
    Type i8 = b.getI8Type(), i32 = b.getI32Type();
    Value lhs = reshapeTo(b, loc, m->a, RankedTensorType::get({1, rows, k / 4, 4}, i8));
    SmallVector<int8_t> packed(groups * k * 16, 0);
    SmallVector<int32_t> sums(groups * 16, 0);
    for (int64_t kk = 0; kk < k; ++kk)
      for (int64_t j = 0; j < n; ++j) {
        int8_t v = m->w[kk * n + j];
        packed[(((j / 16) * (k / 4) + kk / 4) * 16 + j % 16) * 4 + kk % 4] = v;
        sums[j] += v;
      }
    auto packedType = RankedTensorType::get({groups, k / 4, 16, 4}, i8);
    Value rhs = arith::ConstantOp::create(b, loc, packedType,
                                          DenseElementsAttr::get(packedType, ArrayRef(packed)));
    auto sumsType = RankedTensorType::get({groups, 16}, i32);
    Value sumsT = arith::ConstantOp::create(b, loc, sumsType,
                                            DenseElementsAttr::get(sumsType, ArrayRef(sums)));
    Value acc = buildVNNIProduct(b, loc, lhs, rhs);
    auto accType = cast<RankedTensorType>(acc.getType());
    Value corrected = buildElementwise(
        b, loc, accType, ValueRange{acc, sumsT, m->zeroPoint},
        [](OpBuilder &nb, Location nloc, ValueRange args) {
          return arith::SubIOp::create(nb, nloc, args[0],
                                       arith::MulIOp::create(nb, nloc, args[2], args[1]));
        });
    Value flat = reshapeTo(b, loc, corrected, RankedTensorType::get({rows, groups * 16}, i32));
    if (groups * 16 != n) {
      auto index = [&](int64_t v) -> OpFoldResult { return b.getIndexAttr(v); };
      flat = tensor::ExtractSliceOp::create(
          b, loc, RankedTensorType::get({rows, n}, i32), flat,
          SmallVector<OpFoldResult>(2, index(0)), SmallVector<OpFoldResult>{index(rows), index(n)},
          SmallVector<OpFoldResult>(2, index(1)));
    }
    op.getResult().replaceAllUsesWith(reshapeTo(b, loc, flat, outType));
    op.erase();
  }
}
