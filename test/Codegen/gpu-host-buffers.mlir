// The model function's launches get the model instance's device buffers for
// its input, output and arena arguments and its weights: one
// dsrt_cuda_buffer(slot, slots, bytes, host) call each, all before the first
// copy or launch (weights pass their host copy, uploaded on the instance's
// first run). Inputs are copied in at the start, outputs copied out before
// the return; nothing is freed (the instance owns the buffers). Views of a
// buffer (the arena's) are fine on the host.
// RUN: deepseek-opt %s --ds-gpu-host-buffers=num-inputs=1 -split-input-file | FileCheck %s
// RUN: deepseek-opt %s -split-input-file --pass-pipeline='builtin.module(ds-gpu-host-buffers{num-inputs=1},func.func(gpu-async-region))' | FileCheck %s --check-prefix=ASYNC

// CHECK-LABEL: func.func @main
// CHECK-SAME: (%[[IN:.*]]: memref<4xf32>, %[[OUT:.*]]: memref<4xf32>, %[[ARENA:.*]]: memref<64xi8>)
// The global read (made once, though the body reads it twice) moves to the top.
// CHECK-NEXT: %[[W:.*]] = memref.get_global @weights
// CHECK-NOT: memref.get_global
// CHECK: %[[NULL:.*]] = llvm.mlir.zero : !llvm.ptr
// CHECK-NEXT: %[[SLOT0:.*]] = llvm.mlir.constant(0 : i64)
// CHECK-NEXT: %[[SLOTS:.*]] = llvm.mlir.constant(4 : i64)
// CHECK-NEXT: %[[BYTES:.*]] = llvm.mlir.constant(16 : i64)
// CHECK-NEXT: %[[PIN:.*]] = llvm.call @dsrt_cuda_buffer(%[[SLOT0]], %[[SLOTS]], %[[BYTES]], %[[NULL]])
// CHECK: %[[DIN:.*]] = builtin.unrealized_conversion_cast %{{.*}} : !llvm.struct<(ptr, ptr, i64, array<1 x i64>, array<1 x i64>)> to memref<4xf32>
// CHECK: llvm.mlir.constant(1 : i64)
// CHECK: llvm.call @dsrt_cuda_buffer
// CHECK: %[[DOUT:.*]] = builtin.unrealized_conversion_cast {{.*}} to memref<4xf32>
// CHECK: llvm.mlir.constant(2 : i64)
// CHECK: llvm.mlir.constant(64 : i64)
// CHECK: llvm.call @dsrt_cuda_buffer
// CHECK: %[[DARENA:.*]] = builtin.unrealized_conversion_cast {{.*}} to memref<64xi8>
// CHECK: %[[ADDR:.*]] = memref.extract_aligned_pointer_as_index %[[W]]
// CHECK: %[[INT:.*]] = arith.index_cast %[[ADDR]] : index to i64
// CHECK: %[[HOST:.*]] = llvm.inttoptr %[[INT]]
// CHECK: llvm.mlir.constant(3 : i64)
// CHECK: llvm.call @dsrt_cuda_buffer({{.*}}, %[[HOST]])
// CHECK: %[[DW:.*]] = builtin.unrealized_conversion_cast {{.*}} to memref<4xf32>
// CHECK-NEXT: gpu.memcpy %[[DIN]], %[[IN]]
// CHECK: %[[TMP:.*]] = memref.view %[[DARENA]]
// CHECK: gpu.launch_func @kernels::@k {{.*}} args(%[[DIN]] : memref<4xf32>, %[[DW]] : memref<4xf32>, %[[TMP]] : memref<4xf32>)
// CHECK: gpu.launch_func @kernels::@k {{.*}} args(%[[TMP]] : memref<4xf32>, %[[DW]] : memref<4xf32>, %[[DOUT]] : memref<4xf32>)
// CHECK-NEXT: gpu.memcpy %[[OUT]], %[[DOUT]]
// CHECK-NOT: gpu.dealloc
// CHECK-NEXT: return
// CHECK: llvm.func @dsrt_cuda_buffer(i64, i64, i64, !llvm.ptr) -> !llvm.ptr
// One stream per run: every step chained on async tokens, one wait at the end.
// ASYNC-LABEL: func.func @main
// ASYNC-COUNT-4: llvm.call @dsrt_cuda_buffer
// ASYNC: %[[T0:.*]] = gpu.wait async
// ASYNC-NOT: gpu.wait
// ASYNC: gpu.memcpy async [%[[T0]]]
// ASYNC-NOT: gpu.wait
// ASYNC: gpu.launch_func async
// ASYNC-NOT: gpu.wait
// ASYNC: gpu.launch_func async
// ASYNC-NOT: gpu.wait
// ASYNC: gpu.memcpy async
// ASYNC-NEXT: gpu.wait [%{{.*}}]
// ASYNC-NEXT: return
module attributes {gpu.container_module, ds.arena_size = 64 : i64} {
  memref.global "private" constant @weights : memref<4xf32> = dense<[1.0, 2.0, 3.0, 4.0]>
  gpu.module @kernels {
    gpu.func @k(%a: memref<4xf32>, %b: memref<4xf32>, %c: memref<4xf32>) kernel {
      %i = gpu.thread_id x
      %x = memref.load %a[%i] : memref<4xf32>
      %y = memref.load %b[%i] : memref<4xf32>
      %z = arith.addf %x, %y : f32
      memref.store %z, %c[%i] : memref<4xf32>
      gpu.return
    }
  }
  func.func @main(%in: memref<4xf32>, %out: memref<4xf32>, %arena: memref<64xi8>) {
    %c0 = arith.constant 0 : index
    %c1 = arith.constant 1 : index
    %c4 = arith.constant 4 : index
    %w = memref.get_global @weights : memref<4xf32>
    %tmp = memref.view %arena[%c0][] : memref<64xi8> to memref<4xf32>
    gpu.launch_func @kernels::@k blocks in (%c1, %c1, %c1) threads in (%c4, %c1, %c1) args(%in : memref<4xf32>, %w : memref<4xf32>, %tmp : memref<4xf32>)
    %w2 = memref.get_global @weights : memref<4xf32>
    gpu.launch_func @kernels::@k blocks in (%c1, %c1, %c1) threads in (%c4, %c1, %c1) args(%tmp : memref<4xf32>, %w2 : memref<4xf32>, %out : memref<4xf32>)
    return
  }
}

