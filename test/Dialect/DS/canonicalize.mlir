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

// -----

// Shape arithmetic on constants folds: the pattern exporters emit to compute a
// Reshape target (Shape -> Gather -> Unsqueeze -> Concat).
// CHECK-LABEL: func.func @shape_subgraph
// CHECK-NEXT: %[[C:.*]] = ds.constant dense<[1, 12, 64]> : tensor<3xi64>
// CHECK-NEXT: return %[[C]]
func.func @shape_subgraph() -> tensor<3xi64> {
  %shape = ds.constant dense<[1, 128, 768]> : tensor<3xi64>
  %i0 = ds.constant dense<0> : tensor<i64>
  %batch = ds.gather %shape, %i0 {axis = 0 : i64} : (tensor<3xi64>, tensor<i64>) -> tensor<i64>
  %b1 = ds.unsqueeze %batch {axes = array<i64: 0>} : (tensor<i64>) -> tensor<1xi64>
  %heads = ds.constant dense<[12, 64]> : tensor<2xi64>
  %target = ds.concat %b1, %heads {axis = 0 : i64} : (tensor<1xi64>, tensor<2xi64>) -> tensor<3xi64>
  return %target : tensor<3xi64>
}

// -----

// CHECK-LABEL: func.func @arithmetic_folds
// CHECK-DAG: ds.constant dense<[5, 7, 9]> : tensor<3xi64>
// CHECK-DAG: ds.constant dense<-3> : tensor<3xi64>
// CHECK-DAG: ds.constant dense<[4, 10, 18]> : tensor<3xi64>
// CHECK-DAG: ds.constant dense<[-2, 2, 2]> : tensor<3xi64>
// CHECK-DAG: ds.constant dense<[false, true, false]> : tensor<3xi1>
// CHECK-DAG: ds.constant dense<[1, 7, 3]> : tensor<3xi64>
// CHECK-DAG: ds.constant dense<[2.500000e+00, 1.000000e+00]> : tensor<2xf32>
// CHECK-DAG: ds.constant dense<[1.000000e+00, 2.000000e+00, 3.000000e+00]> : tensor<3xf32>
// CHECK-NOT: ds.add
// CHECK-NOT: ds.sub
// CHECK-NOT: ds.mul
// CHECK-NOT: ds.div
// CHECK-NOT: ds.equal
// CHECK-NOT: ds.where
// CHECK-NOT: ds.cast
func.func @arithmetic_folds() -> (tensor<3xi64>, tensor<3xi64>, tensor<3xi64>, tensor<3xi64>, tensor<3xi1>, tensor<3xi64>, tensor<2xf32>, tensor<3xf32>) {
  %a = ds.constant dense<[1, 2, 3]> : tensor<3xi64>
  %b = ds.constant dense<[4, 5, 6]> : tensor<3xi64>
  %add = ds.add %a, %b : (tensor<3xi64>, tensor<3xi64>) -> tensor<3xi64>
  %sub = ds.sub %a, %b : (tensor<3xi64>, tensor<3xi64>) -> tensor<3xi64>
  %mul = ds.mul %a, %b : (tensor<3xi64>, tensor<3xi64>) -> tensor<3xi64>
  // Integer division truncates toward zero, as ONNX Div does: -7/3 = -2.
  %n = ds.constant dense<[-7, 7, 6]> : tensor<3xi64>
  %three = ds.constant dense<3> : tensor<i64>
  %div = ds.div %n, %three : (tensor<3xi64>, tensor<i64>) -> tensor<3xi64>
  %two = ds.constant dense<2> : tensor<i64>
  %eq = ds.equal %a, %two : (tensor<3xi64>, tensor<i64>) -> tensor<3xi1>
  %seven = ds.constant dense<7> : tensor<i64>
  %sel = ds.where %eq, %seven, %a : (tensor<3xi1>, tensor<i64>, tensor<3xi64>) -> tensor<3xi64>
  %f = ds.constant dense<[5.0, 2.0]> : tensor<2xf32>
  %fh = ds.constant dense<[2.0, 2.0]> : tensor<2xf32>
  %fdiv = ds.div %f, %fh : (tensor<2xf32>, tensor<2xf32>) -> tensor<2xf32>
  %cast = ds.cast %a : tensor<3xi64> to tensor<3xf32>
  return %add, %sub, %mul, %div, %eq, %sel, %fdiv, %cast : tensor<3xi64>, tensor<3xi64>, tensor<3xi64>, tensor<3xi64>, tensor<3xi1>, tensor<3xi64>, tensor<2xf32>, tensor<3xf32>
}

// -----

