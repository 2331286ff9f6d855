// Invalid constants.
// RUN: deepseek-opt %s -split-input-file -verify-diagnostics

func.func @constant_type_mismatch() -> tensor<3xf32> {
  // expected-error @+1 {{'ds.constant' op failed to verify that all of {value, output} have same type}}
  %0 = "ds.constant"() <{value = dense<[1.0, 2.0]> : tensor<2xf32>}> : () -> tensor<3xf32>
  return %0 : tensor<3xf32>
}

// -----

func.func @constant_not_elements() -> tensor<2xf32> {
  // expected-error @+1 {{invalid properties {value = 1.000000e+00 : f32} for op ds.constant: Invalid attribute `value` in property conversion}}
  %0 = "ds.constant"() <{value = 1.0 : f32}> : () -> tensor<2xf32>
  return %0 : tensor<2xf32>
}
