// RUN: deepseek-opt %s -ds-recognize-layer-norm -split-input-file | FileCheck %s

// The opset-13 export of torch.nn.LayerNorm.
// CHECK-LABEL: func.func @layer_norm
// CHECK-SAME: (%[[X:.*]]: tensor<2x4x8xf32>, %[[G:.*]]: tensor<8xf32>, %[[B:.*]]: tensor<8xf32>)
// CHECK: %[[Y:.*]] = ds.layer_norm %[[X]], %[[G]] bias %[[B]] {axis = 2 : i64, epsilon = 9.99999996E-13 : f32}
// CHECK-NOT: ds.reduce_mean
// CHECK: return %[[Y]]
func.func @layer_norm(%x: tensor<2x4x8xf32>, %g: tensor<8xf32>, %b: tensor<8xf32>) -> tensor<2x4x8xf32> {
  %two = ds.constant dense<2.0> : tensor<f32>
  %eps = ds.constant dense<1.0e-12> : tensor<f32>
  %0 = ds.reduce_mean %x {axes = array<i64: 2>} : (tensor<2x4x8xf32>) -> tensor<2x4x1xf32>
  %1 = ds.sub %x, %0 : (tensor<2x4x8xf32>, tensor<2x4x1xf32>) -> tensor<2x4x8xf32>
  %2 = ds.pow %1, %two : (tensor<2x4x8xf32>, tensor<f32>) -> tensor<2x4x8xf32>
  %3 = ds.reduce_mean %2 {axes = array<i64: 2>} : (tensor<2x4x8xf32>) -> tensor<2x4x1xf32>
  %4 = ds.add %3, %eps : (tensor<2x4x1xf32>, tensor<f32>) -> tensor<2x4x1xf32>
  %5 = ds.sqrt %4 : tensor<2x4x1xf32>
  %6 = ds.div %1, %5 : (tensor<2x4x8xf32>, tensor<2x4x1xf32>) -> tensor<2x4x8xf32>
  %7 = ds.mul %6, %g : (tensor<2x4x8xf32>, tensor<8xf32>) -> tensor<2x4x8xf32>
  %8 = ds.add %7, %b : (tensor<2x4x8xf32>, tensor<8xf32>) -> tensor<2x4x8xf32>
  return %8 : tensor<2x4x8xf32>
}

// -----

// Over the last two dims, d * d for the square, no affine tail: the scale is
// a constant 1.
// CHECK-LABEL: func.func @two_axes_no_affine
// CHECK: %[[ONE:.*]] = ds.constant dense<1.000000e+00> : tensor<f32>
// CHECK: ds.layer_norm %arg0, %[[ONE]] {axis = 1 : i64} : (tensor<2x4x8xf32>, tensor<f32>) -> tensor<2x4x8xf32>
func.func @two_axes_no_affine(%x: tensor<2x4x8xf32>) -> tensor<2x4x8xf32> {
  %eps = ds.constant dense<1.0e-5> : tensor<f32>
  %0 = ds.reduce_mean %x {axes = array<i64: 1, 2>} : (tensor<2x4x8xf32>) -> tensor<2x1x1xf32>
  %1 = ds.sub %x, %0 : (tensor<2x4x8xf32>, tensor<2x1x1xf32>) -> tensor<2x4x8xf32>
  %2 = ds.mul %1, %1 : (tensor<2x4x8xf32>, tensor<2x4x8xf32>) -> tensor<2x4x8xf32>
  %3 = ds.reduce_mean %2 {axes = array<i64: 1, 2>} : (tensor<2x4x8xf32>) -> tensor<2x1x1xf32>
  %4 = ds.add %eps, %3 : (tensor<f32>, tensor<2x1x1xf32>) -> tensor<2x1x1xf32>
  %5 = ds.sqrt %4 : tensor<2x1x1xf32>
  %6 = ds.div %1, %5 : (tensor<2x4x8xf32>, tensor<2x1x1xf32>) -> tensor<2x4x8xf32>
  return %6 : tensor<2x4x8xf32>
}

// -----

