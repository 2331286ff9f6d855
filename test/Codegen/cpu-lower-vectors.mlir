// After bufferization the accumulator's transfer pair leaves the K loop, and
// transfers become plain vector loads and stores.
// RUN: deepseek-opt %s --ds-cpu-lower-vectors | FileCheck %s

// CHECK-LABEL: func.func @accumulate
// CHECK: %[[ACC:.*]] = vector.load %{{.*}} : memref<4x16xf32>, vector<16xf32>
// CHECK: scf.for {{.*}} iter_args
// CHECK-NOT: vector.transfer_read
// CHECK: scf.yield
// CHECK: vector.store
func.func @accumulate(%a: memref<4x16xf32>, %c: memref<4x16xf32>) {
  %c0 = arith.constant 0 : index
  %c1 = arith.constant 1 : index
  %c4 = arith.constant 4 : index
  %pad = ub.poison : f32
  scf.for %k = %c0 to %c4 step %c1 {
    %acc = vector.transfer_read %c[%c0, %c0], %pad {in_bounds = [true]} : memref<4x16xf32>, vector<16xf32>
    %x = vector.transfer_read %a[%k, %c0], %pad {in_bounds = [true]} : memref<4x16xf32>, vector<16xf32>
    %s = arith.addf %acc, %x : vector<16xf32>
    vector.transfer_write %s, %c[%c0, %c0] {in_bounds = [true]} : vector<16xf32>, memref<4x16xf32>
  }
  return
}
