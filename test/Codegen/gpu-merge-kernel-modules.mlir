// The outlined kernels (one gpu.module each, all named main_kernel) go into
// one gpu.module @<symbol>_kernels as <symbol>_k<N>, numbered in launch
// order; every launch points at the new name (a kernel launched twice keeps
// one copy); a kernel nobody launches is kept and numbered after them.
// RUN: deepseek-opt %s --ds-gpu-merge-kernel-modules=symbol=net | FileCheck %s

// CHECK-LABEL: module attributes {gpu.container_module}
// CHECK: gpu.module @net_kernels {
// CHECK-NEXT: gpu.func @net_k0(%{{.*}}: memref<4xf32>) kernel
// CHECK: arith.addf
// CHECK: gpu.func @net_k1(%{{.*}}: memref<4xf32>) kernel
// CHECK: arith.mulf
// CHECK: gpu.func @net_k2(%{{.*}}: memref<4xf32>) kernel
// CHECK: arith.subf
// CHECK-NOT: gpu.module
// CHECK-LABEL: func.func @main
// CHECK: gpu.launch_func @net_kernels::@net_k0
// CHECK: gpu.launch_func @net_kernels::@net_k1
// CHECK: gpu.launch_func @net_kernels::@net_k0
module attributes {gpu.container_module} {
  gpu.module @main_kernel_0 {
    gpu.func @main_kernel(%m: memref<4xf32>) kernel {
      %c0 = arith.constant 0 : index
      %v = memref.load %m[%c0] : memref<4xf32>
      %w = arith.mulf %v, %v : f32
      memref.store %w, %m[%c0] : memref<4xf32>
      gpu.return
    }
  }
  gpu.module @main_kernel {
    gpu.func @main_kernel(%m: memref<4xf32>) kernel {
      %c0 = arith.constant 0 : index
      %v = memref.load %m[%c0] : memref<4xf32>
      %w = arith.addf %v, %v : f32
      memref.store %w, %m[%c0] : memref<4xf32>
      gpu.return
    }
  }
  gpu.module @main_kernel_1 {
    gpu.func @main_kernel(%m: memref<4xf32>) kernel {
      %c0 = arith.constant 0 : index
      %v = memref.load %m[%c0] : memref<4xf32>
      %w = arith.subf %v, %v : f32
      memref.store %w, %m[%c0] : memref<4xf32>
      gpu.return
    }
  }
  func.func @main(%m: memref<4xf32>) {
    %c1 = arith.constant 1 : index
    gpu.launch_func @main_kernel::@main_kernel blocks in (%c1, %c1, %c1) threads in (%c1, %c1, %c1) args(%m : memref<4xf32>)
    gpu.launch_func @main_kernel_0::@main_kernel blocks in (%c1, %c1, %c1) threads in (%c1, %c1, %c1) args(%m : memref<4xf32>)
    gpu.launch_func @main_kernel::@main_kernel blocks in (%c1, %c1, %c1) threads in (%c1, %c1, %c1) args(%m : memref<4xf32>)
    return
  }
}
