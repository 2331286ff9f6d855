// libdevice calls that PTX has exact instructions for become LLVM
// intrinsics; their declarations go. rsqrt is 1 / sqrt (correctly rounded).
// RUN: deepseek-opt %s --pass-pipeline="builtin.module(gpu.module(ds-gpu-math-to-intrinsics))" | FileCheck %s

// CHECK-LABEL: gpu.module @kernels
// CHECK-NOT: __nv_
// CHECK-LABEL: llvm.func @k
// CHECK-SAME: (%[[A:.*]]: f32, %[[B:.*]]: f32, %[[C:.*]]: f32, %[[D:.*]]: f64)
// CHECK: %[[FMA:.*]] = llvm.intr.fma(%[[A]], %[[B]], %[[C]]) : (f32, f32, f32) -> f32
// CHECK: %[[FLOOR:.*]] = llvm.intr.floor(%[[FMA]]) : (f32) -> f32
// CHECK: %[[ROOT:.*]] = llvm.intr.sqrt(%[[FLOOR]]) : (f32) -> f32
// CHECK: %[[ONE:.*]] = llvm.mlir.constant(1.000000e+00 : f32) : f32
// CHECK: %[[RSQRT:.*]] = llvm.fdiv %[[ONE]], %[[ROOT]] : f32
// CHECK: %[[MAX:.*]] = llvm.intr.maxnum(%[[RSQRT]], %[[A]]) : (f32, f32) -> f32
// CHECK: %[[SQRT64:.*]] = llvm.intr.sqrt(%[[D]]) : (f64) -> f64
// CHECK-NOT: llvm.call
// CHECK: llvm.return
gpu.module @kernels {
  llvm.func @__nv_fmaf(f32, f32, f32) -> f32
  llvm.func @__nv_floorf(f32) -> f32
  llvm.func @__nv_rsqrtf(f32) -> f32
  llvm.func @__nv_fmaxf(f32, f32) -> f32
  llvm.func @__nv_sqrt(f64) -> f64
  llvm.func @k(%a: f32, %b: f32, %c: f32, %d: f64) -> f32 {
    %0 = llvm.call @__nv_fmaf(%a, %b, %c) : (f32, f32, f32) -> f32
    %1 = llvm.call @__nv_floorf(%0) : (f32) -> f32
    %2 = llvm.call @__nv_rsqrtf(%1) : (f32) -> f32
    %3 = llvm.call @__nv_fmaxf(%2, %a) : (f32, f32) -> f32
    %4 = llvm.call @__nv_sqrt(%d) : (f64) -> f64
    %5 = llvm.fptrunc %4 : f64 to f32
    %6 = llvm.fadd %3, %5 : f32
    llvm.return %6 : f32
  }
}
