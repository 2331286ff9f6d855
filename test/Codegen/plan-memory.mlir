// Intermediate buffers become views of one arena argument, placed by
// liveness: %c starts after %a's last use and takes %a's offset; %b, live
// with both, sits above. Naive 768 bytes, arena 512 = the lower bound.
// RUN: deepseek-opt %s --ds-cpu-plan-memory -split-input-file -allow-unregistered-dialect | FileCheck %s

// CHECK: module attributes {ds.arena_lower_bound = 512 : i64, ds.arena_naive_size = 768 : i64, ds.arena_size = 512 : i64}
// CHECK-LABEL: func.func @main
// CHECK-SAME: %[[IN:.*]]: memref<64xf32>, %[[OUT:.*]]: memref<64xf32>, %[[ARENA:.*]]: memref<512xi8>
// CHECK: %[[C0:.*]] = arith.constant 0 : index
// CHECK: %[[A:.*]] = memref.view %[[ARENA]][%[[C0]]][] : memref<512xi8> to memref<64xf32>
// CHECK: %[[C256:.*]] = arith.constant 256 : index
// CHECK: %[[B:.*]] = memref.view %[[ARENA]][%[[C256]]][] : memref<512xi8> to memref<64xf32>
// CHECK: %[[C0B:.*]] = arith.constant 0 : index
// CHECK: %[[C:.*]] = memref.view %[[ARENA]][%[[C0B]]][] : memref<512xi8> to memref<8x8xf32>
// CHECK-NOT: memref.alloc
// CHECK-NOT: memref.dealloc
func.func @main(%in: memref<64xf32>, %out: memref<64xf32>) {
  %a = memref.alloc() : memref<64xf32>
  "test.compute"(%in, %a) : (memref<64xf32>, memref<64xf32>) -> ()
  %b = memref.alloc() : memref<64xf32>
  "test.compute"(%a, %b) : (memref<64xf32>, memref<64xf32>) -> ()
  %c = memref.alloc() : memref<8x8xf32>
  %cflat = memref.collapse_shape %c [[0, 1]] : memref<8x8xf32> into memref<64xf32>
  "test.compute"(%b, %cflat) : (memref<64xf32>, memref<64xf32>) -> ()
  "test.compute"(%cflat, %b, %out) : (memref<64xf32>, memref<64xf32>, memref<64xf32>) -> ()
  memref.dealloc %a : memref<64xf32>
  memref.dealloc %b : memref<64xf32>
  memref.dealloc %c : memref<8x8xf32>
  return
}

// -----

// Not planned: a dynamically sized buffer and one the function returns; a
// function without intermediates gets no arena argument.
// CHECK: module attributes {ds.arena_lower_bound = 0 : i64, ds.arena_naive_size = 0 : i64, ds.arena_size = 0 : i64}
// CHECK-LABEL: func.func @main
// CHECK-SAME: (%{{.*}}: index) -> memref<4xf32>
// CHECK: memref.alloc(%{{.*}}) : memref<?xf32>
// CHECK: memref.alloc() : memref<4xf32>
func.func @main(%n: index) -> memref<4xf32> {
  %d = memref.alloc(%n) : memref<?xf32>
  "test.compute"(%d) : (memref<?xf32>) -> ()
  %r = memref.alloc() : memref<4xf32>
  "test.compute"(%r) : (memref<4xf32>) -> ()
  return %r : memref<4xf32>
}
