//===- GridSampleLowering.cpp - ds.grid_sample ----------------------------===//
//
// One linalg.generic over the N x C x H_out x W_out result whose body reads the
// grid, maps (x, y) from [-1, 1] to pixel coordinates, applies the padding
// mode, and combines 1 (nearest), 4 (bilinear) or 16 (bicubic, a = -0.75)
// taps, as ONNX specifies and ONNX Runtime computes: coordinates outside the
// input are clamped (border) or reflected (reflection) before sampling; in
// zeros mode each tap outside the input contributes 0, and in reflection mode
// each tap is reflected again. Every tap's address is clamped, so no input can
// read outside the buffer.
//
//===----------------------------------------------------------------------===//

#include "LoweringUtils.h"

using namespace mlir;
using namespace mlir::ds;
using namespace mlir::ds::lowering;

namespace {

struct GridSampleLowering : OpRewritePattern<GridSampleOp> {
  using OpRewritePattern::OpRewritePattern;
  LogicalResult matchAndRewrite(GridSampleOp op, PatternRewriter &rewriter) const override {
    if (failed(requireStaticShapes(op, rewriter)))
      return failure();
    auto inType = cast<RankedTensorType>(op.getInput().getType());
    auto outType = cast<RankedTensorType>(op.getType());
    if (inType.getRank() != 4)
      return rewriter.notifyMatchFailure(op, "only 2-D grid sampling has a lowering");
    int64_t height = inType.getDimSize(2), width = inType.getDimSize(3);
    GridSampleMode mode = op.getMode();
    GridPadding padding = op.getPaddingMode();
    bool alignCorners = op.getAlignCorners();
    Type elem = outType.getElementType();
    Value input = op.getInput(), grid = op.getGrid();

    Value result = buildIndexed(
        rewriter, op.getLoc(), outType, [&](OpBuilder &b, Location l, ValueRange idx) -> Value {
          auto cf = [&](double v) { return scalarConstant(b, l, elem, v); };
          auto ci = [&](int64_t v) { return arith::ConstantIndexOp::create(b, l, v); };
          // Pixel coordinate along a dim of |size| from the normalized |n|.
          auto denormalize = [&](Value n, int64_t size) -> Value {
            Value onePlus = arith::AddFOp::create(b, l, n, cf(1));
            if (alignCorners)
              return arith::MulFOp::create(b, l, onePlus, cf((size - 1) / 2.0));
            return arith::DivFOp::create(
                b, l, arith::SubFOp::create(b, l, arith::MulFOp::create(b, l, onePlus, cf(size)),
                                            cf(1)),
                cf(2));
          };
          // Reflects |x| into [lo, hi] by its nearest border, repeatedly.
          auto reflect = [&](Value x, double lo, double hi) -> Value {
            double range = hi - lo;
            if (range <= 0)
              return cf(lo);
            auto fold = [&](Value distance, Value nearBase, Value farBase, bool towardsHigh) {
              // n = floor(d / range), r = d - n * range; even n: near + r (or
              // - r), odd n: far - r (or + r).
              Value n = math::FloorOp::create(b, l, arith::DivFOp::create(b, l, distance, cf(range)));
              Value r = arith::SubFOp::create(b, l, distance, arith::MulFOp::create(b, l, n, cf(range)));
              Value half = arith::MulFOp::create(b, l, n, cf(0.5));
              Value even = arith::CmpFOp::create(b, l, arith::CmpFPredicate::OEQ,
                                                 math::FloorOp::create(b, l, half), half);
              Value nearV = towardsHigh ? arith::AddFOp::create(b, l, nearBase, r).getResult()
                                        : arith::SubFOp::create(b, l, nearBase, r).getResult();
              Value farV = towardsHigh ? arith::SubFOp::create(b, l, farBase, r).getResult()
                                       : arith::AddFOp::create(b, l, farBase, r).getResult();
              return arith::SelectOp::create(b, l, even, nearV, farV).getResult();
            };
            Value low = fold(arith::SubFOp::create(b, l, cf(lo), x), cf(lo), cf(hi), true);
            Value high = fold(arith::SubFOp::create(b, l, x, cf(hi)), cf(hi), cf(lo), false);
            Value below = arith::CmpFOp::create(b, l, arith::CmpFPredicate::OLT, x, cf(lo));
            Value above = arith::CmpFOp::create(b, l, arith::CmpFPredicate::OGT, x, cf(hi));
            return arith::SelectOp::create(b, l, below, low,
                                           arith::SelectOp::create(b, l, above, high, x));
          };
          auto clampF = [&](Value x, double lo, double hi) -> Value {
            return arith::MinimumFOp::create(b, l, arith::MaximumFOp::create(b, l, x, cf(lo)),
                                             cf(hi));
          };
          double xMin = alignCorners ? 0 : -0.5, xMax = alignCorners ? width - 1 : width - 0.5;
          double yMin = alignCorners ? 0 : -0.5, yMax = alignCorners ? height - 1 : height - 0.5;

          Value n = idx[0], c = idx[1];
          Value gx = tensor::ExtractOp::create(b, l, grid, ValueRange{n, idx[2], idx[3], ci(0)});
          Value gy = tensor::ExtractOp::create(b, l, grid, ValueRange{n, idx[2], idx[3], ci(1)});
          Value x = denormalize(gx, width), y = denormalize(gy, height);
          if (mode == GridSampleMode::Nearest) {
            x = math::RoundEvenOp::create(b, l, x);
            y = math::RoundEvenOp::create(b, l, y);
          }
          if (padding == GridPadding::Border) {
            x = clampF(x, 0, width - 1);
            y = clampF(y, 0, height - 1);
          } else if (padding == GridPadding::Reflection) {
            x = reflect(x, xMin, xMax);
            y = reflect(y, yMin, yMax);
          }
          // The input element at integer (float-valued) tap (r, s), with the
          // padding mode applied to the tap itself.
          auto pixel = [&](Value r, Value s) -> Value {
            Value inside;
            if (padding == GridPadding::Zeros) {
              auto in = [&](Value v, int64_t size) {
                Value ge = arith::CmpFOp::create(b, l, arith::CmpFPredicate::OGE, v, cf(0));
                Value lt = arith::CmpFOp::create(b, l, arith::CmpFPredicate::OLT, v, cf(size));
                return arith::AndIOp::create(b, l, ge, lt);
              };
              inside = arith::AndIOp::create(b, l, in(r, height), in(s, width));
            } else if (padding == GridPadding::Reflection) {
              r = reflect(r, yMin, yMax);
              s = reflect(s, xMin, xMax);
            }
            // Truncate, then clamp into the buffer.
            auto toIndex = [&](Value v, int64_t size) {
              return floatToIndex(b, l, clampF(v, 0, size - 1));
            };
            Value value = tensor::ExtractOp::create(
                b, l, input, ValueRange{n, c, toIndex(r, height), toIndex(s, width)});
            return inside ? arith::SelectOp::create(b, l, inside, value, cf(0)).getResult()
                          : value;
          };
          if (mode == GridSampleMode::Nearest)
            return pixel(y, x);
          Value x0 = math::FloorOp::create(b, l, x), y0 = math::FloorOp::create(b, l, y);
          if (mode == GridSampleMode::Bilinear) {
            Value x1 = arith::AddFOp::create(b, l, x0, cf(1));
            Value y1 = arith::AddFOp::create(b, l, y0, cf(1));
            Value dx1 = arith::SubFOp::create(b, l, x, x0), dx0 = arith::SubFOp::create(b, l, x1, x);
            Value dy1 = arith::SubFOp::create(b, l, y, y0), dy0 = arith::SubFOp::create(b, l, y1, y);
            Value top = add(b, l, mul(b, l, dx0, pixel(y0, x0)), mul(b, l, dx1, pixel(y0, x1)));
            Value bottom = add(b, l, mul(b, l, dx0, pixel(y1, x0)), mul(b, l, dx1, pixel(y1, x1)));
            return add(b, l, mul(b, l, dy0, top), mul(b, l, dy1, bottom));
          }
          // Bicubic over taps floor - 1 .. floor + 2, coefficient a = -0.75.
          const double a = -0.75;
          auto coeffs = [&](Value t) -> SmallVector<Value> {
            auto outer = [&](Value s) -> Value { // ((a s - 5a) s + 8a) s - 4a
              Value v = arith::SubFOp::create(b, l, mul(b, l, cf(a), s), cf(5 * a));
              v = arith::AddFOp::create(b, l, mul(b, l, v, s), cf(8 * a));
              return arith::SubFOp::create(b, l, mul(b, l, v, s), cf(4 * a));
            };
            auto inner = [&](Value s) -> Value { // ((a + 2) s - (a + 3)) s s + 1
              Value v = arith::SubFOp::create(b, l, mul(b, l, cf(a + 2), s), cf(a + 3));
              return arith::AddFOp::create(b, l, mul(b, l, mul(b, l, v, s), s), cf(1));
            };
            Value oneMinus = arith::SubFOp::create(b, l, cf(1), t);
            return {outer(arith::AddFOp::create(b, l, t, cf(1))), inner(t), inner(oneMinus),
                    outer(arith::AddFOp::create(b, l, oneMinus, cf(1)))};
          };
          SmallVector<Value> wx = coeffs(arith::SubFOp::create(b, l, x, x0));
          SmallVector<Value> wy = coeffs(arith::SubFOp::create(b, l, y, y0));
          Value sum = cf(0);
          for (int i = 0; i < 4; ++i) {
            Value r = arith::AddFOp::create(b, l, y0, cf(i - 1));
            Value row = cf(0);
            for (int j = 0; j < 4; ++j) {
              Value s = arith::AddFOp::create(b, l, x0, cf(j - 1));
              row = add(b, l, row, mul(b, l, wx[j], pixel(r, s)));
            }
            sum = add(b, l, sum, mul(b, l, wy[i], row));
          }
          return sum;
        });
    rewriter.replaceOp(op, result);
    return success();
  }
};

} // namespace

void mlir::ds::lowering::populateGridSampleLoweringPatterns(RewritePatternSet &patterns) {
  patterns.add<GridSampleLowering>(patterns.getContext());
}
