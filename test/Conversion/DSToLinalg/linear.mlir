// Contractions: named linalg ops where one fits exactly, linalg.generic
// otherwise; the fused epilogue is one elementwise generic after it.
// RUN: deepseek-opt %s --convert-ds-to-linalg -split-input-file | FileCheck %s

// f32, one group, at least 16 output positions: im2col and a matmul-like
// generic (register-tiled later), then the epilogue.
// CHECK-DAG: #[[PATCH:.*]] = affine_map<(d0, d1, d2, d3, d4, d5) -> (d0, d1, d4 * 2 + d2, d5 * 2 + d3)>
// CHECK-DAG: #[[W:.*]] = affine_map<(d0, d1, d2, d3) -> (d1, d3)>
// CHECK-DAG: #[[COLS:.*]] = affine_map<(d0, d1, d2, d3) -> (d0, d3, d2)>
// CHECK-LABEL: func.func @conv_bias_relu
// CHECK: %[[P:.*]] = tensor.pad %{{.*}} low[0, 0, 1, 1] high[0, 0, 1, 1]
// CHECK: linalg.generic {indexing_maps = [#[[PATCH]], #{{.*}}], {{.*}} ins(%[[P]] : tensor<1x3x10x10xf32>) outs(%{{.*}} : tensor<1x3x3x3x4x4xf32>)
// CHECK: linalg.generic {indexing_maps = [#[[W]], #[[COLS]], #{{.*}}], iterator_types = ["parallel", "parallel", "parallel", "reduction"]} ins(%{{.*}}, %{{.*}} : tensor<8x27xf32>, tensor<1x27x16xf32>)
// CHECK: arith.addf
// CHECK: arith.maximumf
func.func @conv_bias_relu(%x: tensor<1x3x8x8xf32>, %w: tensor<8x3x3x3xf32>, %b: tensor<8xf32>) -> tensor<1x8x4x4xf32> {
  %0 = ds.conv %x, %w bias %b {strides = array<i64: 2, 2>, pads = array<i64: 1, 1, 1, 1>, dilations = array<i64: 1, 1>, activation = #ds.act<relu>} : (tensor<1x3x8x8xf32>, tensor<8x3x3x3xf32>, tensor<8xf32>) -> tensor<1x8x4x4xf32>
  return %0 : tensor<1x8x4x4xf32>
}

// -----

// Fewer than 16 output positions: the named convolution.
// CHECK-LABEL: func.func @conv_small
// CHECK: linalg.conv_2d_nchw_fchw {dilations = dense<1> : tensor<2xi64>, strides = dense<1> : tensor<2xi64>} ins(%{{.*}}, %{{.*}} : tensor<1x3x5x5xf32>, tensor<8x3x3x3xf32>)
func.func @conv_small(%x: tensor<1x3x5x5xf32>, %w: tensor<8x3x3x3xf32>) -> tensor<1x8x3x3xf32> {
  %0 = ds.conv %x, %w {strides = array<i64: 1, 1>, pads = array<i64: 0, 0, 0, 0>, dilations = array<i64: 1, 1>} : (tensor<1x3x5x5xf32>, tensor<8x3x3x3xf32>) -> tensor<1x8x3x3xf32>
  return %0 : tensor<1x8x3x3xf32>
}

// -----

// A 1x1 stride-1 convolution needs no patch copy; 7x7 = 49 positions get 15
// zero columns (whole 16-wide tiles) and the product's first 49 are the result.
// CHECK-LABEL: func.func @pointwise
// CHECK-NOT: tensor<1x16x1x1x7x7xf32>
// CHECK: %[[P:.*]] = tensor.pad %{{.*}} low[0, 0, 0] high[0, 0, 15]
// CHECK: } : tensor<1x16x49xf32> to tensor<1x16x64xf32>
// CHECK: %[[PROD:.*]] = linalg.generic {{.*}} ins(%{{.*}}, %[[P]] : tensor<32x16xf32>, tensor<1x16x64xf32>)
// CHECK: tensor.extract_slice %[[PROD]][0, 0, 0] [1, 32, 49] [1, 1, 1] : tensor<1x32x64xf32> to tensor<1x32x49xf32>
// CHECK-NOT: linalg.generic
func.func @pointwise(%x: tensor<1x16x7x7xf32>, %w: tensor<32x16x1x1xf32>) -> tensor<1x32x7x7xf32> {
  %0 = ds.conv %x, %w {strides = array<i64: 1, 1>, pads = array<i64: 0, 0, 0, 0>, dilations = array<i64: 1, 1>} : (tensor<1x16x7x7xf32>, tensor<32x16x1x1xf32>) -> tensor<1x32x7x7xf32>
  return %0 : tensor<1x32x7x7xf32>
}

// -----

// A depthwise f32 convolution is one elementwise kernel: the sum over the 9
// taps of a shifted view of the input times the tap's per-channel weight.
// CHECK-LABEL: func.func @depthwise
// CHECK: %[[T0:.*]] = tensor.extract_slice %[[X:.*]][0, 0, 0, 0] [1, 4, 3, 3] [1, 1, 1, 1] : tensor<1x4x5x5xf32> to tensor<1x4x3x3xf32>
// CHECK: tensor.extract_slice %{{.*}}[0, 0, 0, 0] [4, 1, 1, 1] [1, 1, 1, 1] : tensor<4x1x3x3xf32> to tensor<4x1x1x1xf32>
// CHECK: %[[T8:.*]] = tensor.extract_slice %[[X]][0, 0, 2, 2] [1, 4, 3, 3] [1, 1, 1, 1]
// CHECK: linalg.generic {{.*}} iterator_types = ["parallel", "parallel", "parallel", "parallel"]} ins(%[[T0]], %{{.*}}, %[[T8]], %{{.*}} : {{.*}}) outs(
// CHECK-COUNT-9: arith.mulf {{.*}} fastmath<contract>
// CHECK-NOT: linalg.depthwise_conv_2d_nchw_chw
func.func @depthwise(%x: tensor<1x4x5x5xf32>, %w: tensor<4x1x3x3xf32>) -> tensor<1x4x3x3xf32> {
  %0 = ds.conv %x, %w {strides = array<i64: 1, 1>, pads = array<i64: 0, 0, 0, 0>, dilations = array<i64: 1, 1>, group = 4 : i64} : (tensor<1x4x5x5xf32>, tensor<4x1x3x3xf32>) -> tensor<1x4x3x3xf32>
  return %0 : tensor<1x4x3x3xf32>
}

// -----

// Stride 2: each tap is a strided view.
// CHECK-LABEL: func.func @depthwise_stride2
// CHECK: tensor.extract_slice %{{.*}}[0, 0, 1, 2] [1, 4, 2, 2] [1, 1, 2, 2] : tensor<1x4x5x5xf32> to tensor<1x4x2x2xf32>
// CHECK: linalg.generic
func.func @depthwise_stride2(%x: tensor<1x4x5x5xf32>, %w: tensor<4x1x3x3xf32>) -> tensor<1x4x2x2xf32> {
  %0 = ds.conv %x, %w {strides = array<i64: 2, 2>, pads = array<i64: 0, 0, 0, 0>, dilations = array<i64: 1, 1>, group = 4 : i64} : (tensor<1x4x5x5xf32>, tensor<4x1x3x3xf32>) -> tensor<1x4x2x2xf32>
  return %0 : tensor<1x4x2x2xf32>
}

// -----

// Two groups: a generic over (n, g, f, oh, ow, c, kh, kw) on group-expanded views.
// CHECK-DAG: #[[IN:.*]] = affine_map<(d0, d1, d2, d3, d4, d5, d6, d7) -> (d0, d1, d5, d3 + d6, d4 + d7)>
// CHECK-DAG: #[[W:.*]] = affine_map<(d0, d1, d2, d3, d4, d5, d6, d7) -> (d1, d2, d5, d6, d7)>
// CHECK-LABEL: func.func @grouped
// CHECK: tensor.expand_shape %{{.*}} output_shape [1, 2, 2, 5, 5]
// CHECK: linalg.generic {indexing_maps = [#[[IN]], #[[W]], #{{.*}}], iterator_types = ["parallel", "parallel", "parallel", "parallel", "parallel", "reduction", "reduction", "reduction"]}
func.func @grouped(%x: tensor<1x4x5x5xf32>, %w: tensor<6x2x3x3xf32>) -> tensor<1x6x3x3xf32> {
  %0 = ds.conv %x, %w {strides = array<i64: 1, 1>, pads = array<i64: 0, 0, 0, 0>, dilations = array<i64: 1, 1>, group = 2 : i64} : (tensor<1x4x5x5xf32>, tensor<6x2x3x3xf32>) -> tensor<1x6x3x3xf32>
  return %0 : tensor<1x6x3x3xf32>
}

// -----

// trans_b reads B as (n, k) in the map: no transpose is materialized.
// CHECK-DAG: #[[A:.*]] = affine_map<(d0, d1, d2) -> (d0, d2)>
// CHECK-DAG: #[[B:.*]] = affine_map<(d0, d1, d2) -> (d1, d2)>
// CHECK-LABEL: func.func @gemm_trans_b
// CHECK-NOT: linalg.transpose
// CHECK: linalg.generic {indexing_maps = [#[[A]], #[[B]], #{{.*}}], iterator_types = ["parallel", "parallel", "reduction"]}
// CHECK: arith.mulf
// CHECK: arith.addf
func.func @gemm_trans_b(%a: tensor<2x8xf32>, %b: tensor<10x8xf32>, %c: tensor<10xf32>) -> tensor<2x10xf32> {
  %0 = ds.gemm %a, %b bias %c {trans_b = true} : (tensor<2x8xf32>, tensor<10x8xf32>, tensor<10xf32>) -> tensor<2x10xf32>
  return %0 : tensor<2x10xf32>
}

// -----

// A batch of 1 on the right broadcasts through a constant index.
// CHECK-DAG: #[[L:.*]] = affine_map<(d0, d1, d2, d3) -> (d0, d1, d3)>
// CHECK-DAG: #[[R:.*]] = affine_map<(d0, d1, d2, d3) -> (0, d3, d2)>
// CHECK-LABEL: func.func @batch_matmul_broadcast
// CHECK: linalg.generic {indexing_maps = [#[[L]], #[[R]], #{{.*}}]
func.func @batch_matmul_broadcast(%a: tensor<4x2x3xf32>, %b: tensor<1x3x5xf32>) -> tensor<4x2x5xf32> {
  %0 = ds.matmul %a, %b : (tensor<4x2x3xf32>, tensor<1x3x5xf32>) -> tensor<4x2x5xf32>
  return %0 : tensor<4x2x5xf32>
}

// -----

// CHECK-LABEL: func.func @matmul_integer
// CHECK: arith.muli
// CHECK: arith.addi
func.func @matmul_integer(%a: tensor<2x3xi32>, %b: tensor<3x4xi32>) -> tensor<2x4xi32> {
  %0 = ds.matmul %a, %b : (tensor<2x3xi32>, tensor<3x4xi32>) -> tensor<2x4xi32>
  return %0 : tensor<2x4xi32>
}

// -----

// CHECK-LABEL: func.func @batch_norm
// CHECK: linalg.generic
// CHECK: math.sqrt
// CHECK: arith.divf
func.func @batch_norm(%x: tensor<1x2x3x3xf32>, %s: tensor<2xf32>, %b: tensor<2xf32>, %m: tensor<2xf32>, %v: tensor<2xf32>) -> tensor<1x2x3x3xf32> {
  %0 = ds.batch_norm %x, %s, %b, %m, %v : (tensor<1x2x3x3xf32>, tensor<2xf32>, tensor<2xf32>, tensor<2xf32>, tensor<2xf32>) -> tensor<1x2x3x3xf32>
  return %0 : tensor<1x2x3x3xf32>
}

// -----

// conv_transpose: stride-dilated input (insert_slice with strides), flipped
// weight, unit-stride convolution (here as im2col + product), crop by the pads.
// CHECK-LABEL: func.func @conv_transpose
// CHECK: tensor.insert_slice %{{.*}} into %{{.*}}[0, 0, 2, 2] [1, 1, 3, 3] [1, 1, 2, 2] : tensor<1x1x3x3xf32> into tensor<1x1x9x9xf32>
// CHECK: tensor.extract %{{.*}}
// CHECK: iterator_types = ["parallel", "parallel", "parallel", "reduction"]
// CHECK: tensor.extract_slice %{{.*}}[0, 0, 1, 1] [1, 2, 5, 5] [1, 1, 1, 1]
func.func @conv_transpose(%x: tensor<1x1x3x3xf32>, %w: tensor<1x2x3x3xf32>) -> tensor<1x2x5x5xf32> {
  %0 = ds.conv_transpose %x, %w {strides = array<i64: 2, 2>, pads = array<i64: 1, 1, 1, 1>, dilations = array<i64: 1, 1>, output_padding = array<i64: 0, 0>} : (tensor<1x1x3x3xf32>, tensor<1x2x3x3xf32>) -> tensor<1x2x5x5xf32>
  return %0 : tensor<1x2x5x5xf32>
}
