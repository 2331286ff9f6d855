//===- GPUMathToIntrinsics.cpp - the ds-gpu-math-to-intrinsics pass -------===//
//
// convert-gpu-to-nvvm turns every math op it has no NVVM op for into a call
// of NVIDIA's libdevice (`__nv_fmaf`, `__nv_floorf`, ...), a bitcode library
// that only the CUDA toolkit ships. deepseek's PTX must not depend on it:
// the transcendental functions are already polynomials
// (ds-cpu-approximate-math), and what remains are functions PTX has exact
// instructions for. This pass replaces those calls by the LLVM intrinsics
// NVPTX selects those instructions from (fma.rn, cvt.rmi, sqrt.rn, ...) and
// refuses any other libdevice call by name, so a model never yields PTX
// with unresolved functions.
//
//===----------------------------------------------------------------------===//

#include "deepseek/Passes.h"

namespace mlir::ds {
#define GEN_PASS_DEF_DSGPUMATHTOINTRINSICS
#include "ds/Passes.h.inc"
} // namespace mlir::ds

using namespace mlir;

namespace {

/// The intrinsic for libdevice function |name| (f32 "...f" or f64), built
/// on |operands|, or null when there is none.
Value buildIntrinsic(OpBuilder &b, Location loc, StringRef name, Type type,
                     ValueRange operands) {
  StringRef base = name;
  if (!base.consume_front("__nv_"))
    return nullptr;
  if (type.isF32() && !base.consume_back("f"))
    return nullptr;
  auto unary = [&](auto tag) -> Value {
    using Op = decltype(tag);
    return operands.size() == 1 ? Op::create(b, loc, type, operands[0]).getResult() : nullptr;
  };
  auto binary = [&](auto tag) -> Value {
    using Op = decltype(tag);
    return operands.size() == 2 ? Op::create(b, loc, type, operands[0], operands[1]).getResult()
                                : nullptr;
  };
  if (base == "fma")
    return operands.size() == 3
               ? LLVM::FMAOp::create(b, loc, type, operands[0], operands[1], operands[2])
                     .getResult()
               : nullptr;
  if (base == "rsqrt") {
    // 1 / sqrt(x), both correctly rounded (libdevice's rsqrtf is approximate).
    Value root = unary(LLVM::SqrtOp());
    Value one = LLVM::ConstantOp::create(b, loc, type, b.getFloatAttr(type, 1.0));
    return root ? LLVM::FDivOp::create(b, loc, one, root).getResult() : nullptr;
  }
  if (base == "floor")
    return unary(LLVM::FFloorOp());
  if (base == "ceil")
    return unary(LLVM::FCeilOp());
  if (base == "trunc")
    return unary(LLVM::FTruncOp());
  if (base == "rint" || base == "nearbyint")
    return unary(LLVM::RintOp());
  if (base == "round")
    return unary(LLVM::RoundOp());
  if (base == "fabs")
    return unary(LLVM::FAbsOp());
  if (base == "sqrt")
    return unary(LLVM::SqrtOp());
  if (base == "fmin")
    return binary(LLVM::MinNumOp());
  if (base == "fmax")
    return binary(LLVM::MaxNumOp());
  if (base == "copysign")
    return binary(LLVM::CopySignOp());
  // arith.remf: LLVM's frem, which NVPTX expands to x - trunc(x / y) * y
  // (exact while the quotient is below 2^24; libdevice loops instead).
  if (base == "fmod")
    return binary(LLVM::FRemOp());
  return nullptr;
}

struct DSGPUMathToIntrinsicsPass
    : public ds::impl::DSGPUMathToIntrinsicsBase<DSGPUMathToIntrinsicsPass> {
  void runOnOperation() override {
    gpu::GPUModuleOp module = getOperation();
    SmallVector<LLVM::CallOp> calls;
    module.walk([&](LLVM::CallOp call) {
      std::optional<StringRef> callee = call.getCallee();
      if (callee && callee->starts_with("__nv_"))
        calls.push_back(call);
    });
    OpBuilder builder(&getContext());
    bool failed = false;
    for (LLVM::CallOp call : calls) {
      StringRef callee = *call.getCallee();
      Type type = call.getNumResults() == 1 ? call.getResult().getType() : Type();
      builder.setInsertionPoint(call);
      Value replacement =
          type && (type.isF32() || type.isF64())
              ? buildIntrinsic(builder, call.getLoc(), callee, type, call.getArgOperands())
              : nullptr;
      if (!replacement) {
        call.emitOpError("calls libdevice's @")
            << callee << ", which deepseek's PTX does not link (no GPU lowering of that math "
            << "function yet)";
        failed = true;
        continue;
      }
      call.getResult().replaceAllUsesWith(replacement);
      call.erase();
    }
    if (failed)
      return signalPassFailure();
    // The declarations are unused now.
    for (LLVM::LLVMFuncOp fn : llvm::make_early_inc_range(module.getOps<LLVM::LLVMFuncOp>()))
      if (fn.isExternal() && fn.getName().starts_with("__nv_") && fn.symbolKnownUseEmpty(module))
        fn.erase();
  }
};

} // namespace
