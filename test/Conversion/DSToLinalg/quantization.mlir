// Quantized tensors lower to their integer storage: quantize rounds half to
// even, adds the zero point and saturates; dequantize subtracts the zero point
// and scales; per-axis parameters are constant vectors along their axis.
// RUN: deepseek-opt %s --convert-ds-to-linalg -split-input-file | FileCheck %s

// A QDQ pair: no quantized type is left, only i8 storage between the kernels.
// A constant scale divides without a division: x clamped to the range that
// quantizes into [0, 255] (0.5 * (0 - 128), 0.5 * (255 - 128)), times the
// reciprocal, one FMA correction (x - q * scale) * reciprocal + q.
// CHECK-LABEL: func.func @qdq_per_tensor
// CHECK-DAG: %[[ZP:.*]] = arith.constant 1.280000e+02 : f32
// CHECK-DAG: %[[S:.*]] = arith.constant 5.000000e-01 : f32
// CHECK-DAG: %[[R:.*]] = arith.constant 2.000000e+00 : f32
// CHECK-DAG: %[[HI:.*]] = arith.constant 6.350000e+01 : f32
// CHECK-DAG: %[[LO:.*]] = arith.constant -6.400000e+01 : f32
// CHECK-NOT: quant.
// CHECK: linalg.generic
// CHECK-NEXT: ^bb0(%[[X:.*]]: f32,
// CHECK-NEXT: %[[C0:.*]] = arith.maxnumf %[[X]], %[[LO]] : f32
// CHECK-NEXT: %[[C1:.*]] = arith.minnumf %[[C0]], %[[HI]] : f32
// CHECK-NEXT: %[[Q0:.*]] = arith.mulf %[[C1]], %[[R]] : f32
// CHECK-NEXT: %[[NQ:.*]] = arith.negf %[[Q0]] : f32
// CHECK-NEXT: %[[E:.*]] = math.fma %[[NQ]], %[[S]], %[[C1]] : f32
// CHECK-NEXT: %[[Q1:.*]] = math.fma %[[E]], %[[R]], %[[Q0]] : f32
// CHECK-NEXT: %[[RND:.*]] = math.roundeven %[[Q1]] : f32
// CHECK-NEXT: %[[Z:.*]] = arith.addf %[[RND]], %[[ZP]] : f32
// CHECK-NEXT: arith.fptosi %[[Z]] : f32 to i32
// CHECK: arith.trunci %{{.*}} : i32 to i8
// CHECK: -> tensor<1x4xi8>
// CHECK: linalg.generic
// CHECK: arith.extui %{{.*}} : i8 to i32
// CHECK: arith.sitofp
// CHECK: arith.subf
// CHECK: arith.mulf
// CHECK-NOT: quant.
func.func @qdq_per_tensor(%x: tensor<1x4xf32>) -> tensor<1x4xf32> {
  %0 = ds.quantize %x : tensor<1x4xf32> -> tensor<1x4x!quant.uniform<u8:f32, 0.5:128>>
  %1 = ds.dequantize %0 : tensor<1x4x!quant.uniform<u8:f32, 0.5:128>> -> tensor<1x4xf32>
  return %1 : tensor<1x4xf32>
}

// -----

// Saturation bounds of the storage type: [0, 255] for u8 (above), [-128, 127]
// for i8, as clamp bounds on x: 0.25 * (-128 + 3), 0.25 * (127 + 3); signed
// storage sign-extends.
// CHECK-LABEL: func.func @qdq_signed
// CHECK-DAG: arith.constant -3.125000e+01 : f32
// CHECK-DAG: arith.constant 3.250000e+01 : f32
// CHECK: arith.extsi %{{.*}} : i8 to i32
func.func @qdq_signed(%x: tensor<4xf32>) -> tensor<4xf32> {
  %0 = ds.quantize %x : tensor<4xf32> -> tensor<4x!quant.uniform<i8:f32, 0.25:-3>>
  %1 = ds.dequantize %0 : tensor<4x!quant.uniform<i8:f32, 0.25:-3>> -> tensor<4xf32>
  return %1 : tensor<4xf32>
}

// -----

// A per-channel weight (the storage cast of an i8 constant, as the importer
// writes it) that a float op reads: dequantized at compile time, one scale
// per output channel along dim 0.
// CHECK-LABEL: func.func @per_axis_weight
// CHECK: %[[W:.*]] = arith.constant dense<{{\[}}[5.000000e-01, -1.000000e+00, 1.500000e+00], [1.000000e+00, 1.250000e+00, -1.500000e+00]]> : tensor<2x3xf32>
// CHECK-NOT: linalg.generic
// CHECK: return %[[W]]
func.func @per_axis_weight() -> tensor<2x3xf32> {
  %w = ds.constant dense<[[1, -2, 3], [4, 5, -6]]> : tensor<2x3xi8>
  %q = quant.scast %w : tensor<2x3xi8> to tensor<2x3x!quant.uniform<i8:f32:0, {0.5, 0.25}>>
  %0 = ds.dequantize %q : tensor<2x3x!quant.uniform<i8:f32:0, {0.5, 0.25}>> -> tensor<2x3xf32>
  return %0 : tensor<2x3xf32>
}

// -----

// Requantize: dequantize with the old parameters, quantize with the new.
// CHECK-LABEL: func.func @requantize
// CHECK: arith.mulf
// CHECK: math.roundeven
// CHECK-NOT: quant.
func.func @requantize(%x: tensor<4xf32>) -> tensor<4xf32> {
  %0 = ds.quantize %x : tensor<4xf32> -> tensor<4x!quant.uniform<i8:f32, 0.5>>
  %1 = ds.requantize %0 : tensor<4x!quant.uniform<i8:f32, 0.5>> -> tensor<4x!quant.uniform<u8:f32, 0.25:10>>
  %2 = ds.dequantize %1 : tensor<4x!quant.uniform<u8:f32, 0.25:10>> -> tensor<4xf32>
  return %2 : tensor<4xf32>
}

// -----

// A per-channel quantized activation (not a constant) dequantizes at run
// time, the scales a constant vector broadcast along its axis; the scale
// read per element divides (and the result saturates after rounding).
// CHECK-LABEL: func.func @per_axis_activation
// CHECK: %[[S:.*]] = arith.constant dense<[{{\[}}5.000000e-01], [2.500000e-01]]> : tensor<2x1xf32>
// CHECK: linalg.generic {{.*}} ins(%{{.*}}, %[[S]], %{{.*}} : tensor<2x3xf32>, tensor<2x1xf32>, tensor<2x1xf32>)
// CHECK: arith.divf
// CHECK: math.roundeven
// CHECK: arith.maxnumf
// CHECK: arith.minnumf
// CHECK: linalg.generic {{.*}} ins(%{{.*}}, %[[S]], %{{.*}} : tensor<2x3xi8>, tensor<2x1xf32>, tensor<2x1xf32>)
// CHECK-NOT: quant.
func.func @per_axis_activation(%x: tensor<2x3xf32>) -> tensor<2x3xf32> {
  %q = ds.quantize %x : tensor<2x3xf32> -> tensor<2x3x!quant.uniform<i8:f32:0, {0.5, 0.25}>>
  %0 = ds.dequantize %q : tensor<2x3x!quant.uniform<i8:f32:0, {0.5, 0.25}>> -> tensor<2x3xf32>
  return %0 : tensor<2x3xf32>
}
