// In-place reuse (issue 6): an elementwise kernel whose input dies there
// writes over that input. convert-ds-to-linalg gives elementwise kernels a
// tensor.empty destination that cse merges into one, and one-shot
// bufferization's conflict analysis then keeps the result in the input's
// buffer whenever nothing reads the input later (linalg ops with identity
// indexing maps are elementwise accesses for it); a kernel that is not
// elementwise (the transpose) or whose input is still needed gets a buffer of
// its own, which ds-cpu-plan-memory places in the arena.
// RUN: deepseek-opt %s -split-input-file --pass-pipeline='builtin.module(func.func(convert-ds-to-linalg,canonicalize,cse),ds-cpu-bufferize)' | FileCheck %s

// exp, sin and mul run in the output buffer; only the transpose needs an
// intermediate (1 KB in the arena).
// CHECK: module attributes {ds.arena_lower_bound = 1024 : i64, ds.arena_naive_size = 1024 : i64, ds.arena_size = 1024 : i64}
// CHECK-LABEL: func.func @main
// CHECK-SAME: (%[[X:.*]]: memref<256xf32>, %[[Y:.*]]: memref<256xf32>, %[[ARENA:.*]]: memref<1024xi8>)
// CHECK: linalg.generic {{.*}} ins(%[[X]] : memref<256xf32>) outs(%[[Y]] : memref<256xf32>)
// CHECK: math.exp
// CHECK: linalg.generic {{.*}} ins(%[[Y]] : memref<256xf32>) outs(%[[Y]] : memref<256xf32>)
// CHECK: math.sin
// CHECK: linalg.generic {{.*}} ins(%[[Y]], %[[Y]] : memref<256xf32>, memref<256xf32>) outs(%[[Y]] : memref<256xf32>)
// CHECK: arith.mulf
// CHECK: %[[T:.*]] = memref.view %[[ARENA]]
// CHECK: linalg.transpose ins(%{{.*}} : memref<16x16xf32>) outs(%[[T]] : memref<16x16xf32>)
// CHECK-NOT: memref.alloc
func.func @main(%x: tensor<256xf32>) -> tensor<256xf32> {
  %a = ds.exp %x : tensor<256xf32>
  %b = ds.sin %a : tensor<256xf32>
  %c = ds.mul %b, %b : (tensor<256xf32>, tensor<256xf32>) -> tensor<256xf32>
  %t = ds.reshape %c : tensor<256xf32> -> tensor<16x16xf32>
  %u = ds.transpose %t {perm = array<i64: 1, 0>} : (tensor<16x16xf32>) -> tensor<16x16xf32>
  %v = ds.reshape %u : tensor<16x16xf32> -> tensor<256xf32>
  %d = ds.add %v, %x : (tensor<256xf32>, tensor<256xf32>) -> tensor<256xf32>
  return %d : tensor<256xf32>
}

// -----

// Not in place: exp's result is read again by the add, so sin must not
// overwrite it; it stays in the arena while sin writes the output.
// CHECK: module attributes {ds.arena_lower_bound = 1024 : i64, ds.arena_naive_size = 1024 : i64, ds.arena_size = 1024 : i64}
// CHECK-LABEL: func.func @main
// CHECK-SAME: (%[[X:.*]]: memref<256xf32>, %[[Y:.*]]: memref<256xf32>, %[[ARENA:.*]]: memref<1024xi8>)
// CHECK: %[[A:.*]] = memref.view %[[ARENA]]
// CHECK: linalg.generic {{.*}} ins(%[[X]] : memref<256xf32>) outs(%[[A]] : memref<256xf32>)
// CHECK: math.exp
// CHECK: linalg.generic {{.*}} ins(%[[A]] : memref<256xf32>) outs(%[[Y]] : memref<256xf32>)
// CHECK: math.sin
// CHECK: linalg.generic {{.*}} ins(%[[Y]], %[[A]] : memref<256xf32>, memref<256xf32>) outs(%[[Y]] : memref<256xf32>)
// CHECK: arith.addf
func.func @main(%x: tensor<256xf32>) -> tensor<256xf32> {
  %a = ds.exp %x : tensor<256xf32>
  %b = ds.sin %a : tensor<256xf32>
  %d = ds.add %b, %a : (tensor<256xf32>, tensor<256xf32>) -> tensor<256xf32>
  return %d : tensor<256xf32>
}
