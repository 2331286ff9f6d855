//===- ResizeLowering.cpp - ds.resize to an index-computing generic -------===//
//
// Each output element samples the input at a coordinate computed per dim by
// the op's coordinate transformation, following ONNX's reference
// implementation: nearest picks one rounded, clamped index; linear and cubic
// combine 2 or 4 neighbors per resized dim (edge-clamped, ONNX's cubic
// coefficients with `cubic_coeff_a`) as a separable product. Coordinates and
// weights are computed in f64, as the reference does, so nearest-mode rounding
// at exact halves matches it.
//
//===----------------------------------------------------------------------===//

#include "LoweringUtils.h"

using namespace mlir;
using namespace mlir::ds;
using namespace mlir::ds::lowering;

namespace {

/// The neighbors of one output coordinate along one dim, with their weights.
struct Taps {
  SmallVector<Value> indices; // index values
  SmallVector<Value> weights; // f64, empty when there is a single tap of weight 1
};

struct ResizeLowering : OpRewritePattern<ResizeOp> {
  using OpRewritePattern::OpRewritePattern;
  LogicalResult matchAndRewrite(ResizeOp op, PatternRewriter &rewriter) const override {
    if (failed(requireStaticShapes(op, rewriter)))
      return failure();
    if (op.getCoordinateTransform() == CoordinateTransform::TfCropAndResize)
      return rewriter.notifyMatchFailure(op, "tf_crop_and_resize needs a roi");
    auto inType = cast<RankedTensorType>(op.getInput().getType());
    auto outType = cast<RankedTensorType>(op.getType());
    Type elem = outType.getElementType();
    int64_t rank = inType.getRank();
    std::optional<ArrayRef<float>> scales = op.getScales();
    ResizeMode mode = op.getMode();
    CoordinateTransform transform = op.getCoordinateTransform();
    NearestMode nearest = op.getNearestMode();
    double a = op.getCubicCoeffA().convertToDouble();
    Value input = op.getInput();

    Value result = buildIndexed(
        rewriter, op.getLoc(), outType, [&](OpBuilder &b, Location l, ValueRange idx) -> Value {
          Type f64 = b.getF64Type();
          auto cf = [&](double v) { return scalarConstant(b, l, f64, v); };
          auto ci = [&](int64_t v) { return arith::ConstantIndexOp::create(b, l, v); };
          auto clampIndex = [&](Value i, int64_t size) {
            return arith::MinSIOp::create(b, l, arith::MaxSIOp::create(b, l, i, ci(0)),
                                          ci(size - 1));
          };
          auto toIndex = [&](Value f) { return floatToIndex(b, l, f); };
          SmallVector<Taps> taps(rank);
          for (int64_t d = 0; d < rank; ++d) {
            int64_t in = inType.getDimSize(d), out = outType.getDimSize(d);
            double scale = scales ? (*scales)[d] : static_cast<double>(out) / in;
            // ONNX's reference measures the resized length as in * scale, not
            // the rounded-down output size (they differ when scales are given).
            double resized = in * scale;
            if (in == out && scale == 1.0) {
              taps[d].indices.push_back(idx[d]);
              continue;
            }
            Value o = arith::SIToFPOp::create(
                b, l, f64, arith::IndexCastOp::create(b, l, b.getI64Type(), idx[d]));
            Value x;
            switch (transform) {
            case CoordinateTransform::HalfPixel:
              x = arith::SubFOp::create(
                  b, l, arith::DivFOp::create(b, l, arith::AddFOp::create(b, l, o, cf(0.5)),
                                              cf(scale)),
                  cf(0.5));
              break;
            case CoordinateTransform::PytorchHalfPixel:
              x = resized > 1 ? Value(arith::SubFOp::create(
                                b, l,
                                arith::DivFOp::create(
                                    b, l, arith::AddFOp::create(b, l, o, cf(0.5)), cf(scale)),
                                cf(0.5)))
                          : cf(0);
              break;
            case CoordinateTransform::AlignCorners:
              x = resized != 1 ? Value(arith::MulFOp::create(
                                     b, l, o, cf(static_cast<double>(in - 1) / (resized - 1))))
                               : cf(0);
              break;
            default: // Asymmetric
              x = arith::DivFOp::create(b, l, o, cf(scale));
              break;
            }
            if (mode == ResizeMode::Nearest) {
              Value r;
              switch (nearest) {
              case NearestMode::RoundPreferFloor:
                r = math::CeilOp::create(b, l, arith::SubFOp::create(b, l, x, cf(0.5)));
                break;
              case NearestMode::RoundPreferCeil:
                r = math::FloorOp::create(b, l, arith::AddFOp::create(b, l, x, cf(0.5)));
                break;
              case NearestMode::Floor:
                r = math::FloorOp::create(b, l, x);
                break;
              case NearestMode::Ceil:
                r = math::CeilOp::create(b, l, x);
                break;
              }
              taps[d].indices.push_back(clampIndex(toIndex(r), in));
              continue;
            }
            Value base = math::FloorOp::create(b, l, x);
            Value t = arith::SubFOp::create(b, l, x, base);
            Value baseIndex = toIndex(base);
            auto neighbor = [&](int64_t offset) {
              return clampIndex(arith::AddIOp::create(b, l, baseIndex, ci(offset)), in);
            };
            if (mode == ResizeMode::Linear) {
              taps[d].indices = {neighbor(0), neighbor(1)};
              taps[d].weights = {arith::SubFOp::create(b, l, cf(1), t), t};
              continue;
            }
            // Cubic: ONNX's coefficients for neighbors base-1 .. base+2.
            auto poly = [&](Value s, bool outer) -> Value {
              // outer: ((a s - 5a) s + 8a) s - 4a   for 1 <= s < 2
              // inner: ((a + 2) s - (a + 3)) s s + 1 for 0 <= s < 1
              if (outer) {
                Value v = arith::SubFOp::create(b, l, arith::MulFOp::create(b, l, cf(a), s),
                                                cf(5 * a));
                v = arith::AddFOp::create(b, l, arith::MulFOp::create(b, l, v, s), cf(8 * a));
                return arith::SubFOp::create(b, l, arith::MulFOp::create(b, l, v, s), cf(4 * a));
              }
              Value v = arith::SubFOp::create(b, l, arith::MulFOp::create(b, l, cf(a + 2), s),
                                              cf(a + 3));
              v = arith::MulFOp::create(b, l, arith::MulFOp::create(b, l, v, s), s);
              return arith::AddFOp::create(b, l, v, cf(1));
            };
            Value oneMinusT = arith::SubFOp::create(b, l, cf(1), t);
            taps[d].indices = {neighbor(-1), neighbor(0), neighbor(1), neighbor(2)};
            taps[d].weights = {poly(arith::AddFOp::create(b, l, t, cf(1)), true),
                               poly(t, false), poly(oneMinusT, false),
                               poly(arith::AddFOp::create(b, l, oneMinusT, cf(1)), true)};
          }
          // Sum over every combination of taps (a separable product of weights).
          Value sum = cf(0);
          SmallVector<int64_t> choice(rank, 0);
          while (true) {
            SmallVector<Value> at;
            Value weight;
            for (int64_t d = 0; d < rank; ++d) {
              at.push_back(taps[d].indices[choice[d]]);
              if (!taps[d].weights.empty())
                weight = weight ? Value(arith::MulFOp::create(b, l, weight,
                                                              taps[d].weights[choice[d]]))
                                : taps[d].weights[choice[d]];
            }
            Value v = convertScalar(b, l, tensor::ExtractOp::create(b, l, input, at), f64);
            sum = arith::AddFOp::create(b, l, sum,
                                        weight ? Value(arith::MulFOp::create(b, l, v, weight)) : v);
            int64_t d = rank - 1;
            while (d >= 0 && ++choice[d] == static_cast<int64_t>(taps[d].indices.size()))
              choice[d--] = 0;
            if (d < 0)
              break;
          }
          return convertScalar(b, l, sum, elem);
        });
    rewriter.replaceOp(op, result);
    return success();
  }
};

} // namespace

void mlir::ds::lowering::populateResizeLoweringPatterns(RewritePatternSet &patterns) {
  patterns.add<ResizeLowering>(patterns.getContext());
}
