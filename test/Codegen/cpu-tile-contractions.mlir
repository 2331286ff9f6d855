// Matmul-like f32 generics whose output tiles divide evenly become a forall
// over Mr x Nr tiles (n-tiles outside), a K loop of step 1 carrying the
// accumulator tile as a vector, and a vectorized contraction whose multiply
// and add may contract into FMAs (fastmath<contract>); an elementwise
// epilogue joins the tile loop and works on the accumulators; other
// contractions are left alone.
// RUN: deepseek-opt %s --ds-cpu-tile-contractions -canonicalize -split-input-file | FileCheck %s

// CHECK-LABEL: func.func @matmul
// CHECK: scf.forall (%[[N:.*]], %[[M:.*]]) = (0, 0) to (64, 16) step (32, 8)
// CHECK: %[[INIT:.*]] = vector.transfer_read %{{.*}} : tensor<8x32xf32>, vector<8x32xf32>
// CHECK: %[[ACC:.*]] = scf.for %{{.*}} = %c0 to %c24 step %c1 iter_args(%[[A:.*]] = %[[INIT]]) -> (vector<8x32xf32>)
// CHECK: vector.transfer_read %{{.*}} : tensor<8x1xf32>, vector<8x32x1xf32>
// CHECK: vector.transfer_read %{{.*}} : tensor<1x32xf32>, vector<8x32x1xf32>
// CHECK: %[[MUL:.*]] = arith.mulf %{{.*}}, %{{.*}} fastmath<contract> : vector<8x32x1xf32>
// CHECK: %[[P:.*]] = vector.shape_cast %[[MUL]] : vector<8x32x1xf32> to vector<8x32xf32>
// CHECK: %[[S:.*]] = arith.addf %[[A]], %[[P]] fastmath<contract> : vector<8x32xf32>
// CHECK: scf.yield %[[S]]
// CHECK: vector.transfer_write %[[ACC]]
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

