// RUN: deepseek-opt %s -ds-fold-batch-norm -split-input-file | FileCheck %s

// s = gamma / sqrt(var + eps) = [2, 0.5]; t = beta - mean * s = [1 - 2, 0 - 1] = [-1, -1].
// W' = W * s per output channel; b' = b * s + t = [3 * 2 - 1, 4 * 0.5 - 1] = [5, 1].
// CHECK-LABEL: func.func @into_conv
// CHECK-DAG: %[[W:.*]] = ds.constant dense<{{\[}}[{{\[}}[2.000000e+00]]], [{{\[}}[5.000000e-01]]]]> : tensor<2x1x1x1xf32>
// CHECK-DAG: %[[B:.*]] = ds.constant dense<[5.000000e+00, 1.000000e+00]> : tensor<2xf32>
// CHECK: %[[Y:.*]] = ds.conv %arg0, %[[W]] bias %[[B]]
// CHECK-NOT: ds.batch_norm
// CHECK: return %[[Y]]
func.func @into_conv(%x: tensor<1x1x4x4xf32>) -> tensor<1x2x4x4xf32> {
  %w = ds.constant dense<1.0> : tensor<2x1x1x1xf32>
  %b = ds.constant dense<[3.0, 4.0]> : tensor<2xf32>
  %gamma = ds.constant dense<[2.0, 1.0]> : tensor<2xf32>
  %beta = ds.constant dense<[1.0, 0.0]> : tensor<2xf32>
  %mean = ds.constant dense<[1.0, 2.0]> : tensor<2xf32>
  %var = ds.constant dense<[1.0, 4.0]> : tensor<2xf32>
  %0 = ds.conv %x, %w bias %b {dilations = array<i64: 1, 1>, pads = array<i64: 0, 0, 0, 0>, strides = array<i64: 1, 1>} : (tensor<1x1x4x4xf32>, tensor<2x1x1x1xf32>, tensor<2xf32>) -> tensor<1x2x4x4xf32>
  %1 = ds.batch_norm %0, %gamma, %beta, %mean, %var {epsilon = 0.0 : f32} : (tensor<1x2x4x4xf32>, tensor<2xf32>, tensor<2xf32>, tensor<2xf32>, tensor<2xf32>) -> tensor<1x2x4x4xf32>
  return %1 : tensor<1x2x4x4xf32>
}

// -----

// Gemm with trans_b: the channels are the rows of b; c folds with beta:
// beta * c = [1, 4], then * s + t = [1 * 2 - 1, 4 * 0.5 - 1] = [1, 1].
// CHECK-LABEL: func.func @into_gemm
// CHECK-DAG: %[[B:.*]] = ds.constant dense<{{\[}}[2.000000e+00, 2.000000e+00], [5.000000e-01, 5.000000e-01]]> : tensor<2x2xf32>
// CHECK-DAG: %[[C:.*]] = ds.constant dense<1.000000e+00> : tensor<2xf32>
// CHECK: ds.gemm %arg0, %[[B]] bias %[[C]] {trans_b = true}
// CHECK-NOT: ds.batch_norm
func.func @into_gemm(%x: tensor<3x2xf32>) -> tensor<3x2xf32> {
  %w = ds.constant dense<1.0> : tensor<2x2xf32>
  %c = ds.constant dense<[0.5, 2.0]> : tensor<2xf32>
  %gamma = ds.constant dense<[2.0, 1.0]> : tensor<2xf32>
  %beta = ds.constant dense<[1.0, 0.0]> : tensor<2xf32>
  %mean = ds.constant dense<[1.0, 2.0]> : tensor<2xf32>
  %var = ds.constant dense<[1.0, 4.0]> : tensor<2xf32>
  %0 = ds.gemm %x, %w bias %c {beta = 2.0 : f32, trans_b = true} : (tensor<3x2xf32>, tensor<2x2xf32>, tensor<2xf32>) -> tensor<3x2xf32>
  %1 = ds.batch_norm %0, %gamma, %beta, %mean, %var {epsilon = 0.0 : f32} : (tensor<3x2xf32>, tensor<2xf32>, tensor<2xf32>, tensor<2xf32>, tensor<2xf32>) -> tensor<3x2xf32>
  return %1 : tensor<3x2xf32>
}

// -----

