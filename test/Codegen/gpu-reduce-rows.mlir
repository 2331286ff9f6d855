// Reductions over the innermost loop dim become one block per row: each
// thread combines a strided share of the row, the shares are combined in a
// tree in workgroup memory, thread 0 stores the row's result.
// RUN: deepseek-opt %s --ds-gpu-reduce-rows -canonicalize -cse -split-input-file | FileCheck %s

// A LayerNorm's sum of squares: 128 rows of 768, 256 threads each; the
// fill is taken over (its value starts the row's result).
// CHECK-LABEL: func.func @sum_of_squares
// CHECK-SAME: (%[[X:.*]]: memref<1x128x768xf32>, %[[OUT:.*]]: memref<1x128xf32>)
// CHECK-NOT: linalg.fill
// CHECK-DAG: %[[MINUS_ZERO:.*]] = arith.constant -0.000000e+00 : f32
// CHECK-DAG: %[[ZERO:.*]] = arith.constant 0.000000e+00 : f32
// CHECK: gpu.launch blocks(%[[ROW:.*]], %{{.*}}, %{{.*}}) in (%{{.*}} = %c128, %{{.*}} = %c1, %{{.*}} = %c1) threads(%[[TX:.*]], %{{.*}}, %{{.*}}) in (%{{.*}} = %c256, %{{.*}} = %c1, %{{.*}} = %c1)
// CHECK-SAME: workgroup(%[[SHARED:.*]] : memref<256xf32, #gpu.address_space<workgroup>>)
// CHECK: %[[R:.*]] = arith.remui %[[ROW]], %c128
// CHECK: %[[SHARE:.*]] = scf.for %[[K:.*]] = %[[TX]] to %c768 step %c256 iter_args(%[[ACC:.*]] = %[[MINUS_ZERO]]) -> (f32) {
// CHECK-NEXT: %[[V:.*]] = memref.load %[[X]][%c0, %[[R]], %[[K]]]
// CHECK-NEXT: %[[SQ:.*]] = arith.mulf %[[V]], %[[V]]
// CHECK-NEXT: %[[SUM:.*]] = arith.addf %[[ACC]], %[[SQ]]
// CHECK-NEXT: scf.yield %[[SUM]]
// CHECK: memref.store %[[SHARE]], %[[SHARED]][%[[TX]]]
// CHECK-NEXT: gpu.barrier
// CHECK-NEXT: %[[LOWER:.*]] = arith.cmpi ult, %[[TX]], %c128
// CHECK-NEXT: scf.if %[[LOWER]] {
// CHECK-NEXT: %[[MINE:.*]] = memref.load %[[SHARED]][%[[TX]]]
// CHECK-NEXT: %[[AT:.*]] = arith.addi %[[TX]], %c128
// CHECK-NEXT: %[[THEIRS:.*]] = memref.load %[[SHARED]][%[[AT]]]
// CHECK-NEXT: %[[BOTH:.*]] = arith.addf %[[MINE]], %[[THEIRS]]
// CHECK-NEXT: memref.store %[[BOTH]], %[[SHARED]][%[[TX]]]
// CHECK: gpu.barrier
// Levels 64 .. 2 with a barrier after each, then 1 (thread 0's own).
// CHECK-COUNT-6: gpu.barrier
// CHECK: arith.cmpi ult, %[[TX]], %c1
// CHECK-NOT: gpu.barrier
// CHECK: %[[FIRST:.*]] = arith.cmpi eq, %[[TX]], %c0
// CHECK-NEXT: scf.if %[[FIRST]] {
// CHECK-NEXT: %[[TOTAL:.*]] = memref.load %[[SHARED]][%c0]
// CHECK-NEXT: %[[RESULT:.*]] = arith.addf %[[TOTAL]], %[[ZERO]]
// CHECK-NEXT: memref.store %[[RESULT]], %[[OUT]][%c0, %[[R]]]
// CHECK: gpu.terminator
func.func @sum_of_squares(%x: memref<1x128x768xf32>, %out: memref<1x128xf32>) {
  %zero = arith.constant 0.0 : f32
  linalg.fill ins(%zero : f32) outs(%out : memref<1x128xf32>)
  linalg.generic {indexing_maps = [affine_map<(d0, d1, d2) -> (d0, d1, d2)>, affine_map<(d0, d1, d2) -> (d0, d1)>], iterator_types = ["parallel", "parallel", "reduction"]} ins(%x : memref<1x128x768xf32>) outs(%out : memref<1x128xf32>) {
  ^bb0(%in: f32, %acc: f32):
    %sq = arith.mulf %in, %in : f32
    %s = arith.addf %acc, %sq : f32
    linalg.yield %s : f32
  }
  return
}

// -----

