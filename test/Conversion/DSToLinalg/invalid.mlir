// What the lowering refuses, and how it says so.
// RUN: deepseek-opt %s --convert-ds-to-linalg -split-input-file -verify-diagnostics

// expected-error @+1 {{code generation needs static shapes, but input 'x' (tensor<?x4xf32>) has dynamic dims; fix them with --input-shape NAME=DIMS}}
func.func @dynamic_input(%a: tensor<?x4xf32> {ds.name = "x"}) -> tensor<?x4xf32> {
  %0 = ds.relu %a : tensor<?x4xf32>
  return %0 : tensor<?x4xf32>
}

// -----

func.func @no_lowering(%x: tensor<4xf32>) -> tensor<4x!quant.uniform<i8:f32, 0.5>> {
  // expected-error @+1 {{'ds.quantize' op has no lowering to linalg for these operand types yet}}
  %0 = ds.quantize %x : tensor<4xf32> -> tensor<4x!quant.uniform<i8:f32, 0.5>>
  return %0 : tensor<4x!quant.uniform<i8:f32, 0.5>>
}

// -----

// Every op without a lowering is reported, not just the first.
func.func @all_reported(%x: tensor<4xf32>, %q: tensor<4x!quant.uniform<i8:f32, 0.5>>) -> (tensor<4x!quant.uniform<i8:f32, 0.5>>, tensor<4xf32>) {
  // expected-error @+1 {{'ds.quantize' op has no lowering}}
  %0 = ds.quantize %x : tensor<4xf32> -> tensor<4x!quant.uniform<i8:f32, 0.5>>
  // expected-error @+1 {{'ds.dequantize' op has no lowering}}
  %1 = ds.dequantize %q : tensor<4x!quant.uniform<i8:f32, 0.5>> -> tensor<4xf32>
  return %0, %1 : tensor<4x!quant.uniform<i8:f32, 0.5>>, tensor<4xf32>
}
