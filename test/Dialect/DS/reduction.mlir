// Round trip of the reductions.
// RUN: deepseek-opt %s | deepseek-opt | FileCheck %s
// RUN: deepseek-opt %s --mlir-print-op-generic | deepseek-opt | FileCheck %s

// CHECK-LABEL: func.func @reductions
func.func @reductions(%x: tensor<1x128x768xf32>, %i: tensor<2x3xi64>) -> (tensor<1x128x1xf32>, tensor<1x128xf32>, tensor<f32>, tensor<1x1x768xf32>, tensor<3xi64>, tensor<2x1xi64>) {
  // CHECK: ds.reduce_mean %{{.*}} {axes = array<i64: 2>} : (tensor<1x128x768xf32>) -> tensor<1x128x1xf32>
  %0 = ds.reduce_mean %x {axes = array<i64: 2>} : (tensor<1x128x768xf32>) -> tensor<1x128x1xf32>
  // CHECK: ds.reduce_sum %{{.*}} {axes = array<i64: 2>, keepdims = false} : (tensor<1x128x768xf32>) -> tensor<1x128xf32>
  %1 = ds.reduce_sum %x {axes = array<i64: 2>, keepdims = false} : (tensor<1x128x768xf32>) -> tensor<1x128xf32>
  // CHECK: ds.reduce_max %{{.*}} {axes = array<i64>, keepdims = false} : (tensor<1x128x768xf32>) -> tensor<f32>
  %2 = ds.reduce_max %x {axes = array<i64>, keepdims = false} : (tensor<1x128x768xf32>) -> tensor<f32>
  // CHECK: ds.reduce_l2 %{{.*}} {axes = array<i64: 0, 1>} : (tensor<1x128x768xf32>) -> tensor<1x1x768xf32>
  %3 = ds.reduce_l2 %x {axes = array<i64: 0, 1>} : (tensor<1x128x768xf32>) -> tensor<1x1x768xf32>
  // CHECK: ds.reduce_min %{{.*}} {axes = array<i64: 0>, keepdims = false} : (tensor<2x3xi64>) -> tensor<3xi64>
  %4 = ds.reduce_min %i {axes = array<i64: 0>, keepdims = false} : (tensor<2x3xi64>) -> tensor<3xi64>
  // CHECK: ds.reduce_prod %{{.*}} {axes = array<i64: 1>} : (tensor<2x3xi64>) -> tensor<2x1xi64>
  %5 = ds.reduce_prod %i {axes = array<i64: 1>} : (tensor<2x3xi64>) -> tensor<2x1xi64>
  return %0, %1, %2, %3, %4, %5 : tensor<1x128x1xf32>, tensor<1x128xf32>, tensor<f32>, tensor<1x1x768xf32>, tensor<3xi64>, tensor<2x1xi64>
}

// CHECK-LABEL: func.func @arg_reductions
func.func @arg_reductions(%x: tensor<1x1000xf32>, %i: tensor<2x3xi32>) -> (tensor<1xi64>, tensor<2x1xi64>, tensor<2x3xi32>) {
  // CHECK: ds.arg_max %{{.*}} {axis = 1 : i64, keepdims = false} : (tensor<1x1000xf32>) -> tensor<1xi64>
  %0 = ds.arg_max %x {axis = 1 : i64, keepdims = false} : (tensor<1x1000xf32>) -> tensor<1xi64>
  // CHECK: ds.arg_min %{{.*}} {axis = 1 : i64, select_last_index = true} : (tensor<2x3xi32>) -> tensor<2x1xi64>
  %1 = ds.arg_min %i {axis = 1 : i64, select_last_index = true} : (tensor<2x3xi32>) -> tensor<2x1xi64>
  // CHECK: ds.cum_sum %{{.*}} {axis = 1 : i64, exclusive = true, reverse = true} : tensor<2x3xi32>
  %2 = ds.cum_sum %i {axis = 1 : i64, exclusive = true, reverse = true} : tensor<2x3xi32>
  return %0, %1, %2 : tensor<1xi64>, tensor<2x1xi64>, tensor<2x3xi32>
}
