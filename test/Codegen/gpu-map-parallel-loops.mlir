// Each outermost scf.parallel becomes blocks x threads: its dims collapsed
// into one (the innermost varying fastest: neighbouring threads, neighbouring
// elements), tiled by the block size with a guard for the last block, and
// mapped to block_x / thread_x for convert-parallel-loops-to-gpu.
// RUN: deepseek-opt %s --ds-gpu-map-parallel-loops -cse -split-input-file | FileCheck %s
// RUN: deepseek-opt %s --ds-gpu-map-parallel-loops --convert-parallel-loops-to-gpu -canonicalize -split-input-file | FileCheck %s --check-prefix=LAUNCH

// 4 x 100 = 400 iterations: two blocks of 256 threads, the second guarded.
// CHECK-LABEL: func.func @map
// CHECK-DAG: %[[C4:.*]] = arith.constant 4 : index
// CHECK-DAG: %[[C100:.*]] = arith.constant 100 : index
// CHECK: %[[ROWS:.*]] = arith.muli %{{.*}}, %[[C4]] : index
// CHECK: %[[N:.*]] = arith.muli %[[ROWS]], %[[C100]] : index
// CHECK: %[[C256:.*]] = arith.constant 256 : index
// CHECK: %[[STEP:.*]] = arith.muli %{{.*}}, %[[C256]] : index
// CHECK: scf.parallel (%[[B:.*]]) = (%{{.*}}) to (%[[N]]) step (%[[STEP]]) {
// CHECK:   scf.parallel (%[[T:.*]]) = (%{{.*}}) to (%[[STEP]]) step (%{{.*}}) {
// CHECK:     %[[I:.*]] = arith.addi %[[T]], %[[B]] : index
// CHECK:     arith.cmpi ult, %{{.*}}, %[[N]] : index
// CHECK:     scf.if %{{.*}} {
// CHECK:       %[[COL:.*]] = arith.remsi %[[I]], %[[C100]] : index
// CHECK:       %[[ROW:.*]] = arith.divsi %[[I]], %[[C100]] : index
// CHECK:       memref.load %{{.*}}[%[[ROW]], %[[COL]]]
// CHECK:   } {mapping = [#gpu.loop_dim_map<processor = thread_x, map = (d0) -> (d0), bound = (d0) -> (d0)>]}
// CHECK: } {mapping = [#gpu.loop_dim_map<processor = block_x, map = (d0) -> (d0), bound = (d0) -> (d0)>]}
// LAUNCH-LABEL: func.func @map
// LAUNCH: gpu.launch blocks(%{{.*}}, %{{.*}}, %{{.*}}) in (%{{.*}} = %c2, %{{.*}} = %c1, %{{.*}} = %c1) threads(%{{.*}}, %{{.*}}, %{{.*}}) in (%{{.*}} = %c256, %{{.*}} = %c1, %{{.*}} = %c1)
func.func @map(%in: memref<4x100xf32>, %out: memref<4x100xf32>) {
  %c0 = arith.constant 0 : index
  %c1 = arith.constant 1 : index
  %c4 = arith.constant 4 : index
  %c100 = arith.constant 100 : index
  scf.parallel (%i, %j) = (%c0, %c0) to (%c4, %c100) step (%c1, %c1) {
    %v = memref.load %in[%i, %j] : memref<4x100xf32>
    %w = arith.addf %v, %v : f32
    memref.store %w, %out[%i, %j] : memref<4x100xf32>
    scf.reduce
  }
  return
}

// -----

// A loop shorter than a block: one block of exactly its length, no guard.
// CHECK-LABEL: func.func @short
// CHECK: %[[C10:.*]] = arith.constant 10 : index
// CHECK: scf.parallel (%{{.*}}) = (%{{.*}}) to (%[[C10]]) step (%[[S:.*]]) {
// CHECK-NEXT: scf.parallel (%{{.*}}) = (%{{.*}}) to (%[[S]]) step
// CHECK-NOT: scf.if
// CHECK: processor = thread_x
// CHECK: processor = block_x
// LAUNCH-LABEL: func.func @short
// LAUNCH: gpu.launch blocks({{.*}}) in (%{{.*}} = %c1, %{{.*}} = %c1, %{{.*}} = %c1) threads({{.*}}) in (%{{.*}} = %c10, %{{.*}} = %c1, %{{.*}} = %c1)
func.func @short(%in: memref<10xf32>, %out: memref<10xf32>) {
  %c0 = arith.constant 0 : index
  %c1 = arith.constant 1 : index
  %c10 = arith.constant 10 : index
  scf.parallel (%i) = (%c0) to (%c10) step (%c1) {
    %v = memref.load %in[%i] : memref<10xf32>
    memref.store %v, %out[%i] : memref<10xf32>
    scf.reduce
  }
  return
}

// -----

// A parallel loop inside a thread's work runs in that thread.
// CHECK-LABEL: func.func @nested
// CHECK: scf.parallel
// CHECK:   scf.parallel
// CHECK:     scf.parallel
// CHECK:     } {mapping = [#gpu.loop_dim_map<processor = sequential
// CHECK:   } {mapping = [#gpu.loop_dim_map<processor = thread_x
// CHECK: } {mapping = [#gpu.loop_dim_map<processor = block_x
func.func @nested(%out: memref<8x4xf32>) {
  %c0 = arith.constant 0 : index
  %c1 = arith.constant 1 : index
  %c4 = arith.constant 4 : index
  %c8 = arith.constant 8 : index
  %f = arith.constant 1.0 : f32
  scf.parallel (%i) = (%c0) to (%c8) step (%c1) {
    scf.parallel (%j) = (%c0) to (%c4) step (%c1) {
      memref.store %f, %out[%i, %j] : memref<8x4xf32>
      scf.reduce
    }
    scf.reduce
  }
  return
}
