// Invalid conv/gemm/matmul/batch_norm IR and bad activation attributes.
// RUN: deepseek-opt %s -split-input-file -verify-diagnostics

func.func @conv_mismatched_channels(%x: tensor<1x3x8x8xf32>, %w: tensor<16x4x3x3xf32>) -> tensor<1x16x6x6xf32> {
  // expected-error @+2 {{'ds.conv' op expected input channels (3) to equal weight input channels (4) x group (1)}}
  // expected-error @+1 {{failed to infer returned types}}
  %0 = ds.conv %x, %w {dilations = array<i64: 1, 1>, pads = array<i64: 0, 0, 0, 0>, strides = array<i64: 1, 1>} : (tensor<1x3x8x8xf32>, tensor<16x4x3x3xf32>) -> tensor<1x16x6x6xf32>
  return %0 : tensor<1x16x6x6xf32>
}

// -----

func.func @conv_4d_unsupported(%x: tensor<1x3x8x8x8x8xf32>, %w: tensor<4x3x3x3x3x3xf32>) -> tensor<1x4x6x6x6x6xf32> {
  // expected-error @+2 {{'ds.conv' op expected a 1-D, 2-D or 3-D convolution (input of rank 3 to 5), got input of rank 6}}
  // expected-error @+1 {{failed to infer returned types}}
  %0 = ds.conv %x, %w {dilations = array<i64: 1, 1, 1, 1>, pads = array<i64: 0, 0, 0, 0, 0, 0, 0, 0>, strides = array<i64: 1, 1, 1, 1>} : (tensor<1x3x8x8x8x8xf32>, tensor<4x3x3x3x3x3xf32>) -> tensor<1x4x6x6x6x6xf32>
  return %0 : tensor<1x4x6x6x6x6xf32>
}

// -----

func.func @conv_weight_rank(%x: tensor<1x3x8x8xf32>, %w: tensor<4x3x3xf32>) -> tensor<1x4x6x6xf32> {
  // expected-error @+2 {{'ds.conv' op expected weight of rank 4 like the input, got rank 3}}
  // expected-error @+1 {{failed to infer returned types}}
  %0 = ds.conv %x, %w {dilations = array<i64: 1, 1>, pads = array<i64: 0, 0, 0, 0>, strides = array<i64: 1, 1>} : (tensor<1x3x8x8xf32>, tensor<4x3x3xf32>) -> tensor<1x4x6x6xf32>
  return %0 : tensor<1x4x6x6xf32>
}

// -----

func.func @conv_bad_strides(%x: tensor<1x3x8x8xf32>, %w: tensor<4x3x3x3xf32>) -> tensor<1x4x6x6xf32> {
  // expected-error @+2 {{'ds.conv' op expected 2 strides, got 1}}
  // expected-error @+1 {{failed to infer returned types}}
  %0 = ds.conv %x, %w {dilations = array<i64: 1, 1>, pads = array<i64: 0, 0, 0, 0>, strides = array<i64: 1>} : (tensor<1x3x8x8xf32>, tensor<4x3x3x3xf32>) -> tensor<1x4x6x6xf32>
  return %0 : tensor<1x4x6x6xf32>
}

// -----

func.func @conv_negative_pad(%x: tensor<1x3x8x8xf32>, %w: tensor<4x3x3x3xf32>) -> tensor<1x4x6x6xf32> {
  // expected-error @+2 {{'ds.conv' op expected non-negative pads, got [0, -1, 0, 0]}}
  // expected-error @+1 {{failed to infer returned types}}
  %0 = ds.conv %x, %w {dilations = array<i64: 1, 1>, pads = array<i64: 0, -1, 0, 0>, strides = array<i64: 1, 1>} : (tensor<1x3x8x8xf32>, tensor<4x3x3x3xf32>) -> tensor<1x4x6x6xf32>
  return %0 : tensor<1x4x6x6xf32>
}

// -----

func.func @conv_group_does_not_divide(%x: tensor<1x6x8x8xf32>, %w: tensor<5x2x3x3xf32>) -> tensor<1x5x6x6xf32> {
  // expected-error @+2 {{'ds.conv' op expected output channels (5) to be divisible by group (3)}}
  // expected-error @+1 {{failed to infer returned types}}
  %0 = ds.conv %x, %w {dilations = array<i64: 1, 1>, group = 3 : i64, pads = array<i64: 0, 0, 0, 0>, strides = array<i64: 1, 1>} : (tensor<1x6x8x8xf32>, tensor<5x2x3x3xf32>) -> tensor<1x5x6x6xf32>
  return %0 : tensor<1x5x6x6xf32>
}

