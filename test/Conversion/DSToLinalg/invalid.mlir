// What the lowering refuses, and how it says so.
// RUN: deepseek-opt %s --convert-ds-to-linalg -split-input-file -verify-diagnostics

// expected-error @+1 {{code generation needs static shapes, but input 'x' (tensor<?x4xf32>) has dynamic dims; fix them with --input-shape NAME=DIMS}}
func.func @dynamic_input(%a: tensor<?x4xf32> {ds.name = "x"}) -> tensor<?x4xf32> {
  %0 = ds.relu %a : tensor<?x4xf32>
  return %0 : tensor<?x4xf32>
}

// -----

// 32-bit storage (a quantized bias) has no kernel of its own.
func.func @no_lowering(%x: tensor<4xf32>) -> tensor<4xf32> {
  // expected-error @+1 {{'ds.quantize' op has no lowering to linalg for these operand types yet}}
  %0 = ds.quantize %x : tensor<4xf32> -> tensor<4x!quant.uniform<i32:f32, 0.5>>
  // expected-error @+1 {{'ds.dequantize' op has no lowering to linalg for these operand types yet}}
  %1 = ds.dequantize %0 : tensor<4x!quant.uniform<i32:f32, 0.5>> -> tensor<4xf32>
  return %1 : tensor<4xf32>
}

// -----

// Every op without a lowering is reported, not just the first.
func.func @all_reported(%x: tensor<4xf32>) -> (tensor<4xf32>, tensor<4xf32>) {
  // expected-error @+1 {{'ds.quantize' op has no lowering}}
  %0 = ds.quantize %x : tensor<4xf32> -> tensor<4x!quant.uniform<i32:f32, 0.5>>
  // expected-error @+1 {{'ds.dequantize' op has no lowering}}
  %1 = ds.dequantize %0 : tensor<4x!quant.uniform<i32:f32, 0.5>> -> tensor<4xf32>
  // expected-error @+1 {{'ds.quantize' op has no lowering}}
  %2 = ds.quantize %x : tensor<4xf32> -> tensor<4x!quant.uniform<i32:f32, 0.25>>
  // expected-error @+1 {{'ds.dequantize' op has no lowering}}
  %3 = ds.dequantize %2 : tensor<4x!quant.uniform<i32:f32, 0.25>> -> tensor<4xf32>
  return %1, %3 : tensor<4xf32>, tensor<4xf32>
}

// -----

// A quantized model output: the quantize lowers, its storage cannot leave.
func.func @quantized_output(%x: tensor<4xf32>) -> tensor<4x!quant.uniform<i8:f32, 0.5>> {
  // expected-error @+1 {{'quant.scast' op passes a quantized tensor across the model's boundary}}
  %0 = ds.quantize %x : tensor<4xf32> -> tensor<4x!quant.uniform<i8:f32, 0.5>>
  return %0 : tensor<4x!quant.uniform<i8:f32, 0.5>>
}

// -----

// A quantized model input.
func.func @quantized_input(%q: tensor<4x!quant.uniform<u8:f32, 0.5:128>>) -> tensor<4xf32> {
  // expected-error @+1 {{'quant.scast' op passes a quantized tensor across the model's boundary}}
  %0 = ds.dequantize %q : tensor<4x!quant.uniform<u8:f32, 0.5:128>> -> tensor<4xf32>
  return %0 : tensor<4xf32>
}
