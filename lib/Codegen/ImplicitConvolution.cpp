//===- ImplicitConvolution.cpp - channels-last convolutions without im2col ===//
//
// See ImplicitConvolution.h.
//
//===----------------------------------------------------------------------===//

#include "ImplicitConvolution.h"
#include "RegisterTiles.h"

#include "deepseek/Transforms/F32Elements.h"

#include "mlir/Dialect/Arith/IR/Arith.h"
#include "mlir/Dialect/Vector/IR/VectorOps.h"

using namespace mlir;

namespace {

using utils::IteratorType;

AffineExpr dim(MLIRContext *ctx, unsigned i) { return getAffineDimExpr(i, ctx); }

/// The coefficient of loop dim |d| in result |r| of |map| (affine, no symbols).
int64_t coefficient(AffineMap map, unsigned d, unsigned r) {
  SmallVector<int64_t> at(map.getNumDims(), 0);
  int64_t base = map.compose(at)[r];
  at[d] = 1;
  return map.compose(at)[r] - base;
}

/// im2col's gather: patches[n, y, x, i, j, c] = in[n, y*sh + i, x*sw + j, c]
/// (no dilation); returns (sh, sw).
std::optional<std::pair<int64_t, int64_t>> matchPatchCopy(linalg::GenericOp copy) {
  if (copy.getNumDpsInputs() != 1 || copy.getNumDpsInits() != 1 || copy.getNumLoops() != 6 ||
      copy.getNumReductionLoops() != 0 || copy.hasIndexSemantics())
    return std::nullopt;
  Block &body = copy.getRegion().front();
  auto yield = cast<linalg::YieldOp>(body.getTerminator());
  if (body.getOperations().size() != 1 || yield.getValues().size() != 1 ||
      yield.getValues()[0] != body.getArgument(0))
    return std::nullopt;
  AffineMap read = copy.getMatchingIndexingMap(copy.getDpsInputOperand(0));
  if (!copy.getMatchingIndexingMap(copy.getDpsInitOperand(0)).isIdentity() ||
      read.getNumResults() != 4 || read.getNumSymbols() != 0)
    return std::nullopt;
  int64_t sh = coefficient(read, 1, 1), sw = coefficient(read, 2, 2);
  MLIRContext *ctx = copy.getContext();
  AffineMap expected = AffineMap::get(
      6, 0, {dim(ctx, 0), dim(ctx, 1) * sh + dim(ctx, 3), dim(ctx, 2) * sw + dim(ctx, 4), dim(ctx, 5)},
      ctx);
  if (sh < 1 || sw < 1 || read != expected)
    return std::nullopt;
  return std::make_pair(sh, sw);
}

/// The implicit product's maps over loops (n, y, x, p, q, i, j, c):
/// in[n, y*sh + i, x*sw + j, c], w[p, i, j, c, q], out[n, y, x, p, q].
SmallVector<AffineMap> implicitConvolutionMaps(MLIRContext *ctx, int64_t sh, int64_t sw) {
  auto d = [&](unsigned i) { return dim(ctx, i); };
  return {AffineMap::get(8, 0, {d(0), d(1) * sh + d(5), d(2) * sw + d(6), d(7)}, ctx),
          AffineMap::get(8, 0, {d(3), d(5), d(6), d(7), d(4)}, ctx),
          AffineMap::get(8, 0, {d(0), d(1), d(2), d(3), d(4)}, ctx)};
}

} // namespace