// A softmax's max over rows of 100 (64 threads, a power of two), the rows
// over two parallel dims; no fill: the row starts at the output's value.
// A copy reads the output between a fill and the reduction: the fill stays.
// CHECK-LABEL: func.func @row_max
// CHECK-SAME: (%[[S:.*]]: memref<3x5x100xf32>, %[[OUT:.*]]: memref<3x5xf32>, %[[SEEN:.*]]: memref<3x5xf32>)
// CHECK: %[[NEG_INF:.*]] = arith.constant 0xFF800000 : f32
// CHECK: linalg.fill
// CHECK: memref.copy
// CHECK: gpu.launch blocks(%[[ROW:.*]], %{{.*}}, %{{.*}}) in (%{{.*}} = %c15, %{{.*}} = %c1, %{{.*}} = %c1) threads(%[[TX:.*]], %{{.*}}, %{{.*}}) in (%{{.*}} = %c64, %{{.*}} = %c1, %{{.*}} = %c1)
// CHECK: %[[J:.*]] = arith.remui %[[ROW]], %c5
// CHECK: %[[REST:.*]] = arith.divui %[[ROW]], %c5
// CHECK: %[[I:.*]] = arith.remui %[[REST]], %c3
// CHECK: scf.for %{{.*}} = %[[TX]] to %c100 step %c64 iter_args(%{{.*}} = %[[NEG_INF]])
// CHECK: arith.maximumf
// CHECK: %[[INITIAL:.*]] = memref.load %[[OUT]][%[[I]], %[[J]]]
// CHECK: %[[RESULT:.*]] = arith.maximumf %[[INITIAL]], %{{.*}}
// CHECK: memref.store %[[RESULT]], %[[OUT]][%[[I]], %[[J]]]
func.func @row_max(%s: memref<3x5x100xf32>, %out: memref<3x5xf32>, %seen: memref<3x5xf32>) {
  %low = arith.constant 0xFF800000 : f32
  linalg.fill ins(%low : f32) outs(%out : memref<3x5xf32>)
  memref.copy %out, %seen : memref<3x5xf32> to memref<3x5xf32>
  linalg.generic {indexing_maps = [affine_map<(d0, d1, d2) -> (d0, d1, d2)>, affine_map<(d0, d1, d2) -> (d0, d1)>], iterator_types = ["parallel", "parallel", "reduction"]} ins(%s : memref<3x5x100xf32>) outs(%out : memref<3x5xf32>) {
  ^bb0(%in: f32, %acc: f32):
    %m = arith.maximumf %acc, %in : f32
    linalg.yield %m : f32
  }
  return
}

// -----

// The output read through a view made before the fill, between the fill
// and the reduction: the fill stays, the row starts at the output's value.
// CHECK-LABEL: func.func @fill_seen_through_view
// CHECK-SAME: (%[[S:.*]]: memref<4x100xf32>, %[[OUT:.*]]: memref<4xf32>, %[[SEEN:.*]]: memref<4x1xf32>)
// CHECK: linalg.fill
// CHECK: memref.copy
// CHECK: gpu.launch
// CHECK: memref.load %[[OUT]]
// CHECK: gpu.terminator
func.func @fill_seen_through_view(%s: memref<4x100xf32>, %out: memref<4xf32>, %seen: memref<4x1xf32>) {
  %view = memref.expand_shape %out [[0, 1]] output_shape [4, 1] : memref<4xf32> into memref<4x1xf32>
  %zero = arith.constant 0.0 : f32
  linalg.fill ins(%zero : f32) outs(%out : memref<4xf32>)
  memref.copy %view, %seen : memref<4x1xf32> to memref<4x1xf32>
  linalg.generic {indexing_maps = [affine_map<(d0, d1) -> (d0, d1)>, affine_map<(d0, d1) -> (d0)>], iterator_types = ["parallel", "reduction"]} ins(%s : memref<4x100xf32>) outs(%out : memref<4xf32>) {
  ^bb0(%in: f32, %acc: f32):
    %a = arith.addf %acc, %in : f32
    linalg.yield %a : f32
  }
  return
}

// -----

// Left alone: rows shorter than min-length (16 < 64), a reduction that is
// not the innermost loop dim, an input reading the row with a stride (the
// row is its outer dim), and a body that is not combine(acc, value).
// CHECK-LABEL: func.func @left_alone
// CHECK-NOT: gpu.launch
// CHECK-COUNT-4: linalg.generic
// CHECK-NOT: gpu.launch
func.func @left_alone(%short: memref<8x16xf32>, %tall: memref<100x8xf32>, %wide: memref<8x100xf32>, %out: memref<8xf32>) {
  linalg.generic {indexing_maps = [affine_map<(d0, d1) -> (d0, d1)>, affine_map<(d0, d1) -> (d0)>], iterator_types = ["parallel", "reduction"]} ins(%short : memref<8x16xf32>) outs(%out : memref<8xf32>) {
  ^bb0(%in: f32, %acc: f32):
    %s = arith.addf %acc, %in : f32
    linalg.yield %s : f32
  }
  linalg.generic {indexing_maps = [affine_map<(d0, d1) -> (d0, d1)>, affine_map<(d0, d1) -> (d1)>], iterator_types = ["reduction", "parallel"]} ins(%tall : memref<100x8xf32>) outs(%out : memref<8xf32>) {
  ^bb0(%in: f32, %acc: f32):
    %s = arith.addf %acc, %in : f32
    linalg.yield %s : f32
  }
  linalg.generic {indexing_maps = [affine_map<(d0, d1) -> (d1, d0)>, affine_map<(d0, d1) -> (d0)>], iterator_types = ["parallel", "reduction"]} ins(%tall : memref<100x8xf32>) outs(%out : memref<8xf32>) {
  ^bb0(%in: f32, %acc: f32):
    %s = arith.addf %acc, %in : f32
    linalg.yield %s : f32
  }
  %two = arith.constant 2.0 : f32
  linalg.generic {indexing_maps = [affine_map<(d0, d1) -> (d0, d1)>, affine_map<(d0, d1) -> (d0)>], iterator_types = ["parallel", "reduction"]} ins(%wide : memref<8x100xf32>) outs(%out : memref<8xf32>) {
  ^bb0(%in: f32, %acc: f32):
    %d = arith.mulf %acc, %two : f32
    %s = arith.addf %d, %in : f32
    linalg.yield %s : f32
  }
  return
}
