// Windowed pooling: one generic over (n, c, out..., window...) on the padded
// input; average pooling divides by a per-position count.
// RUN: deepseek-opt %s --convert-ds-to-linalg -split-input-file | FileCheck %s

// CHECK-DAG: #[[IN:.*]] = affine_map<(d0, d1, d2, d3, d4, d5) -> (d0, d1, d2 * 2 + d4, d3 * 2 + d5)>
// CHECK-DAG: #[[WIN:.*]] = affine_map<(d0, d1, d2, d3, d4, d5) -> (d4, d5)>
// CHECK-LABEL: func.func @max_pool_padded
// CHECK: %[[NEG:.*]] = arith.constant 0xFF800000 : f32
// CHECK: tensor.pad %{{.*}} low[0, 0, 1, 1] high[0, 0, 0, 0]
// CHECK: tensor.yield %[[NEG]]
// CHECK: %[[W:.*]] = tensor.empty() : tensor<3x3xi1>
// CHECK: linalg.generic {indexing_maps = [#[[IN]], #[[WIN]], #{{.*}}], iterator_types = ["parallel", "parallel", "parallel", "parallel", "reduction", "reduction"]}
// CHECK: arith.maximumf
func.func @max_pool_padded(%x: tensor<1x2x6x6xf32>) -> tensor<1x2x3x3xf32> {
  %0 = ds.max_pool %x {kernel_shape = array<i64: 3, 3>, strides = array<i64: 2, 2>, pads = array<i64: 1, 1, 1, 1>, dilations = array<i64: 1, 1>} : (tensor<1x2x6x6xf32>) -> tensor<1x2x3x3xf32>
  return %0 : tensor<1x2x3x3xf32>
}

// -----

// count_include_pad = false: the divisor counts only the input positions.
// CHECK-LABEL: func.func @average_pool
// CHECK: linalg.generic
// CHECK: arith.addf
// CHECK: linalg.generic
// CHECK: linalg.index 2
// CHECK: arith.maxsi
// CHECK: arith.minsi
// CHECK: arith.sitofp
// CHECK: arith.divf
func.func @average_pool(%x: tensor<1x1x4x4xf32>) -> tensor<1x1x2x2xf32> {
  %0 = ds.average_pool %x {kernel_shape = array<i64: 3, 3>, strides = array<i64: 2, 2>, pads = array<i64: 1, 1, 0, 0>} : (tensor<1x1x4x4xf32>) -> tensor<1x1x2x2xf32>
  return %0 : tensor<1x1x2x2xf32>
}

// -----

// CHECK-LABEL: func.func @global_average_pool
// CHECK: linalg.generic {{.*}} iterator_types = ["parallel", "parallel", "reduction", "reduction"]
// CHECK: arith.divf
// CHECK: tensor.expand_shape
func.func @global_average_pool(%x: tensor<1x8x7x7xf32>) -> tensor<1x8x1x1xf32> {
  %0 = ds.global_average_pool %x : (tensor<1x8x7x7xf32>) -> tensor<1x8x1x1xf32>
  return %0 : tensor<1x8x1x1xf32>
}

// -----

// A quantized max pool pools the integer storage: u8 compares unsigned and
// pads with 0 (the lowest u8), s8 compares signed and pads with -128.
// CHECK-LABEL: func.func @max_pool_quantized
// CHECK-DAG: %[[Z:.*]] = arith.constant 0 : i8
// CHECK-DAG: %[[LOW:.*]] = arith.constant -128 : i8
// CHECK: tensor.pad %{{.*}} low[0, 0, 1, 1]
// CHECK: tensor.yield %[[Z]] : i8
// CHECK: linalg.generic
// CHECK: arith.maxui %{{.*}} : i8
// CHECK: tensor.pad %{{.*}} low[0, 0, 1, 1]
// CHECK: tensor.yield %[[LOW]] : i8
// CHECK: linalg.generic
// CHECK: arith.maxsi %{{.*}} : i8
// CHECK-NOT: maximumf
func.func @max_pool_quantized(%x: tensor<1x2x4x4xf32>) -> (tensor<1x2x2x2xf32>, tensor<1x2x2x2xf32>) {
  %u = ds.quantize %x : tensor<1x2x4x4xf32> -> tensor<1x2x4x4x!quant.uniform<u8:f32, 0.1:128>>
  %pu = ds.max_pool %u {dilations = array<i64: 1, 1>, kernel_shape = array<i64: 3, 3>, pads = array<i64: 1, 1, 1, 1>, strides = array<i64: 2, 2>} : (tensor<1x2x4x4x!quant.uniform<u8:f32, 0.1:128>>) -> tensor<1x2x2x2x!quant.uniform<u8:f32, 0.1:128>>
  %du = ds.dequantize %pu : tensor<1x2x2x2x!quant.uniform<u8:f32, 0.1:128>> -> tensor<1x2x2x2xf32>
  %s = ds.quantize %x : tensor<1x2x4x4xf32> -> tensor<1x2x4x4x!quant.uniform<i8:f32, 0.1>>
  %ps = ds.max_pool %s {dilations = array<i64: 1, 1>, kernel_shape = array<i64: 3, 3>, pads = array<i64: 1, 1, 1, 1>, strides = array<i64: 2, 2>} : (tensor<1x2x4x4x!quant.uniform<i8:f32, 0.1>>) -> tensor<1x2x2x2x!quant.uniform<i8:f32, 0.1>>
  %ds = ds.dequantize %ps : tensor<1x2x2x2x!quant.uniform<i8:f32, 0.1>> -> tensor<1x2x2x2xf32>
  return %du, %ds : tensor<1x2x2x2xf32>, tensor<1x2x2x2xf32>
}
