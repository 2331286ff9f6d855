// Invalid elementwise IR: each case is diagnosed at the op, never a crash.
// RUN: deepseek-opt %s -split-input-file -verify-diagnostics

func.func @sqrt_of_integers(%x: tensor<4xi32>) -> tensor<4xi32> {
  // expected-error @+1 {{'ds.sqrt' op operand #0 must be ranked tensor of floating-point values}}
  %0 = ds.sqrt %x : tensor<4xi32>
  return %0 : tensor<4xi32>
}

// -----

func.func @exp_changes_shape(%x: tensor<4xf32>) -> tensor<5xf32> {
  // expected-error @+1 {{'ds.exp' op requires the same type for all operands and results}}
  %0 = "ds.exp"(%x) : (tensor<4xf32>) -> tensor<5xf32>
  return %0 : tensor<5xf32>
}

// -----

func.func @unranked(%x: tensor<*xf32>) -> tensor<*xf32> {
  // expected-error @+1 {{'ds.log' op operand #0 must be ranked tensor of floating-point values}}
  %0 = "ds.log"(%x) : (tensor<*xf32>) -> tensor<*xf32>
  return %0 : tensor<*xf32>
}

// -----

func.func @erf_tanh_sigmoid_of_integers(%x: tensor<4xi8>) -> tensor<4xi8> {
  // expected-error @+1 {{'ds.erf' op operand #0 must be ranked tensor of floating-point values}}
  %0 = ds.erf %x : tensor<4xi8>
  return %0 : tensor<4xi8>
}

// -----

func.func @tanh_of_bool(%x: tensor<4xi1>) -> tensor<4xi1> {
  // expected-error @+1 {{'ds.tanh' op operand #0 must be ranked tensor of floating-point values}}
  %0 = ds.tanh %x : tensor<4xi1>
  return %0 : tensor<4xi1>
}

// -----

func.func @sigmoid_of_index(%x: tensor<4xindex>) -> tensor<4xindex> {
  // expected-error @+1 {{'ds.sigmoid' op operand #0 must be ranked tensor of floating-point values}}
  %0 = ds.sigmoid %x : tensor<4xindex>
  return %0 : tensor<4xindex>
}

// -----

func.func @relu_result_mismatch(%x: tensor<4xf32>) -> tensor<4xf16> {
  // expected-error @+1 {{'ds.relu' op requires the same type for all operands and results}}
  %0 = "ds.relu"(%x) : (tensor<4xf32>) -> tensor<4xf16>
  return %0 : tensor<4xf16>
}

// -----

func.func @neg_of_vector(%x: vector<4xf32>) -> vector<4xf32> {
  // expected-error @+1 {{'ds.neg' op operand #0 must be ranked tensor of floating-point or integer values}}
  %0 = "ds.neg"(%x) : (vector<4xf32>) -> vector<4xf32>
  return %0 : vector<4xf32>
}

// -----

func.func @abs_result_mismatch(%x: tensor<4xi32>) -> tensor<2x2xi32> {
  // expected-error @+1 {{'ds.abs' op requires the same type for all operands and results}}
  %0 = "ds.abs"(%x) : (tensor<4xi32>) -> tensor<2x2xi32>
  return %0 : tensor<2x2xi32>
}

// -----

func.func @identity_changes_type(%x: tensor<4xf32>) -> tensor<4xi32> {
  // expected-error @+1 {{'ds.identity' op requires the same type for all operands and results}}
  %0 = "ds.identity"(%x) : (tensor<4xf32>) -> tensor<4xi32>
  return %0 : tensor<4xi32>
}

// -----

func.func @hard_swish_of_integers(%x: tensor<4xi32>) -> tensor<4xi32> {
  // expected-error @+1 {{'ds.hard_swish' op operand #0 must be ranked tensor of floating-point values}}
  %0 = ds.hard_swish %x : tensor<4xi32>
  return %0 : tensor<4xi32>
}

// -----

func.func @silu_of_integers(%x: tensor<4xi32>) -> tensor<4xi32> {
  // expected-error @+1 {{'ds.silu' op operand #0 must be ranked tensor of floating-point values}}
  %0 = ds.silu %x : tensor<4xi32>
  return %0 : tensor<4xi32>
}

