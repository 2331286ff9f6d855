// Invalid normalization IR.
// RUN: deepseek-opt %s -split-input-file -verify-diagnostics

func.func @softmax_axis_out_of_range(%x: tensor<2x3xf32>) -> tensor<2x3xf32> {
  // expected-error @+1 {{'ds.softmax' op expected axis in [0, 2) for an input of rank 2, got 2}}
  %0 = ds.softmax %x {axis = 2 : i64} : tensor<2x3xf32>
  return %0 : tensor<2x3xf32>
}

// -----

func.func @log_softmax_negative_axis(%x: tensor<2x3xf32>) -> tensor<2x3xf32> {
  // expected-error @+1 {{'ds.log_softmax' op expected axis in [0, 2) for an input of rank 2, got -1}}
  %0 = ds.log_softmax %x {axis = -1 : i64} : tensor<2x3xf32>
  return %0 : tensor<2x3xf32>
}

// -----

func.func @layer_norm_scale_shape(%x: tensor<1x128x768xf32>, %g: tensor<512xf32>) -> tensor<1x128x768xf32> {
  // expected-error @+2 {{'ds.layer_norm' op expected scale to broadcast to the normalized shape [768], got [512]}}
  // expected-error @+1 {{failed to infer returned types}}
  %0 = ds.layer_norm %x, %g {axis = 2 : i64} : (tensor<1x128x768xf32>, tensor<512xf32>) -> tensor<1x128x768xf32>
  return %0 : tensor<1x128x768xf32>
}

// -----

func.func @layer_norm_axis(%x: tensor<1x128x768xf32>, %g: tensor<768xf32>) -> tensor<1x128x768xf32> {
  // expected-error @+2 {{'ds.layer_norm' op expected axis in [0, 3) for an input of rank 3, got 3}}
  // expected-error @+1 {{failed to infer returned types}}
  %0 = ds.layer_norm %x, %g {axis = 3 : i64} : (tensor<1x128x768xf32>, tensor<768xf32>) -> tensor<1x128x768xf32>
  return %0 : tensor<1x128x768xf32>
}

// -----

func.func @layer_norm_bias_type(%x: tensor<1x4xf32>, %g: tensor<4xf32>, %b: tensor<4xf16>) -> tensor<1x4xf32> {
  // expected-error @+2 {{'ds.layer_norm' op expected input and bias to have the same element type, got f32 and f16}}
  // expected-error @+1 {{failed to infer returned types}}
  %0 = ds.layer_norm %x, %g bias %b {axis = 1 : i64} : (tensor<1x4xf32>, tensor<4xf32>, tensor<4xf16>) -> tensor<1x4xf32>
  return %0 : tensor<1x4xf32>
}

// -----

func.func @hardmax_axis(%x: tensor<2x3xf32>) -> tensor<2x3xf32> {
  // expected-error @+1 {{'ds.hardmax' op expected axis in [0, 2) for an input of rank 2, got 5}}
  %0 = ds.hardmax %x {axis = 5 : i64} : tensor<2x3xf32>
  return %0 : tensor<2x3xf32>
}

// -----

func.func @attention_key_width(%q: tensor<2x8x16xf32>, %k: tensor<2x8x12xf32>, %v: tensor<2x8x16xf32>) -> tensor<2x8x16xf32> {
  // expected-error @+2 {{'ds.attention' op expected key [..., Sk, D] and value [..., Sk, Dv] to match query [2, 8, 16], got [2, 8, 12] and [2, 8, 16]}}
  // expected-error @+1 {{failed to infer returned types}}
  %0 = ds.attention %q, %k, %v : (tensor<2x8x16xf32>, tensor<2x8x12xf32>, tensor<2x8x16xf32>) -> tensor<2x8x16xf32>
  return %0 : tensor<2x8x16xf32>
}

// -----

func.func @attention_rank(%q: tensor<16xf32>, %k: tensor<16xf32>, %v: tensor<16xf32>) -> tensor<16xf32> {
  // expected-error @+2 {{'ds.attention' op expected query, key and value of one rank >= 2}}
  // expected-error @+1 {{failed to infer returned types}}
  %0 = ds.attention %q, %k, %v : (tensor<16xf32>, tensor<16xf32>, tensor<16xf32>) -> tensor<16xf32>
  return %0 : tensor<16xf32>
}

// -----

func.func @attention_mask(%q: tensor<2x8x16xf32>, %m: tensor<2x8x9xf32>) -> tensor<2x8x16xf32> {
  // expected-error @+2 {{'ds.attention' op expected mask to broadcast to the scores' shape [2, 8, 8], got [2, 8, 9]}}
  // expected-error @+1 {{failed to infer returned types}}
  %0 = ds.attention %q, %q, %q mask %m : (tensor<2x8x16xf32>, tensor<2x8x16xf32>, tensor<2x8x16xf32>, tensor<2x8x9xf32>) -> tensor<2x8x16xf32>
  return %0 : tensor<2x8x16xf32>
}

// -----

func.func @attention_element_types(%q: tensor<2x8x16xf32>, %k: tensor<2x8x16xf16>) -> tensor<2x8x16xf32> {
  // expected-error @+2 {{'ds.attention' op expected query and key to have the same element type, got f32 and f16}}
  // expected-error @+1 {{failed to infer returned types}}
  %0 = ds.attention %q, %k, %q : (tensor<2x8x16xf32>, tensor<2x8x16xf16>, tensor<2x8x16xf32>) -> tensor<2x8x16xf32>
  return %0 : tensor<2x8x16xf32>
}
