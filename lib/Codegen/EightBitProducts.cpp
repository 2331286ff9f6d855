//===- EightBitProducts.cpp - 8-bit product tiles: vpdpbusd and sdot ------===//
//
// See EightBitProducts.h.
//
//===----------------------------------------------------------------------===//

#include "EightBitProducts.h"

#include "mlir/Dialect/Arith/IR/Arith.h"
#include "mlir/Dialect/LLVMIR/LLVMDialect.h"
#include "mlir/Dialect/Tensor/IR/Tensor.h"
#include "mlir/Dialect/Vector/IR/VectorOps.h"

using namespace mlir;

namespace mlir::ds {

/// Mr x groups for |rows| rows and |groupCount| 16-channel groups. Two
/// groups a tile when they divide the channels: each broadcast row of taps
/// then feeds two vpdpbusd (loads per dot nearly halve), up to 12 rows (24
/// accumulators); one group, up to 16 rows. Both leave registers for the
/// weight rows and the broadcasts among AVX-512's 32.
VNNITile vnniTileFor(int64_t rows, int64_t groupCount) {
  VNNITile tile{16, 1};
  if (groupCount % 2 == 0)
    tile = {12, 2};
  while (rows % tile.mr != 0)
    --tile.mr;
  return tile;
}

/// True when |op|'s body is out + ext(a) * ext(i8 b) in i32, a u8 or (when
/// |signedInput|) i8, |op| writes i32 from two i8 operands, and its
/// iterators are |parallel| parallel then |reductions| reductions.
bool isEightBitProduct(linalg::GenericOp op, unsigned parallel, unsigned reductions,
                       bool signedInput) {
  if (op.getNumDpsInputs() != 2 || op.getNumDpsInits() != 1 ||
      op.getNumLoops() != parallel + reductions || op.hasIndexSemantics())
    return false;
  auto outType = dyn_cast<RankedTensorType>(op.getResult(0).getType());
  if (!outType || !outType.getElementType().isInteger(32) || !outType.hasStaticShape())
    return false;
  for (OpOperand *input : op.getDpsInputOperands())
    if (!getElementTypeOrSelf(input->get().getType()).isInteger(8))
      return false;
  SmallVector<utils::IteratorType> expected(parallel, utils::IteratorType::parallel);
  expected.append(reductions, utils::IteratorType::reduction);
  if (op.getIteratorTypesArray() != expected)
    return false;
  Block &body = op.getRegion().front();
  SmallVector<Operation *> ops = llvm::map_to_vector(body, [](Operation &o) { return &o; });
  bool inputExtension =
      signedInput ? isa<arith::ExtSIOp>(ops[0]) : isa<arith::ExtUIOp>(ops[0]);
  return ops.size() == 5 && inputExtension && isa<arith::ExtSIOp>(ops[1]) &&
         isa<arith::MulIOp>(ops[2]) && isa<arith::AddIOp>(ops[3]);
}

/// The implicit 8-bit product (see VNNITile); its tile runs along one output
/// row. |signedInput|: the s8 x s8 form armv8's sdot multiplies, in tiles of
/// up to 6 pixels of one 16-channel group (4 x Mr accumulators of 4 lanes
/// among NEON's 32 registers, with the 4 weight quarters and a broadcast).
std::optional<VNNITile> matchImplicitVNNIProduct(linalg::GenericOp op, bool signedInput) {
  if (!isEightBitProduct(op, 5, 4, signedInput))
    return std::nullopt;
  MLIRContext *ctx = op.getContext();
  auto d = [&](unsigned i) { return getAffineDimExpr(i, ctx); };
  SmallVector<AffineMap> maps = op.getIndexingMapsArray();
  AffineMap in = maps[0];
  if (in.getNumResults() != 4 || in.getNumSymbols() != 0)
    return std::nullopt;
  // The input map's coefficients: (y, i) in dim 1, (x, jj) in dim 2.
  auto coefficient = [&](unsigned loop, unsigned result) {
    SmallVector<int64_t> at(9, 0);
    int64_t base = in.compose(at)[result];
    at[loop] = 1;
    return in.compose(at)[result] - base;
  };
  int64_t sh = coefficient(1, 1), dh = coefficient(5, 1), sw = coefficient(2, 2),
          dw = coefficient(6, 2);
  SmallVector<AffineMap> expected{
      AffineMap::get(9, 0, {d(0), d(1) * sh + d(5) * dh, d(2) * sw + d(6) * dw, d(7) * 4 + d(8)},
                     ctx),
      AffineMap::get(9, 0, {d(3), d(5), d(6), d(7), d(4), d(8)}, ctx),
      AffineMap::get(9, 0, {d(0), d(1), d(2), d(3), d(4)}, ctx)};
  SmallVector<int64_t> ranges = op.getStaticLoopRanges();
  if (maps != expected || ranges[4] != 16 || ranges[8] != 4)
    return std::nullopt;
  VNNITile tile = vnniTileFor(ranges[2], ranges[3]);
  if (signedInput) {
    tile = {6, 1};
    while (ranges[2] % tile.mr != 0)
      --tile.mr;
  }
  tile.implicit = true;
  tile.rowStride = sw;
  tile.signedInput = signedInput;
  return tile;
}

std::optional<VNNITile> matchVNNIProduct(linalg::GenericOp op) {
  if (!isEightBitProduct(op, 4, 2))
    return std::nullopt;
  MLIRContext *ctx = op.getContext();
  auto d = [&](unsigned i) { return getAffineDimExpr(i, ctx); };
  SmallVector<AffineMap> maps{AffineMap::get(6, 0, {d(0), d(1), d(4), d(5)}, ctx),
                              AffineMap::get(6, 0, {d(2), d(4), d(3), d(5)}, ctx),
                              AffineMap::get(6, 0, {d(0), d(1), d(2), d(3)}, ctx)};
  if (op.getIndexingMapsArray() != maps)
    return std::nullopt;
  SmallVector<int64_t> ranges = op.getStaticLoopRanges();
  if (ranges[3] != 16 || ranges[5] != 4)
    return std::nullopt;
  return vnniTileFor(ranges[1], ranges[2]);
}

/// An 8-bit product the target tiles: either u8 form with |vnni|, the s8
/// implicit form with |signedProducts|.
std::optional<VNNITile> matchEightBitProduct(linalg::GenericOp op, bool vnni,
                                             bool signedProducts) {
  if (vnni) {
    if (std::optional<VNNITile> tile = matchVNNIProduct(op))
      return tile;
    if (std::optional<VNNITile> tile = matchImplicitVNNIProduct(op))
      return tile;
  }
  if (signedProducts)
    return matchImplicitVNNIProduct(op, /*signedInput=*/true);
  return std::nullopt;
}

/// vpdpbusd's arithmetic in plain vector ops: each i32 lane of |acc| plus
/// the four products of the u8 (|signedA|: i8, sdot's) |a| bytes and the i8
/// |b| bytes in that lane (wrapping). The intrinsic itself has unknown memory effects, which the
/// buffer deallocation passes refuse; ds-cpu-lower-vectors, after them,
/// turns this form into the instruction (lowerDotsOfFourBytes).
Value dotOfFourBytes(OpBuilder &b, Location loc, Value acc, Value a, Value bytes,
                     bool signedA) {
  Type i32 = b.getI32Type();
  auto wide = VectorType::get({64}, i32);
  Value wideA = signedA ? arith::ExtSIOp::create(b, loc, wide, a).getResult()
                        : arith::ExtUIOp::create(b, loc, wide, a).getResult();
  Value product =
      arith::MulIOp::create(b, loc, wideA, arith::ExtSIOp::create(b, loc, wide, bytes));
  Value lanes = vector::ShapeCastOp::create(b, loc, VectorType::get({16, 4}, i32), product);
  return vector::MultiDimReductionOp::create(b, loc, lanes, acc, ArrayRef<bool>{false, true},
                                             vector::CombiningKind::ADD);
}

/// One K step of an 8-bit tile (lhs [1, Mr, 1, 4] u8, rhs [G, 1, 16, 4] i8,
/// acc [1, Mr, G, 16] i32; implicit: lhs [1, 1, (Mr-1)*sw + 1, 4], rhs
/// [G, 1, 1, 1, 16, 4], acc [1, 1, Mr, G, 16]) as Mr x G vpdpbusd: each row's
/// four taps, read as one i32 and broadcast to 16 lanes, against each
/// group's 64-byte weight row. The accumulator is read and written whole, so
/// the K loop carries it in registers afterwards
/// (carryAccumulatorInRegisters).
void emitVNNIStep(RewriterBase &rewriter, linalg::GenericOp step, VNNITile t) {
  Location loc = step.getLoc();
  MLIRContext *ctx = step.getContext();
  rewriter.setInsertionPoint(step);
  Type i8 = rewriter.getI8Type(), i32 = rewriter.getI32Type();
  Value lhs = step.getDpsInputs()[0], rhs = step.getDpsInputs()[1];
  Value acc = step.getDpsInits()[0];
  Value zero = arith::ConstantIndexOp::create(rewriter, loc, 0);
  auto d = [&](unsigned i) { return getAffineDimExpr(i, ctx); };
  auto inBounds = [&](int64_t rank) {
    return rewriter.getBoolArrayAttr(SmallVector<bool>(rank, true));
  };
  Value byte0 = arith::ConstantOp::create(rewriter, loc, rewriter.getIntegerAttr(i8, 0));
  Value int0 = arith::ConstantOp::create(rewriter, loc, rewriter.getIntegerAttr(i32, 0));
  int64_t rhsRank = cast<RankedTensorType>(rhs.getType()).getRank();
  int64_t accRank = cast<RankedTensorType>(acc.getType()).getRank();
  // Each group's 64 contiguous bytes as one 1-D read (a 16x4 read lowers to
  // sixteen 4-byte loads and shuffles).
  SmallVector<Value> weights;
  for (int64_t g = 0; g < t.groups; ++g) {
    auto index = [&](int64_t v) -> OpFoldResult { return rewriter.getIndexAttr(v); };
    SmallVector<OpFoldResult> offsets(rhsRank, index(0)), sizes(rhsRank, index(1));
    offsets[0] = index(g);
    sizes[rhsRank - 2] = index(16);
    sizes[rhsRank - 1] = index(4);
    SmallVector<int64_t> groupShape(rhsRank, 1);
    groupShape[rhsRank - 2] = 16;
    groupShape[rhsRank - 1] = 4;
    Value group = tensor::ExtractSliceOp::create(
        rewriter, loc, RankedTensorType::get(groupShape, i8), rhs, offsets, sizes,
        SmallVector<OpFoldResult>(rhsRank, index(1)));
    ReassociationIndices all;
    for (int64_t i = 0; i < rhsRank; ++i)
      all.push_back(i);
    Value row64 = tensor::CollapseShapeOp::create(rewriter, loc,
                                                  RankedTensorType::get({64}, i8), group,
                                                  SmallVector<ReassociationIndices>{all});
    weights.push_back(vector::TransferReadOp::create(
        rewriter, loc, VectorType::get({64}, i8), row64, ValueRange{zero},
        AffineMapAttr::get(AffineMap::getMultiDimIdentityMap(1, ctx)), byte0, Value(),
        inBounds(1)));
  }
  SmallVector<Value> origin(accRank, zero);
  AffineMap accMap =
      AffineMap::get(accRank, 0, {d(accRank - 3), d(accRank - 2), d(accRank - 1)}, ctx);
  auto accType = VectorType::get({t.mr, t.groups, 16}, i32);
  Value sums = vector::TransferReadOp::create(rewriter, loc, accType, acc, origin,
                                              AffineMapAttr::get(accMap), int0, Value(),
                                              inBounds(3));
  auto rowType = VectorType::get({16}, i32);
  for (int64_t r = 0; r < t.mr; ++r) {
    // Row r's four taps: pixel r of the im2col tile, or r * sw pixels into
    // the implicit tile's window.
    SmallVector<Value> at(4, zero);
    at[t.implicit ? 2 : 1] =
        arith::ConstantIndexOp::create(rewriter, loc, t.implicit ? r * t.rowStride : r);
    Value taps = vector::TransferReadOp::create(
        rewriter, loc, VectorType::get({4}, i8), lhs, at,
        AffineMapAttr::get(AffineMap::get(4, 0, {d(3)}, ctx)), byte0, Value(), inBounds(1));
    Value word = vector::BitCastOp::create(rewriter, loc, VectorType::get({1}, i32), taps);
    Value scalar = vector::ExtractOp::create(rewriter, loc, word, ArrayRef<int64_t>{0});
    Value splat = vector::BroadcastOp::create(rewriter, loc, rowType, scalar);
    Value bytes = vector::BitCastOp::create(rewriter, loc, VectorType::get({64}, i8), splat);
    for (int64_t g = 0; g < t.groups; ++g) {
      Value row = vector::ExtractOp::create(rewriter, loc, sums, ArrayRef<int64_t>{r, g});
      sums = vector::InsertOp::create(rewriter, loc,
                                      dotOfFourBytes(rewriter, loc, row, bytes, weights[g],
                                                     t.signedInput),
                                      sums,
                                      ArrayRef<int64_t>{r, g});
    }
  }
  Value written = vector::TransferWriteOp::create(rewriter, loc, sums, acc, origin,
                                                  AffineMapAttr::get(accMap), inBounds(3))
                      .getResult();
  rewriter.replaceOp(step, written);
}

namespace {

/// |v|[offset, offset + size).
Value slice(RewriterBase &rewriter, Location loc, Value v, int64_t offset, int64_t size) {
  return vector::ExtractStridedSliceOp::create(rewriter, loc, v, ArrayRef<int64_t>{offset},
                                               ArrayRef<int64_t>{size}, ArrayRef<int64_t>{1});
}

Value callIntrinsic(RewriterBase &rewriter, Location loc, Type result, StringRef name,
                    ValueRange operands) {
  return LLVM::CallIntrinsicOp::create(rewriter, loc, result, rewriter.getStringAttr(name),
                                       operands)
      .getResult(0);
}

/// Four i32 lanes |acc| plus the dots of four s8 pairs of the 16 bytes |a|
/// and |b| (lane i: bytes 4i..4i+3), without dotprod: smull gives bytes 0-7
/// and 8-15 as 16-bit products, addp adds neighbouring products (still 16
/// bits: |a x b| <= 128 * 127 when b avoids -128, two <= 32512), and saddlp
/// adds neighbouring pairs into 32 bits, which LLVM fuses with the add into
/// sadalp. Four instructions for 16 multiply-adds.
Value wideningDot(RewriterBase &rewriter, Location loc, Value acc, Value a, Value b) {
  auto products = VectorType::get({8}, rewriter.getI16Type());
  Value lo = callIntrinsic(rewriter, loc, products, "llvm.aarch64.neon.smull.v8i16",
                           {slice(rewriter, loc, a, 0, 8), slice(rewriter, loc, b, 0, 8)});
  Value hi = callIntrinsic(rewriter, loc, products, "llvm.aarch64.neon.smull.v8i16",
                           {slice(rewriter, loc, a, 8, 8), slice(rewriter, loc, b, 8, 8)});
  Value pairs = callIntrinsic(rewriter, loc, products, "llvm.aarch64.neon.addp.v8i16", {lo, hi});
  Value sums = callIntrinsic(rewriter, loc, acc.getType(), "llvm.aarch64.neon.saddlp.v4i32.v8i16",
                             {pairs});
  return arith::AddIOp::create(rewriter, loc, acc, sums);
}

} // namespace

/// dotOfFourBytes's form back to the instruction it stands for: u8 x i8 is
/// AVX-512 VNNI's vpdpbusd (16 lanes); i8 x i8 is armv8's sdot with |sdot|,
/// otherwise wideningDot, each on the 4-lane quarters.
void lowerDotsOfFourBytes(func::FuncOp fn, bool sdot) {
  IRRewriter rewriter(fn.getContext());
  fn.walk([&](vector::MultiDimReductionOp reduction) {
    auto lanes = reduction.getSource().getDefiningOp<vector::ShapeCastOp>();
    auto product = lanes ? lanes.getSource().getDefiningOp<arith::MulIOp>() : nullptr;
    Operation *aExt = product ? product.getLhs().getDefiningOp() : nullptr;
    auto b = product ? product.getRhs().getDefiningOp<arith::ExtSIOp>() : nullptr;
    auto byteType = VectorType::get({64}, rewriter.getI8Type());
    if (!aExt || !isa<arith::ExtUIOp, arith::ExtSIOp>(aExt) || !b ||
        reduction.getKind() != vector::CombiningKind::ADD ||
        reduction.getSourceVectorType() != VectorType::get({16, 4}, rewriter.getI32Type()) ||
        reduction.getReductionDims() != ArrayRef<int64_t>{1} ||
        aExt->getOperand(0).getType() != byteType || b.getIn().getType() != byteType)
      return;
    Location loc = reduction.getLoc();
    rewriter.setInsertionPoint(reduction);
    Value a = aExt->getOperand(0), acc = reduction.getAcc();
    if (isa<arith::ExtUIOp>(aExt)) {
      rewriter.replaceOp(reduction, callIntrinsic(rewriter, loc, reduction.getDestType(),
                                                  "llvm.x86.avx512.vpdpbusd.512",
                                                  {acc, a, b.getIn()}));
      return;
    }
    // Lanes 4q..4q+3 of the result read bytes 16q..16q+15.
    auto quarter32 = VectorType::get({4}, rewriter.getI32Type());
    Value result = acc;
    for (int64_t q = 0; q < 4; ++q) {
      Value accQ = slice(rewriter, loc, acc, 4 * q, 4);
      Value aQ = slice(rewriter, loc, a, 16 * q, 16);
      Value bQ = slice(rewriter, loc, b.getIn(), 16 * q, 16);
      Value dot = sdot ? callIntrinsic(rewriter, loc, quarter32,
                                       "llvm.aarch64.neon.sdot.v4i32.v16i8", {accQ, aQ, bQ})
                       : wideningDot(rewriter, loc, accQ, aQ, bQ);
      result = vector::InsertStridedSliceOp::create(rewriter, loc, dot, result,
                                                    ArrayRef<int64_t>{4 * q},
                                                    ArrayRef<int64_t>{1});
    }
    rewriter.replaceOp(reduction, result);
  });
}

} // namespace mlir::ds
