// dequantize -> conv of a QDQ model becomes ds.qconv when the operands are
// what integer kernels multiply; everything else stays.
// RUN: deepseek-opt %s --ds-fuse-quantized-convs -split-input-file | FileCheck %s
// RUN: deepseek-opt %s --ds-fuse-quantized-convs=signed-inputs=true -split-input-file | FileCheck %s --check-prefix=SIGNED
// RUN: deepseek-opt %s --ds-fuse-quantized-convs=unsigned-inputs=false -split-input-file | FileCheck %s --check-prefix=NOVNNI
// RUN: deepseek-opt %s --ds-fuse-quantized-convs="signed-inputs=true i16-pair-sums=true" -split-input-file | FileCheck %s --check-prefix=PAIRS

// u8 input per tensor, symmetric i8 weights per channel: a qconv that keeps
// the conv's bias, residual and activation.
// Without unsigned-inputs (x86 without AVX-512 VNNI, where the product
// would be a plain integer loop nest) it stays a float conv.
// NOVNNI-LABEL: func.func @fused
// NOVNNI-NOT: ds.qconv
// NOVNNI: ds.conv
// NOVNNI-LABEL: func.func @float_input
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
// u8 x s8 kernel: they stay; with signed-inputs (armv8, whose sdot or
// widening multiplies take s8 by s8) the signed input makes a qconv too.
// CHECK-LABEL: func.func @signed_input
// CHECK-NOT: ds.qconv
// SIGNED-LABEL: func.func @signed_input
// SIGNED: ds.qconv %arg0, %arg1 {{.*}} : (tensor<1x4x8x8x!quant.uniform<i8:f32, 2.000000e-02>>
// SIGNED-LABEL: func.func @asymmetric_weights
// SIGNED-NOT: ds.qconv
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
// SIGNED-LABEL: func.func @grouped
// CHECK-NOT: ds.qconv
func.func @grouped(%x: tensor<1x4x8x8x!quant.uniform<u8:f32, 0.02:128>>, %w: tensor<4x1x3x3x!quant.uniform<i8:f32, 0.1>>) -> tensor<1x4x6x6xf32> {
  %xd = ds.dequantize %x : tensor<1x4x8x8x!quant.uniform<u8:f32, 0.02:128>> -> tensor<1x4x8x8xf32>
  %wd = ds.dequantize %w : tensor<4x1x3x3x!quant.uniform<i8:f32, 0.1>> -> tensor<4x1x3x3xf32>
  %y = ds.conv %xd, %wd {dilations = array<i64: 1, 1>, group = 4 : i64, pads = array<i64: 0, 0, 0, 0>, strides = array<i64: 1, 1>} : (tensor<1x4x8x8xf32>, tensor<4x1x3x3xf32>) -> tensor<1x4x6x6xf32>
  return %y : tensor<1x4x6x6xf32>
}

// -----