tensor::CollapseShapeOp mlir::ds::rewriteAsImplicitConvolution(RewriterBase &rewriter,
                                                               linalg::GenericOp product,
                                                               int64_t im2colRows,
                                                               int64_t vectorBits) {
  MLIRContext *ctx = product.getContext();
  auto d = [&](unsigned i) { return dim(ctx, i); };
  // The channels-last lowering's product: out[n, m, f] += a[n, m, k] * w[k, f].
  SmallVector<AffineMap> productMaps{AffineMap::get(4, 0, {d(0), d(1), d(3)}, ctx),
                                     AffineMap::get(4, 0, {d(3), d(2)}, ctx),
                                     AffineMap::get(4, 0, {d(0), d(1), d(2)}, ctx)};
  SmallVector<IteratorType> productIterators{IteratorType::parallel, IteratorType::parallel,
                                             IteratorType::parallel, IteratorType::reduction};
  if (product.getNumDpsInputs() != 2 || product.getNumDpsInits() != 1 ||
      product.getIndexingMapsArray() != productMaps ||
      product.getIteratorTypesArray() != productIterators || !isMultiplyAccumulate(product))
    return nullptr;
  auto patches = product.getDpsInputs()[0].getDefiningOp<tensor::CollapseShapeOp>();
  auto copy = patches ? patches.getSrc().getDefiningOp<linalg::GenericOp>() : nullptr;
  SmallVector<ReassociationIndices> patchGroups{{0}, {1, 2}, {3, 4, 5}};
  if (!copy || patches.getReassociationIndices() != patchGroups)
    return nullptr;
  std::optional<std::pair<int64_t, int64_t>> strides = matchPatchCopy(copy);
  Value input = copy.getDpsInputs()[0];
  auto inType = dyn_cast<RankedTensorType>(input.getType());
  auto patchType = cast<RankedTensorType>(copy.getResult(0).getType());
  auto outType = cast<RankedTensorType>(product.getResult(0).getType());
  if (!strides || !inType || !inType.hasStaticShape() || !inType.getElementType().isF32() ||
      !patchType.hasStaticShape() || !outType.hasStaticShape())
    return nullptr;
  int64_t n = patchType.getDimSize(0), oh = patchType.getDimSize(1), ow = patchType.getDimSize(2),
          kh = patchType.getDimSize(3), kw = patchType.getDimSize(4), c = patchType.getDimSize(5);
  int64_t f = outType.getDimSize(2), kwc = kw * c;
  // The register tile: as wide as the im2col product's, rows along one
  // output row; taller than the im2col tiles or not at all.
  int64_t nr = vectorBits > 256 && f % 32 == 0 ? 32 : 16;
  if (f % nr != 0)
    return nullptr;
  // (Measured: SqueezeNet's 13-pixel rows as 13 x 16 tiles ran at half the
  // speed of the im2col product's 8 x 32 tiles and split-off last row.)
  int64_t mr = rowsPerTile(ow, nr, vectorBits);
  if (mr < 4 || mr < im2colRows)
    return nullptr;
  std::optional<SmallVector<float>> weights = readF32Constant(product.getDpsInputs()[1]);
  if (!weights)
    return nullptr;

  // The weights packed into panels [F/Nr][KH][KW][C][Nr] (the order the K
  // loops read them: one contiguous stream per panel).
  int64_t panels = f / nr;
  SmallVector<float> packed(weights->size());
  for (int64_t p = 0; p < panels; ++p)
    for (int64_t i = 0; i < kh; ++i)
      for (int64_t j = 0; j < kwc; ++j)
        for (int64_t q = 0; q < nr; ++q)
          packed[((p * kh + i) * kwc + j) * nr + q] = (*weights)[(i * kwc + j) * f + p * nr + q];
  Location loc = product.getLoc();
  rewriter.setInsertionPoint(product);
  Type f32 = rewriter.getF32Type();
  auto packedType = RankedTensorType::get({panels, kh, kw, c, nr}, f32);
  Value packedWeights = arith::ConstantOp::create(
      rewriter, product.getDpsInputs()[1].getLoc(), packedType,
      makeF32Elements(packedType, packed, "implicit_conv_weight"));
  // The output viewed as [N, OH, OW, F/Nr, Nr].
  SmallVector<ReassociationIndices> outGroups{{0}, {1, 2}, {3, 4}};
  auto expandedType = RankedTensorType::get({n, oh, ow, panels, nr}, f32);
  Value init = tensor::ExpandShapeOp::create(rewriter, loc, expandedType,
                                             product.getDpsInits()[0], outGroups);
  auto [sh, sw] = *strides;
  SmallVector<AffineMap> maps = implicitConvolutionMaps(ctx, sh, sw);
  SmallVector<IteratorType> iterators(5, IteratorType::parallel);
  iterators.append(3, IteratorType::reduction);
  auto implicit = linalg::GenericOp::create(rewriter, loc, TypeRange{expandedType},
                                            ValueRange{input, packedWeights}, ValueRange{init},
                                            maps, iterators);
  rewriter.inlineRegionBefore(product.getRegion(), implicit.getRegion(),
                              implicit.getRegion().begin());
  auto collapsed = tensor::CollapseShapeOp::create(rewriter, loc, outType, implicit.getResult(0),
                                                   outGroups);
  rewriter.replaceOp(product, collapsed.getResult());
  if (patches->use_empty())
    rewriter.eraseOp(patches);
  if (copy->use_empty())
    rewriter.eraseOp(copy);
  return collapsed;
}

