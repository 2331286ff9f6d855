// Reductions reduce into the non-keepdims shape, then reshape for keepdims.
// RUN: deepseek-opt %s --convert-ds-to-linalg -split-input-file | FileCheck %s

// CHECK-DAG: #[[OUT:.*]] = affine_map<(d0, d1, d2) -> (d0, d2)>
// CHECK-LABEL: func.func @reduce_mean_keepdims
// CHECK: linalg.generic {indexing_maps = [#{{.*}}, #[[OUT]]], iterator_types = ["parallel", "reduction", "parallel"]}
// CHECK: arith.addf
// CHECK: arith.divf
// CHECK: tensor.expand_shape {{.*}} into tensor<2x1x4xf32>
func.func @reduce_mean_keepdims(%x: tensor<2x3x4xf32>) -> tensor<2x1x4xf32> {
  %0 = ds.reduce_mean %x {axes = array<i64: 1>} : (tensor<2x3x4xf32>) -> tensor<2x1x4xf32>
  return %0 : tensor<2x1x4xf32>
}

// -----

// CHECK-LABEL: func.func @reduce_max_int
// CHECK: arith.constant -2147483648 : i32
// CHECK: arith.maxsi
func.func @reduce_max_int(%x: tensor<2x3xi32>) -> tensor<2xi32> {
  %0 = ds.reduce_max %x {axes = array<i64: 1>, keepdims = false} : (tensor<2x3xi32>) -> tensor<2xi32>
  return %0 : tensor<2xi32>
}

// -----

// One generic, two results (value, index); the index comes from linalg.index.
// CHECK-LABEL: func.func @arg_max
// CHECK: %{{.*}}:2 = linalg.generic
// CHECK: linalg.index 1
// CHECK: arith.cmpf ogt
// CHECK: linalg.yield
func.func @arg_max(%x: tensor<2x3xf32>) -> tensor<2x1xi64> {
  %0 = ds.arg_max %x {axis = 1 : i64} : (tensor<2x3xf32>) -> tensor<2x1xi64>
  return %0 : tensor<2x1xi64>
}

// -----

// CHECK-LABEL: func.func @cum_sum_exclusive
// CHECK: iterator_types = ["parallel", "reduction"]
// CHECK: arith.cmpi ult
func.func @cum_sum_exclusive(%x: tensor<5xf32>) -> tensor<5xf32> {
  %0 = ds.cum_sum %x {axis = 0 : i64, exclusive = true} : tensor<5xf32>
  return %0 : tensor<5xf32>
}

// -----

// top_k ranks each element with a nested scan; ties keep the lower index.
// CHECK-LABEL: func.func @top_k
// CHECK: %{{.*}}:2 = linalg.generic
// CHECK: scf.for
// CHECK: scf.for
// CHECK: arith.cmpf ogt
// CHECK: arith.cmpi ult
// CHECK: arith.index_cast %{{.*}} : index to i64
func.func @top_k(%a: tensor<2x5xf32>) -> (tensor<2x3xf32>, tensor<2x3xi64>) {
  %v, %i = ds.top_k %a {k = 3 : i64, axis = 1 : i64} : (tensor<2x5xf32>) -> (tensor<2x3xf32>, tensor<2x3xi64>)
  return %v, %i : tensor<2x3xf32>, tensor<2x3xi64>
}

// -----

// A large tensor reduced to one value: 16 lanes side by side first (a loop
// that vectorizes), then the 16.
// CHECK-LABEL: func.func @reduce_all_large
// CHECK: tensor.expand_shape {{.*}} into tensor<128x16xf32>
// CHECK: %[[LANES:.*]] = linalg.generic {{.*}} iterator_types = ["reduction", "parallel"]} ins(%{{.*}} : tensor<128x16xf32>) outs(%{{.*}} : tensor<16xf32>)
// CHECK: linalg.generic {{.*}} iterator_types = ["reduction"]} ins(%[[LANES]] : tensor<16xf32>)
func.func @reduce_all_large(%x: tensor<8x256xf32>) -> tensor<f32> {
  %0 = ds.reduce_max %x {axes = array<i64: 0, 1>, keepdims = false} : (tensor<8x256xf32>) -> tensor<f32>
  return %0 : tensor<f32>
}

// A small one stays one loop nest.
// CHECK-LABEL: func.func @reduce_all_small
// CHECK: linalg.generic {{.*}} iterator_types = ["reduction", "reduction"]
func.func @reduce_all_small(%x: tensor<4x8xf32>) -> tensor<f32> {
  %0 = ds.reduce_max %x {axes = array<i64: 0, 1>, keepdims = false} : (tensor<4x8xf32>) -> tensor<f32>
  return %0 : tensor<f32>
}
