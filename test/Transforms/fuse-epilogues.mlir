// RUN: deepseek-opt %s -ds-fuse-epilogues -split-input-file | FileCheck %s

// Conv + bias Add + residual Add + ReLU: one op.
// CHECK-LABEL: func.func @conv_bias_residual_relu
// CHECK-SAME: (%[[X:.*]]: tensor<1x2x4x4xf32>, %[[SKIP:.*]]: tensor<1x2x4x4xf32>)
// CHECK: %[[B:.*]] = ds.constant dense<[1.000000e+00, 2.000000e+00]> : tensor<2xf32>
// CHECK: %[[Y:.*]] = ds.conv %[[X]], %{{.*}} bias %[[B]] residual %[[SKIP]] {activation = #ds.act<relu>
// CHECK-NEXT: return %[[Y]]
func.func @conv_bias_residual_relu(%x: tensor<1x2x4x4xf32>, %skip: tensor<1x2x4x4xf32>) -> tensor<1x2x4x4xf32> {
  %w = ds.constant dense<1.0> : tensor<2x2x1x1xf32>
  %b = ds.constant dense<[[[[1.0]], [[2.0]]]]> : tensor<1x2x1x1xf32>
  %0 = ds.conv %x, %w {dilations = array<i64: 1, 1>, pads = array<i64: 0, 0, 0, 0>, strides = array<i64: 1, 1>} : (tensor<1x2x4x4xf32>, tensor<2x2x1x1xf32>) -> tensor<1x2x4x4xf32>
  %1 = ds.add %0, %b : (tensor<1x2x4x4xf32>, tensor<1x2x1x1xf32>) -> tensor<1x2x4x4xf32>
  %2 = ds.add %skip, %1 : (tensor<1x2x4x4xf32>, tensor<1x2x4x4xf32>) -> tensor<1x2x4x4xf32>
  %3 = ds.relu %2 : tensor<1x2x4x4xf32>
  return %3 : tensor<1x2x4x4xf32>
}

// -----