// A BatchNorm after something else becomes x * s + t, shaped to broadcast
// along channel dim 1.
// CHECK-LABEL: func.func @standalone
// CHECK-DAG: %[[S:.*]] = ds.constant dense<{{\[}}[{{\[}}2.000000e+00]], [{{\[}}5.000000e-01]]]> : tensor<2x1x1xf32>
// CHECK-DAG: %[[T:.*]] = ds.constant dense<-1.000000e+00> : tensor<2x1x1xf32>
// CHECK: %[[M:.*]] = ds.mul %arg0, %[[S]]
// CHECK: %[[A:.*]] = ds.add %[[M]], %[[T]]
// CHECK: return %[[A]]
func.func @standalone(%x: tensor<1x2x3x3xf32>) -> tensor<1x2x3x3xf32> {
  %gamma = ds.constant dense<[2.0, 1.0]> : tensor<2xf32>
  %beta = ds.constant dense<[1.0, 0.0]> : tensor<2xf32>
  %mean = ds.constant dense<[1.0, 2.0]> : tensor<2xf32>
  %var = ds.constant dense<[1.0, 4.0]> : tensor<2xf32>
  %0 = ds.batch_norm %x, %gamma, %beta, %mean, %var {epsilon = 0.0 : f32} : (tensor<1x2x3x3xf32>, tensor<2xf32>, tensor<2xf32>, tensor<2xf32>, tensor<2xf32>) -> tensor<1x2x3x3xf32>
  return %0 : tensor<1x2x3x3xf32>
}

// -----

// Negative: the conv result has another user, so the conv stays and the
// BatchNorm becomes a scale and shift of it.
// CHECK-LABEL: func.func @conv_has_other_user
// CHECK: %[[C:.*]] = ds.conv %arg0, %{{.*}} {dilations
// CHECK: ds.mul %[[C]]
// CHECK: return
func.func @conv_has_other_user(%x: tensor<1x1x4x4xf32>) -> (tensor<1x2x4x4xf32>, tensor<1x2x4x4xf32>) {
  %w = ds.constant dense<1.0> : tensor<2x1x1x1xf32>
  %p = ds.constant dense<1.0> : tensor<2xf32>
  %0 = ds.conv %x, %w {dilations = array<i64: 1, 1>, pads = array<i64: 0, 0, 0, 0>, strides = array<i64: 1, 1>} : (tensor<1x1x4x4xf32>, tensor<2x1x1x1xf32>) -> tensor<1x2x4x4xf32>
  %1 = ds.batch_norm %0, %p, %p, %p, %p : (tensor<1x2x4x4xf32>, tensor<2xf32>, tensor<2xf32>, tensor<2xf32>, tensor<2xf32>) -> tensor<1x2x4x4xf32>
  return %0, %1 : tensor<1x2x4x4xf32>, tensor<1x2x4x4xf32>
}

// -----

// Negative: parameters that are not constants are left to the lowering.
// CHECK-LABEL: func.func @runtime_parameters
// CHECK: ds.batch_norm
func.func @runtime_parameters(%x: tensor<1x2x3x3xf32>, %p: tensor<2xf32>) -> tensor<1x2x3x3xf32> {
  %0 = ds.batch_norm %x, %p, %p, %p, %p : (tensor<1x2x3x3xf32>, tensor<2xf32>, tensor<2xf32>, tensor<2xf32>, tensor<2xf32>) -> tensor<1x2x3x3xf32>
  return %0 : tensor<1x2x3x3xf32>
}

// -----

// Negative: a conv that already has an activation cannot take the BatchNorm
// (bn(relu(conv)) is not relu(conv')).
// CHECK-LABEL: func.func @conv_with_activation
// CHECK: ds.conv {{.*}}activation = #ds.act<relu>
// CHECK: ds.mul
func.func @conv_with_activation(%x: tensor<1x1x4x4xf32>) -> tensor<1x2x4x4xf32> {
  %w = ds.constant dense<1.0> : tensor<2x1x1x1xf32>
  %p = ds.constant dense<1.0> : tensor<2xf32>
  %0 = ds.conv %x, %w {activation = #ds.act<relu>, dilations = array<i64: 1, 1>, pads = array<i64: 0, 0, 0, 0>, strides = array<i64: 1, 1>} : (tensor<1x1x4x4xf32>, tensor<2x1x1x1xf32>) -> tensor<1x2x4x4xf32>
  %1 = ds.batch_norm %0, %p, %p, %p, %p : (tensor<1x2x4x4xf32>, tensor<2xf32>, tensor<2xf32>, tensor<2xf32>, tensor<2xf32>) -> tensor<1x2x4x4xf32>
  return %1 : tensor<1x2x4x4xf32>
}
