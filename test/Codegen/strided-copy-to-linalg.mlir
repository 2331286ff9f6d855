// Copies between strided views become linalg.copy (loops, no runtime call);
// contiguous copies stay memref.copy (llvm.memcpy).
// RUN: deepseek-opt %s --ds-strided-copy-to-linalg | FileCheck %s

// CHECK-LABEL: func.func @copies
// CHECK: linalg.copy ins(%{{.*}} : memref<2x2xf32>) outs(%{{.*}} : memref<2x2xf32, strided<[4, 1], offset: 5>>)
// CHECK: memref.copy %{{.*}}, %{{.*}} : memref<4x4xf32> to memref<4x4xf32>
func.func @copies(%src: memref<2x2xf32>, %dst: memref<4x4xf32>, %other: memref<4x4xf32>) {
  %view = memref.subview %dst[1, 1] [2, 2] [1, 1] : memref<4x4xf32> to memref<2x2xf32, strided<[4, 1], offset: 5>>
  memref.copy %src, %view : memref<2x2xf32> to memref<2x2xf32, strided<[4, 1], offset: 5>>
  memref.copy %dst, %other : memref<4x4xf32> to memref<4x4xf32>
  return
}
