// ds-gpu-align-workgroup-buffers: every workgroup attribution of a gpu.func
// gets llvm.align = 16 (wgmma's descriptors address shared memory in 16-byte
// units), unless it already has as much or more; convert-gpu-to-nvvm then
// aligns the shared global so.
// RUN: deepseek-opt %s --pass-pipeline='builtin.module(gpu.module(ds-gpu-align-workgroup-buffers))' | FileCheck %s
// RUN: deepseek-opt %s --pass-pipeline='builtin.module(gpu.module(ds-gpu-align-workgroup-buffers,convert-gpu-to-nvvm))' | FileCheck %s --check-prefix=NVVM

gpu.module @kernels {
  // CHECK-LABEL: gpu.func @two_buffers
  // CHECK-SAME: workgroup(%{{.*}} : memref<2x64x8xf16, #gpu.address_space<workgroup>> {llvm.align = 16 : i64}, %{{.*}} : memref<16xf32, #gpu.address_space<workgroup>> {llvm.align = 16 : i64})
  // NVVM: llvm.mlir.global internal @__wg_two_buffers_0() {addr_space = 3 : i32, alignment = 16 : i64} : !llvm.array<1024 x f16>
  gpu.func @two_buffers(%out: memref<4xf16>) workgroup(%a : memref<2x64x8xf16, #gpu.address_space<workgroup>>, %b : memref<16xf32, #gpu.address_space<workgroup>>) kernel {
    %c0 = arith.constant 0 : index
    %v = memref.load %a[%c0, %c0, %c0] : memref<2x64x8xf16, #gpu.address_space<workgroup>>
    memref.store %v, %out[%c0] : memref<4xf16>
    gpu.return
  }

  // A larger alignment is left alone.
  // CHECK-LABEL: gpu.func @already_aligned
  // CHECK-SAME: {llvm.align = 128 : i64}
  gpu.func @already_aligned() workgroup(%a : memref<64xf16, #gpu.address_space<workgroup>> {llvm.align = 128 : i64}) kernel {
    gpu.return
  }

  // No workgroup buffers: nothing to do.
  // CHECK-LABEL: gpu.func @no_buffers
  // CHECK-NOT: llvm.align
  // CHECK: gpu.return
  gpu.func @no_buffers() kernel {
    gpu.return
  }
}
