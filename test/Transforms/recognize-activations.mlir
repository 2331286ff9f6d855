// RUN: deepseek-opt %s -ds-recognize-activations -split-input-file | FileCheck %s

// BERT's exact GELU: x * 0.5 * (1 + erf(x / sqrt(2))).
// CHECK-LABEL: func.func @gelu_erf
// CHECK-NEXT: %[[G:.*]] = ds.gelu %arg0 : tensor<2x8xf32>
// CHECK-NEXT: return %[[G]]
func.func @gelu_erf(%x: tensor<2x8xf32>) -> tensor<2x8xf32> {
  %half = ds.constant dense<0.5> : tensor<f32>
  %sqrt2 = ds.constant dense<1.41421354> : tensor<f32>
  %one = ds.constant dense<1.0> : tensor<f32>
  %0 = ds.mul %x, %half : (tensor<2x8xf32>, tensor<f32>) -> tensor<2x8xf32>
  %1 = ds.div %x, %sqrt2 : (tensor<2x8xf32>, tensor<f32>) -> tensor<2x8xf32>
  %2 = ds.erf %1 : tensor<2x8xf32>
  %3 = ds.add %2, %one : (tensor<2x8xf32>, tensor<f32>) -> tensor<2x8xf32>
  %4 = ds.mul %0, %3 : (tensor<2x8xf32>, tensor<2x8xf32>) -> tensor<2x8xf32>
  return %4 : tensor<2x8xf32>
}

// -----

// The other association, 0.5 * (x * (1 + erf(x * 0.70710678))).
// CHECK-LABEL: func.func @gelu_erf_reassociated
// CHECK-NEXT: ds.gelu %arg0 : tensor<8xf32>
func.func @gelu_erf_reassociated(%x: tensor<8xf32>) -> tensor<8xf32> {
  %half = ds.constant dense<0.5> : tensor<f32>
  %rsqrt2 = ds.constant dense<0.707106769> : tensor<f32>
  %one = ds.constant dense<1.0> : tensor<f32>
  %1 = ds.mul %rsqrt2, %x : (tensor<f32>, tensor<8xf32>) -> tensor<8xf32>
  %2 = ds.erf %1 : tensor<8xf32>
  %3 = ds.add %one, %2 : (tensor<f32>, tensor<8xf32>) -> tensor<8xf32>
  %4 = ds.mul %x, %3 : (tensor<8xf32>, tensor<8xf32>) -> tensor<8xf32>
  %5 = ds.mul %half, %4 : (tensor<f32>, tensor<8xf32>) -> tensor<8xf32>
  return %5 : tensor<8xf32>
}

// -----

// GPT-2's tanh GELU: 0.5 x (1 + tanh(sqrt(2/pi) (x + 0.044715 x^3))).
// CHECK-LABEL: func.func @gelu_tanh
// CHECK-NEXT: ds.gelu %arg0 {approximate = #ds<gelu_approximation tanh>} : tensor<8xf32>
// CHECK-NEXT: return
func.func @gelu_tanh(%x: tensor<8xf32>) -> tensor<8xf32> {
  %half = ds.constant dense<0.5> : tensor<f32>
  %one = ds.constant dense<1.0> : tensor<f32>
  %three = ds.constant dense<3.0> : tensor<f32>
  %c = ds.constant dense<0.044715> : tensor<f32>
  %k = ds.constant dense<0.797884583> : tensor<f32>
  %0 = ds.pow %x, %three : (tensor<8xf32>, tensor<f32>) -> tensor<8xf32>
  %1 = ds.mul %c, %0 : (tensor<f32>, tensor<8xf32>) -> tensor<8xf32>
  %2 = ds.add %x, %1 : (tensor<8xf32>, tensor<8xf32>) -> tensor<8xf32>
  %3 = ds.mul %k, %2 : (tensor<f32>, tensor<8xf32>) -> tensor<8xf32>
  %4 = ds.tanh %3 : tensor<8xf32>
  %5 = ds.add %4, %one : (tensor<8xf32>, tensor<f32>) -> tensor<8xf32>
  %6 = ds.mul %half, %x : (tensor<f32>, tensor<8xf32>) -> tensor<8xf32>
  %7 = ds.mul %6, %5 : (tensor<8xf32>, tensor<8xf32>) -> tensor<8xf32>
  return %7 : tensor<8xf32>
}

// -----