// -----

func.func @conv_bias_size(%x: tensor<1x3x8x8xf32>, %w: tensor<4x3x3x3xf32>, %b: tensor<5xf32>) -> tensor<1x4x6x6xf32> {
  // expected-error @+2 {{'ds.conv' op expected bias of shape [4], got [5]}}
  // expected-error @+1 {{failed to infer returned types}}
  %0 = ds.conv %x, %w bias %b {dilations = array<i64: 1, 1>, pads = array<i64: 0, 0, 0, 0>, strides = array<i64: 1, 1>} : (tensor<1x3x8x8xf32>, tensor<4x3x3x3xf32>, tensor<5xf32>) -> tensor<1x4x6x6xf32>
  return %0 : tensor<1x4x6x6xf32>
}

// -----

func.func @conv_residual_shape(%x: tensor<1x3x8x8xf32>, %w: tensor<4x3x3x3xf32>, %r: tensor<1x4x8x8xf32>) -> tensor<1x4x6x6xf32> {
  // expected-error @+2 {{'ds.conv' op expected residual of the result's shape [1, 4, 6, 6], got [1, 4, 8, 8]}}
  // expected-error @+1 {{failed to infer returned types}}
  %0 = ds.conv %x, %w residual %r {dilations = array<i64: 1, 1>, pads = array<i64: 0, 0, 0, 0>, strides = array<i64: 1, 1>} : (tensor<1x3x8x8xf32>, tensor<4x3x3x3xf32>, tensor<1x4x8x8xf32>) -> tensor<1x4x6x6xf32>
  return %0 : tensor<1x4x6x6xf32>
}

// -----

func.func @conv_mixed_precision(%x: tensor<1x3x8x8xf16>, %w: tensor<4x3x3x3xf32>) -> tensor<1x4x6x6xf16> {
  // expected-error @+2 {{'ds.conv' op expected input and weight to have the same element type, got f16 and f32}}
  // expected-error @+1 {{failed to infer returned types}}
  %0 = ds.conv %x, %w {dilations = array<i64: 1, 1>, pads = array<i64: 0, 0, 0, 0>, strides = array<i64: 1, 1>} : (tensor<1x3x8x8xf16>, tensor<4x3x3x3xf32>) -> tensor<1x4x6x6xf16>
  return %0 : tensor<1x4x6x6xf16>
}

// -----

func.func @conv_kernel_too_large(%x: tensor<1x3x2x2xf32>, %w: tensor<4x3x3x3xf32>) -> tensor<1x4x1x1xf32> {
  // expected-error @+2 {{'ds.conv' op spatial dimension 0: window of size 3 does not fit into the padded input size 2}}
  // expected-error @+1 {{failed to infer returned types}}
  %0 = ds.conv %x, %w {dilations = array<i64: 1, 1>, pads = array<i64: 0, 0, 0, 0>, strides = array<i64: 1, 1>} : (tensor<1x3x2x2xf32>, tensor<4x3x3x3xf32>) -> tensor<1x4x1x1xf32>
  return %0 : tensor<1x4x1x1xf32>
}

// -----

func.func @conv_wrong_result(%x: tensor<1x3x8x8xf32>, %w: tensor<4x3x3x3xf32>) -> tensor<1x4x8x8xf32> {
  // expected-error @+2 {{'ds.conv' op inferred type(s) 'tensor<1x4x6x6xf32>' are incompatible with return type(s) of operation 'tensor<1x4x8x8xf32>'}}
  // expected-error @+1 {{failed to infer returned types}}
  %0 = ds.conv %x, %w {dilations = array<i64: 1, 1>, pads = array<i64: 0, 0, 0, 0>, strides = array<i64: 1, 1>} : (tensor<1x3x8x8xf32>, tensor<4x3x3x3xf32>) -> tensor<1x4x8x8xf32>
  return %0 : tensor<1x4x8x8xf32>
}

// -----

