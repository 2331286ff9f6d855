// After bufferization the accumulator's transfer pair leaves the K loop, and
// transfers become plain vector loads and stores.
// RUN: deepseek-opt %s --ds-cpu-lower-vectors | FileCheck %s
// RUN: deepseek-opt %s --ds-cpu-lower-vectors=sdot=true | FileCheck %s --check-prefix=SDOT

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

// The VNNI tiles' dot of four bytes per lane (u8 x s8, summed into i32)
// becomes vpdpbusd.
// CHECK-LABEL: func.func @dot_of_four_bytes
// CHECK: %[[D:.*]] = llvm.call_intrinsic "llvm.x86.avx512.vpdpbusd.512"(%{{.*}}, %{{.*}}, %{{.*}}) : (vector<16xi32>, vector<64xi8>, vector<64xi8>) -> vector<16xi32>
// CHECK-NOT: vector.multi_reduction
// CHECK: return %[[D]]
func.func @dot_of_four_bytes(%acc: vector<16xi32>, %a: vector<64xi8>, %b: vector<64xi8>) -> vector<16xi32> {
  %ua = arith.extui %a : vector<64xi8> to vector<64xi32>
  %sb = arith.extsi %b : vector<64xi8> to vector<64xi32>
  %p = arith.muli %ua, %sb : vector<64xi32>
  %l = vector.shape_cast %p : vector<64xi32> to vector<16x4xi32>
  %r = vector.multi_reduction <add>, %l, %acc [1] : vector<16x4xi32> to vector<16xi32>
  return %r : vector<16xi32>
}

// Both operands sign-extended (s8 x s8) is not vpdpbusd: left as it is,
// unless the target has armv8's sdot, which computes 4 lanes of it: four
// sdot on the quarters (4 accumulator lanes, 16 bytes of each operand).
// CHECK-LABEL: func.func @signed_bytes
// CHECK-NOT: llvm.call_intrinsic
// SDOT-LABEL: func.func @signed_bytes
// SDOT: %[[A0:.*]] = vector.extract_strided_slice %arg0 {offsets = [0], sizes = [4], strides = [1]} : vector<16xi32> to vector<4xi32>
// SDOT: %[[X0:.*]] = vector.extract_strided_slice %arg1 {offsets = [0], sizes = [16], strides = [1]} : vector<64xi8> to vector<16xi8>
// SDOT: %[[W0:.*]] = vector.extract_strided_slice %arg2 {offsets = [0], sizes = [16], strides = [1]} : vector<64xi8> to vector<16xi8>
// SDOT: llvm.call_intrinsic "llvm.aarch64.neon.sdot.v4i32.v16i8"(%[[A0]], %[[X0]], %[[W0]]) : (vector<4xi32>, vector<16xi8>, vector<16xi8>) -> vector<4xi32>
// SDOT-COUNT-3: llvm.call_intrinsic "llvm.aarch64.neon.sdot.v4i32.v16i8"
// SDOT-NOT: vector.multi_reduction
// SDOT: vector.insert_strided_slice %{{.*}}, %{{.*}} {offsets = [12], strides = [1]} : vector<4xi32> into vector<16xi32>
// SDOT: return
func.func @signed_bytes(%acc: vector<16xi32>, %a: vector<64xi8>, %b: vector<64xi8>) -> vector<16xi32> {
  %ua = arith.extsi %a : vector<64xi8> to vector<64xi32>
  %sb = arith.extsi %b : vector<64xi8> to vector<64xi32>
  %p = arith.muli %ua, %sb : vector<64xi32>
  %l = vector.shape_cast %p : vector<64xi32> to vector<16x4xi32>
  %r = vector.multi_reduction <add>, %l, %acc [1] : vector<16x4xi32> to vector<16xi32>
  return %r : vector<16xi32>
}
