// Softmax subtracts the row max before exp; layer_norm computes the variance
// of the centered values.
// RUN: deepseek-opt %s --convert-ds-to-linalg -split-input-file | FileCheck %s

// CHECK-LABEL: func.func @softmax
// CHECK: arith.maximumf
// CHECK: arith.subf
// CHECK: math.exp
// CHECK: arith.addf
// CHECK: arith.divf
func.func @softmax(%x: tensor<2x5xf32>) -> tensor<2x5xf32> {
  %0 = ds.softmax %x {axis = 1 : i64} : tensor<2x5xf32>
  return %0 : tensor<2x5xf32>
}

// -----

// CHECK-LABEL: func.func @log_softmax
// CHECK: math.exp
// CHECK: math.log
// CHECK: arith.subf
func.func @log_softmax(%x: tensor<2x5xf32>) -> tensor<2x5xf32> {
  %0 = ds.log_softmax %x {axis = 1 : i64} : tensor<2x5xf32>
  return %0 : tensor<2x5xf32>
}

// -----

// CHECK-LABEL: func.func @layer_norm
// CHECK: arith.constant 7.680000e+02 : f32
// CHECK: arith.subf
// CHECK: arith.mulf
// CHECK: math.rsqrt
// CHECK: arith.addf
func.func @layer_norm(%x: tensor<1x4x768xf32>, %s: tensor<768xf32>, %b: tensor<768xf32>) -> tensor<1x4x768xf32> {
  %0 = ds.layer_norm %x, %s bias %b {axis = 2 : i64, epsilon = 1.0e-12 : f32} : (tensor<1x4x768xf32>, tensor<768xf32>, tensor<768xf32>) -> tensor<1x4x768xf32>
  return %0 : tensor<1x4x768xf32>
}

// -----

// hardmax goes through arg_max, which lowers in the same pass.
// CHECK-LABEL: func.func @hardmax
// CHECK-NOT: ds.
// CHECK: arith.cmpi eq
// CHECK: arith.select
func.func @hardmax(%x: tensor<2x5xf32>) -> tensor<2x5xf32> {
  %0 = ds.hardmax %x {axis = 1 : i64} : tensor<2x5xf32>
  return %0 : tensor<2x5xf32>
}

// -----

// Attention: K transposed once, Q K^T, scale and mask in one elementwise op,
// the softmax, then P V.
// CHECK-LABEL: func.func @attention
// CHECK: %[[HALF:.*]] = arith.constant 5.000000e-01 : f32
// CHECK: %[[KT:.*]] = linalg.transpose ins(%arg1 : tensor<2x6x4xf32>) outs(%{{.*}} : tensor<2x4x6xf32>) permutation = [0, 2, 1]
// CHECK: linalg.generic {indexing_maps = [#{{.*}}, #{{.*}}, #{{.*}}], iterator_types = ["parallel", "parallel", "parallel", "reduction"]} ins(%arg0, %[[KT]] : tensor<2x8x4xf32>, tensor<2x4x6xf32>)
// CHECK: arith.mulf
// CHECK: arith.addf
// CHECK: linalg.generic {{.*}} ins(%{{.*}}, %arg3 : tensor<2x8x6xf32>, tensor<1x6xf32>)
// CHECK: arith.mulf %in, %[[HALF]]
// CHECK: arith.maximumf
// CHECK: math.exp
// CHECK: arith.divf
// CHECK: linalg.generic {{.*}} ins(%{{.*}}, %arg2 : tensor<2x8x6xf32>, tensor<2x6x3xf32>)
// CHECK-NOT: ds.attention
func.func @attention(%q: tensor<2x8x4xf32>, %k: tensor<2x6x4xf32>, %v: tensor<2x6x3xf32>, %m: tensor<1x6xf32>) -> tensor<2x8x3xf32> {
  %0 = ds.attention %q, %k, %v mask %m {scale = 0.5 : f32} : (tensor<2x8x4xf32>, tensor<2x6x4xf32>, tensor<2x6x3xf32>, tensor<1x6xf32>) -> tensor<2x8x3xf32>
  return %0 : tensor<2x8x3xf32>
}
