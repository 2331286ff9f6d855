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

// A parallel loop inside a thread's work runs in that thread, as scf.for.
// CHECK-LABEL: func.func @nested
// CHECK: scf.parallel
// CHECK:   scf.parallel
// CHECK:     scf.for %{{.*}} = %{{.*}} to %{{.*}} step
// CHECK:       memref.store
// CHECK:   } {mapping = [#gpu.loop_dim_map<processor = thread_x
// CHECK: } {mapping = [#gpu.loop_dim_map<processor = block_x
// LAUNCH-LABEL: func.func @nested
// LAUNCH: gpu.launch
// LAUNCH: scf.for
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

// -----

// Serial work at the top level (a reduction loop nest with no parallel dim
// that linalg leaves as scf.for, a scalar store) runs on the device too: one
// thread of one block. Pure ops (constants) stay on the host.
// CHECK-LABEL: func.func @serial
// CHECK: scf.parallel
// CHECK:   scf.parallel
// CHECK:     memref.store
// CHECK: scf.parallel
// CHECK:   scf.parallel
// CHECK:     scf.for
// CHECK:       memref.load
// LAUNCH-LABEL: func.func @serial
// LAUNCH: gpu.launch blocks({{.*}}) in (%{{.*}} = %c1, %{{.*}} = %c1, %{{.*}} = %c1) threads({{.*}}) in (%{{.*}} = %c1, %{{.*}} = %c1, %{{.*}} = %c1)
// LAUNCH:   memref.store
// LAUNCH: gpu.launch
// LAUNCH:   scf.for
func.func @serial(%in: memref<10xf32>, %sum: memref<1xf32>) {
  %c0 = arith.constant 0 : index
  %c1 = arith.constant 1 : index
  %c10 = arith.constant 10 : index
  %zero = arith.constant 0.0 : f32
  memref.store %zero, %sum[%c0] : memref<1xf32>
  scf.for %i = %c0 to %c10 step %c1 {
    %v = memref.load %in[%i] : memref<10xf32>
    %s = memref.load %sum[%c0] : memref<1xf32>
    %t = arith.addf %s, %v : f32
    memref.store %t, %sum[%c0] : memref<1xf32>
  }
  return
}

// -----

// Straight-line work (a 0-d linalg op: loads, arithmetic on what they read,
// a store) goes into one wrapper, in order.
// CHECK-LABEL: func.func @straight_line
// CHECK: scf.parallel
// CHECK:   scf.parallel
// CHECK:     %[[A:.*]] = memref.load %arg0[]
// CHECK:     %[[B:.*]] = memref.load %arg1[]
// CHECK:     %[[S:.*]] = arith.addf %[[A]], %[[B]]
// CHECK:     memref.store %[[S]], %arg2[]
// CHECK-NOT: scf.parallel
// CHECK: return
func.func @straight_line(%a: memref<f32>, %b: memref<f32>, %c: memref<f32>) {
  %x = memref.load %a[] : memref<f32>
  %y = memref.load %b[] : memref<f32>
  %s = arith.addf %x, %y : f32
  memref.store %s, %c[] : memref<f32>
  return
}

// -----

// A copy between dense buffers is a device-to-device copy on the stream, not
// a one-thread kernel; one with a strided side stays serial work.
// CHECK-LABEL: func.func @copies
// CHECK-NEXT: gpu.memcpy %arg1, %arg0 : memref<2x8xf32>, memref<2x8xf32>
// CHECK-NEXT: %[[SUB:.*]] = memref.subview
// CHECK: scf.parallel
// CHECK:   scf.parallel
// CHECK:     memref.copy %[[SUB]], %arg2
// CHECK-NOT: gpu.memcpy
// CHECK: return
// LAUNCH-LABEL: func.func @copies
// LAUNCH: gpu.memcpy %arg1, %arg0
// LAUNCH: gpu.launch
// LAUNCH-NOT: gpu.launch
// LAUNCH: return
func.func @copies(%a: memref<2x8xf32>, %b: memref<2x8xf32>, %c: memref<2x4xf32>) {
  memref.copy %a, %b : memref<2x8xf32> to memref<2x8xf32>
  %s = memref.subview %a[0, 0] [2, 4] [1, 1] : memref<2x8xf32> to memref<2x4xf32, strided<[8, 1]>>
  memref.copy %s, %c : memref<2x4xf32, strided<[8, 1]>> to memref<2x4xf32>
  return
}