// -----

// No intermediates: ds-cpu-plan-memory records an arena of 0 bytes and adds
// no arena argument, so the last argument is an output, copied out.
// CHECK-LABEL: func.func @no_arena
// CHECK-SAME: (%[[IN:.*]]: memref<4xf32>, %[[OUT:.*]]: memref<4xf32>)
// CHECK: llvm.mlir.constant(2 : i64)
// CHECK: llvm.call @dsrt_cuda_buffer
// CHECK: llvm.call @dsrt_cuda_buffer
// CHECK: %[[DOUT:.*]] = builtin.unrealized_conversion_cast {{.*}} to memref<4xf32>
// CHECK: gpu.launch_func
// CHECK-NEXT: gpu.memcpy %[[OUT]], %[[DOUT]]
// CHECK-NEXT: return
module attributes {gpu.container_module, ds.arena_size = 0 : i64} {
  gpu.module @kernels {
    gpu.func @k(%a: memref<4xf32>, %c: memref<4xf32>) kernel {
      gpu.return
    }
  }
  func.func @no_arena(%in: memref<4xf32>, %out: memref<4xf32>) {
    %c1 = arith.constant 1 : index
    %c4 = arith.constant 4 : index
    gpu.launch_func @kernels::@k blocks in (%c1, %c1, %c1) threads in (%c4, %c1, %c1) args(%in : memref<4xf32>, %out : memref<4xf32>)
    return
  }
}
