// The model function's launches get device twins of its input, output and
// arena arguments and of the weights: inputs and weights copied in at the
// start, outputs copied out before the return, all freed at the end. Views
// of a twin (the arena's buffers) are fine on the host.
// RUN: deepseek-opt %s --ds-gpu-host-buffers=num-inputs=1 | FileCheck %s
// RUN: deepseek-opt %s --ds-gpu-host-buffers=num-inputs=1 --gpu-async-region | FileCheck %s --check-prefix=ASYNC

// CHECK-LABEL: func.func @main
// CHECK-SAME: (%[[IN:.*]]: memref<4xf32>, %[[OUT:.*]]: memref<4xf32>, %[[ARENA:.*]]: memref<64xi8>)
// CHECK: %[[DIN:.*]] = gpu.alloc () : memref<4xf32>
// CHECK: gpu.memcpy %[[DIN]], %[[IN]]
// CHECK: %[[DOUT:.*]] = gpu.alloc () : memref<4xf32>
// CHECK-NOT: gpu.memcpy
// CHECK: %[[DARENA:.*]] = gpu.alloc () : memref<64xi8>
// CHECK: %[[W:.*]] = memref.get_global @weights
// CHECK: %[[DW:.*]] = gpu.alloc () : memref<4xf32>
// CHECK: gpu.memcpy %[[DW]], %[[W]]
// CHECK: %[[TMP:.*]] = memref.view %[[DARENA]]
// CHECK: gpu.launch_func @kernels::@k {{.*}} args(%[[DIN]] : memref<4xf32>, %[[DW]] : memref<4xf32>, %[[TMP]] : memref<4xf32>)
// CHECK: gpu.launch_func @kernels::@k {{.*}} args(%[[TMP]] : memref<4xf32>, %[[DW]] : memref<4xf32>, %[[DOUT]] : memref<4xf32>)
// CHECK: gpu.memcpy %[[OUT]], %[[DOUT]]
// CHECK-DAG: gpu.dealloc %[[DIN]]
// CHECK-DAG: gpu.dealloc %[[DOUT]]
// CHECK-DAG: gpu.dealloc %[[DARENA]]
// CHECK-DAG: gpu.dealloc %[[DW]]
// CHECK: return
// One stream per run: every step chained on async tokens, one wait at the end.
// ASYNC-LABEL: func.func @main
// ASYNC: %[[T0:.*]] = gpu.wait async
// ASYNC: gpu.alloc async [%[[T0]]]
// ASYNC: gpu.launch_func async
// ASYNC: gpu.wait [%{{.*}}]
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
    gpu.launch_func @kernels::@k blocks in (%c1, %c1, %c1) threads in (%c4, %c1, %c1) args(%tmp : memref<4xf32>, %w : memref<4xf32>, %out : memref<4xf32>)
    return
  }
}
