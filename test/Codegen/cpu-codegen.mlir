// The whole CPU pipeline on a small model: ds on tensors to the LLVM dialect,
// with results as caller-provided out-params, no MLIR runtime library calls,
// and the packed entry point.
// RUN: deepseek-opt %s --ds-cpu-codegen="symbol=tiny" | FileCheck %s
// RUN: deepseek-opt %s --ds-cpu-codegen="symbol=tiny" | mlir-translate --mlir-to-llvmir | FileCheck %s --check-prefix=LLVM

// CHECK-NOT: memrefCopy
// CHECK: llvm.func internal @tiny_main(%{{.*}}: !llvm.ptr, %{{.*}}: !llvm.ptr, %{{.*}}: !llvm.ptr)
// CHECK: llvm.intr.maximum
// CHECK: llvm.func @tiny_run(
// LLVM: define void @tiny_run(ptr %0, ptr %1)
func.func @main(%x: tensor<1x3x8x8xf32>, %w: tensor<4x3x3x3xf32>) -> tensor<1x4x3x3xf32> {
  %0 = ds.conv %x, %w {strides = array<i64: 2, 2>, pads = array<i64: 0, 0, 0, 0>, dilations = array<i64: 1, 1>} : (tensor<1x3x8x8xf32>, tensor<4x3x3x3xf32>) -> tensor<1x4x3x3xf32>
  %1 = ds.relu %0 : tensor<1x4x3x3xf32>
  return %1 : tensor<1x4x3x3xf32>
}
