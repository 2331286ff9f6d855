// What the lowering refuses, and how it says so.
// RUN: deepseek-opt %s --convert-ds-to-linalg -split-input-file -verify-diagnostics

// expected-error @+1 {{code generation needs static shapes, but input 'x' (tensor<?x4xf32>) has dynamic dims; fix them with --input-shape NAME=DIMS}}
func.func @dynamic_input(%a: tensor<?x4xf32> {ds.name = "x"}) -> tensor<?x4xf32> {
  %0 = ds.relu %a : tensor<?x4xf32>
  return %0 : tensor<?x4xf32>
}

// -----

func.func @no_lowering(%x: tensor<1x1x4x4xf32>, %g: tensor<1x2x2x2xf32>) -> tensor<1x1x2x2xf32> {
  // expected-error @+1 {{'ds.grid_sample' op has no lowering to linalg for these operand types yet}}
  %0 = ds.grid_sample %x, %g : (tensor<1x1x4x4xf32>, tensor<1x2x2x2xf32>) -> tensor<1x1x2x2xf32>
  return %0 : tensor<1x1x2x2xf32>
}

// -----

// Every op without a lowering is reported, not just the first.
func.func @all_reported(%a: tensor<2x5xf32>, %r: tensor<1x4xf32>, %b: tensor<1xi64>, %g: tensor<1x2x2x2xf32>) -> (tensor<1x1x2x2xf32>, tensor<1x1x2x2xf32>) {
  %x = ds.reshape %a : tensor<2x5xf32> -> tensor<1x1x2x5xf32>
  // expected-error @+1 {{'ds.grid_sample' op has no lowering}}
  %s = ds.grid_sample %x, %g : (tensor<1x1x2x5xf32>, tensor<1x2x2x2xf32>) -> tensor<1x1x2x2xf32>
  // expected-error @+1 {{'ds.roi_align' op has no lowering}}
  %y = ds.roi_align %x, %r, %b {output_height = 2 : i64, output_width = 2 : i64} : (tensor<1x1x2x5xf32>, tensor<1x4xf32>, tensor<1xi64>) -> tensor<1x1x2x2xf32>
  return %s, %y : tensor<1x1x2x2xf32>, tensor<1x1x2x2xf32>
}
