// Round trip of the pooling ops.
// RUN: deepseek-opt %s | deepseek-opt | FileCheck %s
// RUN: deepseek-opt %s --mlir-print-op-generic | deepseek-opt | FileCheck %s

// CHECK-LABEL: func.func @max_pool_resnet
func.func @max_pool_resnet(%x: tensor<1x64x112x112xf32>) -> tensor<1x64x56x56xf32> {
  // CHECK: ds.max_pool %{{.*}} {dilations = array<i64: 1, 1>, kernel_shape = array<i64: 3, 3>, pads = array<i64: 1, 1, 1, 1>, strides = array<i64: 2, 2>} : (tensor<1x64x112x112xf32>) -> tensor<1x64x56x56xf32>
  %0 = ds.max_pool %x {dilations = array<i64: 1, 1>, kernel_shape = array<i64: 3, 3>, pads = array<i64: 1, 1, 1, 1>, strides = array<i64: 2, 2>} : (tensor<1x64x112x112xf32>) -> tensor<1x64x56x56xf32>
  return %0 : tensor<1x64x56x56xf32>
}

// SqueezeNet pools with ceil_mode: a 3x3/2 window over 14 gives 6 with floor, 7 with ceil.
// CHECK-LABEL: func.func @max_pool_ceil
func.func @max_pool_ceil(%x: tensor<1x8x14x14xf32>) -> tensor<1x8x7x7xf32> {
  // CHECK: ds.max_pool %{{.*}} {ceil_mode = true, {{.*}}} : (tensor<1x8x14x14xf32>) -> tensor<1x8x7x7xf32>
  %0 = ds.max_pool %x {ceil_mode = true, dilations = array<i64: 1, 1>, kernel_shape = array<i64: 3, 3>, pads = array<i64: 0, 0, 0, 0>, strides = array<i64: 2, 2>} : (tensor<1x8x14x14xf32>) -> tensor<1x8x7x7xf32>
  return %0 : tensor<1x8x7x7xf32>
}

// CHECK-LABEL: func.func @average_pool
func.func @average_pool(%x: tensor<1x8x5x5xf32>) -> tensor<1x8x3x3xf32> {
  // CHECK: ds.average_pool %{{.*}} {count_include_pad = true, kernel_shape = array<i64: 3, 3>, pads = array<i64: 1, 1, 1, 1>, strides = array<i64: 2, 2>} : (tensor<1x8x5x5xf32>) -> tensor<1x8x3x3xf32>
  %0 = ds.average_pool %x {count_include_pad = true, kernel_shape = array<i64: 3, 3>, pads = array<i64: 1, 1, 1, 1>, strides = array<i64: 2, 2>} : (tensor<1x8x5x5xf32>) -> tensor<1x8x3x3xf32>
  return %0 : tensor<1x8x3x3xf32>
}

// CHECK-LABEL: func.func @global_pools
func.func @global_pools(%x: tensor<?x2048x7x7xf32>) -> (tensor<?x2048x1x1xf32>, tensor<?x2048x1x1xf32>) {
  // CHECK: ds.global_average_pool %{{.*}} : (tensor<?x2048x7x7xf32>) -> tensor<?x2048x1x1xf32>
  %0 = ds.global_average_pool %x : (tensor<?x2048x7x7xf32>) -> tensor<?x2048x1x1xf32>
  // CHECK: ds.global_max_pool %{{.*}} : (tensor<?x2048x7x7xf32>) -> tensor<?x2048x1x1xf32>
  %1 = ds.global_max_pool %x : (tensor<?x2048x7x7xf32>) -> tensor<?x2048x1x1xf32>
  return %0, %1 : tensor<?x2048x1x1xf32>, tensor<?x2048x1x1xf32>
}

// A tensor quantized per tensor pools as itself (its storage, when lowered).
// CHECK-LABEL: func.func @max_pool_quantized
// CHECK: ds.max_pool %{{.*}} : (tensor<1x2x4x4x!quant.uniform<u8:f32, 1.000000e-01:128>>) -> tensor<1x2x2x2x!quant.uniform<u8:f32, 1.000000e-01:128>>
func.func @max_pool_quantized(%x: tensor<1x2x4x4x!quant.uniform<u8:f32, 0.1:128>>) -> tensor<1x2x2x2x!quant.uniform<u8:f32, 0.1:128>> {
  %0 = ds.max_pool %x {dilations = array<i64: 1, 1>, kernel_shape = array<i64: 2, 2>, pads = array<i64: 0, 0, 0, 0>, strides = array<i64: 2, 2>} : (tensor<1x2x4x4x!quant.uniform<u8:f32, 0.1:128>>) -> tensor<1x2x2x2x!quant.uniform<u8:f32, 0.1:128>>
  return %0 : tensor<1x2x2x2x!quant.uniform<u8:f32, 0.1:128>>
}
