// Matmul-like f32 generics whose output tiles divide evenly become a forall
// over Mr x Nr tiles, a K loop of step 1 carrying the
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

// The bias + ReLU epilogue runs on each tile's accumulators: the
// accumulators start at zero in registers (no fill of the output, not even
// per tile), add the bias, clamp, write the tile once.
// CHECK-LABEL: func.func @matmul_epilogue
// CHECK: %[[ZEROS:.*]] = arith.constant dense<0.000000e+00> : vector<8x32xf32>
// CHECK-NOT: linalg.fill
// CHECK: %[[EMPTY:.*]] = tensor.empty() : tensor<16x64xf32>
// CHECK: scf.forall {{.*}} shared_outs(%[[OUTS:.*]] = %[[EMPTY]])
// CHECK: %[[OUT:.*]] = tensor.extract_slice %[[OUTS]]
// CHECK: %[[ACC:.*]] = scf.for {{.*}} iter_args(%{{.*}} = %[[ZEROS]]) -> (vector<8x32xf32>)
// CHECK: %[[BIAS:.*]] = vector.transfer_read %{{.*}} : tensor<32xf32>, vector<8x32xf32>
// CHECK: %[[SUM:.*]] = arith.addf %[[ACC]], %[[BIAS]] : vector<8x32xf32>
// CHECK: %[[RELU:.*]] = arith.maximumf %[[SUM]], %{{.*}} : vector<8x32xf32>
// CHECK: vector.transfer_write %[[RELU]], %[[OUT]]
// CHECK: scf.forall.in_parallel
// CHECK-NOT: linalg.generic
// CHECK-NOT: linalg.fill
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

