// Invalid reductions.
// RUN: deepseek-opt %s -split-input-file -verify-diagnostics

func.func @reduce_sum_axis_out_of_range(%x: tensor<2x3xf32>) -> tensor<2x1xf32> {
  // expected-error @+2 {{'ds.reduce_sum' op axis 2 is out of range for rank 2}}
  // expected-error @+1 {{failed to infer returned types}}
  %0 = ds.reduce_sum %x {axes = array<i64: 2>} : (tensor<2x3xf32>) -> tensor<2x1xf32>
  return %0 : tensor<2x1xf32>
}

// -----

func.func @reduce_mean_unsorted(%x: tensor<2x3xf32>) -> tensor<1x1xf32> {
  // expected-error @+2 {{'ds.reduce_mean' op axes must be sorted and unique, got [1, 0]}}
  // expected-error @+1 {{failed to infer returned types}}
  %0 = ds.reduce_mean %x {axes = array<i64: 1, 0>} : (tensor<2x3xf32>) -> tensor<1x1xf32>
  return %0 : tensor<1x1xf32>
}

// -----

func.func @reduce_max_keepdims_mismatch(%x: tensor<2x3xf32>) -> tensor<2xf32> {
  // expected-error @+2 {{'ds.reduce_max' op inferred type(s) 'tensor<2x1xf32>' are incompatible with return type(s) of operation 'tensor<2xf32>'}}
  // expected-error @+1 {{failed to infer returned types}}
  %0 = ds.reduce_max %x {axes = array<i64: 1>} : (tensor<2x3xf32>) -> tensor<2xf32>
  return %0 : tensor<2xf32>
}

// -----

func.func @reduce_min_negative_axis(%x: tensor<2x3xf32>) -> tensor<2x1xf32> {
  // expected-error @+2 {{'ds.reduce_min' op axis -1 is out of range for rank 2}}
  // expected-error @+1 {{failed to infer returned types}}
  %0 = ds.reduce_min %x {axes = array<i64: -1>} : (tensor<2x3xf32>) -> tensor<2x1xf32>
  return %0 : tensor<2x1xf32>
}

// -----

func.func @reduce_prod_duplicate_axes(%x: tensor<2x3xf32>) -> tensor<2x1xf32> {
  // expected-error @+2 {{'ds.reduce_prod' op axes must be sorted and unique, got [1, 1]}}
  // expected-error @+1 {{failed to infer returned types}}
  %0 = ds.reduce_prod %x {axes = array<i64: 1, 1>} : (tensor<2x3xf32>) -> tensor<2x1xf32>
  return %0 : tensor<2x1xf32>
}

// -----

func.func @reduce_l2_of_integers(%x: tensor<2x3xi32>) -> tensor<2x1xi32> {
  // expected-error @+1 {{'ds.reduce_l2' op operand #0 must be ranked tensor of floating-point values}}
  %0 = ds.reduce_l2 %x {axes = array<i64: 1>} : (tensor<2x3xi32>) -> tensor<2x1xi32>
  return %0 : tensor<2x1xi32>
}

// -----

func.func @arg_max_axis(%x: tensor<2x3xf32>) -> tensor<2xi64> {
  // expected-error @+2 {{'ds.arg_max' op axis 2 is out of range for rank 2}}
  // expected-error @+1 {{failed to infer returned types}}
  %0 = ds.arg_max %x {axis = 2 : i64} : (tensor<2x3xf32>) -> tensor<2xi64>
  return %0 : tensor<2xi64>
}

// -----

func.func @arg_min_not_i64(%x: tensor<2x3xf32>) -> tensor<2x1xi32> {
  // expected-error @+1 {{'ds.arg_min' op result #0 must be ranked tensor of 64-bit signless integer values}}
  %0 = ds.arg_min %x {axis = 1 : i64} : (tensor<2x3xf32>) -> tensor<2x1xi32>
  return %0 : tensor<2x1xi32>
}

// -----

func.func @cum_sum_axis(%x: tensor<2x3xf32>) -> tensor<2x3xf32> {
  // expected-error @+1 {{'ds.cum_sum' op expected axis in [0, 2) for an input of rank 2, got -1}}
  %0 = ds.cum_sum %x {axis = -1 : i64} : tensor<2x3xf32>
  return %0 : tensor<2x3xf32>
}
