//===- TopKLowering.cpp - ds.top_k by ranking ------------------------------===//
//
// Output slot j along the axis holds the element whose rank is j, where an
// element's rank counts the elements that beat it (greater, or smaller when
// !largest) plus the equal ones at lower indices, so ties keep the lower index
// first as ONNX requires. Each output element scans the axis with a nested
// scf.for: O(k n^2) work per row, cheap for the short axes and small k of
// classifier heads and the ONNX tests; a sorting network is the plan for long
// axes.
//
//===----------------------------------------------------------------------===//

#include "LoweringUtils.h"

#include "mlir/Dialect/SCF/IR/SCF.h"

using namespace mlir;
using namespace mlir::ds;
using namespace mlir::ds::lowering;

namespace {

struct TopKLowering : OpRewritePattern<TopKOp> {
  using OpRewritePattern::OpRewritePattern;
  LogicalResult matchAndRewrite(TopKOp op, PatternRewriter &rewriter) const override {
    if (failed(requireStaticShapes(op, rewriter)))
      return failure();
    Location loc = op.getLoc();
    auto inType = cast<RankedTensorType>(op.getInput().getType());
    auto valType = cast<RankedTensorType>(op.getValues().getType());
    auto idxType = cast<RankedTensorType>(op.getIndices().getType());
    int64_t rank = inType.getRank();
    int64_t axis = positiveAxis(op.getAxis(), rank);
    int64_t n = inType.getDimSize(axis);
    bool largest = op.getLargest();
    bool isUnsigned = isUnsignedOp(op);
    Value input = op.getInput();

    SmallVector<utils::IteratorType> iterators(rank, utils::IteratorType::parallel);
    AffineMap id = rewriter.getMultiDimIdentityMap(rank);
    auto generic = linalg::GenericOp::create(
        rewriter, loc, TypeRange{valType, idxType}, ValueRange{},
        ValueRange{emptyTensor(rewriter, loc, valType), emptyTensor(rewriter, loc, idxType)},
        SmallVector<AffineMap>{id, id}, iterators,
        [&](OpBuilder &b, Location l, ValueRange) {
          SmallVector<Value> pos;
          for (int64_t d = 0; d < rank; ++d)
            pos.push_back(linalg::IndexOp::create(b, l, d));
          Value slot = pos[axis];
          auto ci = [&](int64_t v) { return arith::ConstantIndexOp::create(b, l, v); };
          auto at = [&](OpBuilder &bb, Value i) {
            SmallVector<Value> p(pos);
            p[axis] = i;
            return tensor::ExtractOp::create(bb, l, input, p).getResult();
          };
          // beats(u at iu, v at iv): u ranks before v.
          auto beats = [&](OpBuilder &bb, Value u, Value iu, Value v, Value iv) -> Value {
            Value better = strictlyBefore(bb, l, u, v, largest, isUnsigned);
            Value equal = equalTo(bb, l, u, v);
            Value lower = arith::CmpIOp::create(bb, l, arith::CmpIPredicate::ult, iu, iv);
            return arith::OrIOp::create(bb, l, better, arith::AndIOp::create(bb, l, equal, lower));
          };
          Value zeroElem = scalarConstant(b, l, inType.getElementType(), 0);
          auto outer = scf::ForOp::create(
              b, l, ci(0), ci(n), ci(1), ValueRange{zeroElem, ci(0)},
              [&](OpBuilder &ob, Location ol, Value i, ValueRange found) {
                Value xi = at(ob, i);
                auto inner = scf::ForOp::create(
                    ob, ol, ci(0), ci(n), ci(1), ValueRange{ci(0)},
                    [&](OpBuilder &ib, Location il, Value i2, ValueRange count) {
                      Value b2 = beats(ib, at(ib, i2), i2, xi, i);
                      Value next = arith::SelectOp::create(
                          ib, il, b2, arith::AddIOp::create(ib, il, count[0], ci(1)), count[0]);
                      scf::YieldOp::create(ib, il, next);
                    });
                Value hit = arith::CmpIOp::create(ob, ol, arith::CmpIPredicate::eq,
                                                  inner.getResult(0), slot);
                scf::YieldOp::create(
                    ob, ol,
                    ValueRange{arith::SelectOp::create(ob, ol, hit, xi, found[0]),
                               arith::SelectOp::create(ob, ol, hit, i, found[1])});
              });
          Value index = arith::IndexCastOp::create(b, l, b.getI64Type(), outer.getResult(1));
          linalg::YieldOp::create(b, l, ValueRange{outer.getResult(0), index});
        });
    rewriter.replaceOp(op, generic.getResults());
    return success();
  }
};

} // namespace

void mlir::ds::lowering::populateTopKLoweringPatterns(RewritePatternSet &patterns) {
  patterns.add<TopKLowering>(patterns.getContext());
}