func.func @conv_missing_strides(%x: tensor<1x3x8x8xf32>, %w: tensor<4x3x3x3xf32>) -> tensor<1x4x6x6xf32> {
  // expected-error @+1 {{'ds.conv' op requires attribute 'strides'}}
  %0 = ds.conv %x, %w {dilations = array<i64: 1, 1>, pads = array<i64: 0, 0, 0, 0>} : (tensor<1x3x8x8xf32>, tensor<4x3x3x3xf32>) -> tensor<1x4x6x6xf32>
  return %0 : tensor<1x4x6x6xf32>
}

// -----

func.func @conv_transpose_channels(%x: tensor<1x8x4x4xf32>, %w: tensor<6x4x2x2xf32>) -> tensor<1x4x8x8xf32> {
  // expected-error @+2 {{'ds.conv_transpose' op expected input channels (8) to equal the weight's first dimension (6)}}
  // expected-error @+1 {{failed to infer returned types}}
  %0 = ds.conv_transpose %x, %w {dilations = array<i64: 1, 1>, output_padding = array<i64: 0, 0>, pads = array<i64: 0, 0, 0, 0>, strides = array<i64: 2, 2>} : (tensor<1x8x4x4xf32>, tensor<6x4x2x2xf32>) -> tensor<1x4x8x8xf32>
  return %0 : tensor<1x4x8x8xf32>
}

// -----

func.func @conv_transpose_output_padding(%x: tensor<1x8x4x4xf32>, %w: tensor<8x4x2x2xf32>) -> tensor<1x4x8x8xf32> {
  // expected-error @+2 {{'ds.conv_transpose' op expected 2 output_padding values, got 1}}
  // expected-error @+1 {{failed to infer returned types}}
  %0 = ds.conv_transpose %x, %w {dilations = array<i64: 1, 1>, output_padding = array<i64: 0>, pads = array<i64: 0, 0, 0, 0>, strides = array<i64: 2, 2>} : (tensor<1x8x4x4xf32>, tensor<8x4x2x2xf32>) -> tensor<1x4x8x8xf32>
  return %0 : tensor<1x4x8x8xf32>
}

// -----

func.func @batch_norm_param_size(%x: tensor<1x64x8x8xf32>, %p: tensor<64xf32>, %q: tensor<32xf32>) -> tensor<1x64x8x8xf32> {
  // expected-error @+2 {{'ds.batch_norm' op expected variance of shape [64], got [32]}}
  // expected-error @+1 {{failed to infer returned types}}
  %0 = ds.batch_norm %x, %p, %p, %p, %q : (tensor<1x64x8x8xf32>, tensor<64xf32>, tensor<64xf32>, tensor<64xf32>, tensor<32xf32>) -> tensor<1x64x8x8xf32>
  return %0 : tensor<1x64x8x8xf32>
}

// -----

func.func @batch_norm_rank(%x: tensor<64xf32>, %p: tensor<64xf32>) -> tensor<64xf32> {
  // expected-error @+2 {{'ds.batch_norm' op expected input of rank >= 2 (N x C x ...), got rank 1}}
  // expected-error @+1 {{failed to infer returned types}}
  %0 = ds.batch_norm %x, %p, %p, %p, %p : (tensor<64xf32>, tensor<64xf32>, tensor<64xf32>, tensor<64xf32>, tensor<64xf32>) -> tensor<64xf32>
  return %0 : tensor<64xf32>
}

// -----

func.func @gemm_contraction(%a: tensor<2x3xf32>, %b: tensor<4x5xf32>) -> tensor<2x5xf32> {
  // expected-error @+2 {{'ds.gemm' op contraction sizes differ: op(a) has 3 columns, op(b) has 4 rows}}
  // expected-error @+1 {{failed to infer returned types}}
  %0 = ds.gemm %a, %b : (tensor<2x3xf32>, tensor<4x5xf32>) -> tensor<2x5xf32>
  return %0 : tensor<2x5xf32>
}

// -----

func.func @gemm_rank(%a: tensor<1x2x3xf32>, %b: tensor<3x5xf32>) -> tensor<2x5xf32> {
  // expected-error @+2 {{'ds.gemm' op expected 2-D operands, got ranks 3 and 2}}
  // expected-error @+1 {{failed to infer returned types}}
  %0 = ds.gemm %a, %b : (tensor<1x2x3xf32>, tensor<3x5xf32>) -> tensor<2x5xf32>
  return %0 : tensor<2x5xf32>
}

