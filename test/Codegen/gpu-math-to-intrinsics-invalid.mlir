// A libdevice function without an exact instruction is refused by name:
// the PTX would otherwise reference a function nothing defines.
// RUN: deepseek-opt %s --pass-pipeline="builtin.module(gpu.module(ds-gpu-math-to-intrinsics))" -verify-diagnostics -o /dev/null

gpu.module @kernels {
  llvm.func @__nv_sinf(f32) -> f32
  llvm.func @k(%a: f32) -> f32 {
    // expected-error @below {{calls libdevice's @__nv_sinf, which deepseek's PTX does not link (no GPU lowering of that math function yet)}}
    %0 = llvm.call @__nv_sinf(%a) : (f32) -> f32
    llvm.return %0 : f32
  }
}