// MatMul + bias + GELU (BERT's MLP), Gemm + bias + Relu6 (clip), and every
// other activation kind on a matmul.
// CHECK-LABEL: func.func @matmul_gemm_activations
// CHECK: ds.matmul %arg0, %{{.*}} bias %{{.*}} {activation = #ds.act<gelu>}
// CHECK: ds.gemm %arg2, %{{.*}} bias %{{.*}} {activation = #ds.act<clip, min = 0.000000e+00, max = 6.000000e+00>}
// CHECK: ds.matmul {{.*}}activation = #ds.act<gelu_tanh>
// CHECK: ds.matmul {{.*}}activation = #ds.act<leaky_relu, alpha = 1.000000e-01>
// CHECK: ds.matmul {{.*}}activation = #ds.act<sigmoid>
// CHECK: ds.matmul {{.*}}activation = #ds.act<hard_sigmoid, alpha = 2.000000e-01, beta = 5.000000e-01>
// CHECK: ds.matmul {{.*}}activation = #ds.act<hard_swish>
// CHECK: ds.matmul {{.*}}activation = #ds.act<silu>
// CHECK: ds.matmul {{.*}}activation = #ds.act<tanh>
// CHECK-NOT: ds.add
func.func @matmul_gemm_activations(%x: tensor<2x8x4xf32>, %w: tensor<4x3xf32>, %g: tensor<2x4xf32>) -> (tensor<2x8x3xf32>, tensor<2x3xf32>, tensor<2x8x3xf32>, tensor<2x8x3xf32>, tensor<2x8x3xf32>, tensor<2x8x3xf32>, tensor<2x8x3xf32>, tensor<2x8x3xf32>, tensor<2x8x3xf32>) {
  %b = ds.constant dense<[1.0, 2.0, 3.0]> : tensor<3xf32>
  %0 = ds.matmul %x, %w : (tensor<2x8x4xf32>, tensor<4x3xf32>) -> tensor<2x8x3xf32>
  %1 = ds.add %0, %b : (tensor<2x8x3xf32>, tensor<3xf32>) -> tensor<2x8x3xf32>
  %2 = ds.gelu %1 : tensor<2x8x3xf32>
  %gw = ds.constant dense<0.5> : tensor<4x3xf32>
  %3 = ds.gemm %g, %gw : (tensor<2x4xf32>, tensor<4x3xf32>) -> tensor<2x3xf32>
  %4 = ds.add %b, %3 : (tensor<3xf32>, tensor<2x3xf32>) -> tensor<2x3xf32>
  %5 = ds.clip %4 {min = 0.0 : f32, max = 6.0 : f32} : tensor<2x3xf32>
  %m1 = ds.matmul %x, %w : (tensor<2x8x4xf32>, tensor<4x3xf32>) -> tensor<2x8x3xf32>
  %a1 = ds.gelu %m1 {approximate = #ds<gelu_approximation tanh>} : tensor<2x8x3xf32>
  %m2 = ds.matmul %x, %w : (tensor<2x8x4xf32>, tensor<4x3xf32>) -> tensor<2x8x3xf32>
  %a2 = ds.leaky_relu %m2 {alpha = 0.1 : f32} : tensor<2x8x3xf32>
  %m3 = ds.matmul %x, %w : (tensor<2x8x4xf32>, tensor<4x3xf32>) -> tensor<2x8x3xf32>
  %a3 = ds.sigmoid %m3 : tensor<2x8x3xf32>
  %m4 = ds.matmul %x, %w : (tensor<2x8x4xf32>, tensor<4x3xf32>) -> tensor<2x8x3xf32>
  %a4 = ds.hard_sigmoid %m4 : tensor<2x8x3xf32>
  %m5 = ds.matmul %x, %w : (tensor<2x8x4xf32>, tensor<4x3xf32>) -> tensor<2x8x3xf32>
  %a5 = ds.hard_swish %m5 : tensor<2x8x3xf32>
  %m6 = ds.matmul %x, %w : (tensor<2x8x4xf32>, tensor<4x3xf32>) -> tensor<2x8x3xf32>
  %a6 = ds.silu %m6 : tensor<2x8x3xf32>
  %m7 = ds.matmul %x, %w : (tensor<2x8x4xf32>, tensor<4x3xf32>) -> tensor<2x8x3xf32>
  %a7 = ds.tanh %m7 : tensor<2x8x3xf32>
  return %2, %5, %a1, %a2, %a3, %a4, %a5, %a6, %a7 : tensor<2x8x3xf32>, tensor<2x3xf32>, tensor<2x8x3xf32>, tensor<2x8x3xf32>, tensor<2x8x3xf32>, tensor<2x8x3xf32>, tensor<2x8x3xf32>, tensor<2x8x3xf32>, tensor<2x8x3xf32>
}

// -----

// Negative: the product has another user, so nothing fuses.
// CHECK-LABEL: func.func @product_has_other_user
// CHECK: %[[P:.*]] = ds.matmul %arg0, %arg1 :
// CHECK: ds.relu %[[P]]
// CHECK: return %{{.*}}, %[[P]]
func.func @product_has_other_user(%x: tensor<4x4xf32>, %w: tensor<4x4xf32>) -> (tensor<4x4xf32>, tensor<4x4xf32>) {
  %0 = ds.matmul %x, %w : (tensor<4x4xf32>, tensor<4x4xf32>) -> tensor<4x4xf32>
  %1 = ds.relu %0 : tensor<4x4xf32>
  return %1, %0 : tensor<4x4xf32>, tensor<4x4xf32>
}

// -----

// Negative: nothing fuses past an activation: relu(p) + x is not relu(p + x).
// CHECK-LABEL: func.func @add_after_activation
// CHECK: %[[P:.*]] = ds.matmul %arg0, %arg1 {activation = #ds.act<relu>}
// CHECK: ds.add %[[P]], %arg2
func.func @add_after_activation(%x: tensor<4x4xf32>, %w: tensor<4x4xf32>, %r: tensor<4x4xf32>) -> tensor<4x4xf32> {
  %0 = ds.matmul %x, %w {activation = #ds.act<relu>} : (tensor<4x4xf32>, tensor<4x4xf32>) -> tensor<4x4xf32>
  %1 = ds.add %0, %r : (tensor<4x4xf32>, tensor<4x4xf32>) -> tensor<4x4xf32>
  return %1 : tensor<4x4xf32>
}

// -----

// Negative: an Add that broadcasts the product to a larger shape, a conv
// "bias" that varies along a spatial dim, and an activation that is not
// fusible (exp) stay separate.
// CHECK-LABEL: func.func @not_fusible
// CHECK: ds.matmul %arg0, %arg1 :
// CHECK: ds.add
// CHECK: ds.conv %arg3, %{{[0-9]+}} {dilations
// CHECK: ds.add
// CHECK: ds.matmul %arg0, %arg1 :
// CHECK: ds.exp
func.func @not_fusible(%x: tensor<4x4xf32>, %w: tensor<4x4xf32>, %big: tensor<3x4x4xf32>, %img: tensor<1x2x4x4xf32>) -> (tensor<3x4x4xf32>, tensor<1x2x4x4xf32>, tensor<4x4xf32>) {
  %0 = ds.matmul %x, %w : (tensor<4x4xf32>, tensor<4x4xf32>) -> tensor<4x4xf32>
  %1 = ds.add %0, %big : (tensor<4x4xf32>, tensor<3x4x4xf32>) -> tensor<3x4x4xf32>
  %cw = ds.constant dense<1.0> : tensor<2x2x1x1xf32>
  %rowbias = ds.constant dense<[1.0, 2.0, 3.0, 4.0]> : tensor<4xf32>
  %2 = ds.conv %img, %cw {dilations = array<i64: 1, 1>, pads = array<i64: 0, 0, 0, 0>, strides = array<i64: 1, 1>} : (tensor<1x2x4x4xf32>, tensor<2x2x1x1xf32>) -> tensor<1x2x4x4xf32>
  %3 = ds.add %2, %rowbias : (tensor<1x2x4x4xf32>, tensor<4xf32>) -> tensor<1x2x4x4xf32>
  %4 = ds.matmul %x, %w : (tensor<4x4xf32>, tensor<4x4xf32>) -> tensor<4x4xf32>
  %5 = ds.exp %4 : tensor<4x4xf32>
  return %1, %3, %5 : tensor<3x4x4xf32>, tensor<1x2x4x4xf32>, tensor<4x4xf32>
}

// -----

// Negative: integer products (MatMulInteger) take a bias but no activation.
// CHECK-LABEL: func.func @integer_product
// CHECK: %[[P:.*]] = ds.matmul %arg0, %arg1 :
// CHECK: ds.relu %[[P]]
func.func @integer_product(%x: tensor<4x4xi32>, %w: tensor<4x4xi32>) -> tensor<4x4xi32> {
  %0 = ds.matmul %x, %w : (tensor<4x4xi32>, tensor<4x4xi32>) -> tensor<4x4xi32>
  %1 = ds.relu %0 : tensor<4x4xi32>
  return %1 : tensor<4x4xi32>
}