std::optional<ds::ImplicitConvolutionTile>
mlir::ds::matchImplicitConvolution(linalg::GenericOp op, int64_t vectorBits) {
  if (op.getNumDpsInputs() != 2 || op.getNumDpsInits() != 1 || op.getNumLoops() != 8 ||
      op.hasIndexSemantics() || !isMultiplyAccumulate(op))
    return std::nullopt;
  SmallVector<IteratorType> expected(5, IteratorType::parallel);
  expected.append(3, IteratorType::reduction);
  auto outType = dyn_cast<RankedTensorType>(op.getResult(0).getType());
  if (op.getIteratorTypesArray() != expected || !outType || !outType.hasStaticShape() ||
      !outType.getElementType().isF32())
    return std::nullopt;
  AffineMap lhs = op.getIndexingMapsArray()[0];
  if (lhs.getNumResults() != 4 || lhs.getNumSymbols() != 0)
    return std::nullopt;
  int64_t sh = coefficient(lhs, 1, 1), sw = coefficient(lhs, 2, 2);
  if (op.getIndexingMapsArray() != implicitConvolutionMaps(op.getContext(), sh, sw))
    return std::nullopt;
  SmallVector<int64_t> ranges = op.getStaticLoopRanges();
  int64_t nr = ranges[4];
  if (nr != 16 && nr != 32)
    return std::nullopt;
  return ImplicitConvolutionTile{rowsPerTile(ranges[2], nr, vectorBits), nr, sw};
}

void mlir::ds::emitImplicitConvolutionStep(RewriterBase &rewriter, linalg::GenericOp step,
                                           const ImplicitConvolutionTile &tile) {
  Location loc = step.getLoc();
  MLIRContext *ctx = step.getContext();
  auto d = [&](unsigned i) { return dim(ctx, i); };
  rewriter.setInsertionPoint(step);
  Value lhs = step.getDpsInputs()[0], rhs = step.getDpsInputs()[1];
  Value acc = step.getDpsInits()[0];
  Value zero = arith::ConstantIndexOp::create(rewriter, loc, 0);
  Value fzero = arith::ConstantOp::create(rewriter, loc, rewriter.getF32FloatAttr(0));
  auto inBounds = [&](int64_t rank) {
    return rewriter.getBoolArrayAttr(SmallVector<bool>(rank, true));
  };
  auto rowType = VectorType::get({tile.nr}, rewriter.getF32Type());
  Value weights = vector::TransferReadOp::create(
      rewriter, loc, rowType, rhs, SmallVector<Value>(5, zero),
      AffineMapAttr::get(AffineMap::get(5, 0, {d(4)}, ctx)), fzero, Value(), inBounds(1));
  AffineMap accMap = AffineMap::get(5, 0, {d(2), d(4)}, ctx);
  auto accType = VectorType::get({tile.mr, tile.nr}, rewriter.getF32Type());
  SmallVector<Value> origin(5, zero);
  Value sums = vector::TransferReadOp::create(rewriter, loc, accType, acc, origin,
                                              AffineMapAttr::get(accMap), fzero, Value(),
                                              inBounds(2));
  // The Mr pixels as a column, stretched across the tile; the weight row
  // down it; one multiply-add of the whole tile (per-row FMAs in LLVM, the
  // broadcasts folded into them as memory operands).
  SmallVector<Value> pixels;
  for (int64_t r = 0; r < tile.mr; ++r) {
    Value at = arith::ConstantIndexOp::create(rewriter, loc, r * tile.rowStride);
    pixels.push_back(
        tensor::ExtractOp::create(rewriter, loc, lhs, ValueRange{zero, zero, at, zero}));
  }
  Value column = vector::FromElementsOp::create(
      rewriter, loc, VectorType::get({tile.mr, 1}, rewriter.getF32Type()), pixels);
  Value lhsTile = vector::BroadcastOp::create(rewriter, loc, accType, column);
  Value rhsTile = vector::BroadcastOp::create(rewriter, loc, accType, weights);
  auto contract = arith::FastMathFlags::contract;
  Value products = arith::MulFOp::create(rewriter, loc, lhsTile, rhsTile, contract);
  sums = arith::AddFOp::create(rewriter, loc, sums, products, contract);
  Value written = vector::TransferWriteOp::create(rewriter, loc, sums, acc, origin,
                                                  AffineMapAttr::get(accMap), inBounds(2))
                      .getResult();
  rewriter.replaceOp(step, written);
}
