// Invalid pooling IR.
// RUN: deepseek-opt %s -split-input-file -verify-diagnostics

func.func @max_pool_kernel_rank(%x: tensor<1x8x8x8xf32>) -> tensor<1x8x4x4xf32> {
  // expected-error @+2 {{'ds.max_pool' op expected 2 kernel_shape values, got 1}}
  // expected-error @+1 {{failed to infer returned types}}
  %0 = ds.max_pool %x {dilations = array<i64: 1, 1>, kernel_shape = array<i64: 2>, pads = array<i64: 0, 0, 0, 0>, strides = array<i64: 2, 2>} : (tensor<1x8x8x8xf32>) -> tensor<1x8x4x4xf32>
  return %0 : tensor<1x8x4x4xf32>
}

// -----

func.func @max_pool_wrong_result(%x: tensor<1x8x8x8xf32>) -> tensor<1x8x3x3xf32> {
  // expected-error @+2 {{'ds.max_pool' op inferred type(s) 'tensor<1x8x4x4xf32>' are incompatible with return type(s) of operation 'tensor<1x8x3x3xf32>'}}
  // expected-error @+1 {{failed to infer returned types}}
  %0 = ds.max_pool %x {dilations = array<i64: 1, 1>, kernel_shape = array<i64: 2, 2>, pads = array<i64: 0, 0, 0, 0>, strides = array<i64: 2, 2>} : (tensor<1x8x8x8xf32>) -> tensor<1x8x3x3xf32>
  return %0 : tensor<1x8x3x3xf32>
}

// -----

func.func @average_pool_rank(%x: tensor<8x8xf32>) -> tensor<8x4xf32> {
  // expected-error @+2 {{'ds.average_pool' op expected input of rank >= 3 (N x C x spatial...), got rank 2}}
  // expected-error @+1 {{failed to infer returned types}}
  %0 = ds.average_pool %x {kernel_shape = array<i64: 2>, pads = array<i64: 0, 0>, strides = array<i64: 2>} : (tensor<8x8xf32>) -> tensor<8x4xf32>
  return %0 : tensor<8x4xf32>
}

// -----

func.func @average_pool_zero_stride(%x: tensor<1x8x8x8xf32>) -> tensor<1x8x4x4xf32> {
  // expected-error @+2 {{'ds.average_pool' op expected positive strides, got [0, 2]}}
  // expected-error @+1 {{failed to infer returned types}}
  %0 = ds.average_pool %x {kernel_shape = array<i64: 2, 2>, pads = array<i64: 0, 0, 0, 0>, strides = array<i64: 0, 2>} : (tensor<1x8x8x8xf32>) -> tensor<1x8x4x4xf32>
  return %0 : tensor<1x8x4x4xf32>
}

// -----

func.func @global_average_pool_rank(%x: tensor<1x8xf32>) -> tensor<1x8xf32> {
  // expected-error @+2 {{'ds.global_average_pool' op expected input of rank >= 3 (N x C x spatial...), got rank 2}}
  // expected-error @+1 {{failed to infer returned types}}
  %0 = ds.global_average_pool %x : (tensor<1x8xf32>) -> tensor<1x8xf32>
  return %0 : tensor<1x8xf32>
}

// -----

func.func @global_max_pool_keeps_spatial(%x: tensor<1x8x7x7xf32>) -> tensor<1x8xf32> {
  // expected-error @+2 {{'ds.global_max_pool' op inferred type(s) 'tensor<1x8x1x1xf32>' are incompatible with return type(s) of operation 'tensor<1x8xf32>'}}
  // expected-error @+1 {{failed to infer returned types}}
  %0 = ds.global_max_pool %x : (tensor<1x8x7x7xf32>) -> tensor<1x8xf32>
  return %0 : tensor<1x8xf32>
}

// -----

// A quantized max pool keeps its input's quantized type.
func.func @max_pool_quantized_to_float(%x: tensor<1x2x4x4x!quant.uniform<u8:f32, 0.1:128>>) -> tensor<1x2x2x2xf32> {
  // expected-error @+2 {{'ds.max_pool' op failed to infer returned types}}
  // expected-error @+1 {{'ds.max_pool' op inferred type(s) 'tensor<1x2x2x2x!quant.uniform<u8:f32, 1.000000e-01:128>>' are incompatible with return type(s) of operation 'tensor<1x2x2x2xf32>'}}
  %0 = ds.max_pool %x {dilations = array<i64: 1, 1>, kernel_shape = array<i64: 2, 2>, pads = array<i64: 0, 0, 0, 0>, strides = array<i64: 2, 2>} : (tensor<1x2x4x4x!quant.uniform<u8:f32, 0.1:128>>) -> tensor<1x2x2x2xf32>
  return %0 : tensor<1x2x2x2xf32>
}