// A constant right-hand side B[K][N] wider than one register tile is packed
// at compile time into Nr-wide panels B[N/Nr][K][Nr] (panel p, row k holds
// B[k][32p : 32p + 32]); the product iterates the panel index as a loop dim
// outside the rows, and writes its output viewed as [M, N/Nr, Nr].
// CHECK-LABEL: func.func @packed_weights
// CHECK: %[[B:.*]] = arith.constant dense_resource<packed_weight> : tensor<2x2x32xf32>
// CHECK: %[[OUT:.*]] = tensor.expand_shape %arg1 {{\[\[}}0], [1, 2]] output_shape [16, 2, 32]
// CHECK: %[[R:.*]] = scf.forall (%[[P:.*]], %[[M:.*]]) = (0, 0) to (2, 16) step (1, 8) shared_outs(%{{.*}} = %[[OUT]])
// CHECK: tensor.extract_slice %[[B]][%[[P]], 0, 0] [1, 2, 32]
// CHECK: scf.for {{.*}} -> (vector<8x1x32xf32>)
// CHECK: tensor.collapse_shape %[[R]] {{\[\[}}0], [1, 2]] : tensor<16x2x32xf32> into tensor<16x64xf32>
// CHECK: packed_weight: "0x04000000
// The blob: row 0 of panel 0 is B[0][0:32] = 0..31 (0.0 = 00000000, 1.0 = 0000803F),
// then row 1 of panel 0 is B[1][0:32] = 64..95 (64.0 = 00008042).
// CHECK-SAME: 000000000000803F
// CHECK-SAME: 0000F84100008042
#mk = affine_map<(m, n, k) -> (m, k)>
#kn = affine_map<(m, n, k) -> (k, n)>
#mn = affine_map<(m, n, k) -> (m, n)>
func.func @packed_weights(%a: tensor<16x2xf32>, %c: tensor<16x64xf32>) -> tensor<16x64xf32> {
  %b = arith.constant dense<[[0.0, 1.0, 2.0, 3.0, 4.0, 5.0, 6.0, 7.0, 8.0, 9.0, 10.0, 11.0, 12.0, 13.0, 14.0, 15.0, 16.0, 17.0, 18.0, 19.0, 20.0, 21.0, 22.0, 23.0, 24.0, 25.0, 26.0, 27.0, 28.0, 29.0, 30.0, 31.0, 32.0, 33.0, 34.0, 35.0, 36.0, 37.0, 38.0, 39.0, 40.0, 41.0, 42.0, 43.0, 44.0, 45.0, 46.0, 47.0, 48.0, 49.0, 50.0, 51.0, 52.0, 53.0, 54.0, 55.0, 56.0, 57.0, 58.0, 59.0, 60.0, 61.0, 62.0, 63.0], [64.0, 65.0, 66.0, 67.0, 68.0, 69.0, 70.0, 71.0, 72.0, 73.0, 74.0, 75.0, 76.0, 77.0, 78.0, 79.0, 80.0, 81.0, 82.0, 83.0, 84.0, 85.0, 86.0, 87.0, 88.0, 89.0, 90.0, 91.0, 92.0, 93.0, 94.0, 95.0, 96.0, 97.0, 98.0, 99.0, 100.0, 101.0, 102.0, 103.0, 104.0, 105.0, 106.0, 107.0, 108.0, 109.0, 110.0, 111.0, 112.0, 113.0, 114.0, 115.0, 116.0, 117.0, 118.0, 119.0, 120.0, 121.0, 122.0, 123.0, 124.0, 125.0, 126.0, 127.0]]> : tensor<2x64xf32>
  %0 = linalg.generic {indexing_maps = [#mk, #kn, #mn], iterator_types = ["parallel", "parallel", "reduction"]}
      ins(%a, %b : tensor<16x2xf32>, tensor<2x64xf32>) outs(%c : tensor<16x64xf32>) {
  ^bb0(%x: f32, %y: f32, %acc: f32):
    %p = arith.mulf %x, %y : f32
    %s = arith.addf %acc, %p : f32
    linalg.yield %s : f32
  } -> tensor<16x64xf32>
  return %0 : tensor<16x64xf32>
}

// -----

// The epilogue of a packed product is expanded to the packed output's shape
// (the bias viewed as [N/Nr, Nr]) and still runs on each tile's accumulators.
// CHECK-LABEL: func.func @packed_weights_epilogue
// CHECK-DAG: %[[BIAS:.*]] = tensor.expand_shape %arg1 {{\[\[}}0, 1]] output_shape [2, 32]
// CHECK: scf.forall
// CHECK: scf.for {{.*}} -> (vector<8x1x32xf32>)
// CHECK: tensor.extract_slice %[[BIAS]]
// CHECK: arith.addf %{{.*}}, %{{.*}} : vector<8x1x32xf32>
// CHECK: arith.maximumf %{{.*}}, %{{.*}} : vector<8x1x32xf32>
// CHECK: scf.forall.in_parallel
// CHECK-NOT: linalg.generic
#mk = affine_map<(m, n, k) -> (m, k)>
#kn = affine_map<(m, n, k) -> (k, n)>
#mn = affine_map<(m, n, k) -> (m, n)>
#id2 = affine_map<(m, n) -> (m, n)>
#col = affine_map<(m, n) -> (n)>
func.func @packed_weights_epilogue(%a: tensor<16x8xf32>, %bias: tensor<64xf32>) -> tensor<16x64xf32> {
  %zero = arith.constant 0.0 : f32
  %b = arith.constant dense<0.5> : tensor<8x64xf32>
  %e = tensor.empty() : tensor<16x64xf32>
  %c = linalg.fill ins(%zero : f32) outs(%e : tensor<16x64xf32>) -> tensor<16x64xf32>
  %0 = linalg.generic {indexing_maps = [#mk, #kn, #mn], iterator_types = ["parallel", "parallel", "reduction"]}
      ins(%a, %b : tensor<16x8xf32>, tensor<8x64xf32>) outs(%c : tensor<16x64xf32>) {
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

// Not packed: a right-hand side one tile wide (N = Nr = 32), and one that is
// not a constant (the first test).
// CHECK-LABEL: func.func @unpacked_weights
// CHECK-NOT: packed_weight
// CHECK-NOT: tensor.expand_shape
// CHECK: scf.forall
#mk = affine_map<(m, n, k) -> (m, k)>
#kn = affine_map<(m, n, k) -> (k, n)>
#mn = affine_map<(m, n, k) -> (m, n)>
func.func @unpacked_weights(%a: tensor<16x8xf32>, %c: tensor<16x32xf32>) -> tensor<16x32xf32> {
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

// -----

// A product into a zero fill without an epilogue: the tiles start their
// accumulators at zero in registers and never read the fill, so the forall
// starts from the fill's empty tensor and the fill (a memset) is gone. One
// 16-wide vector of B per step gets 16 rows (16 accumulators).
// CHECK-LABEL: func.func @zero_fill_16x16
// CHECK: %[[ZEROS:.*]] = arith.constant dense<0.000000e+00> : vector<16x16xf32>
// CHECK: %[[EMPTY:.*]] = tensor.empty() : tensor<32x48xf32>
// CHECK-NOT: linalg.fill
// CHECK: scf.forall (%{{.*}}, %{{.*}}) = (0, 0) to (48, 32) step (16, 16) shared_outs(%{{.*}} = %[[EMPTY]])
// CHECK: scf.for {{.*}} iter_args(%{{.*}} = %[[ZEROS]]) -> (vector<16x16xf32>)
#mk = affine_map<(m, n, k) -> (m, k)>
#kn = affine_map<(m, n, k) -> (k, n)>
#mn = affine_map<(m, n, k) -> (m, n)>
func.func @zero_fill_16x16(%a: tensor<32x8xf32>, %b: tensor<8x48xf32>) -> tensor<32x48xf32> {
  %zero = arith.constant 0.0 : f32
  %e = tensor.empty() : tensor<32x48xf32>
  %c = linalg.fill ins(%zero : f32) outs(%e : tensor<32x48xf32>) -> tensor<32x48xf32>
  %0 = linalg.generic {indexing_maps = [#mk, #kn, #mn], iterator_types = ["parallel", "parallel", "reduction"]}
      ins(%a, %b : tensor<32x8xf32>, tensor<8x48xf32>) outs(%c : tensor<32x48xf32>) {
  ^bb0(%x: f32, %y: f32, %acc: f32):
    %p = arith.mulf %x, %y : f32
    %s = arith.addf %acc, %p : f32
    linalg.yield %s : f32
  } -> tensor<32x48xf32>
  return %0 : tensor<32x48xf32>
}

// -----

// Any fill value works the same way: the accumulators start at 1.0.
// CHECK-LABEL: func.func @nonzero_fill
// CHECK: %[[ONES:.*]] = arith.constant dense<1.000000e+00> : vector<16x16xf32>
// CHECK-NOT: linalg.fill
// CHECK: scf.for {{.*}} iter_args(%{{.*}} = %[[ONES]]) -> (vector<16x16xf32>)
#mk = affine_map<(m, n, k) -> (m, k)>
#kn = affine_map<(m, n, k) -> (k, n)>
#mn = affine_map<(m, n, k) -> (m, n)>
func.func @nonzero_fill(%a: tensor<32x8xf32>, %b: tensor<8x48xf32>) -> tensor<32x48xf32> {
  %one = arith.constant 1.0 : f32
  %e = tensor.empty() : tensor<32x48xf32>
  %c = linalg.fill ins(%one : f32) outs(%e : tensor<32x48xf32>) -> tensor<32x48xf32>
  %0 = linalg.generic {indexing_maps = [#mk, #kn, #mn], iterator_types = ["parallel", "parallel", "reduction"]}
      ins(%a, %b : tensor<32x8xf32>, tensor<8x48xf32>) outs(%c : tensor<32x48xf32>) {
  ^bb0(%x: f32, %y: f32, %acc: f32):
    %p = arith.mulf %x, %y : f32
    %s = arith.addf %acc, %p : f32
    linalg.yield %s : f32
  } -> tensor<32x48xf32>
  return %0 : tensor<32x48xf32>
}

// -----

// An accumulator that starts from real data (the output argument) is read
// from memory before the K loop, as before.
// CHECK-LABEL: func.func @accumulate_into_argument
// CHECK: scf.forall {{.*}} shared_outs(%[[OUTS:.*]] = %arg2)
// CHECK: %[[TILE:.*]] = tensor.extract_slice %[[OUTS]]
// CHECK: %[[INIT:.*]] = vector.transfer_read %[[TILE]]
// CHECK: scf.for {{.*}} iter_args(%{{.*}} = %[[INIT]]) -> (vector<16x16xf32>)
#mk = affine_map<(m, n, k) -> (m, k)>
#kn = affine_map<(m, n, k) -> (k, n)>
#mn = affine_map<(m, n, k) -> (m, n)>
func.func @accumulate_into_argument(%a: tensor<32x8xf32>, %b: tensor<8x48xf32>, %c: tensor<32x48xf32>) -> tensor<32x48xf32> {
  %0 = linalg.generic {indexing_maps = [#mk, #kn, #mn], iterator_types = ["parallel", "parallel", "reduction"]}
      ins(%a, %b : tensor<32x8xf32>, tensor<8x48xf32>) outs(%c : tensor<32x48xf32>) {
  ^bb0(%x: f32, %y: f32, %acc: f32):
    %p = arith.mulf %x, %y : f32
    %s = arith.addf %acc, %p : f32
    linalg.yield %s : f32
  } -> tensor<32x48xf32>
  return %0 : tensor<32x48xf32>
}

// -----

// 29 rows: no tile height from 4 to 12 divides them, so the first 24 rows
// are one product tiled 12 high and the last 5 another (one tile, 5 high).
// CHECK-LABEL: func.func @row_remainder
// CHECK: %[[HEAD:.*]] = scf.forall (%{{.*}}) = (0) to (24) step (12)
// CHECK: scf.for {{.*}} -> (vector<12x32xf32>)
// CHECK: %[[PART:.*]] = tensor.insert_slice %[[HEAD]] into %arg2[0, 0] [24, 32] [1, 1]
// CHECK: tensor.extract_slice %arg0[24, 0] [5, 8] [1, 1]
// CHECK: scf.for {{.*}} -> (vector<5x32xf32>)
// CHECK: tensor.insert_slice %{{.*}} into %[[PART]][24, 0] [5, 32] [1, 1]
#mk = affine_map<(m, n, k) -> (m, k)>
#kn = affine_map<(m, n, k) -> (k, n)>
#mn = affine_map<(m, n, k) -> (m, n)>
func.func @row_remainder(%a: tensor<29x8xf32>, %b: tensor<8x32xf32>, %c: tensor<29x32xf32>) -> tensor<29x32xf32> {
  %0 = linalg.generic {indexing_maps = [#mk, #kn, #mn], iterator_types = ["parallel", "parallel", "reduction"]}
      ins(%a, %b : tensor<29x8xf32>, tensor<8x32xf32>) outs(%c : tensor<29x32xf32>) {
  ^bb0(%x: f32, %y: f32, %acc: f32):
    %p = arith.mulf %x, %y : f32
    %s = arith.addf %acc, %p : f32
    linalg.yield %s : f32
  } -> tensor<29x32xf32>
  return %0 : tensor<29x32xf32>
}

// -----

// Stacked products without an epilogue between them (Linear layers without
// a bias): the first one's packed [.., N/Nr, Nr] result is collapsed back
// for the second, whose K dim stays whole, so both stay register-tiled.
// CHECK-LABEL: func.func @stacked_products
// CHECK: scf.forall {{.*}} -> (tensor<16x2x32xf32>)
// CHECK: scf.forall {{.*}} -> (tensor<16x2x32xf32>)
// CHECK-NOT: linalg.generic
func.func @stacked_products(%a: tensor<16x64xf32>) -> tensor<16x64xf32> {
  %w1 = arith.constant dense<0.5> : tensor<64x64xf32>
  %w2 = arith.constant dense<0.25> : tensor<64x64xf32>
  %zero = arith.constant 0.0 : f32
  %e = tensor.empty() : tensor<16x64xf32>
  %init = linalg.fill ins(%zero : f32) outs(%e : tensor<16x64xf32>) -> tensor<16x64xf32>
  %h = linalg.generic {indexing_maps = [affine_map<(m, n, k) -> (m, k)>, affine_map<(m, n, k) -> (k, n)>, affine_map<(m, n, k) -> (m, n)>], iterator_types = ["parallel", "parallel", "reduction"]}
      ins(%a, %w1 : tensor<16x64xf32>, tensor<64x64xf32>) outs(%init : tensor<16x64xf32>) {
  ^bb0(%x: f32, %y: f32, %acc: f32):
    %p = arith.mulf %x, %y : f32
    %s = arith.addf %acc, %p : f32
    linalg.yield %s : f32
  } -> tensor<16x64xf32>
  %o = linalg.generic {indexing_maps = [affine_map<(m, n, k) -> (m, k)>, affine_map<(m, n, k) -> (k, n)>, affine_map<(m, n, k) -> (m, n)>], iterator_types = ["parallel", "parallel", "reduction"]}
      ins(%h, %w2 : tensor<16x64xf32>, tensor<64x64xf32>) outs(%init : tensor<16x64xf32>) {
  ^bb0(%x: f32, %y: f32, %acc: f32):
    %p = arith.mulf %x, %y : f32
    %s = arith.addf %acc, %p : f32
    linalg.yield %s : f32
  } -> tensor<16x64xf32>
  return %o : tensor<16x64xf32>
}
