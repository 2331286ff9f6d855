// Round trip of conv, conv_transpose, batch_norm, gemm and matmul, with and without
// fused epilogues.
// RUN: deepseek-opt %s | deepseek-opt | FileCheck %s
// RUN: deepseek-opt %s --mlir-print-op-generic | deepseek-opt | FileCheck %s

// CHECK-LABEL: func.func @conv_resnet_stem
func.func @conv_resnet_stem(%x: tensor<1x3x224x224xf32>, %w: tensor<64x3x7x7xf32>) -> tensor<1x64x112x112xf32> {
  // CHECK: ds.conv %{{.*}}, %{{.*}} {dilations = array<i64: 1, 1>, pads = array<i64: 3, 3, 3, 3>, strides = array<i64: 2, 2>} : (tensor<1x3x224x224xf32>, tensor<64x3x7x7xf32>) -> tensor<1x64x112x112xf32>
  %0 = ds.conv %x, %w {dilations = array<i64: 1, 1>, pads = array<i64: 3, 3, 3, 3>, strides = array<i64: 2, 2>} : (tensor<1x3x224x224xf32>, tensor<64x3x7x7xf32>) -> tensor<1x64x112x112xf32>
  return %0 : tensor<1x64x112x112xf32>
}

// The fused form: bias, residual add and activation in one op.
// CHECK-LABEL: func.func @conv_fused_epilogue
func.func @conv_fused_epilogue(%x: tensor<1x64x56x56xf32>, %w: tensor<64x64x3x3xf32>, %b: tensor<64xf32>) -> tensor<1x64x56x56xf32> {
  // CHECK: ds.conv %[[X:.*]], %{{.*}} bias %{{.*}} residual %[[X]] {activation = #ds.act<relu>, dilations = array<i64: 1, 1>, pads = array<i64: 1, 1, 1, 1>, strides = array<i64: 1, 1>}
  %0 = ds.conv %x, %w bias %b residual %x {activation = #ds.act<relu>, dilations = array<i64: 1, 1>, pads = array<i64: 1, 1, 1, 1>, strides = array<i64: 1, 1>} : (tensor<1x64x56x56xf32>, tensor<64x64x3x3xf32>, tensor<64xf32>, tensor<1x64x56x56xf32>) -> tensor<1x64x56x56xf32>
  return %0 : tensor<1x64x56x56xf32>
}

// Depthwise (group = channels), dilated, dynamic batch, Relu6 as clip.
// CHECK-LABEL: func.func @conv_depthwise_dilated
func.func @conv_depthwise_dilated(%x: tensor<?x32x28x28xf32>, %w: tensor<32x1x3x3xf32>, %b: tensor<32xf32>) -> tensor<?x32x28x28xf32> {
  // CHECK: ds.conv %{{.*}}, %{{.*}} bias %{{.*}} {activation = #ds.act<clip, min = 0.000000e+00, max = 6.000000e+00>, dilations = array<i64: 2, 2>, group = 32 : i64, pads = array<i64: 2, 2, 2, 2>, strides = array<i64: 1, 1>} : (tensor<?x32x28x28xf32>, tensor<32x1x3x3xf32>, tensor<32xf32>) -> tensor<?x32x28x28xf32>
  %0 = ds.conv %x, %w bias %b {activation = #ds.act<clip, min = 0.0, max = 6.0>, dilations = array<i64: 2, 2>, group = 32 : i64, pads = array<i64: 2, 2, 2, 2>, strides = array<i64: 1, 1>} : (tensor<?x32x28x28xf32>, tensor<32x1x3x3xf32>, tensor<32xf32>) -> tensor<?x32x28x28xf32>
  return %0 : tensor<?x32x28x28xf32>
}

// CHECK-LABEL: func.func @conv_1d
func.func @conv_1d(%x: tensor<1x4x10xf32>, %w: tensor<8x4x3xf32>) -> tensor<1x8x4xf32> {
  // CHECK: ds.conv {{.*}} -> tensor<1x8x4xf32>
  %0 = ds.conv %x, %w {dilations = array<i64: 1>, pads = array<i64: 0, 0>, strides = array<i64: 2>} : (tensor<1x4x10xf32>, tensor<8x4x3xf32>) -> tensor<1x8x4xf32>
  return %0 : tensor<1x8x4xf32>
}

// CHECK-LABEL: func.func @conv_transpose
func.func @conv_transpose(%x: tensor<1x8x4x4xf32>, %w: tensor<8x2x2x2xf32>, %b: tensor<4xf32>) -> tensor<1x4x9x9xf32> {
  // CHECK: ds.conv_transpose %{{.*}}, %{{.*}} bias %{{.*}} {dilations = array<i64: 1, 1>, group = 2 : i64, output_padding = array<i64: 1, 1>, pads = array<i64: 0, 0, 0, 0>, strides = array<i64: 2, 2>} : (tensor<1x8x4x4xf32>, tensor<8x2x2x2xf32>, tensor<4xf32>) -> tensor<1x4x9x9xf32>
  %0 = ds.conv_transpose %x, %w bias %b {dilations = array<i64: 1, 1>, group = 2 : i64, output_padding = array<i64: 1, 1>, pads = array<i64: 0, 0, 0, 0>, strides = array<i64: 2, 2>} : (tensor<1x8x4x4xf32>, tensor<8x2x2x2xf32>, tensor<4xf32>) -> tensor<1x4x9x9xf32>
  return %0 : tensor<1x4x9x9xf32>
}

// CHECK-LABEL: func.func @batch_norm
func.func @batch_norm(%x: tensor<1x64x56x56xf32>, %p: tensor<64xf32>) -> tensor<1x64x56x56xf32> {
  // CHECK: ds.batch_norm %{{.*}}, %{{.*}}, %{{.*}}, %{{.*}}, %{{.*}} {epsilon = 1.000000e-03 : f32} : (tensor<1x64x56x56xf32>, tensor<64xf32>, tensor<64xf32>, tensor<64xf32>, tensor<64xf32>) -> tensor<1x64x56x56xf32>
  %0 = ds.batch_norm %x, %p, %p, %p, %p {epsilon = 1.0e-3 : f32} : (tensor<1x64x56x56xf32>, tensor<64xf32>, tensor<64xf32>, tensor<64xf32>, tensor<64xf32>) -> tensor<1x64x56x56xf32>
  return %0 : tensor<1x64x56x56xf32>
}

// CHECK-LABEL: func.func @gemm_classifier
func.func @gemm_classifier(%x: tensor<1x2048xf32>, %w: tensor<1000x2048xf32>, %b: tensor<1000xf32>) -> tensor<1x1000xf32> {
  // CHECK: ds.gemm %{{.*}}, %{{.*}} bias %{{.*}} {trans_b = true} : (tensor<1x2048xf32>, tensor<1000x2048xf32>, tensor<1000xf32>) -> tensor<1x1000xf32>
  %0 = ds.gemm %x, %w bias %b {trans_b = true} : (tensor<1x2048xf32>, tensor<1000x2048xf32>, tensor<1000xf32>) -> tensor<1x1000xf32>
  return %0 : tensor<1x1000xf32>
}

// CHECK-LABEL: func.func @gemm_all_attributes
func.func @gemm_all_attributes(%a: tensor<4x3xf32>, %b: tensor<5x4xf32>, %c: tensor<3x1xf32>, %r: tensor<3x5xf32>) -> tensor<3x5xf32> {
  // CHECK: ds.gemm %{{.*}}, %{{.*}} bias %{{.*}} residual %{{.*}} {activation = #ds.act<leaky_relu, alpha = 1.000000e-01>, alpha = 5.000000e-01 : f32, beta = 2.000000e+00 : f32, trans_a = true, trans_b = true}
  %0 = ds.gemm %a, %b bias %c residual %r {activation = #ds.act<leaky_relu, alpha = 0.1>, alpha = 0.5 : f32, beta = 2.0 : f32, trans_a = true, trans_b = true} : (tensor<4x3xf32>, tensor<5x4xf32>, tensor<3x1xf32>, tensor<3x5xf32>) -> tensor<3x5xf32>
  return %0 : tensor<3x5xf32>
}

// CHECK-LABEL: func.func @matmul_attention
func.func @matmul_attention(%q: tensor<1x12x128x64xf32>, %k: tensor<1x12x64x128xf32>) -> tensor<1x12x128x128xf32> {
  // CHECK: ds.matmul %{{.*}}, %{{.*}} : (tensor<1x12x128x64xf32>, tensor<1x12x64x128xf32>) -> tensor<1x12x128x128xf32>
  %0 = ds.matmul %q, %k : (tensor<1x12x128x64xf32>, tensor<1x12x64x128xf32>) -> tensor<1x12x128x128xf32>
  return %0 : tensor<1x12x128x128xf32>
}

// CHECK-LABEL: func.func @matmul_fused_gelu
func.func @matmul_fused_gelu(%x: tensor<?x128x768xf32>, %w: tensor<768x3072xf32>, %b: tensor<3072xf32>) -> tensor<?x128x3072xf32> {
  // CHECK: ds.matmul %{{.*}}, %{{.*}} bias %{{.*}} {activation = #ds.act<gelu>} : (tensor<?x128x768xf32>, tensor<768x3072xf32>, tensor<3072xf32>) -> tensor<?x128x3072xf32>
  %0 = ds.matmul %x, %w bias %b {activation = #ds.act<gelu>} : (tensor<?x128x768xf32>, tensor<768x3072xf32>, tensor<3072xf32>) -> tensor<?x128x3072xf32>
  return %0 : tensor<?x128x3072xf32>
}

// CHECK-LABEL: func.func @matmul_vectors
func.func @matmul_vectors(%v: tensor<4xf32>, %m: tensor<4x5xf32>) -> (tensor<5xf32>, tensor<f32>) {
  // CHECK: ds.matmul {{.*}} -> tensor<5xf32>
  %0 = ds.matmul %v, %m : (tensor<4xf32>, tensor<4x5xf32>) -> tensor<5xf32>
  // CHECK: ds.matmul {{.*}} -> tensor<f32>
  %1 = ds.matmul %v, %v : (tensor<4xf32>, tensor<4xf32>) -> tensor<f32>
  return %0, %1 : tensor<5xf32>, tensor<f32>
}

// Every activation kind round-trips with its parameters.
// CHECK-LABEL: func.func @activation_kinds
func.func @activation_kinds(%a: tensor<2x4xf32>, %b: tensor<4x4xf32>) -> tensor<2x4xf32> {
  // CHECK: #ds.act<sigmoid>
  %0 = ds.matmul %a, %b {activation = #ds.act<sigmoid>} : (tensor<2x4xf32>, tensor<4x4xf32>) -> tensor<2x4xf32>
  // CHECK: #ds.act<hard_sigmoid, alpha = 2.000000e-01, beta = 5.000000e-01>
  %1 = ds.matmul %0, %b {activation = #ds.act<hard_sigmoid, alpha = 0.2, beta = 0.5>} : (tensor<2x4xf32>, tensor<4x4xf32>) -> tensor<2x4xf32>
  // CHECK: #ds.act<hard_swish>
  %2 = ds.matmul %1, %b {activation = #ds.act<hard_swish>} : (tensor<2x4xf32>, tensor<4x4xf32>) -> tensor<2x4xf32>
  // CHECK: #ds.act<silu>
  %3 = ds.matmul %2, %b {activation = #ds.act<silu>} : (tensor<2x4xf32>, tensor<4x4xf32>) -> tensor<2x4xf32>
  // CHECK: #ds.act<gelu_tanh>
  %4 = ds.matmul %3, %b {activation = #ds.act<gelu_tanh>} : (tensor<2x4xf32>, tensor<4x4xf32>) -> tensor<2x4xf32>
  // CHECK: #ds.act<tanh>
  %5 = ds.matmul %4, %b {activation = #ds.act<tanh>} : (tensor<2x4xf32>, tensor<4x4xf32>) -> tensor<2x4xf32>
  return %5 : tensor<2x4xf32>
}

// Integer matmul/conv (MatMulInteger / ConvInteger after zero-point correction).
// CHECK-LABEL: func.func @integer_products
func.func @integer_products(%a: tensor<2x4xi32>, %b: tensor<4x3xi32>, %x: tensor<1x2x4x4xi32>, %w: tensor<3x2x1x1xi32>) -> (tensor<2x3xi32>, tensor<1x3x4x4xi32>) {
  // CHECK: ds.matmul %{{.*}}, %{{.*}} : (tensor<2x4xi32>, tensor<4x3xi32>) -> tensor<2x3xi32>
  %0 = ds.matmul %a, %b : (tensor<2x4xi32>, tensor<4x3xi32>) -> tensor<2x3xi32>
  // CHECK: ds.conv {{.*}} -> tensor<1x3x4x4xi32>
  %1 = ds.conv %x, %w {dilations = array<i64: 1, 1>, pads = array<i64: 0, 0, 0, 0>, strides = array<i64: 1, 1>} : (tensor<1x2x4x4xi32>, tensor<3x2x1x1xi32>) -> tensor<1x3x4x4xi32>
  return %0, %1 : tensor<2x3xi32>, tensor<1x3x4x4xi32>
}

// CHECK-LABEL: func.func @conv_3d
func.func @conv_3d(%x: tensor<1x2x8x8x8xf32>, %w: tensor<4x2x3x3x3xf32>) -> tensor<1x4x4x4x4xf32> {
  // CHECK: ds.conv {{.*}} -> tensor<1x4x4x4x4xf32>
  %0 = ds.conv %x, %w {dilations = array<i64: 1, 1, 1>, pads = array<i64: 1, 1, 1, 1, 1, 1>, strides = array<i64: 2, 2, 2>} : (tensor<1x2x8x8x8xf32>, tensor<4x2x3x3x3xf32>) -> tensor<1x4x4x4x4xf32>
  return %0 : tensor<1x4x4x4x4xf32>
}