// CHECK-LABEL: func.func @silu_and_hard_swish
// CHECK-NEXT: %[[S:.*]] = ds.silu %arg0
// CHECK-NEXT: %[[H:.*]] = ds.hard_swish %arg0
// CHECK-NEXT: return %[[S]], %[[H]]
func.func @silu_and_hard_swish(%x: tensor<8xf32>) -> (tensor<8xf32>, tensor<8xf32>) {
  %0 = ds.sigmoid %x : tensor<8xf32>
  %1 = ds.mul %x, %0 : (tensor<8xf32>, tensor<8xf32>) -> tensor<8xf32>
  %2 = ds.hard_sigmoid %x {alpha = 0.166666672 : f32, beta = 5.000000e-01 : f32} : tensor<8xf32>
  %3 = ds.mul %2, %x : (tensor<8xf32>, tensor<8xf32>) -> tensor<8xf32>
  return %1, %3 : tensor<8xf32>, tensor<8xf32>
}

// -----

// Negative: an intermediate with another user (the erf is also returned).
// CHECK-LABEL: func.func @gelu_intermediate_used
// CHECK-NOT: ds.gelu
// CHECK: ds.erf
func.func @gelu_intermediate_used(%x: tensor<8xf32>) -> (tensor<8xf32>, tensor<8xf32>) {
  %half = ds.constant dense<0.5> : tensor<f32>
  %sqrt2 = ds.constant dense<1.41421354> : tensor<f32>
  %one = ds.constant dense<1.0> : tensor<f32>
  %0 = ds.mul %x, %half : (tensor<8xf32>, tensor<f32>) -> tensor<8xf32>
  %1 = ds.div %x, %sqrt2 : (tensor<8xf32>, tensor<f32>) -> tensor<8xf32>
  %2 = ds.erf %1 : tensor<8xf32>
  %3 = ds.add %2, %one : (tensor<8xf32>, tensor<f32>) -> tensor<8xf32>
  %4 = ds.mul %0, %3 : (tensor<8xf32>, tensor<8xf32>) -> tensor<8xf32>
  return %4, %2 : tensor<8xf32>, tensor<8xf32>
}

// -----

// Negative: wrong constants (0.6 instead of 0.5; divided by 2, not sqrt 2),
// a gate of another tensor (squeeze-excite's x * sigmoid(s) is not SiLU), a
// hard sigmoid with the default alpha 0.2 (not HardSwish's 1/6), and a
// product that broadcasts x to a larger shape.
// CHECK-LABEL: func.func @not_activations
// CHECK-NOT: ds.gelu
// CHECK-NOT: ds.silu
// CHECK-NOT: ds.hard_swish
// CHECK: return
func.func @not_activations(%x: tensor<8xf32>, %s: tensor<8xf32>, %y: tensor<2x8xf32>) -> (tensor<8xf32>, tensor<8xf32>, tensor<8xf32>, tensor<8xf32>, tensor<2x8xf32>) {
  %c06 = ds.constant dense<0.6> : tensor<f32>
  %half = ds.constant dense<0.5> : tensor<f32>
  %two = ds.constant dense<2.0> : tensor<f32>
  %sqrt2 = ds.constant dense<1.41421354> : tensor<f32>
  %one = ds.constant dense<1.0> : tensor<f32>
  %0 = ds.mul %x, %c06 : (tensor<8xf32>, tensor<f32>) -> tensor<8xf32>
  %1 = ds.div %x, %sqrt2 : (tensor<8xf32>, tensor<f32>) -> tensor<8xf32>
  %2 = ds.erf %1 : tensor<8xf32>
  %3 = ds.add %2, %one : (tensor<8xf32>, tensor<f32>) -> tensor<8xf32>
  %4 = ds.mul %0, %3 : (tensor<8xf32>, tensor<8xf32>) -> tensor<8xf32>
  %5 = ds.mul %x, %half : (tensor<8xf32>, tensor<f32>) -> tensor<8xf32>
  %6 = ds.div %x, %two : (tensor<8xf32>, tensor<f32>) -> tensor<8xf32>
  %7 = ds.erf %6 : tensor<8xf32>
  %8 = ds.add %7, %one : (tensor<8xf32>, tensor<f32>) -> tensor<8xf32>
  %9 = ds.mul %5, %8 : (tensor<8xf32>, tensor<8xf32>) -> tensor<8xf32>
  %10 = ds.sigmoid %s : tensor<8xf32>
  %11 = ds.mul %x, %10 : (tensor<8xf32>, tensor<8xf32>) -> tensor<8xf32>
  %12 = ds.hard_sigmoid %x : tensor<8xf32>
  %13 = ds.mul %x, %12 : (tensor<8xf32>, tensor<8xf32>) -> tensor<8xf32>
  %14 = ds.sigmoid %x : tensor<8xf32>
  %15 = ds.mul %y, %14 : (tensor<2x8xf32>, tensor<8xf32>) -> tensor<2x8xf32>
  return %4, %9, %11, %13, %15 : tensor<8xf32>, tensor<8xf32>, tensor<8xf32>, tensor<8xf32>, tensor<2x8xf32>
}