// The bias + ReLU epilogue runs on each tile's accumulators: zero the output
// tile, accumulate in registers, add the bias, clamp, write the tile once.
// CHECK-LABEL: func.func @matmul_epilogue
// CHECK: scf.forall
// CHECK: %[[ZERO:.*]] = linalg.fill ins(%{{.*}} : f32) outs(%{{.*}} : tensor<8x32xf32>)
// CHECK: %[[ACC:.*]] = scf.for {{.*}} -> (vector<8x32xf32>)
// CHECK: %[[BIAS:.*]] = vector.transfer_read %{{.*}} : tensor<32xf32>, vector<8x32xf32>
// CHECK: %[[SUM:.*]] = arith.addf %[[ACC]], %[[BIAS]] : vector<8x32xf32>
// CHECK: %[[RELU:.*]] = arith.maximumf %[[SUM]], %{{.*}} : vector<8x32xf32>
// CHECK: vector.transfer_write %[[RELU]], %[[ZERO]]
// CHECK: scf.forall.in_parallel
// CHECK-NOT: linalg.generic
#mk2 = affine_map<(m, n, k) -> (m, k)>
#kn2 = affine_map<(m, n, k) -> (k, n)>
#mn2 = affine_map<(m, n, k) -> (m, n)>
#id2 = affine_map<(m, n) -> (m, n)>
#col = affine_map<(m, n) -> (n)>
func.func @matmul_epilogue(%a: tensor<16x24xf32>, %b: tensor<24x64xf32>, %bias: tensor<64xf32>) -> tensor<16x64xf32> {
  %zero = arith.constant 0.0 : f32
  %e = tensor.empty() : tensor<16x64xf32>
  %c = linalg.fill ins(%zero : f32) outs(%e : tensor<16x64xf32>) -> tensor<16x64xf32>
  %0 = linalg.generic {indexing_maps = [#mk2, #kn2, #mn2], iterator_types = ["parallel", "parallel", "reduction"]}
      ins(%a, %b : tensor<16x24xf32>, tensor<24x64xf32>) outs(%c : tensor<16x64xf32>) {
  ^bb0(%x: f32, %y: f32, %acc: f32):
    %p = arith.mulf %x, %y : f32
    %s = arith.addf %acc, %p : f32
    linalg.yield %s : f32
  } -> tensor<16x64xf32>
  %1 = linalg.generic {indexing_maps = [#id2, #col, #id2], iterator_types = ["parallel", "parallel"]}
      ins(%0, %bias : tensor<16x64xf32>, tensor<64xf32>) outs(%e : tensor<16x64xf32>) {
  ^bb0(%x: f32, %bv: f32, %o: f32):
    %s = arith.addf %x, %bv : f32
    %r = arith.maximumf %s, %zero : f32
    linalg.yield %r : f32
  } -> tensor<16x64xf32>
  return %1 : tensor<16x64xf32>
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

// -----

// A constant right-hand side whose rows are a multiple of 64 floats long is
// stored with 16 floats of padding per row (so the rows of a tile's panel do
// not crowd into a few cache sets) and read through a slice.
// CHECK-LABEL: func.func @padded_weights
// CHECK: %[[WIDE:.*]] = arith.constant dense_resource<padded_weight> : tensor<8x80xf32>
// CHECK: %[[B:.*]] = tensor.extract_slice %[[WIDE]][0, 0] [8, 64] [1, 1] : tensor<8x80xf32> to tensor<8x64xf32>
// CHECK: scf.forall
// CHECK: tensor.extract_slice %[[B]]
#mk = affine_map<(m, n, k) -> (m, k)>
#kn = affine_map<(m, n, k) -> (k, n)>
#mn = affine_map<(m, n, k) -> (m, n)>
func.func @padded_weights(%a: tensor<16x8xf32>, %c: tensor<16x64xf32>) -> tensor<16x64xf32> {
  %b = arith.constant dense<0.5> : tensor<8x64xf32>
  %0 = linalg.generic {indexing_maps = [#mk, #kn, #mn], iterator_types = ["parallel", "parallel", "reduction"]}
      ins(%a, %b : tensor<16x8xf32>, tensor<8x64xf32>) outs(%c : tensor<16x64xf32>) {
  ^bb0(%x: f32, %y: f32, %acc: f32):
    %p = arith.mulf %x, %y : f32
    %s = arith.addf %acc, %p : f32
    linalg.yield %s : f32
  } -> tensor<16x64xf32>
  return %0 : tensor<16x64xf32>
}

// -----

// Not padded: rows of 32 floats (already an odd number of cache lines apart
// in pairs), and a right-hand side that is not a constant (the first test).
// CHECK-LABEL: func.func @unpadded_weights
// CHECK-NOT: padded_weight
// CHECK-NOT: tensor<8x48xf32>
// CHECK: scf.forall
#mk = affine_map<(m, n, k) -> (m, k)>
#kn = affine_map<(m, n, k) -> (k, n)>
#mn = affine_map<(m, n, k) -> (m, n)>
func.func @unpadded_weights(%a: tensor<16x8xf32>, %c: tensor<16x32xf32>) -> tensor<16x32xf32> {
  %b = arith.constant dense<0.5> : tensor<8x32xf32>
  %0 = linalg.generic {indexing_maps = [#mk, #kn, #mn], iterator_types = ["parallel", "parallel", "reduction"]}
      ins(%a, %b : tensor<16x8xf32>, tensor<8x32xf32>) outs(%c : tensor<16x32xf32>) {
  ^bb0(%x: f32, %y: f32, %acc: f32):
    %p = arith.mulf %x, %y : f32
    %s = arith.addf %acc, %p : f32
    linalg.yield %s : f32
  } -> tensor<16x32xf32>
  return %0 : tensor<16x32xf32>
}

// -----

// A constant right-hand side read as B[n][k] (a Linear layer's Gemm with
// transB) is stored transposed at compile time and read as B[k][n]; the
// product is then tiled like any other.
// CHECK-LABEL: func.func @transposed_weights
// CHECK: %[[BT:.*]] = arith.constant dense_resource<transposed_weight> : tensor<8x32xf32>
// CHECK: scf.forall
// CHECK: tensor.extract_slice %[[BT]]
#mk = affine_map<(m, n, k) -> (m, k)>
#nk = affine_map<(m, n, k) -> (n, k)>
#mn = affine_map<(m, n, k) -> (m, n)>
func.func @transposed_weights(%a: tensor<16x8xf32>, %c: tensor<16x32xf32>) -> tensor<16x32xf32> {
  %b = arith.constant dense<[[1.0, 2.0, 3.0, 4.0, 5.0, 6.0, 7.0, 8.0], [1.0, 2.0, 3.0, 4.0, 5.0, 6.0, 7.0, 8.0], [1.0, 2.0, 3.0, 4.0, 5.0, 6.0, 7.0, 8.0], [1.0, 2.0, 3.0, 4.0, 5.0, 6.0, 7.0, 8.0], [1.0, 2.0, 3.0, 4.0, 5.0, 6.0, 7.0, 8.0], [1.0, 2.0, 3.0, 4.0, 5.0, 6.0, 7.0, 8.0], [1.0, 2.0, 3.0, 4.0, 5.0, 6.0, 7.0, 8.0], [1.0, 2.0, 3.0, 4.0, 5.0, 6.0, 7.0, 8.0], [1.0, 2.0, 3.0, 4.0, 5.0, 6.0, 7.0, 8.0], [1.0, 2.0, 3.0, 4.0, 5.0, 6.0, 7.0, 8.0], [1.0, 2.0, 3.0, 4.0, 5.0, 6.0, 7.0, 8.0], [1.0, 2.0, 3.0, 4.0, 5.0, 6.0, 7.0, 8.0], [1.0, 2.0, 3.0, 4.0, 5.0, 6.0, 7.0, 8.0], [1.0, 2.0, 3.0, 4.0, 5.0, 6.0, 7.0, 8.0], [1.0, 2.0, 3.0, 4.0, 5.0, 6.0, 7.0, 8.0], [1.0, 2.0, 3.0, 4.0, 5.0, 6.0, 7.0, 8.0], [1.0, 2.0, 3.0, 4.0, 5.0, 6.0, 7.0, 8.0], [1.0, 2.0, 3.0, 4.0, 5.0, 6.0, 7.0, 8.0], [1.0, 2.0, 3.0, 4.0, 5.0, 6.0, 7.0, 8.0], [1.0, 2.0, 3.0, 4.0, 5.0, 6.0, 7.0, 8.0], [1.0, 2.0, 3.0, 4.0, 5.0, 6.0, 7.0, 8.0], [1.0, 2.0, 3.0, 4.0, 5.0, 6.0, 7.0, 8.0], [1.0, 2.0, 3.0, 4.0, 5.0, 6.0, 7.0, 8.0], [1.0, 2.0, 3.0, 4.0, 5.0, 6.0, 7.0, 8.0], [1.0, 2.0, 3.0, 4.0, 5.0, 6.0, 7.0, 8.0], [1.0, 2.0, 3.0, 4.0, 5.0, 6.0, 7.0, 8.0], [1.0, 2.0, 3.0, 4.0, 5.0, 6.0, 7.0, 8.0], [1.0, 2.0, 3.0, 4.0, 5.0, 6.0, 7.0, 8.0], [1.0, 2.0, 3.0, 4.0, 5.0, 6.0, 7.0, 8.0], [1.0, 2.0, 3.0, 4.0, 5.0, 6.0, 7.0, 8.0], [1.0, 2.0, 3.0, 4.0, 5.0, 6.0, 7.0, 8.0], [1.0, 2.0, 3.0, 4.0, 5.0, 6.0, 7.0, 8.0]]> : tensor<32x8xf32>
  %0 = linalg.generic {indexing_maps = [#mk, #nk, #mn], iterator_types = ["parallel", "parallel", "reduction"]}
      ins(%a, %b : tensor<16x8xf32>, tensor<32x8xf32>) outs(%c : tensor<16x32xf32>) {
  ^bb0(%x: f32, %y: f32, %acc: f32):
    %p = arith.mulf %x, %y : f32
    %s = arith.addf %acc, %p : f32
    linalg.yield %s : f32
  } -> tensor<16x32xf32>
  return %0 : tensor<16x32xf32>
}
