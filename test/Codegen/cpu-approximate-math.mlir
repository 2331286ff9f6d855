// f32 erf, tanh and exp become polynomial approximations (arithmetic only, so
// their kernels vectorize); other types keep the libm-backed op.
// RUN: deepseek-opt %s --ds-cpu-approximate-math | FileCheck %s

// CHECK-LABEL: func.func @gelu_erf
// CHECK-NOT: math.erf
// CHECK: math.fma
// CHECK: linalg.yield
func.func @gelu_erf(%x: tensor<64xf32>) -> tensor<64xf32> {
  %0 = linalg.generic {indexing_maps = [affine_map<(d0) -> (d0)>, affine_map<(d0) -> (d0)>], iterator_types = ["parallel"]}
      ins(%x : tensor<64xf32>) outs(%x : tensor<64xf32>) {
  ^bb0(%in: f32, %out: f32):
    %e = math.erf %in : f32
    linalg.yield %e : f32
  } -> tensor<64xf32>
  return %0 : tensor<64xf32>
}

// CHECK-LABEL: func.func @tanh_vector
// CHECK-NOT: math.tanh
// CHECK: return
func.func @tanh_vector(%x: vector<16xf32>) -> vector<16xf32> {
  %0 = math.tanh %x : vector<16xf32>
  return %0 : vector<16xf32>
}

// A softmax's exp: clamped to the finite f32 range, range-reduced by ln 2,
// a polynomial, scaled by 2^n built in the exponent bits.
// CHECK-LABEL: func.func @softmax_exp
// CHECK-NOT: math.exp
// CHECK: math.floor
// CHECK: math.fma
// CHECK: arith.shli
// CHECK: arith.bitcast {{.*}} : vector<16xi32> to vector<16xf32>
func.func @softmax_exp(%x: vector<16xf32>) -> vector<16xf32> {
  %0 = math.exp %x : vector<16xf32>
  return %0 : vector<16xf32>
}

// CHECK-LABEL: func.func @f64_left_alone
// CHECK: math.erf %{{.*}} : f64
// CHECK: math.tanh %{{.*}} : f64
// CHECK: math.exp %{{.*}} : f64
func.func @f64_left_alone(%x: f64) -> f64 {
  %0 = math.erf %x : f64
  %1 = math.tanh %0 : f64
  %2 = math.exp %1 : f64
  return %2 : f64
}
