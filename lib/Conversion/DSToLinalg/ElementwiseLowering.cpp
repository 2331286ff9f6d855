//===- ElementwiseLowering.cpp - unary, binary and select ops to linalg ---===//
//
// Every elementwise ds op becomes one linalg.generic whose body is the op's
// scalar formula; broadcasting is expressed in the indexing maps, so no operand
// is ever materialized at the result's shape.
//
//===----------------------------------------------------------------------===//

#include "LoweringUtils.h"

#include <cmath>

using namespace mlir;
using namespace mlir::ds;
using namespace mlir::ds::lowering;

namespace {

template <typename OpTy>
using ScalarFn = Value (*)(OpBuilder &, Location, OpTy, ValueRange);

/// Lowers |OpTy| elementwise with a scalar formula over its operands.
template <typename OpTy>
struct ElementwiseLowering : OpRewritePattern<OpTy> {
  ElementwiseLowering(MLIRContext *ctx, ScalarFn<OpTy> fn)
      : OpRewritePattern<OpTy>(ctx), fn(fn) {}

  LogicalResult matchAndRewrite(OpTy op, PatternRewriter &rewriter) const override {
    if (failed(requireStaticShapes(op, rewriter)))
      return failure();
    auto resultType = cast<RankedTensorType>(op->getResult(0).getType());
    auto body = [&](OpBuilder &b, Location loc, ValueRange args) { return fn(b, loc, op, args); };
    Value result =
        op->hasAttr(kChannelsLastAttr)
            ? buildChannelsLastElementwise(rewriter, op.getLoc(), op, body)
            : buildElementwise(rewriter, op.getLoc(), resultType, op->getOperands(), body);
    rewriter.replaceOp(op, result);
    return success();
  }

