// dequantize -> conv of a QDQ model becomes ds.qconv when the operands are
// what integer kernels multiply; everything else stays.
// RUN: deepseek-opt %s --ds-fuse-quantized-convs -split-input-file | FileCheck %s

// u8 input per tensor, symmetric i8 weights per channel: a qconv that keeps
// the conv's bias, residual and activation.
// CHECK-LABEL: func.func @fused
// CHECK-SAME: (%[[X:.*]]: tensor<1x4x8x8x!quant.uniform<u8:f32, 2.000000e-02:128>>, %[[W:.*]]: tensor<{{.*}}>, %[[B:.*]]: tensor<2xf32>, %[[R:.*]]: tensor<1x2x8x8xf32>)
// CHECK: %[[Y:.*]] = ds.qconv %[[X]], %[[W]] bias %[[B]] residual %[[R]] {activation = #ds.act<relu>
// CHECK-NOT: ds.conv
// CHECK: return %[[Y]]
func.func @fused(%x: tensor<1x4x8x8x!quant.uniform<u8:f32, 0.02:128>>, %w: tensor<2x4x3x3x!quant.uniform<i8:f32:0, {0.1, 0.2}>>, %b: tensor<2xf32>, %r: tensor<1x2x8x8xf32>) -> tensor<1x2x8x8xf32> {
  %xd = ds.dequantize %x : tensor<1x4x8x8x!quant.uniform<u8:f32, 0.02:128>> -> tensor<1x4x8x8xf32>
  %wd = ds.dequantize %w : tensor<2x4x3x3x!quant.uniform<i8:f32:0, {0.1, 0.2}>> -> tensor<2x4x3x3xf32>
  %y = ds.conv %xd, %wd bias %b residual %r {activation = #ds.act<relu>, dilations = array<i64: 1, 1>, pads = array<i64: 1, 1, 1, 1>, strides = array<i64: 1, 1>} : (tensor<1x4x8x8xf32>, tensor<2x4x3x3xf32>, tensor<2xf32>, tensor<1x2x8x8xf32>) -> tensor<1x2x8x8xf32>
  return %y : tensor<1x2x8x8xf32>
}

// -----

// A float input (not dequantized) stays a float conv.
// CHECK-LABEL: func.func @float_input
// CHECK-NOT: ds.qconv
// CHECK: ds.conv
func.func @float_input(%x: tensor<1x4x8x8xf32>, %w: tensor<2x4x3x3x!quant.uniform<i8:f32, 0.1>>) -> tensor<1x2x6x6xf32> {
  %wd = ds.dequantize %w : tensor<2x4x3x3x!quant.uniform<i8:f32, 0.1>> -> tensor<2x4x3x3xf32>
  %y = ds.conv %x, %wd {dilations = array<i64: 1, 1>, pads = array<i64: 0, 0, 0, 0>, strides = array<i64: 1, 1>} : (tensor<1x4x8x8xf32>, tensor<2x4x3x3xf32>) -> tensor<1x2x6x6xf32>
  return %y : tensor<1x2x6x6xf32>
}

// -----

// Signed activations (armv8's s8 x s8) and asymmetric weights have no
// u8 x s8 kernel: they stay.
// CHECK-LABEL: func.func @signed_input
// CHECK-NOT: ds.qconv
func.func @signed_input(%x: tensor<1x4x8x8x!quant.uniform<i8:f32, 0.02>>, %w: tensor<2x4x3x3x!quant.uniform<i8:f32, 0.1>>) -> tensor<1x2x6x6xf32> {
  %xd = ds.dequantize %x : tensor<1x4x8x8x!quant.uniform<i8:f32, 0.02>> -> tensor<1x4x8x8xf32>
  %wd = ds.dequantize %w : tensor<2x4x3x3x!quant.uniform<i8:f32, 0.1>> -> tensor<2x4x3x3xf32>
  %y = ds.conv %xd, %wd {dilations = array<i64: 1, 1>, pads = array<i64: 0, 0, 0, 0>, strides = array<i64: 1, 1>} : (tensor<1x4x8x8xf32>, tensor<2x4x3x3xf32>) -> tensor<1x2x6x6xf32>
  return %y : tensor<1x2x6x6xf32>
}

// CHECK-LABEL: func.func @asymmetric_weights
// CHECK-NOT: ds.qconv
func.func @asymmetric_weights(%x: tensor<1x4x8x8x!quant.uniform<u8:f32, 0.02:128>>, %w: tensor<2x4x3x3x!quant.uniform<i8:f32, 0.1:5>>) -> tensor<1x2x6x6xf32> {
  %xd = ds.dequantize %x : tensor<1x4x8x8x!quant.uniform<u8:f32, 0.02:128>> -> tensor<1x4x8x8xf32>
  %wd = ds.dequantize %w : tensor<2x4x3x3x!quant.uniform<i8:f32, 0.1:5>> -> tensor<2x4x3x3xf32>
  %y = ds.conv %xd, %wd {dilations = array<i64: 1, 1>, pads = array<i64: 0, 0, 0, 0>, strides = array<i64: 1, 1>} : (tensor<1x4x8x8xf32>, tensor<2x4x3x3xf32>) -> tensor<1x2x6x6xf32>
  return %y : tensor<1x2x6x6xf32>
}

// -----

// A depthwise (grouped) convolution stays.
// CHECK-LABEL: func.func @grouped
// CHECK-NOT: ds.qconv
func.func @grouped(%x: tensor<1x4x8x8x!quant.uniform<u8:f32, 0.02:128>>, %w: tensor<4x1x3x3x!quant.uniform<i8:f32, 0.1>>) -> tensor<1x4x6x6xf32> {
  %xd = ds.dequantize %x : tensor<1x4x8x8x!quant.uniform<u8:f32, 0.02:128>> -> tensor<1x4x8x8xf32>
  %wd = ds.dequantize %w : tensor<4x1x3x3x!quant.uniform<i8:f32, 0.1>> -> tensor<4x1x3x3xf32>
  %y = ds.conv %xd, %wd {dilations = array<i64: 1, 1>, group = 4 : i64, pads = array<i64: 0, 0, 0, 0>, strides = array<i64: 1, 1>} : (tensor<1x4x8x8xf32>, tensor<4x1x3x3xf32>) -> tensor<1x4x6x6xf32>
  return %y : tensor<1x4x6x6xf32>
}