// CHECK-LABEL: func.func @data_movement_folds
// CHECK-DAG: ds.constant dense<[2, 4]> : tensor<2xi64>
// CHECK-DAG: ds.constant dense<{{\[}}[1, 2], [1, 2], [1, 2]]> : tensor<3x2xi64>
// CHECK-DAG: ds.constant dense<{{\[}}[1, 2], [3, 4], [5, 6]]> : tensor<3x2xi64>
// CHECK-DAG: ds.constant dense<[6, 5, 4, 3, 2, 1]> : tensor<6xi64>
func.func @data_movement_folds() -> (tensor<2xi64>, tensor<3x2xi64>, tensor<3x2xi64>, tensor<6xi64>) {
  %v = ds.constant dense<[1, 2, 3, 4, 5]> : tensor<5xi64>
  %s = ds.slice %v {ends = array<i64: 4>, starts = array<i64: 1>, steps = array<i64: 2>} : (tensor<5xi64>) -> tensor<2xi64>
  %p = ds.constant dense<[1, 2]> : tensor<2xi64>
  %e = ds.expand %p : tensor<2xi64> -> tensor<3x2xi64>
  %m = ds.constant dense<[1, 2, 3, 4, 5, 6]> : tensor<6xi64>
  %r = ds.reshape %m : tensor<6xi64> -> tensor<3x2xi64>
  %rev = ds.slice %m {ends = array<i64: -1>, starts = array<i64: 5>, steps = array<i64: -1>} : (tensor<6xi64>) -> tensor<6xi64>
  return %s, %e, %r, %rev : tensor<2xi64>, tensor<3x2xi64>, tensor<3x2xi64>, tensor<6xi64>
}

// -----

// Declined: division by zero, out-of-range gather indices and tensors beyond the
// folding size limit stay for run time.
// CHECK-LABEL: func.func @not_folded_constants
// CHECK: ds.div
// CHECK: ds.gather
// CHECK: ds.add
func.func @not_folded_constants() -> (tensor<2xi64>, tensor<i64>, tensor<5000xi64>) {
  %a = ds.constant dense<[4, 5]> : tensor<2xi64>
  %z = ds.constant dense<[1, 0]> : tensor<2xi64>
  %d = ds.div %a, %z : (tensor<2xi64>, tensor<2xi64>) -> tensor<2xi64>
  %i = ds.constant dense<7> : tensor<i64>
  %g = ds.gather %a, %i {axis = 0 : i64} : (tensor<2xi64>, tensor<i64>) -> tensor<i64>
  %c = ds.constant dense<1> : tensor<5000xi64>
  %sum = ds.add %c, %c : (tensor<5000xi64>, tensor<5000xi64>) -> tensor<5000xi64>
  return %d, %g, %sum : tensor<2xi64>, tensor<i64>, tensor<5000xi64>
}

// -----

// Casts of unsigned constants widen with zeros; to unsigned, float values convert
// without a sign.
// CHECK-LABEL: func.func @unsigned_cast_folds
// CHECK-DAG: ds.constant dense<[200, 1]> : tensor<2xi32>
// CHECK-DAG: ds.constant dense<[-56, 1]> : tensor<2xi32>
// CHECK-DAG: ds.constant dense<[250, 3]> : tensor<2xui8>
func.func @unsigned_cast_folds() -> (tensor<2xi32>, tensor<2xi32>, tensor<2xui8>) {
  %u = ds.constant dense<[200, 1]> : tensor<2xui8>
  %s = ds.constant dense<[-56, 1]> : tensor<2xi8>
  %f = ds.constant dense<[250.7, 3.2]> : tensor<2xf32>
  %0 = ds.cast %u : tensor<2xui8> to tensor<2xi32>
  %1 = ds.cast %s : tensor<2xi8> to tensor<2xi32>
  %2 = ds.cast %f : tensor<2xf32> to tensor<2xui8>
  return %0, %1, %2 : tensor<2xi32>, tensor<2xi32>, tensor<2xui8>
}

// -----

// Unsigned constants fold with unsigned semantics: 200 / 7 = 28 (not -8 as a
// signed byte would give), 200 > 100, and a logical right shift.
// CHECK-LABEL: func.func @unsigned_folds
// CHECK-DAG: %[[Q:.*]] = ds.constant dense<28> : tensor<1xui8>
// CHECK-DAG: %[[T:.*]] = ds.constant dense<true> : tensor<1xi1>
// CHECK-DAG: %[[H:.*]] = ds.constant dense<100> : tensor<1xui8>
// CHECK: return %[[Q]], %[[T]], %[[H]], %[[H]]
func.func @unsigned_folds() -> (tensor<1xui8>, tensor<1xi1>, tensor<1xui8>, tensor<1xui8>) {
  %a = ds.constant dense<200> : tensor<1xui8>
  %b = ds.constant dense<7> : tensor<1xui8>
  %c = ds.constant dense<100> : tensor<1xui8>
  %one = ds.constant dense<1> : tensor<1xui8>
  %0 = ds.div %a, %b : (tensor<1xui8>, tensor<1xui8>) -> tensor<1xui8>
  %1 = ds.greater %a, %c : (tensor<1xui8>, tensor<1xui8>) -> tensor<1xi1>
  %2 = ds.shift_right %a, %one : (tensor<1xui8>, tensor<1xui8>) -> tensor<1xui8>
  %3 = ds.min %a, %c : (tensor<1xui8>, tensor<1xui8>) -> tensor<1xui8>
  return %0, %1, %2, %3 : tensor<1xui8>, tensor<1xi1>, tensor<1xui8>, tensor<1xui8>
}