  ScalarFn<OpTy> fn;
};

struct Patterns {
  RewritePatternSet &set;
  template <typename OpTy>
  void add(ScalarFn<OpTy> fn) {
    set.add<ElementwiseLowering<OpTy>>(set.getContext(), fn);
  }
};

Value cst(OpBuilder &b, Location loc, Value like, double v) {
  return scalarConstant(b, loc, like.getType(), v);
}

/// A comparison; signed integer predicates become unsigned ones for |isUnsigned|.
Value cmp(OpBuilder &b, Location loc, Value x, Value y, arith::CmpFPredicate fp,
          arith::CmpIPredicate ip, bool isUnsigned = false) {
  if (isa<FloatType>(x.getType()))
    return arith::CmpFOp::create(b, loc, fp, x, y);
  if (isUnsigned) {
    switch (ip) {
    case arith::CmpIPredicate::slt: ip = arith::CmpIPredicate::ult; break;
    case arith::CmpIPredicate::sle: ip = arith::CmpIPredicate::ule; break;
    case arith::CmpIPredicate::sgt: ip = arith::CmpIPredicate::ugt; break;
    case arith::CmpIPredicate::sge: ip = arith::CmpIPredicate::uge; break;
    default: break;
    }
  }
  return arith::CmpIOp::create(b, loc, ip, x, y);
}

Value sigmoid(OpBuilder &b, Location loc, Value x) {
  Value e = math::ExpOp::create(b, loc, arith::NegFOp::create(b, loc, x));
  return arith::DivFOp::create(b, loc, cst(b, loc, x, 1),
                               arith::AddFOp::create(b, loc, cst(b, loc, x, 1), e));
}

// log(1 + exp(x)) without overflow for large x: max(x, 0) + log1p(exp(-|x|)).
Value softplus(OpBuilder &b, Location loc, Value x) {
  Value absX = math::AbsFOp::create(b, loc, x);
  Value tail = math::Log1pOp::create(
      b, loc, math::ExpOp::create(b, loc, arith::NegFOp::create(b, loc, absX)));
  return arith::AddFOp::create(
      b, loc, arith::MaximumFOp::create(b, loc, x, cst(b, loc, x, 0)), tail);
}

Value eluLike(OpBuilder &b, Location loc, Value x, double alpha) {
  Value expm1 = math::ExpM1Op::create(b, loc, x);
  Value neg = arith::MulFOp::create(b, loc, expm1, cst(b, loc, x, alpha));
  Value positive = arith::CmpFOp::create(b, loc, arith::CmpFPredicate::OGT, x,
                                         cst(b, loc, x, 0));
  return arith::SelectOp::create(b, loc, positive, x, neg);
}

void addUnary(Patterns p) {
  p.add<IdentityOp>([](OpBuilder &, Location, IdentityOp, ValueRange a) { return a[0]; });
  p.add<SqrtOp>([](OpBuilder &b, Location l, SqrtOp, ValueRange a) -> Value {
    return math::SqrtOp::create(b, l, a[0]);
  });
  p.add<ExpOp>([](OpBuilder &b, Location l, ExpOp, ValueRange a) -> Value {
    return math::ExpOp::create(b, l, a[0]);
  });
  p.add<LogOp>([](OpBuilder &b, Location l, LogOp, ValueRange a) -> Value {
    return math::LogOp::create(b, l, a[0]);
  });
  p.add<ErfOp>([](OpBuilder &b, Location l, ErfOp, ValueRange a) -> Value {
    return math::ErfOp::create(b, l, a[0]);
  });
  p.add<TanhOp>([](OpBuilder &b, Location l, TanhOp, ValueRange a) -> Value {
    return math::TanhOp::create(b, l, a[0]);
  });
  p.add<SigmoidOp>(
      [](OpBuilder &b, Location l, SigmoidOp, ValueRange a) { return sigmoid(b, l, a[0]); });
  p.add<ReluOp>([](OpBuilder &b, Location l, ReluOp op, ValueRange a) {
    return maximum(b, l, a[0], cst(b, l, a[0], 0), isUnsignedOp(op));
  });
  p.add<NegOp>([](OpBuilder &b, Location l, NegOp, ValueRange a) -> Value {
    if (isFloatScalar(a[0]))
      return arith::NegFOp::create(b, l, a[0]);
    return arith::SubIOp::create(b, l, cst(b, l, a[0], 0), a[0]);
  });
  p.add<AbsOp>([](OpBuilder &b, Location l, AbsOp op, ValueRange a) -> Value {
    if (isUnsignedOp(op))
      return a[0];
    if (isFloatScalar(a[0]))
      return math::AbsFOp::create(b, l, a[0]);
    return math::AbsIOp::create(b, l, a[0]);
  });
  p.add<HardSwishOp>([](OpBuilder &b, Location l, HardSwishOp, ValueRange a) {
    return applyActivation(b, l, a[0],
                           ActivationAttr::get(b.getContext(), ActivationKind::HardSwish));
  });
  p.add<SiluOp>([](OpBuilder &b, Location l, SiluOp, ValueRange a) -> Value {
    return arith::MulFOp::create(b, l, a[0], sigmoid(b, l, a[0]));
  });
#define DS_MATH_UNARY(DSOp, MathOp)                                                      \
  p.add<DSOp>([](OpBuilder &b, Location l, DSOp, ValueRange a) -> Value {               \
    return math::MathOp::create(b, l, a[0]);                                             \
  });
  DS_MATH_UNARY(CosOp, CosOp)
  DS_MATH_UNARY(SinOp, SinOp)
  DS_MATH_UNARY(TanOp, TanOp)
  DS_MATH_UNARY(AcosOp, AcosOp)
  DS_MATH_UNARY(AsinOp, AsinOp)
  DS_MATH_UNARY(AtanOp, AtanOp)
  DS_MATH_UNARY(CoshOp, CoshOp)
  DS_MATH_UNARY(SinhOp, SinhOp)
  DS_MATH_UNARY(AcoshOp, AcoshOp)
  DS_MATH_UNARY(AsinhOp, AsinhOp)
  DS_MATH_UNARY(AtanhOp, AtanhOp)
  DS_MATH_UNARY(CeilOp, CeilOp)
  DS_MATH_UNARY(FloorOp, FloorOp)
  DS_MATH_UNARY(RoundOp, RoundEvenOp)
#undef DS_MATH_UNARY
  p.add<ReciprocalOp>([](OpBuilder &b, Location l, ReciprocalOp, ValueRange a) -> Value {
    return arith::DivFOp::create(b, l, cst(b, l, a[0], 1), a[0]);
  });
  p.add<SignOp>([](OpBuilder &b, Location l, SignOp op, ValueRange a) -> Value {
    Value x = a[0];
    bool u = isUnsignedOp(op);
    Value pos = cmp(b, l, x, cst(b, l, x, 0), arith::CmpFPredicate::OGT,
                    arith::CmpIPredicate::sgt, u);
    Value neg = cmp(b, l, x, cst(b, l, x, 0), arith::CmpFPredicate::OLT,
                    arith::CmpIPredicate::slt, u);
    Value r = arith::SelectOp::create(b, l, neg, cst(b, l, x, -1), cst(b, l, x, 0));
    r = arith::SelectOp::create(b, l, pos, cst(b, l, x, 1), r);
    // NaN keeps its sign-less NaN, as numpy.sign does.
    if (isFloatScalar(x)) {
      Value nan = arith::CmpFOp::create(b, l, arith::CmpFPredicate::UNO, x, x);
      r = arith::SelectOp::create(b, l, nan, x, r);
    }
    return r;
  });
  p.add<SoftplusOp>(
      [](OpBuilder &b, Location l, SoftplusOp, ValueRange a) { return softplus(b, l, a[0]); });
  p.add<SoftsignOp>([](OpBuilder &b, Location l, SoftsignOp, ValueRange a) -> Value {
    Value denom = arith::AddFOp::create(b, l, cst(b, l, a[0], 1), math::AbsFOp::create(b, l, a[0]));
    return arith::DivFOp::create(b, l, a[0], denom);
  });
  p.add<MishOp>([](OpBuilder &b, Location l, MishOp, ValueRange a) -> Value {
    return arith::MulFOp::create(b, l, a[0], math::TanhOp::create(b, l, softplus(b, l, a[0])));
  });
  p.add<NotOp>([](OpBuilder &b, Location l, NotOp, ValueRange a) -> Value {
    return arith::XOrIOp::create(b, l, a[0], cst(b, l, a[0], 1));
  });
  p.add<EluOp>([](OpBuilder &b, Location l, EluOp op, ValueRange a) {
    return eluLike(b, l, a[0], op.getAlpha().convertToFloat());
  });
  p.add<SeluOp>([](OpBuilder &b, Location l, SeluOp op, ValueRange a) -> Value {
    Value e = eluLike(b, l, a[0], op.getAlpha().convertToFloat());
    return arith::MulFOp::create(b, l, e, cst(b, l, a[0], op.getGamma().convertToFloat()));
  });
  p.add<CeluOp>([](OpBuilder &b, Location l, CeluOp op, ValueRange a) -> Value {
    double alpha = op.getAlpha().convertToFloat();
    Value x = a[0];
    Value scaled = arith::DivFOp::create(b, l, x, cst(b, l, x, alpha));
    Value neg = arith::MulFOp::create(b, l, math::ExpM1Op::create(b, l, scaled),
                                      cst(b, l, x, alpha));
    return arith::AddFOp::create(
        b, l, arith::MaximumFOp::create(b, l, x, cst(b, l, x, 0)),
        arith::MinimumFOp::create(b, l, neg, cst(b, l, x, 0)));
  });
  p.add<ThresholdedReluOp>([](OpBuilder &b, Location l, ThresholdedReluOp op,
                              ValueRange a) -> Value {
    Value above = arith::CmpFOp::create(b, l, arith::CmpFPredicate::OGT, a[0],
                                        cst(b, l, a[0], op.getAlpha().convertToFloat()));
    return arith::SelectOp::create(b, l, above, a[0], cst(b, l, a[0], 0));
  });
  p.add<GeluOp>([](OpBuilder &b, Location l, GeluOp op, ValueRange a) {
    ActivationKind kind = op.getApproximate() == GeluApproximation::Tanh
                              ? ActivationKind::GeluTanh
                              : ActivationKind::Gelu;
    return applyActivation(b, l, a[0], ActivationAttr::get(b.getContext(), kind));
  });
  p.add<LeakyReluOp>([](OpBuilder &b, Location l, LeakyReluOp op, ValueRange a) {
    return applyActivation(b, l, a[0],
                           ActivationAttr::get(b.getContext(), ActivationKind::LeakyRelu,
                                               op.getAlpha().convertToFloat()));
  });
  p.add<ClipOp>([](OpBuilder &b, Location l, ClipOp op, ValueRange a) {
    Value x = a[0];
    if (auto lo = op.getMin())
      x = arith::MaximumFOp::create(b, l, x, cst(b, l, x, lo->convertToFloat()));
    if (auto hi = op.getMax())
      x = arith::MinimumFOp::create(b, l, x, cst(b, l, x, hi->convertToFloat()));
    return x;
  });
  p.add<HardSigmoidOp>([](OpBuilder &b, Location l, HardSigmoidOp op, ValueRange a) {
    return applyActivation(b, l, a[0],
                           ActivationAttr::get(b.getContext(), ActivationKind::HardSigmoid,
                                               op.getAlpha().convertToFloat(),
                                               op.getBeta().convertToFloat()));
  });
  p.add<IsNaNOp>([](OpBuilder &b, Location l, IsNaNOp, ValueRange a) -> Value {
    return arith::CmpFOp::create(b, l, arith::CmpFPredicate::UNO, a[0], a[0]);
  });
  p.add<IsInfOp>([](OpBuilder &b, Location l, IsInfOp op, ValueRange a) -> Value {
    Value posInf = highestValue(b, l, a[0].getType());
    Value negInf = lowestValue(b, l, a[0].getType());
    Value isPos = arith::CmpFOp::create(b, l, arith::CmpFPredicate::OEQ, a[0], posInf);
    Value isNeg = arith::CmpFOp::create(b, l, arith::CmpFPredicate::OEQ, a[0], negInf);
    Value none = arith::ConstantOp::create(b, l, b.getBoolAttr(false));
    Value r = op.getDetectPositive() ? isPos : none;
    if (op.getDetectNegative())
      r = arith::OrIOp::create(b, l, r, isNeg);
    return r;
  });
}

void addBinary(Patterns p) {
  p.add<AddOp>([](OpBuilder &b, Location l, AddOp, ValueRange a) {
    return a[0].getType().isInteger(1) ? Value(arith::OrIOp::create(b, l, a[0], a[1]))
                                       : add(b, l, a[0], a[1]);
  });
  p.add<SubOp>([](OpBuilder &b, Location l, SubOp, ValueRange a) { return sub(b, l, a[0], a[1]); });
  p.add<MulOp>([](OpBuilder &b, Location l, MulOp, ValueRange a) { return mul(b, l, a[0], a[1]); });
  p.add<DivOp>([](OpBuilder &b, Location l, DivOp op, ValueRange a) {
    return div(b, l, a[0], a[1], isUnsignedOp(op));
  });
  p.add<PowOp>([](OpBuilder &b, Location l, PowOp, ValueRange a) -> Value {
    return math::PowFOp::create(b, l, a[0], a[1]);
  });
  p.add<MinOp>([](OpBuilder &b, Location l, MinOp op, ValueRange a) {
    return minimum(b, l, a[0], a[1], isUnsignedOp(op));
  });
  p.add<MaxOp>([](OpBuilder &b, Location l, MaxOp op, ValueRange a) {
    return maximum(b, l, a[0], a[1], isUnsignedOp(op));
  });
  p.add<EqualOp>([](OpBuilder &b, Location l, EqualOp, ValueRange a) {
    return cmp(b, l, a[0], a[1], arith::CmpFPredicate::OEQ, arith::CmpIPredicate::eq);
  });
  p.add<LessOp>([](OpBuilder &b, Location l, LessOp op, ValueRange a) {
    return cmp(b, l, a[0], a[1], arith::CmpFPredicate::OLT, arith::CmpIPredicate::slt,
               isUnsignedOp(op));
  });
  p.add<GreaterOp>([](OpBuilder &b, Location l, GreaterOp op, ValueRange a) {
    return cmp(b, l, a[0], a[1], arith::CmpFPredicate::OGT, arith::CmpIPredicate::sgt,
               isUnsignedOp(op));
  });
  p.add<LessOrEqualOp>([](OpBuilder &b, Location l, LessOrEqualOp op, ValueRange a) {
    return cmp(b, l, a[0], a[1], arith::CmpFPredicate::OLE, arith::CmpIPredicate::sle,
               isUnsignedOp(op));
  });
  p.add<GreaterOrEqualOp>([](OpBuilder &b, Location l, GreaterOrEqualOp op, ValueRange a) {
    return cmp(b, l, a[0], a[1], arith::CmpFPredicate::OGE, arith::CmpIPredicate::sge,
               isUnsignedOp(op));
  });
  p.add<PReluOp>([](OpBuilder &b, Location l, PReluOp, ValueRange a) -> Value {
    Value neg = cmp(b, l, a[0], cst(b, l, a[0], 0), arith::CmpFPredicate::OLT,
                    arith::CmpIPredicate::slt);
    return arith::SelectOp::create(b, l, neg, mul(b, l, a[0], a[1]), a[0]);
  });
  p.add<ModOp>([](OpBuilder &b, Location l, ModOp op, ValueRange a) -> Value {
    Value x = a[0], y = a[1];
    if (isFloatScalar(x)) {
      // fmod: the sign of the dividend (C fmod). Otherwise Python's mod.
      Value r = arith::RemFOp::create(b, l, x, y);
      if (op.getFmod())
        return r;
      Value zero = cst(b, l, x, 0);
      Value rNeg = arith::CmpFOp::create(b, l, arith::CmpFPredicate::OLT, r, zero);
      Value yNeg = arith::CmpFOp::create(b, l, arith::CmpFPredicate::OLT, y, zero);
      Value rNonZero = arith::CmpFOp::create(b, l, arith::CmpFPredicate::ONE, r, zero);
      Value differ = arith::AndIOp::create(
          b, l, rNonZero, arith::XOrIOp::create(b, l, rNeg, yNeg));
      return arith::SelectOp::create(b, l, differ, arith::AddFOp::create(b, l, r, y), r);
    }
    if (isUnsignedOp(op))
      return arith::RemUIOp::create(b, l, x, y);
    Value r = arith::RemSIOp::create(b, l, x, y);
    if (op.getFmod())
      return r;
    Value zero = cst(b, l, x, 0);
    Value rNeg = arith::CmpIOp::create(b, l, arith::CmpIPredicate::slt, r, zero);
    Value yNeg = arith::CmpIOp::create(b, l, arith::CmpIPredicate::slt, y, zero);
    Value rNonZero = arith::CmpIOp::create(b, l, arith::CmpIPredicate::ne, r, zero);
    Value differ =
        arith::AndIOp::create(b, l, rNonZero, arith::XOrIOp::create(b, l, rNeg, yNeg));
    return arith::SelectOp::create(b, l, differ, arith::AddIOp::create(b, l, r, y), r);
  });
  p.add<ShiftLeftOp>([](OpBuilder &b, Location l, ShiftLeftOp, ValueRange a) -> Value {
    return arith::ShLIOp::create(b, l, a[0], a[1]);
  });
  // ONNX BitShift is defined on unsigned integers: shift in zeros.
  p.add<ShiftRightOp>([](OpBuilder &b, Location l, ShiftRightOp, ValueRange a) -> Value {
    return arith::ShRUIOp::create(b, l, a[0], a[1]);
  });
  p.add<AndOp>([](OpBuilder &b, Location l, AndOp, ValueRange a) -> Value {
    return arith::AndIOp::create(b, l, a[0], a[1]);
  });
  p.add<OrOp>([](OpBuilder &b, Location l, OrOp, ValueRange a) -> Value {
    return arith::OrIOp::create(b, l, a[0], a[1]);
  });
  p.add<XorOp>([](OpBuilder &b, Location l, XorOp, ValueRange a) -> Value {
    return arith::XOrIOp::create(b, l, a[0], a[1]);
  });
  p.add<WhereOp>([](OpBuilder &b, Location l, WhereOp, ValueRange a) -> Value {
    return arith::SelectOp::create(b, l, a[0], a[1], a[2]);
  });
}

/// ds.cast: the one op whose types may be unsigned (ui8...). Unsigned tensors
/// are reinterpreted as signless ones of the same width by the signedness
/// normalization that runs before this lowering; the op keeps the original
/// types in its attributes so the conversion extends or converts correctly.
struct CastLowering : OpRewritePattern<CastOp> {
  using OpRewritePattern::OpRewritePattern;
  LogicalResult matchAndRewrite(CastOp op, PatternRewriter &rewriter) const override {
    if (failed(requireStaticShapes(op, rewriter)))
      return failure();
    auto resultType = cast<RankedTensorType>(op.getType());
    auto inputType = cast<RankedTensorType>(op.getInput().getType());
    bool sourceUnsigned = op->hasAttr(kSourceUnsignedAttr);
    bool targetUnsigned = op->hasAttr(kTargetUnsignedAttr);
    if (inputType.getElementType().isUnsignedInteger() ||
        resultType.getElementType().isUnsignedInteger())
      return rewriter.notifyMatchFailure(op, "unsigned types must be normalized first");
    Value result = buildElementwise(
        rewriter, op.getLoc(), resultType, op.getInput(),
        [&](OpBuilder &b, Location loc, ValueRange args) {
          return convertScalar(b, loc, args[0], resultType.getElementType(), sourceUnsigned,
                               targetUnsigned);
        });
    rewriter.replaceOp(op, result);
    return success();
  }
};

} // namespace

void mlir::ds::lowering::populateElementwiseLoweringPatterns(RewritePatternSet &patterns) {
  Patterns p{patterns};
  addUnary(p);
  addBinary(p);
  patterns.add<CastLowering>(patterns.getContext());
}
