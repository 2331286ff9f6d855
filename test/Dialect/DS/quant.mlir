// Round trip of quantize/dequantize/requantize with the upstream quant types.
// RUN: deepseek-opt %s | deepseek-opt | FileCheck %s
// RUN: deepseek-opt %s --mlir-print-op-generic | deepseek-opt | FileCheck %s

// CHECK-LABEL: func.func @per_tensor
func.func @per_tensor(%x: tensor<1x64xf32>) -> tensor<1x64xf32> {
  // CHECK: ds.quantize %{{.*}} : tensor<1x64xf32> -> tensor<1x64x!quant.uniform<i8:f32, 5.000000e-02:-3>>
  %q = ds.quantize %x : tensor<1x64xf32> -> tensor<1x64x!quant.uniform<i8:f32, 0.05:-3>>
  // CHECK: ds.requantize %{{.*}} : tensor<1x64x!quant.uniform<i8:f32, 5.000000e-02:-3>> -> tensor<1x64x!quant.uniform<u8:f32, 1.000000e-01:128>>
  %r = ds.requantize %q : tensor<1x64x!quant.uniform<i8:f32, 0.05:-3>> -> tensor<1x64x!quant.uniform<u8:f32, 0.1:128>>
  // CHECK: ds.dequantize %{{.*}} : tensor<1x64x!quant.uniform<u8:f32, 1.000000e-01:128>> -> tensor<1x64xf32>
  %d = ds.dequantize %r : tensor<1x64x!quant.uniform<u8:f32, 0.1:128>> -> tensor<1x64xf32>
  return %d : tensor<1x64xf32>
}

// Per-output-channel weights, as INT8 convolutions use them.
// CHECK-LABEL: func.func @per_axis_weights
func.func @per_axis_weights(%w: tensor<3x2x!quant.uniform<i8:f32:0, {0.1, 0.2, 0.3}>>) -> tensor<3x2xf32> {
  // CHECK: ds.dequantize %{{.*}} : tensor<3x2x!quant.uniform<i8:f32:0, {1.000000e-01,2.000000e-01,3.000000e-01}>> -> tensor<3x2xf32>
  %0 = ds.dequantize %w : tensor<3x2x!quant.uniform<i8:f32:0, {0.1, 0.2, 0.3}>> -> tensor<3x2xf32>
  return %0 : tensor<3x2xf32>
}

// -----

// CHECK-LABEL: func.func @qconv
// CHECK: ds.qconv %{{.*}}, %{{.*}} bias %{{.*}} residual %{{.*}} {activation = #ds.act<relu>
func.func @qconv(%x: tensor<1x8x8x8x!quant.uniform<u8:f32, 0.02:128>>,
                 %w: tensor<16x8x3x3x!quant.uniform<i8:f32:0, {0.01, 0.01, 0.01, 0.01, 0.01, 0.01, 0.01, 0.01, 0.02, 0.02, 0.02, 0.02, 0.02, 0.02, 0.02, 0.02}>>,
                 %b: tensor<16xf32>, %r: tensor<1x16x8x8xf32>) -> tensor<1x16x8x8xf32> {
  %0 = ds.qconv %x, %w bias %b residual %r {activation = #ds.act<relu>, dilations = array<i64: 1, 1>, pads = array<i64: 1, 1, 1, 1>, strides = array<i64: 1, 1>}
     : (tensor<1x8x8x8x!quant.uniform<u8:f32, 0.02:128>>, tensor<16x8x3x3x!quant.uniform<i8:f32:0, {0.01, 0.01, 0.01, 0.01, 0.01, 0.01, 0.01, 0.01, 0.02, 0.02, 0.02, 0.02, 0.02, 0.02, 0.02, 0.02}>>, tensor<16xf32>, tensor<1x16x8x8xf32>) -> tensor<1x16x8x8xf32>
  return %0 : tensor<1x16x8x8xf32>
}
