// ds.qconv lowers to an 8-bit product in a channels-last network (u8 input
// padded with the zero point, read in place: each output pixel's patch is a
// window of the padded NHWC input; i8 weights packed [F/16, KH, KW, C/4, 16,
// 4], i32 sums, a float epilogue), writing the next layer's u8 bytes when its
// only user quantizes; elsewhere it goes back to dequantize + float conv.
// RUN: deepseek-opt %s --convert-ds-to-linalg --canonicalize -split-input-file | FileCheck %s

// CHECK-DAG: #[[IN:.*]] = affine_map<(d0, d1, d2, d3, d4, d5, d6, d7, d8) -> (d0, d1 + d5, d2 + d6, d7 * 4 + d8)>
// CHECK-DAG: #[[W:.*]] = affine_map<(d0, d1, d2, d3, d4, d5, d6, d7, d8) -> (d3, d5, d6, d7, d4, d8)>
// CHECK-DAG: #[[OUT:.*]] = affine_map<(d0, d1, d2, d3, d4, d5, d6, d7, d8) -> (d0, d1, d2, d3, d4)>
// CHECK-LABEL: func.func @requantized
// CHECK-DAG: arith.constant dense<2.000000e-04> : tensor<2x16xf32>
// CHECK-DAG: arith.constant dense<9216> : tensor<2x16xi32>
// The input's quantize runs channels-last (NHWC storage).
// CHECK: linalg.transpose ins(%arg0 : tensor<1x8x6x6xf32>) {{.*}} permutation = [0, 2, 3, 1]
// CHECK: math.roundeven
// CHECK: -> tensor<1x6x6x8xi8>
// Padding holds the zero point (128 as a signless byte), border strips only.
// CHECK: linalg.fill ins(%{{.*}} : i8) outs(%{{.*}} : tensor<1x1x8x8xi8>)
// The padded input [N, 8, 8, C] x packed weights [F/16, 3, 3, C/4, 16, 4]
// -> i32 [N, OH, OW, F/16, 16] over (n, y, x, g, j, i, jj, c4, kk).
// CHECK: %[[ACC:.*]] = linalg.generic {indexing_maps = [#[[IN]], #[[W]], #[[OUT]]], iterator_types = ["parallel", "parallel", "parallel", "parallel", "parallel", "reduction", "reduction", "reduction", "reduction"]} ins(%{{.*}}, %{{.*}} : tensor<1x8x8x8xi8>, tensor<2x3x3x2x16x4xi8>)
// CHECK: arith.extui %{{.*}} : i8 to i32
// CHECK: arith.extsi %{{.*}} : i8 to i32
// CHECK: arith.muli
// CHECK: arith.addi
// The epilogue: minus x_zp * sum(w) (128 * 72 ones), times x_scale * w_scale,
// plus bias, relu, then quantized to the next layer's u8.
// CHECK: linalg.generic {{.*}} ins(%[[ACC]], %{{.*}}, %{{.*}}, %{{.*}} : tensor<1x6x6x2x16xi32>, tensor<2x16xi32>, tensor<2x16xf32>, tensor<2x16xf32>)
// CHECK: arith.subi
// CHECK: arith.sitofp
// CHECK: arith.mulf
// CHECK: arith.addf
// CHECK: arith.maximumf
// CHECK: math.roundeven
// CHECK: arith.trunci %{{.*}} : i32 to i8
// CHECK: -> tensor<1x6x6x2x16xi8>
// CHECK-NOT: quant.
func.func @requantized(%x: tensor<1x8x6x6xf32>) -> tensor<1x32x1x1xf32> {
  %xq = ds.quantize %x : tensor<1x8x6x6xf32> -> tensor<1x8x6x6x!quant.uniform<u8:f32, 0.02:128>>
  %w = ds.constant dense<1> : tensor<32x8x3x3xi8>
  %wq = quant.scast %w : tensor<32x8x3x3xi8> to tensor<32x8x3x3x!quant.uniform<i8:f32, 0.01>>
  %b = ds.constant dense<0.5> : tensor<32xf32>
  %y = ds.qconv %xq, %wq bias %b {activation = #ds.act<relu>, dilations = array<i64: 1, 1>, pads = array<i64: 1, 1, 1, 1>, strides = array<i64: 1, 1>} : (tensor<1x8x6x6x!quant.uniform<u8:f32, 0.02:128>>, tensor<32x8x3x3x!quant.uniform<i8:f32, 0.01>>, tensor<32xf32>) -> tensor<1x32x6x6xf32>
  %yq = ds.quantize %y : tensor<1x32x6x6xf32> -> tensor<1x32x6x6x!quant.uniform<u8:f32, 0.05>>
  %yd = ds.dequantize %yq : tensor<1x32x6x6x!quant.uniform<u8:f32, 0.05>> -> tensor<1x32x6x6xf32>
  %p = ds.global_average_pool %yd : (tensor<1x32x6x6xf32>) -> tensor<1x32x1x1xf32>
  return %p : tensor<1x32x1x1xf32>
}

// -----

// Three input channels: padded to four with the zero point (the weights'
// fourth channel is zero), so that K is a multiple of 4; 20 output channels:
// two groups of 16, the last four columns sliced off.
// CHECK-LABEL: func.func @odd_channels
// CHECK: tensor.pad
// CHECK: tensor<1x5x5x4xi8>
// CHECK: linalg.generic {{.*}} ins(%{{.*}}, %{{.*}} : tensor<1x5x5x4xi8>, tensor<2x3x3x1x16x4xi8>) outs(%{{.*}} : tensor<1x3x3x2x16xi32>)
// CHECK: tensor.extract_slice {{.*}} to tensor<1x9x20xf32>
func.func @odd_channels(%x: tensor<1x3x5x5xf32>) -> tensor<1x20x1x1xf32> {
  %xq = ds.quantize %x : tensor<1x3x5x5xf32> -> tensor<1x3x5x5x!quant.uniform<u8:f32, 0.02:10>>
  %w = ds.constant dense<2> : tensor<20x3x3x3xi8>
  %wq = quant.scast %w : tensor<20x3x3x3xi8> to tensor<20x3x3x3x!quant.uniform<i8:f32, 0.01>>
  %y = ds.qconv %xq, %wq {dilations = array<i64: 1, 1>, pads = array<i64: 0, 0, 0, 0>, strides = array<i64: 1, 1>} : (tensor<1x3x5x5x!quant.uniform<u8:f32, 0.02:10>>, tensor<20x3x3x3x!quant.uniform<i8:f32, 0.01>>) -> tensor<1x20x3x3xf32>
  %p = ds.global_average_pool %y : (tensor<1x20x3x3xf32>) -> tensor<1x20x1x1xf32>
  return %p : tensor<1x20x1x1xf32>
}

// -----

// Outside a channels-last network (the result leaves the model as NCHW):
// dequantize and a float convolution.
// CHECK-LABEL: func.func @nchw
// CHECK-NOT: arith.muli
// CHECK: arith.mulf
// CHECK: linalg.conv_2d_nchw_fchw {{.*}} ins(%{{.*}}, %{{.*}} : tensor<1x4x5x5xf32>, tensor<16x4x3x3xf32>)
func.func @nchw(%x: tensor<1x4x5x5xf32>) -> tensor<1x16x3x3xf32> {
  %xq = ds.quantize %x : tensor<1x4x5x5xf32> -> tensor<1x4x5x5x!quant.uniform<u8:f32, 0.02:10>>
  %w = ds.constant dense<2> : tensor<16x4x3x3xi8>
  %wq = quant.scast %w : tensor<16x4x3x3xi8> to tensor<16x4x3x3x!quant.uniform<i8:f32, 0.01>>
  %y = ds.qconv %xq, %wq {dilations = array<i64: 1, 1>, pads = array<i64: 0, 0, 0, 0>, strides = array<i64: 1, 1>} : (tensor<1x4x5x5x!quant.uniform<u8:f32, 0.02:10>>, tensor<16x4x3x3x!quant.uniform<i8:f32, 0.01>>) -> tensor<1x16x3x3xf32>
  return %y : tensor<1x16x3x3xf32>
}

// -----

// A Gemm as a one-pixel qconv (ds-fuse-quantized-convs) between 2-D
// tensors: its operands have the same bytes in either layout, so it runs
// channels-last (the 8-bit product) even though nothing around it does. The
// quantized reshape of its input lowers to a reshape of the u8 storage.
// CHECK-LABEL: func.func @one_pixel
// CHECK: %[[Q:.*]] = linalg.generic {{.*}} outs(%{{.*}} : tensor<2x64xi8>)
// CHECK: tensor.expand_shape %[[Q]]
// CHECK: arith.extui %{{.*}} : i8 to i32
// CHECK: arith.extsi %{{.*}} : i8 to i32
// CHECK: arith.muli
// CHECK-NOT: linalg.conv
// CHECK-NOT: quant.
func.func @one_pixel(%x: tensor<2x64xf32>, %b: tensor<16xf32>) -> tensor<2x16xf32> {
  %q = ds.quantize %x : tensor<2x64xf32> -> tensor<2x64x!quant.uniform<u8:f32, 0.02:128>>
  %q4 = ds.reshape %q : tensor<2x64x!quant.uniform<u8:f32, 0.02:128>> -> tensor<2x64x1x1x!quant.uniform<u8:f32, 0.02:128>>
  %w = ds.constant dense<3> : tensor<16x64x1x1xi8>
  %wq = quant.scast %w : tensor<16x64x1x1xi8> to tensor<16x64x1x1x!quant.uniform<i8:f32, 0.01>>
  %y = ds.qconv %q4, %wq bias %b {dilations = array<i64: 1, 1>, pads = array<i64: 0, 0, 0, 0>, strides = array<i64: 1, 1>} : (tensor<2x64x1x1x!quant.uniform<u8:f32, 0.02:128>>, tensor<16x64x1x1x!quant.uniform<i8:f32, 0.01>>, tensor<16xf32>) -> tensor<2x16x1x1xf32>
  %y2 = ds.reshape %y : tensor<2x16x1x1xf32> -> tensor<2x16xf32>
  return %y2 : tensor<2x16xf32>
}

// -----

// A quantized max pool between two qconvs runs channels-last with them: the
// maximum over the taps of the u8 storage (compared unsigned), padded with
// 0, between the two 8-bit products.
// CHECK-LABEL: func.func @pool_between
// CHECK: arith.muli
// CHECK: linalg.fill ins(%c0_i8 : i8)
// CHECK: tensor.insert_slice %{{.*}}[0, 1, 1, 0] [1, 8, 8, 16]
// CHECK: linalg.generic {{.*}} outs(%{{.*}} : tensor<1x4x4x16xi8>)
// CHECK-COUNT-8: arith.maxui
// CHECK: arith.muli
// CHECK-NOT: linalg.conv
func.func @pool_between(%x: tensor<1x16x8x8xf32>) -> tensor<1x16x1x1xf32> {
  %q = ds.quantize %x : tensor<1x16x8x8xf32> -> tensor<1x16x8x8x!quant.uniform<u8:f32, 0.02:128>>
  %w = ds.constant dense<3> : tensor<16x16x1x1xi8>
  %wq = quant.scast %w : tensor<16x16x1x1xi8> to tensor<16x16x1x1x!quant.uniform<i8:f32, 0.01>>
  %y = ds.qconv %q, %wq {dilations = array<i64: 1, 1>, pads = array<i64: 0, 0, 0, 0>, strides = array<i64: 1, 1>} : (tensor<1x16x8x8x!quant.uniform<u8:f32, 0.02:128>>, tensor<16x16x1x1x!quant.uniform<i8:f32, 0.01>>) -> tensor<1x16x8x8xf32>
  %yq = ds.quantize %y : tensor<1x16x8x8xf32> -> tensor<1x16x8x8x!quant.uniform<u8:f32, 0.05:3>>
  %p = ds.max_pool %yq {dilations = array<i64: 1, 1>, kernel_shape = array<i64: 3, 3>, pads = array<i64: 1, 1, 1, 1>, strides = array<i64: 2, 2>} : (tensor<1x16x8x8x!quant.uniform<u8:f32, 0.05:3>>) -> tensor<1x16x4x4x!quant.uniform<u8:f32, 0.05:3>>
  %z = ds.qconv %p, %wq {dilations = array<i64: 1, 1>, pads = array<i64: 0, 0, 0, 0>, strides = array<i64: 1, 1>} : (tensor<1x16x4x4x!quant.uniform<u8:f32, 0.05:3>>, tensor<16x16x1x1x!quant.uniform<i8:f32, 0.01>>) -> tensor<1x16x4x4xf32>
  %g = ds.global_average_pool %z : (tensor<1x16x4x4xf32>) -> tensor<1x16x1x1xf32>
  return %g : tensor<1x16x1x1xf32>
}
