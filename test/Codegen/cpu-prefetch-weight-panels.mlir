// Row loads of a large packed weight [P, K, Nr] inside a loop get one L2
// prefetch per cache line of the same row of the next panel (clamped to the
// last panel); small weights, loads outside loops and other globals do not.
// RUN: deepseek-opt %s --ds-cpu-prefetch-weight-panels | FileCheck %s
// RUN: deepseek-opt %s --ds-cpu-prefetch-weight-panels="min-bytes=1" | FileCheck %s --check-prefix=SMALL

memref.global "private" constant @big : memref<4x4096x32xf32> = dense<1.0>
memref.global "private" constant @small : memref<4x64x32xf32> = dense<1.0>

// CHECK-LABEL: func.func @panel_rows(
// CHECK-SAME: %[[P:.*]]: index
// CHECK: scf.for %[[K:[a-z0-9]+]] =
// CHECK-DAG: %[[C1:.*]] = arith.constant 1 : index
// CHECK-DAG: %[[C3:.*]] = arith.constant 3 : index
// CHECK: %[[NEXT:.*]] = arith.addi %[[P]], %[[C1]]
// CHECK: %[[CLAMPED:.*]] = arith.minui %[[NEXT]], %[[C3]]
// CHECK: memref.prefetch %{{.*}}[%[[CLAMPED]], %[[K]], %c0{{.*}}], read, locality<2>, data
// CHECK: memref.prefetch %{{.*}}[%[[CLAMPED]], %[[K]], %c16], read, locality<2>, data
// CHECK: vector.load %{{.*}}[%[[P]], %[[K]], %c0{{.*}}] : memref<4x4096x32xf32>, vector<32xf32>
// CHECK-NOT: memref.prefetch
// SMALL-LABEL: func.func @panel_rows(
// SMALL-COUNT-4: memref.prefetch
func.func @panel_rows(%p: index, %acc: vector<32xf32>) -> vector<32xf32> {
  %c0 = arith.constant 0 : index
  %c1 = arith.constant 1 : index
  %c4096 = arith.constant 4096 : index
  %big = memref.get_global @big : memref<4x4096x32xf32>
  %small = memref.get_global @small : memref<4x64x32xf32>
  %r = scf.for %k = %c0 to %c4096 step %c1 iter_args(%a = %acc) -> (vector<32xf32>) {
    %w = vector.load %big[%p, %k, %c0] : memref<4x4096x32xf32>, vector<32xf32>
    %s = arith.addf %a, %w : vector<32xf32>
    scf.yield %s : vector<32xf32>
  }
  %r2 = scf.for %k = %c0 to %c4096 step %c1 iter_args(%a = %r) -> (vector<32xf32>) {
    %kk = arith.remui %k, %c1 : index
    %w = vector.load %small[%p, %kk, %c0] : memref<4x64x32xf32>, vector<32xf32>
    %s = arith.addf %a, %w : vector<32xf32>
    scf.yield %s : vector<32xf32>
  }
  // Outside a loop: no prefetch.
  %once = vector.load %big[%p, %c0, %c0] : memref<4x4096x32xf32>, vector<32xf32>
  %out = arith.addf %r2, %once : vector<32xf32>
  return %out : vector<32xf32>
}
