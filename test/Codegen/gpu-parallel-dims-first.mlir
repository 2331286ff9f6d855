// A reduction iterating (reduction, reduction, parallel) (an NHWC global
// pool) gets its parallel dim first, so that convert-linalg-to-parallel-loops
// makes it a parallel loop (the GPU's threads) instead of a serial nest;
// the reduction dims keep their order. Generics whose parallel dims already
// lead, or with one kind of dim only, are left alone. (The pass has no
// invalid input: any permutation of a generic's dims is a valid one.)
// RUN: deepseek-opt %s --ds-gpu-parallel-dims-first -split-input-file | FileCheck %s
// RUN: deepseek-opt %s --ds-gpu-parallel-dims-first --convert-linalg-to-parallel-loops -split-input-file | FileCheck %s --check-prefix=LOOPS

// CHECK-DAG: #[[IN:.*]] = affine_map<(d0, d1, d2) -> (d1, d2, d0)>
// CHECK-DAG: #[[OUT:.*]] = affine_map<(d0, d1, d2) -> (d0)>
// CHECK-LABEL: func.func @pool_nhwc
// CHECK: linalg.generic {indexing_maps = [#[[IN]], #[[OUT]]], iterator_types = ["parallel", "reduction", "reduction"]}
// LOOPS-LABEL: func.func @pool_nhwc
// LOOPS: scf.parallel (%[[C:.*]]) =
// LOOPS:   scf.for %[[H:.*]] =
// LOOPS:     scf.for %[[W:.*]] =
// LOOPS:       memref.load %arg0[%[[H]], %[[W]], %[[C]]]
#in = affine_map<(h, w, c) -> (h, w, c)>
#out = affine_map<(h, w, c) -> (c)>
func.func @pool_nhwc(%x: memref<7x7x16xf32>, %y: memref<16xf32>) {
  linalg.generic {indexing_maps = [#in, #out], iterator_types = ["reduction", "reduction", "parallel"]}
      ins(%x : memref<7x7x16xf32>) outs(%y : memref<16xf32>) {
  ^bb0(%a: f32, %acc: f32):
    %s = arith.addf %a, %acc : f32
    linalg.yield %s : f32
  }
  return
}

// -----

// linalg.index follows the interchange: old dim 0 is new dim 1.
// CHECK-DAG: #[[PICK:.*]] = affine_map<(d0, d1) -> (d1)>
// CHECK-LABEL: func.func @with_index
// CHECK: iterator_types = ["parallel", "reduction"]
// CHECK: %[[I0:.*]] = linalg.index 0
// CHECK: %[[I1:.*]] = linalg.index 1
// CHECK: %[[R:.*]] = affine.apply #[[PICK]](%[[I0]], %[[I1]])
// CHECK: arith.index_cast %[[R]]
#m2in = affine_map<(r, p) -> (r, p)>
#m2out = affine_map<(r, p) -> (p)>
func.func @with_index(%x: memref<4x8xf32>, %y: memref<8xf32>) {
  linalg.generic {indexing_maps = [#m2in, #m2out], iterator_types = ["reduction", "parallel"]}
      ins(%x : memref<4x8xf32>) outs(%y : memref<8xf32>) {
  ^bb0(%a: f32, %acc: f32):
    %r = linalg.index 0 : index
    %ri = arith.index_cast %r : index to i32
    %rf = arith.sitofp %ri : i32 to f32
    %t = arith.mulf %a, %rf : f32
    %s = arith.addf %t, %acc : f32
    linalg.yield %s : f32
  }
  return
}

// -----

// Already parallel-first, or reductions only: unchanged.
// CHECK-LABEL: func.func @unchanged
// CHECK: iterator_types = ["parallel", "reduction"]
// CHECK: iterator_types = ["reduction", "reduction"]
#rows = affine_map<(i, j) -> (i, j)>
#row = affine_map<(i, j) -> (i)>
#all = affine_map<(i, j) -> ()>
func.func @unchanged(%x: memref<4x8xf32>, %y: memref<4xf32>, %z: memref<f32>) {
  linalg.generic {indexing_maps = [#rows, #row], iterator_types = ["parallel", "reduction"]}
      ins(%x : memref<4x8xf32>) outs(%y : memref<4xf32>) {
  ^bb0(%a: f32, %acc: f32):
    %s = arith.addf %a, %acc : f32
    linalg.yield %s : f32
  }
  linalg.generic {indexing_maps = [#rows, #all], iterator_types = ["reduction", "reduction"]}
      ins(%x : memref<4x8xf32>) outs(%z : memref<f32>) {
  ^bb0(%a: f32, %acc: f32):
    %s = arith.addf %a, %acc : f32
    linalg.yield %s : f32
  }
  return
}
