// Before GPU kernels are formed, math functions become arithmetic: inverse
// and hyperbolic functions through upstream's expansions, exp/log/atan/...
// through its polynomials. sqrt stays and rsqrt becomes 1 / sqrt (both
// exact PTX instructions).
// The pass has no failure mode: functions it cannot rewrite are left for
// ds-gpu-math-to-intrinsics, which refuses them by name.
// RUN: deepseek-opt %s --ds-gpu-approximate-math | FileCheck %s

// CHECK-LABEL: func.func @functions
// CHECK-NOT: math.asinh
// CHECK-NOT: math.atan
// CHECK-NOT: math.expm1
// CHECK-NOT: math.log
// CHECK-NOT: math.exp
// CHECK-NOT: math.tanh
// CHECK-NOT: math.erf
// CHECK: math.sqrt %arg0
// CHECK: %[[ROOT:.*]] = math.sqrt %arg0
// CHECK: arith.divf %{{.*}}, %[[ROOT]]
// CHECK-NOT: math.rsqrt
// CHECK: return
func.func @functions(%x: f32) -> (f32, f32, f32, f32, f32, f32, f32, f32) {
  %0 = math.asinh %x : f32
  %1 = math.atan %x : f32
  %2 = math.expm1 %x : f32
  %3 = math.log %x : f32
  %4 = math.tanh %x : f32
  %5 = math.erf %x : f32
  %6 = math.sqrt %x : f32
  %7 = math.rsqrt %x : f32
  return %0, %1, %2, %3, %4, %5, %6, %7 : f32, f32, f32, f32, f32, f32, f32, f32
}
