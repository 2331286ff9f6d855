// Matmul-like f32 generics whose output tiles divide evenly become a forall
// over Mr x Nr tiles (n-tiles outside), a K loop of step 1 and a vectorized
// contraction; other contractions are left alone.
// RUN: deepseek-opt %s --ds-cpu-tile-contractions -split-input-file | FileCheck %s

// CHECK-LABEL: func.func @matmul
// CHECK: scf.forall (%[[N:.*]], %[[M:.*]]) = (0, 0) to (64, 16) step (32, 8)
// CHECK: scf.for %{{.*}} = %c0 to %c24 step %c1
// CHECK: vector.transfer_read %{{.*}} : tensor<8x1xf32>, vector<8x32x1xf32>
// CHECK: vector.transfer_read %{{.*}} : tensor<1x32xf32>, vector<8x32x1xf32>
// CHECK: vector.transfer_read %{{.*}} : tensor<8x32xf32>, vector<8x32xf32>
// CHECK: arith.mulf %{{.*}}, %{{.*}} : vector<8x32x1xf32>
// CHECK: vector.multi_reduction <add>, %{{.*}}, %{{.*}} [2] : vector<8x32x1xf32> to vector<8x32xf32>
// CHECK: vector.transfer_write
#mk = affine_map<(m, n, k) -> (m, k)>
#kn = affine_map<(m, n, k) -> (k, n)>
#mn = affine_map<(m, n, k) -> (m, n)>
func.func @matmul(%a: tensor<16x24xf32>, %b: tensor<24x64xf32>, %c: tensor<16x64xf32>) -> tensor<16x64xf32> {
  %0 = linalg.generic {indexing_maps = [#mk, #kn, #mn], iterator_types = ["parallel", "parallel", "reduction"]}
      ins(%a, %b : tensor<16x24xf32>, tensor<24x64xf32>) outs(%c : tensor<16x64xf32>) {
  ^bb0(%x: f32, %y: f32, %acc: f32):
    %p = arith.mulf %x, %y : f32
    %s = arith.addf %acc, %p : f32
    linalg.yield %s : f32
  } -> tensor<16x64xf32>
  return %0 : tensor<16x64xf32>
}

// -----

// N = 20 is not a multiple of 16: no tiling.
// CHECK-LABEL: func.func @ragged
// CHECK-NOT: scf.forall
// CHECK: linalg.generic
#mk = affine_map<(m, n, k) -> (m, k)>
#kn = affine_map<(m, n, k) -> (k, n)>
#mn = affine_map<(m, n, k) -> (m, n)>
func.func @ragged(%a: tensor<16x24xf32>, %b: tensor<24x20xf32>, %c: tensor<16x20xf32>) -> tensor<16x20xf32> {
  %0 = linalg.generic {indexing_maps = [#mk, #kn, #mn], iterator_types = ["parallel", "parallel", "reduction"]}
      ins(%a, %b : tensor<16x24xf32>, tensor<24x20xf32>) outs(%c : tensor<16x20xf32>) {
  ^bb0(%x: f32, %y: f32, %acc: f32):
    %p = arith.mulf %x, %y : f32
    %s = arith.addf %acc, %p : f32
    linalg.yield %s : f32
  } -> tensor<16x20xf32>
  return %0 : tensor<16x20xf32>
}

// -----

// Integer bodies and non-permutation maps (convolutions) are not matmuls.
// CHECK-LABEL: func.func @integer
// CHECK-NOT: scf.forall
#mk = affine_map<(m, n, k) -> (m, k)>
#kn = affine_map<(m, n, k) -> (k, n)>
#mn = affine_map<(m, n, k) -> (m, n)>
func.func @integer(%a: tensor<16x24xi32>, %b: tensor<24x32xi32>, %c: tensor<16x32xi32>) -> tensor<16x32xi32> {
  %0 = linalg.generic {indexing_maps = [#mk, #kn, #mn], iterator_types = ["parallel", "parallel", "reduction"]}
      ins(%a, %b : tensor<16x24xi32>, tensor<24x32xi32>) outs(%c : tensor<16x32xi32>) {
  ^bb0(%x: i32, %y: i32, %acc: i32):
    %p = arith.muli %x, %y : i32
    %s = arith.addi %acc, %p : i32
    linalg.yield %s : i32
  } -> tensor<16x32xi32>
  return %0 : tensor<16x32xi32>
}