// -----

func.func @gemm_bias_shape(%a: tensor<2x3xf32>, %b: tensor<3x5xf32>, %c: tensor<4xf32>) -> tensor<2x5xf32> {
  // expected-error @+2 {{'ds.gemm' op expected bias to broadcast to the result shape [2, 5], got tensor<4xf32>}}
  // expected-error @+1 {{failed to infer returned types}}
  %0 = ds.gemm %a, %b bias %c : (tensor<2x3xf32>, tensor<3x5xf32>, tensor<4xf32>) -> tensor<2x5xf32>
  return %0 : tensor<2x5xf32>
}

// -----

func.func @matmul_contraction(%a: tensor<2x3xf32>, %b: tensor<4x5xf32>) -> tensor<2x5xf32> {
  // expected-error @+2 {{'ds.matmul' op contraction sizes differ: lhs [2, 3] has 3 columns, rhs [4, 5] has 4 rows}}
  // expected-error @+1 {{failed to infer returned types}}
  %0 = ds.matmul %a, %b : (tensor<2x3xf32>, tensor<4x5xf32>) -> tensor<2x5xf32>
  return %0 : tensor<2x5xf32>
}

// -----

func.func @matmul_batch(%a: tensor<2x3x4xf32>, %b: tensor<3x4x5xf32>) -> tensor<2x3x5xf32> {
  // expected-error @+2 {{'ds.matmul' op batch dimensions: shapes [2] and [3] do not broadcast (2 vs 3)}}
  // expected-error @+1 {{failed to infer returned types}}
  %0 = ds.matmul %a, %b : (tensor<2x3x4xf32>, tensor<3x4x5xf32>) -> tensor<2x3x5xf32>
  return %0 : tensor<2x3x5xf32>
}

// -----

func.func @matmul_scalar(%a: tensor<f32>, %b: tensor<3xf32>) -> tensor<3xf32> {
  // expected-error @+2 {{'ds.matmul' op matmul operands must have rank >= 1, got [] and [3]}}
  // expected-error @+1 {{failed to infer returned types}}
  %0 = ds.matmul %a, %b : (tensor<f32>, tensor<3xf32>) -> tensor<3xf32>
  return %0 : tensor<3xf32>
}

// -----

func.func @unknown_activation(%a: tensor<2x4xf32>, %b: tensor<4x4xf32>) -> tensor<2x4xf32> {
  // expected-error @+1 {{unknown activation 'swish'}}
  %0 = ds.matmul %a, %b {activation = #ds.act<swish>} : (tensor<2x4xf32>, tensor<4x4xf32>) -> tensor<2x4xf32>
  return %0 : tensor<2x4xf32>
}

// -----

func.func @clip_activation_reversed(%a: tensor<2x4xf32>, %b: tensor<4x4xf32>) -> tensor<2x4xf32> {
  // expected-error @+1 {{expected clip min <= max, got min = 6.000000e+00, max = 0.000000e+00}}
  %0 = ds.matmul %a, %b {activation = #ds.act<clip, min = 6.0, max = 0.0>} : (tensor<2x4xf32>, tensor<4x4xf32>) -> tensor<2x4xf32>
  return %0 : tensor<2x4xf32>
}

// -----

func.func @activation_missing_parameter(%a: tensor<2x4xf32>, %b: tensor<4x4xf32>) -> tensor<2x4xf32> {
  // expected-error @+1 {{expected ','}}
  %0 = ds.matmul %a, %b {activation = #ds.act<leaky_relu>} : (tensor<2x4xf32>, tensor<4x4xf32>) -> tensor<2x4xf32>
  return %0 : tensor<2x4xf32>
}

// -----

func.func @integer_matmul_activation(%a: tensor<2x4xi32>, %b: tensor<4x3xi32>) -> tensor<2x3xi32> {
  // expected-error @+2 {{'ds.matmul' op a fused activation needs a floating-point result}}
  // expected-error @+1 {{failed to infer returned types}}
  %0 = ds.matmul %a, %b {activation = #ds.act<relu>} : (tensor<2x4xi32>, tensor<4x3xi32>) -> tensor<2x3xi32>
  return %0 : tensor<2x3xi32>
}
