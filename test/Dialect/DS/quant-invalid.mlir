// Invalid quantization IR.
// RUN: deepseek-opt %s -split-input-file -verify-diagnostics

func.func @quantize_shape(%x: tensor<4xf32>) -> tensor<5x!quant.uniform<i8:f32, 0.1>> {
  // expected-error @+1 {{'ds.quantize' op expected input and result of the same shape}}
  %0 = ds.quantize %x : tensor<4xf32> -> tensor<5x!quant.uniform<i8:f32, 0.1>>
  return %0 : tensor<5x!quant.uniform<i8:f32, 0.1>>
}

// -----

func.func @quantize_expressed_type(%x: tensor<4xf16>) -> tensor<4x!quant.uniform<i8:f32, 0.1>> {
  // expected-error @+1 {{'ds.quantize' op expected the quantized type to express 'f16', got '!quant.uniform<i8:f32, 1.000000e-01>'}}
  %0 = ds.quantize %x : tensor<4xf16> -> tensor<4x!quant.uniform<i8:f32, 0.1>>
  return %0 : tensor<4x!quant.uniform<i8:f32, 0.1>>
}

// -----

func.func @quantize_to_plain_integers(%x: tensor<4xf32>) -> tensor<4xi8> {
  // expected-error @+1 {{'ds.quantize' op result #0 must be ranked tensor of quantized type values}}
  %0 = ds.quantize %x : tensor<4xf32> -> tensor<4xi8>
  return %0 : tensor<4xi8>
}

// -----

func.func @dequantize_per_axis_count(%w: tensor<4x2x!quant.uniform<i8:f32:0, {0.1, 0.2, 0.3}>>) -> tensor<4x2xf32> {
  // expected-error @+1 {{'ds.dequantize' op expected 4 per-axis scales for dimension 0, got 3}}
  %0 = ds.dequantize %w : tensor<4x2x!quant.uniform<i8:f32:0, {0.1, 0.2, 0.3}>> -> tensor<4x2xf32>
  return %0 : tensor<4x2xf32>
}

// -----

func.func @dequantize_per_axis_rank(%w: tensor<3x!quant.uniform<i8:f32:1, {0.1, 0.2, 0.3}>>) -> tensor<3xf32> {
  // expected-error @+1 {{'ds.dequantize' op per-axis quantization along dimension 1 of a rank 1 tensor}}
  %0 = ds.dequantize %w : tensor<3x!quant.uniform<i8:f32:1, {0.1, 0.2, 0.3}>> -> tensor<3xf32>
  return %0 : tensor<3xf32>
}

// -----

func.func @requantize_shape(%q: tensor<4x!quant.uniform<i32:f32, 0.001>>) -> tensor<2x!quant.uniform<i8:f32, 0.1>> {
  // expected-error @+1 {{'ds.requantize' op expected input and result of the same shape}}
  %0 = ds.requantize %q : tensor<4x!quant.uniform<i32:f32, 0.001>> -> tensor<2x!quant.uniform<i8:f32, 0.1>>
  return %0 : tensor<2x!quant.uniform<i8:f32, 0.1>>
}

// -----

func.func @qconv_wide_input(%x: tensor<1x8x8x8x!quant.uniform<i16:f32, 0.02>>, %w: tensor<16x8x3x3x!quant.uniform<i8:f32, 0.01>>) -> tensor<1x16x8x8xf32> {
  // expected-error @+1 {{'ds.qconv' op expected an input quantized per tensor to u8 or i8}}
  %0 = ds.qconv %x, %w {dilations = array<i64: 1, 1>, pads = array<i64: 1, 1, 1, 1>, strides = array<i64: 1, 1>} : (tensor<1x8x8x8x!quant.uniform<i16:f32, 0.02>>, tensor<16x8x3x3x!quant.uniform<i8:f32, 0.01>>) -> tensor<1x16x8x8xf32>
  return %0 : tensor<1x16x8x8xf32>
}

// -----

func.func @qconv_asymmetric_weights(%x: tensor<1x8x8x8x!quant.uniform<u8:f32, 0.02:128>>, %w: tensor<16x8x3x3x!quant.uniform<i8:f32, 0.01:3>>) -> tensor<1x16x8x8xf32> {
  // expected-error @+1 {{'ds.qconv' op expected symmetric weights (zero point 0)}}
  %0 = ds.qconv %x, %w {dilations = array<i64: 1, 1>, pads = array<i64: 1, 1, 1, 1>, strides = array<i64: 1, 1>} : (tensor<1x8x8x8x!quant.uniform<u8:f32, 0.02:128>>, tensor<16x8x3x3x!quant.uniform<i8:f32, 0.01:3>>) -> tensor<1x16x8x8xf32>
  return %0 : tensor<1x16x8x8xf32>
}

// -----

func.func @qconv_shape(%x: tensor<1x8x8x8x!quant.uniform<u8:f32, 0.02:128>>, %w: tensor<16x8x3x3x!quant.uniform<i8:f32, 0.01>>) -> tensor<1x16x6x6xf32> {
  // expected-error @+1 {{'ds.qconv' op expected result shape [1, 16, 8, 8], got [1, 16, 6, 6]}}
  %0 = ds.qconv %x, %w {dilations = array<i64: 1, 1>, pads = array<i64: 1, 1, 1, 1>, strides = array<i64: 1, 1>} : (tensor<1x8x8x8x!quant.uniform<u8:f32, 0.02:128>>, tensor<16x8x3x3x!quant.uniform<i8:f32, 0.01>>) -> tensor<1x16x6x6xf32>
  return %0 : tensor<1x16x6x6xf32>
}
