// Elementwise ds ops become one linalg.generic each; broadcasting lives in the
// indexing maps (size-1 dims read index 0, missing leading dims are dropped).
// RUN: deepseek-opt %s --convert-ds-to-linalg -split-input-file | FileCheck %s

// CHECK-DAG: #[[ID:.*]] = affine_map<(d0, d1) -> (d0, d1)>
// CHECK-DAG: #[[ROW:.*]] = affine_map<(d0, d1) -> (d1)>
// CHECK-LABEL: func.func @add_broadcast
// CHECK: %[[E:.*]] = tensor.empty() : tensor<2x3xf32>
// CHECK: linalg.generic {indexing_maps = [#[[ID]], #[[ROW]], #[[ID]]], iterator_types = ["parallel", "parallel"]}
// CHECK-SAME: ins(%{{.*}}, %{{.*}} : tensor<2x3xf32>, tensor<3xf32>) outs(%[[E]] : tensor<2x3xf32>)
// CHECK: arith.addf
// CHECK-NOT: ds.
func.func @add_broadcast(%a: tensor<2x3xf32>, %b: tensor<3xf32>) -> tensor<2x3xf32> {
  %0 = ds.add %a, %b : (tensor<2x3xf32>, tensor<3xf32>) -> tensor<2x3xf32>
  return %0 : tensor<2x3xf32>
}

// -----

// CHECK-DAG: #[[COL:.*]] = affine_map<(d0, d1) -> (d0, 0)>
// CHECK-LABEL: func.func @size_one_dim_broadcasts
// CHECK: linalg.generic {indexing_maps = [#{{.*}}, #[[COL]], #{{.*}}]
// CHECK: arith.cmpf olt
func.func @size_one_dim_broadcasts(%a: tensor<2x3xf32>, %b: tensor<2x1xf32>) -> tensor<2x3xi1> {
  %0 = ds.less %a, %b : (tensor<2x3xf32>, tensor<2x1xf32>) -> tensor<2x3xi1>
  return %0 : tensor<2x3xi1>
}

// -----

// CHECK-LABEL: func.func @relu_int
// CHECK: arith.maxsi
func.func @relu_int(%a: tensor<4xi32>) -> tensor<4xi32> {
  %0 = ds.relu %a : tensor<4xi32>
  return %0 : tensor<4xi32>
}

// -----

// CHECK-LABEL: func.func @gelu_exact
// CHECK: arith.mulf
// CHECK: math.erf
// CHECK: arith.addf
func.func @gelu_exact(%a: tensor<4xf32>) -> tensor<4xf32> {
  %0 = ds.gelu %a : tensor<4xf32>
  return %0 : tensor<4xf32>
}

// -----

// CHECK-LABEL: func.func @where
// CHECK: linalg.generic
// CHECK: ^bb0(%[[C:.*]]: i1, %[[T:.*]]: f32, %[[F:.*]]: f32, %{{.*}}: f32):
// CHECK: arith.select %[[C]], %[[T]], %[[F]] : f32
func.func @where(%c: tensor<4xi1>, %t: tensor<4xf32>, %f: tensor<f32>) -> tensor<4xf32> {
  %0 = ds.where %c, %t, %f : (tensor<4xi1>, tensor<4xf32>, tensor<f32>) -> tensor<4xf32>
  return %0 : tensor<4xf32>
}

// -----

// Float to integer truncates toward zero; to i1 compares with zero.
// CHECK-LABEL: func.func @casts
// CHECK: arith.fptosi %{{.*}} : f32 to i32
// CHECK: arith.cmpf une
func.func @casts(%a: tensor<4xf32>) -> (tensor<4xi32>, tensor<4xi1>) {
  %0 = ds.cast %a : tensor<4xf32> to tensor<4xi32>
  %1 = ds.cast %a : tensor<4xf32> to tensor<4xi1>
  return %0, %1 : tensor<4xi32>, tensor<4xi1>
}

// -----

// Python-style integer mod: the remainder takes the divisor's sign.
// CHECK-LABEL: func.func @mod_int
// CHECK: arith.remsi
// CHECK: arith.select
func.func @mod_int(%a: tensor<4xi32>, %b: tensor<4xi32>) -> tensor<4xi32> {
  %0 = ds.mod %a, %b : (tensor<4xi32>, tensor<4xi32>) -> tensor<4xi32>
  return %0 : tensor<4xi32>
}
