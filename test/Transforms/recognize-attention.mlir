// RUN: deepseek-opt %s -ds-recognize-attention -split-input-file | FileCheck %s

// BERT's attention as exported: K^T is a transpose of the reshaped K
// projection; the rewrite composes it to K's [B, H, S, D] layout.
// CHECK-LABEL: func.func @bert_attention
// CHECK-SAME: (%[[Q:.*]]: tensor<1x2x8x4xf32>, %[[KP:.*]]: tensor<1x8x2x4xf32>, %[[V:.*]]: tensor<1x2x8x4xf32>, %[[M:.*]]: tensor<1x1x1x8xf32>)
// CHECK: %[[K:.*]] = ds.transpose %[[KP]] {perm = array<i64: 0, 2, 1, 3>} : (tensor<1x8x2x4xf32>) -> tensor<1x2x8x4xf32>
// CHECK: %[[A:.*]] = ds.attention %[[Q]], %[[K]], %[[V]] mask %[[M]] {scale = 5.000000e-01 : f32}
// CHECK-NOT: ds.softmax
// CHECK: return %[[A]]
func.func @bert_attention(%q: tensor<1x2x8x4xf32>, %kp: tensor<1x8x2x4xf32>, %v: tensor<1x2x8x4xf32>, %mask: tensor<1x1x1x8xf32>) -> tensor<1x2x8x4xf32> {
  %c = ds.constant dense<2.0> : tensor<f32>
  %kt = ds.transpose %kp {perm = array<i64: 0, 2, 3, 1>} : (tensor<1x8x2x4xf32>) -> tensor<1x2x4x8xf32>
  %0 = ds.matmul %q, %kt : (tensor<1x2x8x4xf32>, tensor<1x2x4x8xf32>) -> tensor<1x2x8x8xf32>
  %1 = ds.div %0, %c : (tensor<1x2x8x8xf32>, tensor<f32>) -> tensor<1x2x8x8xf32>
  %2 = ds.add %1, %mask : (tensor<1x2x8x8xf32>, tensor<1x1x1x8xf32>) -> tensor<1x2x8x8xf32>
  %3 = ds.softmax %2 {axis = 3 : i64} : tensor<1x2x8x8xf32>
  %4 = ds.matmul %3, %v : (tensor<1x2x8x8xf32>, tensor<1x2x8x4xf32>) -> tensor<1x2x8x4xf32>
  return %4 : tensor<1x2x8x4xf32>
}

// -----

// No mask, scale as a multiplication, K^T a plain value (a transpose is
// inserted).
// CHECK-LABEL: func.func @unmasked
// CHECK: %[[K:.*]] = ds.transpose %arg1 {perm = array<i64: 0, 2, 1>} : (tensor<2x4x6xf32>) -> tensor<2x6x4xf32>
// CHECK: ds.attention %arg0, %[[K]], %arg2 {scale = 2.500000e-01 : f32} : (tensor<2x8x4xf32>, tensor<2x6x4xf32>, tensor<2x6x3xf32>) -> tensor<2x8x3xf32>
func.func @unmasked(%q: tensor<2x8x4xf32>, %kt: tensor<2x4x6xf32>, %v: tensor<2x6x3xf32>) -> tensor<2x8x3xf32> {
  %c = ds.constant dense<0.25> : tensor<f32>
  %0 = ds.matmul %q, %kt : (tensor<2x8x4xf32>, tensor<2x4x6xf32>) -> tensor<2x8x6xf32>
  %1 = ds.mul %c, %0 : (tensor<f32>, tensor<2x8x6xf32>) -> tensor<2x8x6xf32>
  %2 = ds.softmax %1 {axis = 2 : i64} : tensor<2x8x6xf32>
  %3 = ds.matmul %2, %v : (tensor<2x8x6xf32>, tensor<2x6x3xf32>) -> tensor<2x8x3xf32>
  return %3 : tensor<2x8x3xf32>
}

// -----

// Negative: the probabilities are also returned (another user), the softmax
// is over another axis, and V broadcasts over the batch.
// CHECK-LABEL: func.func @not_attention
// CHECK-NOT: ds.attention
// CHECK: return
func.func @not_attention(%q: tensor<2x8x4xf32>, %kt: tensor<2x4x8xf32>, %v: tensor<2x8x3xf32>, %v1: tensor<8x3xf32>) -> (tensor<2x8x3xf32>, tensor<2x8x8xf32>, tensor<2x8x3xf32>, tensor<2x8x3xf32>) {
  %0 = ds.matmul %q, %kt : (tensor<2x8x4xf32>, tensor<2x4x8xf32>) -> tensor<2x8x8xf32>
  %1 = ds.softmax %0 {axis = 2 : i64} : tensor<2x8x8xf32>
  %2 = ds.matmul %1, %v : (tensor<2x8x8xf32>, tensor<2x8x3xf32>) -> tensor<2x8x3xf32>
  %3 = ds.matmul %q, %kt : (tensor<2x8x4xf32>, tensor<2x4x8xf32>) -> tensor<2x8x8xf32>
  %4 = ds.softmax %3 {axis = 1 : i64} : tensor<2x8x8xf32>
  %5 = ds.matmul %4, %v : (tensor<2x8x8xf32>, tensor<2x8x3xf32>) -> tensor<2x8x3xf32>
  %6 = ds.matmul %q, %kt : (tensor<2x8x4xf32>, tensor<2x4x8xf32>) -> tensor<2x8x8xf32>
  %7 = ds.softmax %6 {axis = 2 : i64} : tensor<2x8x8xf32>
  %8 = ds.matmul %7, %v1 : (tensor<2x8x8xf32>, tensor<8x3xf32>) -> tensor<2x8x3xf32>
  return %2, %1, %5, %8 : tensor<2x8x3xf32>, tensor<2x8x8xf32>, tensor<2x8x3xf32>, tensor<2x8x3xf32>
}
