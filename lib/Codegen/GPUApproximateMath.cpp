//===- GPUApproximateMath.cpp - the ds-gpu-approximate-math pass ----------===//
//
// On the CPU, math functions without a polynomial call libm; a GPU kernel
// has no libm, and NVIDIA's libdevice is a CUDA toolkit file deepseek does
// not link. So every math function MLIR can express in arithmetic is
// rewritten here, before the kernels are formed: the inverse and hyperbolic
// functions, powf, tan... by upstream's expansions (into exp, log, sqrt and
// arithmetic), then exp, log, log1p, log2, expm1, sin, cos, atan, atan2,
// asin, acos, erf, tanh, cbrt by upstream's polynomial approximations. What
// remains (sqrt, fma, floor, abs, ...) maps to exact PTX instructions
// (ds-gpu-math-to-intrinsics).
//
//===----------------------------------------------------------------------===//

#include "deepseek/Passes.h"

#include "mlir/Dialect/Math/IR/Math.h"
#include "mlir/Dialect/Math/Transforms/Approximation.h"
#include "mlir/Dialect/Math/Transforms/Passes.h"
#include "mlir/Dialect/Vector/IR/VectorOps.h"
#include "mlir/Transforms/GreedyPatternRewriteDriver.h"

namespace mlir::ds {
#define GEN_PASS_DEF_DSGPUAPPROXIMATEMATH
#include "ds/Passes.h.inc"
} // namespace mlir::ds

using namespace mlir;

namespace {

struct DSGPUApproximateMathPass
    : public ds::impl::DSGPUApproximateMathBase<DSGPUApproximateMathPass> {
  void runOnOperation() override {
    RewritePatternSet patterns(&getContext());
    math::populateExpansionPatterns(patterns);
    // rsqrt: the expansion's 1 / sqrt is exact in PTX, the approximation
    // is not.
    auto notRsqrt = [](StringRef name) { return name != math::RsqrtOp::getOperationName(); };
    populateMathF32ExpansionPatterns(patterns, notRsqrt);
    populateMathPolynomialApproximationPatterns(patterns, notRsqrt);
    populatePolynomialApproximateErfPattern(patterns);
    populatePolynomialApproximateTanhPattern(patterns);
    if (failed(applyPatternsGreedily(getOperation(), std::move(patterns))))
      return signalPassFailure();
  }
};

} // namespace
