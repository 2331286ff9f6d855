// Zero-element memref arguments become memref<0xT>, expanded back at entry;
// everything else keeps its type.
// RUN: deepseek-opt %s --ds-cpu-flatten-empty-buffers -allow-unregistered-dialect | FileCheck %s

// CHECK-LABEL: func.func @main
// CHECK-SAME: (%[[X:.*]]: memref<0xf32>, %[[Y:.*]]: memref<0xf32>, %[[Z:.*]]: memref<4xf32>, %[[W:.*]]: memref<0xi64>)
// CHECK-DAG: %[[XV:.*]] = memref.expand_shape %[[X]] {{\[\[}}0, 1, 2]] output_shape [3, 0, 5] : memref<0xf32> into memref<3x0x5xf32>
// CHECK-DAG: %[[YV:.*]] = memref.expand_shape %[[Y]] {{\[\[}}0, 1]] output_shape [0, 2] : memref<0xf32> into memref<0x2xf32>
// CHECK: "test.use"(%[[XV]], %[[YV]], %[[Z]], %[[W]])
func.func @main(%x: memref<3x0x5xf32>, %y: memref<0x2xf32>, %z: memref<4xf32>, %w: memref<0xi64>) {
  "test.use"(%x, %y, %z, %w) : (memref<3x0x5xf32>, memref<0x2xf32>, memref<4xf32>, memref<0xi64>) -> ()
  return
}