// -----

func.func @gelu_bad_approximation(%x: tensor<4xf32>) -> tensor<4xf32> {
  // expected-error @+2 {{expected ::mlir::ds::GeluApproximation to be one of: none, tanh}}
  // expected-error @+1 {{failed to parse DS_GeluApproximationAttr parameter 'value'}}
  %0 = ds.gelu %x {approximate = #ds<gelu_approximation sigmoid>} : tensor<4xf32>
  return %0 : tensor<4xf32>
}

// -----

func.func @leaky_relu_integer_alpha(%x: tensor<4xf32>) -> tensor<4xf32> {
  // expected-error @+1 {{'ds.leaky_relu' op attribute 'alpha' failed to satisfy constraint: 32-bit float attribute}}
  %0 = ds.leaky_relu %x {alpha = 1 : i32} : tensor<4xf32>
  return %0 : tensor<4xf32>
}

// -----

func.func @clip_min_above_max(%x: tensor<4xf32>) -> tensor<4xf32> {
  // expected-error @+1 {{'ds.clip' op expected min <= max, got min = 6.000000e+00, max = 0.000000e+00}}
  %0 = ds.clip %x {min = 6.0 : f32, max = 0.0 : f32} : tensor<4xf32>
  return %0 : tensor<4xf32>
}

// -----

func.func @hard_sigmoid_f64_beta(%x: tensor<4xf32>) -> tensor<4xf32> {
  // expected-error @+1 {{'ds.hard_sigmoid' op attribute 'beta' failed to satisfy constraint: 32-bit float attribute}}
  %0 = ds.hard_sigmoid %x {beta = 0.5 : f64} : tensor<4xf32>
  return %0 : tensor<4xf32>
}

// -----

func.func @cast_changes_shape(%x: tensor<4xi64>) -> tensor<5xf32> {
  // expected-error @+1 {{'ds.cast' op expected input and result of the same shape, got 'tensor<4xi64>' and 'tensor<5xf32>'}}
  %0 = ds.cast %x : tensor<4xi64> to tensor<5xf32>
  return %0 : tensor<5xf32>
}

// -----

func.func @add_not_broadcastable(%a: tensor<2x3xf32>, %b: tensor<4x3xf32>) -> tensor<2x3xf32> {
  // expected-error @+2 {{'ds.add' op shapes [2, 3] and [4, 3] do not broadcast (2 vs 4)}}
  // expected-error @+1 {{failed to infer returned types}}
  %0 = ds.add %a, %b : (tensor<2x3xf32>, tensor<4x3xf32>) -> tensor<2x3xf32>
  return %0 : tensor<2x3xf32>
}

// -----

func.func @sub_mixed_element_types(%a: tensor<3xf32>, %b: tensor<3xf16>) -> tensor<3xf32> {
  // expected-error @+2 {{'ds.sub' op expected operands with the same element type, got f32 and f16}}
  // expected-error @+1 {{failed to infer returned types}}
  %0 = ds.sub %a, %b : (tensor<3xf32>, tensor<3xf16>) -> tensor<3xf32>
  return %0 : tensor<3xf32>
}

// -----

func.func @mul_wrong_result_shape(%a: tensor<2x3xf32>, %b: tensor<3xf32>) -> tensor<3x3xf32> {
  // expected-error @+2 {{'ds.mul' op failed to infer returned types}}
  // expected-error @+1 {{'ds.mul' op inferred type(s) 'tensor<2x3xf32>' are incompatible with return type(s) of operation 'tensor<3x3xf32>'}}
  %0 = ds.mul %a, %b : (tensor<2x3xf32>, tensor<3xf32>) -> tensor<3x3xf32>
  return %0 : tensor<3x3xf32>
}

// -----

func.func @div_wrong_result_rank(%a: tensor<2x3xf32>, %b: tensor<3xf32>) -> tensor<6xf32> {
  // expected-error @+2 {{'ds.div' op failed to infer returned types}}
  // expected-error @+1 {{'ds.div' op inferred type(s) 'tensor<2x3xf32>' are incompatible with return type(s) of operation 'tensor<6xf32>'}}
  %0 = ds.div %a, %b : (tensor<2x3xf32>, tensor<3xf32>) -> tensor<6xf32>
  return %0 : tensor<6xf32>
}

// -----

func.func @pow_of_integers(%a: tensor<3xi32>) -> tensor<3xi32> {
  // expected-error @+1 {{'ds.pow' op operand #0 must be ranked tensor of floating-point values}}
  %0 = ds.pow %a, %a : (tensor<3xi32>, tensor<3xi32>) -> tensor<3xi32>
  return %0 : tensor<3xi32>
}

// -----

func.func @min_not_broadcastable(%a: tensor<2xf32>, %b: tensor<3xf32>) -> tensor<3xf32> {
  // expected-error @+2 {{'ds.min' op shapes [2] and [3] do not broadcast (2 vs 3)}}
  // expected-error @+1 {{failed to infer returned types}}
  %0 = ds.min %a, %b : (tensor<2xf32>, tensor<3xf32>) -> tensor<3xf32>
  return %0 : tensor<3xf32>
}

// -----

func.func @max_wrong_result_element_type(%a: tensor<2xf32>) -> tensor<2xf16> {
  // expected-error @+1 {{'ds.max' op result #0 must be ranked tensor of floating-point or integer values}}
  %0 = ds.max %a, %a : (tensor<2xf32>, tensor<2xf32>) -> tensor<2xindex>
  return %0 : tensor<2xindex>
}

// -----

func.func @equal_result_not_bool(%a: tensor<2xi64>) -> tensor<2xi64> {
  // expected-error @+1 {{'ds.equal' op result #0 must be ranked tensor of 1-bit signless integer values}}
  %0 = ds.equal %a, %a : (tensor<2xi64>, tensor<2xi64>) -> tensor<2xi64>
  return %0 : tensor<2xi64>
}

// -----

func.func @less_not_broadcastable(%a: tensor<2xf32>, %b: tensor<3xf32>) -> tensor<3xi1> {
  // expected-error @+2 {{'ds.less' op shapes [2] and [3] do not broadcast}}
  // expected-error @+1 {{failed to infer returned types}}
  %0 = ds.less %a, %b : (tensor<2xf32>, tensor<3xf32>) -> tensor<3xi1>
  return %0 : tensor<3xi1>
}

// -----

func.func @greater_wrong_shape(%a: tensor<2xf32>) -> tensor<3xi1> {
  // expected-error @+2 {{'ds.greater' op failed to infer returned types}}
  // expected-error @+1 {{'ds.greater' op inferred type(s) 'tensor<2xi1>' are incompatible with return type(s) of operation 'tensor<3xi1>'}}
  %0 = ds.greater %a, %a : (tensor<2xf32>, tensor<2xf32>) -> tensor<3xi1>
  return %0 : tensor<3xi1>
}

// -----

func.func @where_mixed_values(%c: tensor<2xi1>, %a: tensor<2xf32>, %b: tensor<2xi32>) -> tensor<2xf32> {
  // expected-error @+2 {{'ds.where' op expected true_value and false_value to have the same element type, got f32 and i32}}
  // expected-error @+1 {{failed to infer returned types}}
  %0 = ds.where %c, %a, %b : (tensor<2xi1>, tensor<2xf32>, tensor<2xi32>) -> tensor<2xf32>
  return %0 : tensor<2xf32>
}

// -----

func.func @where_condition_not_bool(%c: tensor<2xf32>, %a: tensor<2xf32>) -> tensor<2xf32> {
  // expected-error @+1 {{'ds.where' op operand #0 must be ranked tensor of 1-bit signless integer values}}
  %0 = ds.where %c, %a, %a : (tensor<2xf32>, tensor<2xf32>, tensor<2xf32>) -> tensor<2xf32>
  return %0 : tensor<2xf32>
}

// -----

func.func @gelu_of_integers(%x: tensor<4xi32>) -> tensor<4xi32> {
  // expected-error @+1 {{'ds.gelu' op operand #0 must be ranked tensor of floating-point values}}
  %0 = ds.gelu %x : tensor<4xi32>
  return %0 : tensor<4xi32>
}

// -----

func.func @cos_of_integers(%x: tensor<4xi32>) -> tensor<4xi32> {
  // expected-error @+1 {{'ds.cos' op operand #0 must be ranked tensor of floating-point values}}
  %0 = ds.cos %x : tensor<4xi32>
  return %0 : tensor<4xi32>
}
// -----

func.func @sin_of_integers(%x: tensor<4xi32>) -> tensor<4xi32> {
  // expected-error @+1 {{'ds.sin' op operand #0 must be ranked tensor of floating-point values}}
  %0 = ds.sin %x : tensor<4xi32>
  return %0 : tensor<4xi32>
}
// -----

func.func @tan_of_integers(%x: tensor<4xi32>) -> tensor<4xi32> {
  // expected-error @+1 {{'ds.tan' op operand #0 must be ranked tensor of floating-point values}}
  %0 = ds.tan %x : tensor<4xi32>
  return %0 : tensor<4xi32>
}
// -----

func.func @acos_of_integers(%x: tensor<4xi32>) -> tensor<4xi32> {
  // expected-error @+1 {{'ds.acos' op operand #0 must be ranked tensor of floating-point values}}
  %0 = ds.acos %x : tensor<4xi32>
  return %0 : tensor<4xi32>
}
// -----

func.func @asin_of_integers(%x: tensor<4xi32>) -> tensor<4xi32> {
  // expected-error @+1 {{'ds.asin' op operand #0 must be ranked tensor of floating-point values}}
  %0 = ds.asin %x : tensor<4xi32>
  return %0 : tensor<4xi32>
}
// -----

func.func @atan_of_integers(%x: tensor<4xi32>) -> tensor<4xi32> {
  // expected-error @+1 {{'ds.atan' op operand #0 must be ranked tensor of floating-point values}}
  %0 = ds.atan %x : tensor<4xi32>
  return %0 : tensor<4xi32>
}
// -----

func.func @cosh_of_integers(%x: tensor<4xi32>) -> tensor<4xi32> {
  // expected-error @+1 {{'ds.cosh' op operand #0 must be ranked tensor of floating-point values}}
  %0 = ds.cosh %x : tensor<4xi32>
  return %0 : tensor<4xi32>
}
// -----

func.func @sinh_of_integers(%x: tensor<4xi32>) -> tensor<4xi32> {
  // expected-error @+1 {{'ds.sinh' op operand #0 must be ranked tensor of floating-point values}}
  %0 = ds.sinh %x : tensor<4xi32>
  return %0 : tensor<4xi32>
}
// -----

func.func @acosh_of_integers(%x: tensor<4xi32>) -> tensor<4xi32> {
  // expected-error @+1 {{'ds.acosh' op operand #0 must be ranked tensor of floating-point values}}
  %0 = ds.acosh %x : tensor<4xi32>
  return %0 : tensor<4xi32>
}
// -----

func.func @asinh_of_integers(%x: tensor<4xi32>) -> tensor<4xi32> {
  // expected-error @+1 {{'ds.asinh' op operand #0 must be ranked tensor of floating-point values}}
  %0 = ds.asinh %x : tensor<4xi32>
  return %0 : tensor<4xi32>
}
// -----

func.func @atanh_of_integers(%x: tensor<4xi32>) -> tensor<4xi32> {
  // expected-error @+1 {{'ds.atanh' op operand #0 must be ranked tensor of floating-point values}}
  %0 = ds.atanh %x : tensor<4xi32>
  return %0 : tensor<4xi32>
}
// -----

func.func @ceil_of_integers(%x: tensor<4xi32>) -> tensor<4xi32> {
  // expected-error @+1 {{'ds.ceil' op operand #0 must be ranked tensor of floating-point values}}
  %0 = ds.ceil %x : tensor<4xi32>
  return %0 : tensor<4xi32>
}
// -----

func.func @floor_of_integers(%x: tensor<4xi32>) -> tensor<4xi32> {
  // expected-error @+1 {{'ds.floor' op operand #0 must be ranked tensor of floating-point values}}
  %0 = ds.floor %x : tensor<4xi32>
  return %0 : tensor<4xi32>
}
// -----

func.func @round_of_integers(%x: tensor<4xi32>) -> tensor<4xi32> {
  // expected-error @+1 {{'ds.round' op operand #0 must be ranked tensor of floating-point values}}
  %0 = ds.round %x : tensor<4xi32>
  return %0 : tensor<4xi32>
}
// -----

func.func @reciprocal_of_integers(%x: tensor<4xi32>) -> tensor<4xi32> {
  // expected-error @+1 {{'ds.reciprocal' op operand #0 must be ranked tensor of floating-point values}}
  %0 = ds.reciprocal %x : tensor<4xi32>
  return %0 : tensor<4xi32>
}
// -----

func.func @sign_of_bools_result(%x: tensor<4xf32>) -> tensor<4xi32> {
  // expected-error @+1 {{'ds.sign' op requires the same type for all operands and results}}
  %0 = "ds.sign"(%x) : (tensor<4xf32>) -> tensor<4xi32>
  return %0 : tensor<4xi32>
}
// -----

func.func @softplus_of_integers(%x: tensor<4xi32>) -> tensor<4xi32> {
  // expected-error @+1 {{'ds.softplus' op operand #0 must be ranked tensor of floating-point values}}
  %0 = ds.softplus %x : tensor<4xi32>
  return %0 : tensor<4xi32>
}
// -----

func.func @softsign_of_integers(%x: tensor<4xi32>) -> tensor<4xi32> {
  // expected-error @+1 {{'ds.softsign' op operand #0 must be ranked tensor of floating-point values}}
  %0 = ds.softsign %x : tensor<4xi32>
  return %0 : tensor<4xi32>
}
// -----

func.func @mish_of_integers(%x: tensor<4xi32>) -> tensor<4xi32> {
  // expected-error @+1 {{'ds.mish' op operand #0 must be ranked tensor of floating-point values}}
  %0 = ds.mish %x : tensor<4xi32>
  return %0 : tensor<4xi32>
}
// -----

func.func @not_of_floats(%x: tensor<4xf32>) -> tensor<4xf32> {
  // expected-error @+1 {{'ds.not' op operand #0 must be ranked tensor of 1-bit signless integer values}}
  %0 = ds.not %x : tensor<4xf32>
  return %0 : tensor<4xf32>
}
// -----

func.func @elu_integer_alpha(%x: tensor<4xf32>) -> tensor<4xf32> {
  // expected-error @+1 {{'ds.elu' op attribute 'alpha' failed to satisfy constraint: 32-bit float attribute}}
  %0 = ds.elu %x {alpha = 1 : i32} : tensor<4xf32>
  return %0 : tensor<4xf32>
}
// -----

func.func @selu_integer_alpha(%x: tensor<4xf32>) -> tensor<4xf32> {
  // expected-error @+1 {{'ds.selu' op attribute 'alpha' failed to satisfy constraint: 32-bit float attribute}}
  %0 = ds.selu %x {alpha = 1 : i32} : tensor<4xf32>
  return %0 : tensor<4xf32>
}
// -----

func.func @celu_integer_alpha(%x: tensor<4xf32>) -> tensor<4xf32> {
  // expected-error @+1 {{'ds.celu' op attribute 'alpha' failed to satisfy constraint: 32-bit float attribute}}
  %0 = ds.celu %x {alpha = 1 : i32} : tensor<4xf32>
  return %0 : tensor<4xf32>
}
// -----

func.func @thresholded_relu_integer_alpha(%x: tensor<4xf32>) -> tensor<4xf32> {
  // expected-error @+1 {{'ds.thresholded_relu' op attribute 'alpha' failed to satisfy constraint: 32-bit float attribute}}
  %0 = ds.thresholded_relu %x {alpha = 1 : i32} : tensor<4xf32>
  return %0 : tensor<4xf32>
}
// -----

func.func @prelu_not_broadcastable(%x: tensor<1x8x4x4xf32>, %s: tensor<3xf32>) -> tensor<1x8x4x4xf32> {
  // expected-error @+2 {{'ds.prelu' op shapes [1, 8, 4, 4] and [3] do not broadcast (4 vs 3)}}
  // expected-error @+1 {{failed to infer returned types}}
  %0 = ds.prelu %x, %s : (tensor<1x8x4x4xf32>, tensor<3xf32>) -> tensor<1x8x4x4xf32>
  return %0 : tensor<1x8x4x4xf32>
}

// -----

func.func @mod_bool(%a: tensor<4xi32>) -> tensor<4xi1> {
  // expected-error @+2 {{'ds.mod' op failed to infer returned types}}
  // expected-error @+1 {{'ds.mod' op inferred type(s) 'tensor<4xi32>' are incompatible with return type(s) of operation 'tensor<4xi1>'}}
  %0 = ds.mod %a, %a : (tensor<4xi32>, tensor<4xi32>) -> tensor<4xi1>
  return %0 : tensor<4xi1>
}

// -----

func.func @less_or_equal_mixed(%a: tensor<4xi32>, %b: tensor<4xi64>) -> tensor<4xi1> {
  // expected-error @+2 {{'ds.less_or_equal' op expected operands with the same element type, got i32 and i64}}
  // expected-error @+1 {{failed to infer returned types}}
  %0 = ds.less_or_equal %a, %b : (tensor<4xi32>, tensor<4xi64>) -> tensor<4xi1>
  return %0 : tensor<4xi1>
}

// -----

func.func @greater_or_equal_not_bool(%a: tensor<4xi32>) -> tensor<4xi32> {
  // expected-error @+1 {{'ds.greater_or_equal' op result #0 must be ranked tensor of 1-bit signless integer values}}
  %0 = ds.greater_or_equal %a, %a : (tensor<4xi32>, tensor<4xi32>) -> tensor<4xi32>
  return %0 : tensor<4xi32>
}

// -----

func.func @and_of_integers(%a: tensor<4xi32>) -> tensor<4xi32> {
  // expected-error @+1 {{'ds.and' op operand #0 must be ranked tensor of 1-bit signless integer values}}
  %0 = ds.and %a, %a : (tensor<4xi32>, tensor<4xi32>) -> tensor<4xi32>
  return %0 : tensor<4xi32>
}

// -----

func.func @or_not_broadcastable(%a: tensor<4xi1>, %b: tensor<3xi1>) -> tensor<4xi1> {
  // expected-error @+2 {{'ds.or' op shapes [4] and [3] do not broadcast (4 vs 3)}}
  // expected-error @+1 {{failed to infer returned types}}
  %0 = ds.or %a, %b : (tensor<4xi1>, tensor<3xi1>) -> tensor<4xi1>
  return %0 : tensor<4xi1>
}

// -----

func.func @xor_of_floats(%a: tensor<4xf32>) -> tensor<4xf32> {
  // expected-error @+1 {{'ds.xor' op operand #0 must be ranked tensor of 1-bit signless integer values}}
  %0 = ds.xor %a, %a : (tensor<4xf32>, tensor<4xf32>) -> tensor<4xf32>
  return %0 : tensor<4xf32>
}

// -----

func.func @is_nan_shape(%x: tensor<4xf32>) -> tensor<3xi1> {
  // expected-error @+1 {{'ds.is_nan' op expected input and result of the same shape, got 'tensor<4xf32>' and 'tensor<3xi1>'}}
  %0 = ds.is_nan %x : tensor<4xf32> -> tensor<3xi1>
  return %0 : tensor<3xi1>
}

// -----

func.func @is_inf_of_integers(%x: tensor<4xi32>) -> tensor<4xi1> {
  // expected-error @+1 {{'ds.is_inf' op operand #0 must be ranked tensor of floating-point values}}
  %0 = ds.is_inf %x : tensor<4xi32> -> tensor<4xi1>
  return %0 : tensor<4xi1>
}

// -----

func.func @shift_left_of_floats(%a: tensor<3xf32>) -> tensor<3xf32> {
  // expected-error @+1 {{'ds.shift_left' op operand #0 must be ranked tensor of integer values}}
  %0 = ds.shift_left %a, %a : (tensor<3xf32>, tensor<3xf32>) -> tensor<3xf32>
  return %0 : tensor<3xf32>
}

// -----

func.func @shift_right_mixed(%a: tensor<3xui8>, %b: tensor<3xi8>) -> tensor<3xui8> {
  // expected-error @+2 {{'ds.shift_right' op expected operands with the same element type, got ui8 and i8}}
  // expected-error @+1 {{failed to infer returned types}}
  %0 = ds.shift_right %a, %b : (tensor<3xui8>, tensor<3xi8>) -> tensor<3xui8>
  return %0 : tensor<3xui8>
}