// Negative: the mean is over a leading dim (not LayerNorm), and the centered
// value has a third user.
// CHECK-LABEL: func.func @not_layer_norm
// CHECK-NOT: ds.layer_norm
// CHECK: return
func.func @not_layer_norm(%x: tensor<2x4x8xf32>) -> (tensor<2x4x8xf32>, tensor<2x4x8xf32>, tensor<2x4x8xf32>) {
  %eps = ds.constant dense<1.0e-5> : tensor<f32>
  %two = ds.constant dense<2.0> : tensor<f32>
  %0 = ds.reduce_mean %x {axes = array<i64: 1>} : (tensor<2x4x8xf32>) -> tensor<2x1x8xf32>
  %1 = ds.sub %x, %0 : (tensor<2x4x8xf32>, tensor<2x1x8xf32>) -> tensor<2x4x8xf32>
  %2 = ds.pow %1, %two : (tensor<2x4x8xf32>, tensor<f32>) -> tensor<2x4x8xf32>
  %3 = ds.reduce_mean %2 {axes = array<i64: 1>} : (tensor<2x4x8xf32>) -> tensor<2x1x8xf32>
  %4 = ds.add %3, %eps : (tensor<2x1x8xf32>, tensor<f32>) -> tensor<2x1x8xf32>
  %5 = ds.sqrt %4 : tensor<2x1x8xf32>
  %6 = ds.div %1, %5 : (tensor<2x4x8xf32>, tensor<2x1x8xf32>) -> tensor<2x4x8xf32>
  %10 = ds.reduce_mean %x {axes = array<i64: 2>} : (tensor<2x4x8xf32>) -> tensor<2x4x1xf32>
  %11 = ds.sub %x, %10 : (tensor<2x4x8xf32>, tensor<2x4x1xf32>) -> tensor<2x4x8xf32>
  %12 = ds.pow %11, %two : (tensor<2x4x8xf32>, tensor<f32>) -> tensor<2x4x8xf32>
  %13 = ds.reduce_mean %12 {axes = array<i64: 2>} : (tensor<2x4x8xf32>) -> tensor<2x4x1xf32>
  %14 = ds.add %13, %eps : (tensor<2x4x1xf32>, tensor<f32>) -> tensor<2x4x1xf32>
  %15 = ds.sqrt %14 : tensor<2x4x1xf32>
  %16 = ds.div %11, %15 : (tensor<2x4x8xf32>, tensor<2x4x1xf32>) -> tensor<2x4x8xf32>
  return %6, %16, %11 : tensor<2x4x8xf32>, tensor<2x4x8xf32>, tensor<2x4x8xf32>
}

// -----

// Negative for the tail only: a "gamma" that varies along a non-normalized
// dim stays a separate multiply.
// CHECK-LABEL: func.func @gamma_not_a_parameter
// CHECK: %[[N:.*]] = ds.layer_norm %arg0
// CHECK: ds.mul %[[N]], %arg1
func.func @gamma_not_a_parameter(%x: tensor<2x4x8xf32>, %g: tensor<4x8xf32>) -> tensor<2x4x8xf32> {
  %two = ds.constant dense<2.0> : tensor<f32>
  %eps = ds.constant dense<1.0e-5> : tensor<f32>
  %0 = ds.reduce_mean %x {axes = array<i64: 2>} : (tensor<2x4x8xf32>) -> tensor<2x4x1xf32>
  %1 = ds.sub %x, %0 : (tensor<2x4x8xf32>, tensor<2x4x1xf32>) -> tensor<2x4x8xf32>
  %2 = ds.pow %1, %two : (tensor<2x4x8xf32>, tensor<f32>) -> tensor<2x4x8xf32>
  %3 = ds.reduce_mean %2 {axes = array<i64: 2>} : (tensor<2x4x8xf32>) -> tensor<2x4x1xf32>
  %4 = ds.add %3, %eps : (tensor<2x4x1xf32>, tensor<f32>) -> tensor<2x4x1xf32>
  %5 = ds.sqrt %4 : tensor<2x4x1xf32>
  %6 = ds.div %1, %5 : (tensor<2x4x8xf32>, tensor<2x4x1xf32>) -> tensor<2x4x8xf32>
  %7 = ds.mul %6, %g : (tensor<2x4x8xf32>, tensor<4x8xf32>) -> tensor<2x4x8xf32>
  return %7 : tensor<2x4x8xf32>
}
