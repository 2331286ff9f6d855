// Folders of the ds ops, run through the upstream canonicalizer.
// RUN: deepseek-opt %s -canonicalize -split-input-file | FileCheck %s

// CHECK-LABEL: func.func @identity_folds
// CHECK-SAME: (%[[X:.*]]: tensor<4xf32>)
// CHECK-NEXT: return %[[X]]
func.func @identity_folds(%x: tensor<4xf32>) -> tensor<4xf32> {
  %0 = ds.identity %x : tensor<4xf32>
  return %0 : tensor<4xf32>
}

// -----

// CHECK-LABEL: func.func @reshape_of_reshape
// CHECK-SAME: (%[[X:.*]]: tensor<2x3xf32>)
// CHECK-NEXT: %[[R:.*]] = ds.reshape %[[X]] : tensor<2x3xf32> -> tensor<3x2xf32>
// CHECK-NEXT: return %[[R]]
func.func @reshape_of_reshape(%x: tensor<2x3xf32>) -> tensor<3x2xf32> {
  %0 = ds.reshape %x : tensor<2x3xf32> -> tensor<6xf32>
  %1 = ds.reshape %0 : tensor<6xf32> -> tensor<3x2xf32>
  return %1 : tensor<3x2xf32>
}

// -----

// CHECK-LABEL: func.func @no_op_shape_changes
// CHECK-SAME: (%[[X:.*]]: tensor<2x3xf32>)
// CHECK-NEXT: return %[[X]], %[[X]], %[[X]], %[[X]], %[[X]]
func.func @no_op_shape_changes(%x: tensor<2x3xf32>) -> (tensor<2x3xf32>, tensor<2x3xf32>, tensor<2x3xf32>, tensor<2x3xf32>, tensor<2x3xf32>) {
  %0 = ds.reshape %x : tensor<2x3xf32> -> tensor<2x3xf32>
  %1 = ds.transpose %x {perm = array<i64: 0, 1>} : (tensor<2x3xf32>) -> tensor<2x3xf32>
  %2 = ds.expand %x : tensor<2x3xf32> -> tensor<2x3xf32>
  %3 = ds.concat %x {axis = 0 : i64} : (tensor<2x3xf32>) -> tensor<2x3xf32>
  %4 = ds.slice %x {ends = array<i64: 2, 3>, starts = array<i64: 0, 0>, steps = array<i64: 1, 1>} : (tensor<2x3xf32>) -> tensor<2x3xf32>
  return %0, %1, %2, %3, %4 : tensor<2x3xf32>, tensor<2x3xf32>, tensor<2x3xf32>, tensor<2x3xf32>, tensor<2x3xf32>
}

// -----

// CHECK-LABEL: func.func @transpose_of_transpose
// CHECK-SAME: (%[[X:.*]]: tensor<2x3x4xf32>)
// CHECK-NEXT: %[[T:.*]] = ds.transpose %[[X]] {perm = array<i64: 2, 0, 1>} : (tensor<2x3x4xf32>) -> tensor<4x2x3xf32>
// CHECK-NEXT: return %[[T]]
func.func @transpose_of_transpose(%x: tensor<2x3x4xf32>) -> tensor<4x2x3xf32> {
  %0 = ds.transpose %x {perm = array<i64: 1, 0, 2>} : (tensor<2x3x4xf32>) -> tensor<3x2x4xf32>
  %1 = ds.transpose %0 {perm = array<i64: 2, 1, 0>} : (tensor<3x2x4xf32>) -> tensor<4x2x3xf32>
  return %1 : tensor<4x2x3xf32>
}

// -----

// Shape changes of a splat constant become a new splat.
// CHECK-LABEL: func.func @splat_shape_changes
// CHECK-DAG: %[[A:.*]] = ds.constant dense<2.500000e+00> : tensor<6xf32>
// CHECK-DAG: %[[B:.*]] = ds.constant dense<2.500000e+00> : tensor<1x2x3xf32>
// CHECK-DAG: %[[C:.*]] = ds.constant dense<2.500000e+00> : tensor<3x2xf32>
// CHECK-DAG: %[[D:.*]] = ds.constant dense<2.500000e+00> : tensor<4x2x3xf32>
// CHECK: return %[[A]], %[[B]], %[[C]], %[[D]]
func.func @splat_shape_changes() -> (tensor<6xf32>, tensor<1x2x3xf32>, tensor<3x2xf32>, tensor<4x2x3xf32>) {
  %c = ds.constant dense<2.5> : tensor<2x3xf32>
  %0 = ds.reshape %c : tensor<2x3xf32> -> tensor<6xf32>
  %1 = ds.unsqueeze %c {axes = array<i64: 0>} : (tensor<2x3xf32>) -> tensor<1x2x3xf32>
  %2 = ds.transpose %c {perm = array<i64: 1, 0>} : (tensor<2x3xf32>) -> tensor<3x2xf32>
  %3 = ds.expand %c : tensor<2x3xf32> -> tensor<4x2x3xf32>
  return %0, %1, %2, %3 : tensor<6xf32>, tensor<1x2x3xf32>, tensor<3x2xf32>, tensor<4x2x3xf32>
}

// -----

// CHECK-LABEL: func.func @cast_to_same_type
// CHECK-SAME: (%[[X:.*]]: tensor<4xf32>)
// CHECK-NEXT: return %[[X]]
func.func @cast_to_same_type(%x: tensor<4xf32>) -> tensor<4xf32> {
  %0 = ds.cast %x : tensor<4xf32> to tensor<4xf32>
  return %0 : tensor<4xf32>
}

// -----

// Declined: ops that change something stay.
// CHECK-LABEL: func.func @not_folded
// CHECK: ds.transpose
// CHECK: ds.slice
// CHECK: ds.cast
// CHECK: ds.reshape
func.func @not_folded(%x: tensor<2x3xf32>, %c: tensor<2x3xf32>) -> (tensor<3x2xf32>, tensor<2x2xf32>, tensor<2x3xf16>, tensor<6xf32>) {
  %0 = ds.transpose %x {perm = array<i64: 1, 0>} : (tensor<2x3xf32>) -> tensor<3x2xf32>
  %1 = ds.slice %x {ends = array<i64: 2, 2>, starts = array<i64: 0, 0>, steps = array<i64: 1, 1>} : (tensor<2x3xf32>) -> tensor<2x2xf32>
  %2 = ds.cast %x : tensor<2x3xf32> to tensor<2x3xf16>
  // A reshape of a non-splat value is not a constant.
  %3 = ds.reshape %c : tensor<2x3xf32> -> tensor<6xf32>
  return %0, %1, %2, %3 : tensor<3x2xf32>, tensor<2x2xf32>, tensor<2x3xf16>, tensor<6xf32>
}