// A Gemm of a dequantized u8 row and constant symmetric i8 weights [N, K]
// (transB) is a 1x1 qconv of a one-pixel image: the activation and a
// new weight constant over the same bytes reshaped to 4-D, the result
// reshaped back; the bias and activation stay on the qconv.
// CHECK-LABEL: func.func @gemm
// CHECK-SAME: (%[[X:.*]]: tensor<1x4x!quant.uniform<u8:f32, 2.000000e-02:128>>, %[[B:.*]]: tensor<3xf32>)
// CHECK-DAG: %[[W4:.*]] = ds.constant dense<{{\[\[\[\[}}1]], {{\[\[}}-2]], {{\[\[}}3]], {{\[\[}}4]]], {{.*}} : tensor<3x4x1x1xi8>
// CHECK-DAG: %[[X4:.*]] = ds.reshape %[[X]] : tensor<1x4x!quant.uniform<u8:f32, 2.000000e-02:128>> -> tensor<1x4x1x1x!quant.uniform<u8:f32, 2.000000e-02:128>>
// CHECK-DAG: %[[WQ:.*]] = quant.scast %[[W4]] : tensor<3x4x1x1xi8> to tensor<3x4x1x1x!quant.uniform<i8:f32:0, {1.000000e-01,2.000000e-01,3.000000e-01}>>
// CHECK: %[[Y:.*]] = ds.qconv %[[X4]], %[[WQ]] bias %[[B]] {activation = #ds.act<relu>, dilations = array<i64: 1, 1>, pads = array<i64: 0, 0, 0, 0>, strides = array<i64: 1, 1>} : ({{.*}}) -> tensor<1x3x1x1xf32>
// CHECK: %[[R:.*]] = ds.reshape %[[Y]] : tensor<1x3x1x1xf32> -> tensor<1x3xf32>
// CHECK-NOT: ds.gemm
// CHECK: return %[[R]]
func.func @gemm(%x: tensor<1x4x!quant.uniform<u8:f32, 0.02:128>>, %b: tensor<3xf32>) -> tensor<1x3xf32> {
  %w = ds.constant dense<[[1, -2, 3, 4], [5, 6, -7, 8], [9, 10, 11, -12]]> : tensor<3x4xi8>
  %wq = quant.scast %w : tensor<3x4xi8> to tensor<3x4x!quant.uniform<i8:f32:0, {0.1, 0.2, 0.3}>>
  %xd = ds.dequantize %x : tensor<1x4x!quant.uniform<u8:f32, 0.02:128>> -> tensor<1x4xf32>
  %wd = ds.dequantize %wq : tensor<3x4x!quant.uniform<i8:f32:0, {0.1, 0.2, 0.3}>> -> tensor<3x4xf32>
  %y = ds.gemm %xd, %wd bias %b {trans_b = true, activation = #ds.act<relu>} : (tensor<1x4xf32>, tensor<3x4xf32>, tensor<3xf32>) -> tensor<1x3xf32>
  return %y : tensor<1x3xf32>
}

// -----

// Weights [K, N] (no transB) would need a transposed constant, weights that
// are not constants cannot be packed, alpha != 1 scales the product, and
// more than one row would be tiled a row at a time: these Gemms stay float.
// CHECK-LABEL: func.func @gemm_left_alone
// CHECK-NOT: ds.qconv
// CHECK-COUNT-4: ds.gemm
func.func @gemm_left_alone(%x: tensor<1x4x!quant.uniform<u8:f32, 0.02:128>>, %wq: tensor<3x4x!quant.uniform<i8:f32, 0.1>>, %x2: tensor<2x4x!quant.uniform<u8:f32, 0.02:128>>) -> (tensor<1x3xf32>, tensor<1x3xf32>, tensor<1x3xf32>, tensor<2x3xf32>) {
  %xd = ds.dequantize %x : tensor<1x4x!quant.uniform<u8:f32, 0.02:128>> -> tensor<1x4xf32>
  %w = ds.constant dense<1> : tensor<4x3xi8>
  %wk = quant.scast %w : tensor<4x3xi8> to tensor<4x3x!quant.uniform<i8:f32, 0.1>>
  %wkd = ds.dequantize %wk : tensor<4x3x!quant.uniform<i8:f32, 0.1>> -> tensor<4x3xf32>
  %y0 = ds.gemm %xd, %wkd : (tensor<1x4xf32>, tensor<4x3xf32>) -> tensor<1x3xf32>
  %wd = ds.dequantize %wq : tensor<3x4x!quant.uniform<i8:f32, 0.1>> -> tensor<3x4xf32>
  %y1 = ds.gemm %xd, %wd {trans_b = true} : (tensor<1x4xf32>, tensor<3x4xf32>) -> tensor<1x3xf32>
  %c = ds.constant dense<1> : tensor<3x4xi8>
  %cq = quant.scast %c : tensor<3x4xi8> to tensor<3x4x!quant.uniform<i8:f32, 0.1>>
  %cd = ds.dequantize %cq : tensor<3x4x!quant.uniform<i8:f32, 0.1>> -> tensor<3x4xf32>
  %y2 = ds.gemm %xd, %cd {trans_b = true, alpha = 2.0 : f32} : (tensor<1x4xf32>, tensor<3x4xf32>) -> tensor<1x3xf32>
  %x2d = ds.dequantize %x2 : tensor<2x4x!quant.uniform<u8:f32, 0.02:128>> -> tensor<2x4xf32>
  %y3 = ds.gemm %x2d, %cd {trans_b = true} : (tensor<2x4xf32>, tensor<3x4xf32>) -> tensor<2x3xf32>
  return %y0, %y1, %y2, %y3 : tensor<1x3xf32>, tensor<1x3xf32>, tensor<1x3xf32>, tensor<2x3xf32>
}

// -----

// dequantize -> max pool -> quantize with the same parameters pools the
// quantized tensor itself; with other parameters the float pool stays.
// CHECK-LABEL: func.func @max_pool
// CHECK-SAME: (%[[X:.*]]: tensor<1x2x4x4x!quant.uniform<u8:f32, 2.000000e-02:128>>)
// CHECK: %[[D:.*]] = ds.dequantize %[[X]]
// CHECK: %[[P:.*]] = ds.max_pool %[[X]] {{.*}} : (tensor<1x2x4x4x!quant.uniform<u8:f32, 2.000000e-02:128>>) -> tensor<1x2x2x2x!quant.uniform<u8:f32, 2.000000e-02:128>>
// CHECK: %[[F:.*]] = ds.max_pool %[[D]] {{.*}} -> tensor<1x2x2x2xf32>
// CHECK: %[[Q:.*]] = ds.quantize %[[F]] {{.*}} -> tensor<1x2x2x2x!quant.uniform<u8:f32, 4.000000e-02:128>>
// CHECK: return %[[P]], %[[Q]]
func.func @max_pool(%x: tensor<1x2x4x4x!quant.uniform<u8:f32, 0.02:128>>) -> (tensor<1x2x2x2x!quant.uniform<u8:f32, 0.02:128>>, tensor<1x2x2x2x!quant.uniform<u8:f32, 0.04:128>>) {
  %d = ds.dequantize %x : tensor<1x2x4x4x!quant.uniform<u8:f32, 0.02:128>> -> tensor<1x2x4x4xf32>
  %p = ds.max_pool %d {dilations = array<i64: 1, 1>, kernel_shape = array<i64: 2, 2>, pads = array<i64: 0, 0, 0, 0>, strides = array<i64: 2, 2>} : (tensor<1x2x4x4xf32>) -> tensor<1x2x2x2xf32>
  %q = ds.quantize %p : tensor<1x2x2x2xf32> -> tensor<1x2x2x2x!quant.uniform<u8:f32, 0.02:128>>
  %p2 = ds.max_pool %d {dilations = array<i64: 1, 1>, kernel_shape = array<i64: 2, 2>, pads = array<i64: 0, 0, 0, 0>, strides = array<i64: 2, 2>} : (tensor<1x2x4x4xf32>) -> tensor<1x2x2x2xf32>
  %q2 = ds.quantize %p2 : tensor<1x2x2x2xf32> -> tensor<1x2x2x2x!quant.uniform<u8:f32, 0.04:128>>
  return %q, %q2 : tensor<1x2x2x2x!quant.uniform<u8:f32, 0.02:128>>, tensor<1x2x2x2x!quant.uniform<u8:f32, 0.04:128>>
}

// -----

// armv8 without dotprod adds two s8 x s8 products in 16 bits (smull, addp),
// exact only while no weight is -128 (2 x 128 x 127 <= 32767): with
// i16-pair-sums, constant weights in [-127, 127] make a qconv; a -128, or
// weights that are no constant, keep the float conv. u8 inputs (another
// target's kernels) are not affected.
// PAIRS-LABEL: func.func @pair_sums
// PAIRS: ds.qconv
// PAIRS-LABEL: func.func @pair_sums_minus_128
// PAIRS-NOT: ds.qconv
// PAIRS: ds.conv
// PAIRS-LABEL: func.func @pair_sums_argument
// PAIRS-NOT: ds.qconv
// PAIRS: ds.conv
// SIGNED-LABEL: func.func @pair_sums_minus_128
// SIGNED: ds.qconv
func.func @pair_sums(%x: tensor<1x1x4x4x!quant.uniform<i8:f32, 0.02>>) -> tensor<1x2x4x4xf32> {
  %w = ds.constant dense<[[[[127]]], [[[-127]]]]> : tensor<2x1x1x1xi8>
  %wq = quant.scast %w : tensor<2x1x1x1xi8> to tensor<2x1x1x1x!quant.uniform<i8:f32, 0.1>>
  %xd = ds.dequantize %x : tensor<1x1x4x4x!quant.uniform<i8:f32, 0.02>> -> tensor<1x1x4x4xf32>
  %wd = ds.dequantize %wq : tensor<2x1x1x1x!quant.uniform<i8:f32, 0.1>> -> tensor<2x1x1x1xf32>
  %y = ds.conv %xd, %wd {dilations = array<i64: 1, 1>, pads = array<i64: 0, 0, 0, 0>, strides = array<i64: 1, 1>} : (tensor<1x1x4x4xf32>, tensor<2x1x1x1xf32>) -> tensor<1x2x4x4xf32>
  return %y : tensor<1x2x4x4xf32>
}

func.func @pair_sums_minus_128(%x: tensor<1x1x4x4x!quant.uniform<i8:f32, 0.02>>) -> tensor<1x2x4x4xf32> {
  %w = ds.constant dense<[[[[127]]], [[[-128]]]]> : tensor<2x1x1x1xi8>
  %wq = quant.scast %w : tensor<2x1x1x1xi8> to tensor<2x1x1x1x!quant.uniform<i8:f32, 0.1>>
  %xd = ds.dequantize %x : tensor<1x1x4x4x!quant.uniform<i8:f32, 0.02>> -> tensor<1x1x4x4xf32>
  %wd = ds.dequantize %wq : tensor<2x1x1x1x!quant.uniform<i8:f32, 0.1>> -> tensor<2x1x1x1xf32>
  %y = ds.conv %xd, %wd {dilations = array<i64: 1, 1>, pads = array<i64: 0, 0, 0, 0>, strides = array<i64: 1, 1>} : (tensor<1x1x4x4xf32>, tensor<2x1x1x1xf32>) -> tensor<1x2x4x4xf32>
  return %y : tensor<1x2x4x4xf32>
}

func.func @pair_sums_argument(%x: tensor<1x1x4x4x!quant.uniform<i8:f32, 0.02>>, %wq: tensor<2x1x1x1x!quant.uniform<i8:f32, 0.1>>) -> tensor<1x2x4x4xf32> {
  %xd = ds.dequantize %x : tensor<1x1x4x4x!quant.uniform<i8:f32, 0.02>> -> tensor<1x1x4x4xf32>
  %wd = ds.dequantize %wq : tensor<2x1x1x1x!quant.uniform<i8:f32, 0.1>> -> tensor<2x1x1x1xf32>
  %y = ds.conv %xd, %wd {dilations = array<i64: 1, 1>, pads = array<i64: 0, 0, 0, 0>, strides = array<i64: 1, 1>} : (tensor<1x1x4x4xf32>, tensor<2x1x1x1xf32>) -> tensor<1x2x4x4xf32>
  return %y : tensor<1x2x4x4xf32>
}
