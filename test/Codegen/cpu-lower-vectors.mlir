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

// Both operands sign-extended (s8 x s8) is armv8's: with sdot (dotprod),
// which computes 4 lanes of it, four sdot on the quarters (4 accumulator
// lanes, 16 bytes of each operand); without, per quarter two smull (bytes
// 0-7 and 8-15 as 16-bit products), an addp of neighbouring products, a
// saddlp of neighbouring pairs into i32 and the add (LLVM's sadalp).
// CHECK-LABEL: func.func @signed_bytes
// CHECK: %[[A0:.*]] = vector.extract_strided_slice %arg0 {offsets = [0], sizes = [4], strides = [1]} : vector<16xi32> to vector<4xi32>
// CHECK: %[[X0:.*]] = vector.extract_strided_slice %arg1 {offsets = [0], sizes = [16], strides = [1]} : vector<64xi8> to vector<16xi8>
// CHECK: %[[W0:.*]] = vector.extract_strided_slice %arg2 {offsets = [0], sizes = [16], strides = [1]} : vector<64xi8> to vector<16xi8>
// CHECK: %[[XL:.*]] = vector.extract_strided_slice %[[X0]] {offsets = [0], sizes = [8], strides = [1]} : vector<16xi8> to vector<8xi8>
// CHECK: %[[WL:.*]] = vector.extract_strided_slice %[[W0]] {offsets = [0], sizes = [8], strides = [1]} : vector<16xi8> to vector<8xi8>
// CHECK: %[[LO:.*]] = llvm.call_intrinsic "llvm.aarch64.neon.smull.v8i16"(%[[XL]], %[[WL]]) : (vector<8xi8>, vector<8xi8>) -> vector<8xi16>
// CHECK: %[[XH:.*]] = vector.extract_strided_slice %[[X0]] {offsets = [8], sizes = [8], strides = [1]} : vector<16xi8> to vector<8xi8>
// CHECK: %[[WH:.*]] = vector.extract_strided_slice %[[W0]] {offsets = [8], sizes = [8], strides = [1]} : vector<16xi8> to vector<8xi8>
// CHECK: %[[HI:.*]] = llvm.call_intrinsic "llvm.aarch64.neon.smull.v8i16"(%[[XH]], %[[WH]])
// CHECK: %[[P:.*]] = llvm.call_intrinsic "llvm.aarch64.neon.addp.v8i16"(%[[LO]], %[[HI]]) : (vector<8xi16>, vector<8xi16>) -> vector<8xi16>
// CHECK: %[[S:.*]] = llvm.call_intrinsic "llvm.aarch64.neon.saddlp.v4i32.v8i16"(%[[P]]) : (vector<8xi16>) -> vector<4xi32>
// CHECK: %[[D:.*]] = arith.addi %[[A0]], %[[S]] : vector<4xi32>
// CHECK: vector.insert_strided_slice %[[D]], %arg0 {offsets = [0], strides = [1]} : vector<4xi32> into vector<16xi32>
// CHECK-COUNT-3: llvm.call_intrinsic "llvm.aarch64.neon.saddlp.v4i32.v8i16"
// CHECK-NOT: vector.multi_reduction
// CHECK-NOT: sdot
// CHECK: vector.insert_strided_slice %{{.*}}, %{{.*}} {offsets = [12], strides = [1]} : vector<4xi32> into vector<16xi32>
// CHECK: return
// SDOT-LABEL: func.func @signed_bytes
// SDOT: %[[A0:.*]] = vector.extract_strided_slice %arg0 {offsets = [0], sizes = [4], strides = [1]} : vector<16xi32> to vector<4xi32>
// SDOT: %[[X0:.*]] = vector.extract_strided_slice %arg1 {offsets = [0], sizes = [16], strides = [1]} : vector<64xi8> to vector<16xi8>
// SDOT: %[[W0:.*]] = vector.extract_strided_slice %arg2 {offsets = [0], sizes = [16], strides = [1]} : vector<64xi8> to vector<16xi8>
// SDOT: llvm.call_intrinsic "llvm.aarch64.neon.sdot.v4i32.v16i8"(%[[A0]], %[[X0]], %[[W0]]) : (vector<4xi32>, vector<16xi8>, vector<16xi8>) -> vector<4xi32>
// SDOT-COUNT-3: llvm.call_intrinsic "llvm.aarch64.neon.sdot.v4i32.v16i8"
// SDOT-NOT: vector.multi_reduction
// SDOT-NOT: smull
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

// A reduction of another shape (8 lanes of four bytes) is no tile's dot and
// stays as it is for the generic vector lowering.
// CHECK-LABEL: func.func @other_shape
// CHECK-NOT: llvm.call_intrinsic
// CHECK: vector.multi_reduction
// SDOT-LABEL: func.func @other_shape
// SDOT-NOT: llvm.call_intrinsic
// SDOT: vector.multi_reduction
func.func @other_shape(%acc: vector<8xi32>, %a: vector<32xi8>, %b: vector<32xi8>) -> vector<8xi32> {
  %sa = arith.extsi %a : vector<32xi8> to vector<32xi32>
  %sb = arith.extsi %b : vector<32xi8> to vector<32xi32>
  %p = arith.muli %sa, %sb : vector<32xi32>
  %l = vector.shape_cast %p : vector<32xi32> to vector<8x4xi32>
  %r = vector.multi_reduction <add>, %l, %acc [1] : vector<8x4xi32> to vector<8xi32>
  return %r : vector<8xi32>
}
