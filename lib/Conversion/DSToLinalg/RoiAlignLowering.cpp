//===- RoiAlignLowering.cpp - ds.roi_align --------------------------------===//
//
// One linalg.generic over the R x C x H_out x W_out result. Each element walks
// its bin's sampling grid (sampling_ratio points per side, or ceil(bin size)
// when it is 0, so the loop bounds come from the region) with scf.for loops,
// samples bilinearly the way ONNX's reference and ONNX Runtime do (points
// more than one pixel outside contribute 0; coordinates are clamped to the
// last row/column), and averages, or takes the maximum of the weighted taps
// (ONNX Runtime's definition of mode = max). Addresses are clamped into the
// input, so bad regions or batch indices cannot read outside it.
//
//===----------------------------------------------------------------------===//

#include "LoweringUtils.h"

#include "mlir/Dialect/SCF/IR/SCF.h"

using namespace mlir;
using namespace mlir::ds;
using namespace mlir::ds::lowering;

namespace {

struct RoiAlignLowering : OpRewritePattern<RoiAlignOp> {
  using OpRewritePattern::OpRewritePattern;
  LogicalResult matchAndRewrite(RoiAlignOp op, PatternRewriter &rewriter) const override {
    if (failed(requireStaticShapes(op, rewriter)))
      return failure();
    auto inType = cast<RankedTensorType>(op.getInput().getType());
    auto outType = cast<RankedTensorType>(op.getType());
    int64_t height = inType.getDimSize(2), width = inType.getDimSize(3);
    int64_t batches = inType.getDimSize(0);
    int64_t pooledH = op.getOutputHeight(), pooledW = op.getOutputWidth();
    int64_t ratio = op.getSamplingRatio();
    double scale = op.getSpatialScale().convertToDouble();
    bool aligned = op.getAligned(), isMax = op.getMode() == RoiAlignMode::Max;
    Type elem = outType.getElementType();
    Value input = op.getInput(), rois = op.getRois(), batchIndices = op.getBatchIndices();

    Value result = buildIndexed(
        rewriter, op.getLoc(), outType, [&](OpBuilder &b, Location l, ValueRange idx) -> Value {
          auto cf = [&](double v) { return scalarConstant(b, l, elem, v); };
          auto ci = [&](int64_t v) { return arith::ConstantIndexOp::create(b, l, v); };
          auto toF = [&](Value i) -> Value {
            Value i64 = arith::IndexCastOp::create(b, l, b.getI64Type(), i);
            return arith::SIToFPOp::create(b, l, elem, i64);
          };
          auto toIndex = [&](Value f) { return floatToIndex(b, l, f); };
          Value r = idx[0], c = idx[1], ph = idx[2], pw = idx[3];
          Value batch = clampedIndex(b, l, tensor::ExtractOp::create(b, l, batchIndices, r),
                                     batches);
          auto coord = [&](int64_t k) -> Value {
            Value v = tensor::ExtractOp::create(b, l, rois, ValueRange{r, ci(k)});
            v = arith::MulFOp::create(b, l, v, cf(scale));
            return aligned ? arith::SubFOp::create(b, l, v, cf(0.5)).getResult() : v;
          };
          Value startW = coord(0), startH = coord(1), endW = coord(2), endH = coord(3);
          Value roiW = arith::SubFOp::create(b, l, endW, startW);
          Value roiH = arith::SubFOp::create(b, l, endH, startH);
          if (!aligned) {
            roiW = arith::MaximumFOp::create(b, l, roiW, cf(1));
            roiH = arith::MaximumFOp::create(b, l, roiH, cf(1));
          }
          Value binW = arith::DivFOp::create(b, l, roiW, cf(pooledW));
          Value binH = arith::DivFOp::create(b, l, roiH, cf(pooledH));
          // Samples per bin side: sampling_ratio, or ceil(bin size) (>= 0).
          auto samples = [&](Value bin) -> Value {
            if (ratio > 0)
              return ci(ratio);
            Value n = math::CeilOp::create(b, l, arith::MaximumFOp::create(b, l, bin, cf(0)));
            return toIndex(n);
          };
          Value gridH = samples(binH), gridW = samples(binW);
          Value gridHF = toF(gridH), gridWF = toF(gridW);
          Value count = arith::MaximumFOp::create(b, l, arith::MulFOp::create(b, l, gridHF, gridWF),
                                                  cf(1));
          Value baseH = arith::AddFOp::create(b, l, startH, arith::MulFOp::create(b, l, toF(ph), binH));
          Value baseW = arith::AddFOp::create(b, l, startW, arith::MulFOp::create(b, l, toF(pw), binW));
          Value init = isMax ? lowestValue(b, l, elem) : cf(0);

          // One bilinear sample at (y, x), folded into |acc|. (The loops below
          // point |b| into their bodies while they build them.)
          auto sample = [&](Value y, Value x, Value acc) -> Value {
            Value outside = arith::OrIOp::create(
                b, l,
                arith::OrIOp::create(
                    b, l, arith::CmpFOp::create(b, l, arith::CmpFPredicate::OLT, y, cf(-1)),
                    arith::CmpFOp::create(b, l, arith::CmpFPredicate::OGT, y, cf(height))),
                arith::OrIOp::create(
                    b, l, arith::CmpFOp::create(b, l, arith::CmpFPredicate::OLT, x, cf(-1)),
                    arith::CmpFOp::create(b, l, arith::CmpFPredicate::OGT, x, cf(width))));
            // Per axis: low index, high index, and the clamped coordinate.
            auto axis = [&](Value v, int64_t size, Value &low, Value &high, Value &frac) {
              v = arith::MaximumFOp::create(b, l, v, cf(0));
              Value lowF = math::FloorOp::create(b, l, v);
              Value atEnd = arith::CmpFOp::create(b, l, arith::CmpFPredicate::OGE, lowF,
                                                  cf(size - 1));
              lowF = arith::SelectOp::create(b, l, atEnd, cf(size - 1), lowF);
              v = arith::SelectOp::create(b, l, atEnd, lowF, v);
              Value highF = arith::SelectOp::create(b, l, atEnd, lowF,
                                                    arith::AddFOp::create(b, l, lowF, cf(1)));
              low = toIndex(lowF);
              high = toIndex(arith::MinimumFOp::create(b, l, highF, cf(size - 1)));
              frac = arith::SubFOp::create(b, l, v, lowF);
            };
            Value yLow, yHigh, ly, xLow, xHigh, lx;
            axis(y, height, yLow, yHigh, ly);
            axis(x, width, xLow, xHigh, lx);
            Value hy = arith::SubFOp::create(b, l, cf(1), ly);
            Value hx = arith::SubFOp::create(b, l, cf(1), lx);
            auto at = [&](Value yi, Value xi) {
              return tensor::ExtractOp::create(b, l, input, ValueRange{batch, c, yi, xi});
            };
            Value t1 = mul(b, l, mul(b, l, hy, hx), at(yLow, xLow));
            Value t2 = mul(b, l, mul(b, l, hy, lx), at(yLow, xHigh));
            Value t3 = mul(b, l, mul(b, l, ly, hx), at(yHigh, xLow));
            Value t4 = mul(b, l, mul(b, l, ly, lx), at(yHigh, xHigh));
            Value combined;
            if (isMax) {
              combined = arith::MaximumFOp::create(
                  b, l, arith::MaximumFOp::create(b, l, t1, t2),
                  arith::MaximumFOp::create(b, l, t3, t4));
              combined = arith::SelectOp::create(b, l, outside, cf(0), combined);
              return arith::MaximumFOp::create(b, l, acc, combined);
            }
            combined = add(b, l, add(b, l, t1, t2), add(b, l, t3, t4));
            combined = arith::SelectOp::create(b, l, outside, cf(0), combined);
            return add(b, l, acc, combined);
          };
          // The i-th of |grid| sample positions in the bin starting at |base|.
          auto samplePosition = [&](Value base, Value i, Value bin, Value grid) -> Value {
            Value offset = mul(b, l, arith::AddFOp::create(b, l, toF(i), cf(0.5)), bin);
            return arith::AddFOp::create(b, l, base, arith::DivFOp::create(b, l, offset, grid));
          };
          auto rows = scf::ForOp::create(
              b, l, ci(0), gridH, ci(1), ValueRange{init},
              [&](OpBuilder &rb, Location rl, Value iy, ValueRange rowAcc) {
                OpBuilder::InsertionGuard guard(b);
                b.setInsertionPoint(rb.getInsertionBlock(), rb.getInsertionPoint());
                Value y = samplePosition(baseH, iy, binH, gridHF);
                auto cols = scf::ForOp::create(
                    b, l, ci(0), gridW, ci(1), ValueRange{rowAcc[0]},
                    [&](OpBuilder &cb, Location cl, Value ix, ValueRange colAcc) {
                      OpBuilder::InsertionGuard inner(b);
                      b.setInsertionPoint(cb.getInsertionBlock(), cb.getInsertionPoint());
                      Value x = samplePosition(baseW, ix, binW, gridWF);
                      scf::YieldOp::create(b, l, sample(y, x, colAcc[0]));
                    });
                scf::YieldOp::create(b, l, cols.getResult(0));
              });
          Value total = rows.getResult(0);
          if (isMax)
            return total;
          return arith::DivFOp::create(b, l, total, count);
        });
    rewriter.replaceOp(op, result);
    return success();
  }
};

} // namespace

void mlir::ds::lowering::populateRoiAlignLoweringPatterns(RewritePatternSet &patterns) {
  patterns.add<RoiAlignLowering>(patterns.getContext());
}
