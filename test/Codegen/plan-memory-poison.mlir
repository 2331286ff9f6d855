// ds-cpu-plan-memory{poison-lifetimes} (deepseek-compile --sanitize address):
// every buffer at its own offset, the whole arena poisoned on entry, each
// buffer unpoisoned (its exact bytes) where its lifetime starts and poisoned
// again (its aligned bytes) right after its last use, the arena unpoisoned
// before returning. test/e2e/asan-lifetimes.test runs the result under ASan.
// RUN: deepseek-opt %s --ds-cpu-plan-memory=poison-lifetimes=true -allow-unregistered-dialect | FileCheck %s

// CHECK: module attributes {ds.arena_lower_bound = 320 : i64, ds.arena_naive_size = 384 : i64, ds.arena_size = 384 : i64}
// CHECK: func.func private @__asan_poison_memory_region(i64, i64)
// CHECK: func.func private @__asan_unpoison_memory_region(i64, i64)
// CHECK-LABEL: func.func @main
// CHECK-SAME: %[[ARENA:[^:]*]]: memref<384xi8>
// The arena, poisoned on entry.
// CHECK: %[[BASE0:.*]] = memref.extract_aligned_pointer_as_index %[[ARENA]]
// CHECK: %[[OFF0:.*]] = arith.constant 0 : index
// CHECK: %[[P0:.*]] = arith.addi %[[BASE0]], %[[OFF0]]
// CHECK: %[[I0:.*]] = arith.index_cast %[[P0]] : index to i64
// CHECK: %[[ALL:.*]] = arith.constant 384 : i64
// CHECK: call @__asan_poison_memory_region(%[[I0]], %[[ALL]])
// %a (40 bytes, offset 0) comes alive at its alloc...
// CHECK: %[[S40:.*]] = arith.constant 40 : i64
// CHECK: call @__asan_unpoison_memory_region(%{{.*}}, %[[S40]])
// CHECK: memref.view %[[ARENA]][%{{.*}}][] : memref<384xi8> to memref<10xf32>
// CHECK: "test.compute"(%{{.*}}) : (memref<10xf32>) -> ()
// ... %b (256 bytes) at offset 64, not over %a although %a is dead by then ...
// CHECK: arith.constant 64 : index
// CHECK: %[[S256:.*]] = arith.constant 256 : i64
// CHECK: call @__asan_unpoison_memory_region(%{{.*}}, %[[S256]])
// CHECK: arith.constant 64 : index
// CHECK: memref.view %[[ARENA]][%{{.*}}][] : memref<384xi8> to memref<8x8xf32>
// ... and %a dies after its last user, with its padding (64 bytes).
// CHECK: "test.compute"(%{{.*}}, %{{.*}}) : (memref<10xf32>, memref<64xf32>) -> ()
// CHECK: %[[A64:.*]] = arith.constant 64 : i64
// CHECK: call @__asan_poison_memory_region(%{{.*}}, %[[A64]])
// %c at 320; %b dies after the last user of its view.
// CHECK: memref.view %[[ARENA]][%{{.*}}][] : memref<384xi8> to memref<16xf32>
// CHECK: "test.compute"(%{{.*}}, %{{.*}}) : (memref<16xf32>, memref<64xf32>) -> ()
// CHECK: %[[B256:.*]] = arith.constant 256 : i64
// CHECK: call @__asan_poison_memory_region(%{{.*}}, %[[B256]])
// CHECK: "test.compute"(%{{.*}}) : (memref<16xf32>) -> ()
// CHECK: call @__asan_poison_memory_region
// The arena is whole again for the caller.
// CHECK: call @__asan_unpoison_memory_region(%{{.*}}, %{{.*}}) : (i64, i64) -> ()
// CHECK-NEXT: return
func.func @main(%arg0: memref<64xf32>) {
  %a = memref.alloc() : memref<10xf32>
  "test.compute"(%a) : (memref<10xf32>) -> ()
  %b = memref.alloc() : memref<8x8xf32>
  %bflat = memref.collapse_shape %b [[0, 1]] : memref<8x8xf32> into memref<64xf32>
  "test.compute"(%a, %bflat) : (memref<10xf32>, memref<64xf32>) -> ()
  %c = memref.alloc() : memref<16xf32>
  "test.compute"(%c, %bflat) : (memref<16xf32>, memref<64xf32>) -> ()
  "test.compute"(%c) : (memref<16xf32>) -> ()
  return
}
