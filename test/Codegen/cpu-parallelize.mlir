// Large outermost scf.parallel loops become calls to the runtime's thread pool;
// small ones, and ones that capture values it cannot pass, stay serial.
// RUN: deepseek-opt %s --ds-cpu-parallelize="min-iterations=1000" -split-input-file | FileCheck %s

// CHECK-LABEL: func.func private @dsrt_parallel_for(i64, (memref<64xindex>, i64, i64) -> (), memref<64xindex>)
// CHECK: func.func private @main_par0(%{{.*}}: memref<64x64xf32> {llvm.noalias}, %{{.*}}: memref<64x64xf32> {llvm.noalias}, %[[B:.*]]: index, %[[E:.*]]: index)
// CHECK: scf.parallel (%{{.*}}, %{{.*}}) = (%[[B]], %{{.*}}) to (%[[E]], %{{.*}})
// CHECK: memref.load
// CHECK: func.func private @main_par0_tramp(memref<64xindex>, i64, i64)
// CHECK-LABEL: func.func @main
// CHECK: %[[CTX:.*]] = memref.alloca() : memref<64xindex>
// CHECK: memref.extract_aligned_pointer_as_index
// CHECK: memref.store %{{.*}}, %[[CTX]]
// CHECK: %[[FN:.*]] = constant @main_par0_tramp
// CHECK: %[[N:.*]] = arith.constant 64 : i64
// CHECK: call @dsrt_parallel_for(%[[N]], %[[FN]], %[[CTX]])
// CHECK-NOT: scf.parallel
func.func @main(%in: memref<64x64xf32>, %out: memref<64x64xf32>) {
  %c0 = arith.constant 0 : index
  %c1 = arith.constant 1 : index
  %c64 = arith.constant 64 : index
  %two = arith.constant 2.0 : f32
  scf.parallel (%i, %j) = (%c0, %c0) to (%c64, %c64) step (%c1, %c1) {
    %x = memref.load %in[%i, %j] : memref<64x64xf32>
    %y = arith.mulf %x, %two : f32
    memref.store %y, %out[%i, %j] : memref<64x64xf32>
    scf.reduce
  }
  return
}

// -----

// 16 iterations: not worth a dispatch.
// CHECK-LABEL: func.func @small
// CHECK-NOT: dsrt_parallel_for
// CHECK: scf.parallel
func.func @small(%in: memref<4x4xf32>, %out: memref<4x4xf32>) {
  %c0 = arith.constant 0 : index
  %c1 = arith.constant 1 : index
  %c4 = arith.constant 4 : index
  scf.parallel (%i, %j) = (%c0, %c0) to (%c4, %c4) step (%c1, %c1) {
    %x = memref.load %in[%i, %j] : memref<4x4xf32>
    memref.store %x, %out[%i, %j] : memref<4x4xf32>
    scf.reduce
  }
  return
}

// -----

// A scalar computed at run time cannot travel in the pointer array.
// CHECK-NOT: dsrt_parallel_for
// CHECK-LABEL: func.func @captures_scalar
// CHECK: scf.parallel
func.func @captures_scalar(%in: memref<64x64xf32>, %out: memref<64x64xf32>, %s: f32) {
  %c0 = arith.constant 0 : index
  %c1 = arith.constant 1 : index
  %c64 = arith.constant 64 : index
  scf.parallel (%i, %j) = (%c0, %c0) to (%c64, %c64) step (%c1, %c1) {
    %x = memref.load %in[%i, %j] : memref<64x64xf32>
    %y = arith.mulf %x, %s : f32
    memref.store %y, %out[%i, %j] : memref<64x64xf32>
    scf.reduce
  }
  return
}

// -----

// Tile loops (from scf.forall) have steps > 1: a chunk [begin, end) of tiles
// covers lb + begin * step up to min(lb + end * step, ub).
// CHECK-LABEL: func.func private @tiles_par0
// CHECK-SAME: %[[B:[a-z0-9]+]]: index, %[[E:[a-z0-9]+]]: index)
// CHECK: %[[LO:.*]] = arith.muli %[[B]], %c32
// CHECK: %[[HI:.*]] = arith.muli %[[E]], %c32
// CHECK: %[[CLAMP:.*]] = arith.minsi %{{.*}}, %c256
// CHECK: scf.parallel (%{{.*}}) = (%{{.*}}) to (%[[CLAMP]]) step (%c32
// CHECK-LABEL: func.func @tiles
// CHECK: arith.constant 8 : i64
func.func @tiles(%in: memref<256x64xf32>, %out: memref<256x64xf32>) {
  %c0 = arith.constant 0 : index
  %c1 = arith.constant 1 : index
  %c32 = arith.constant 32 : index
  %c64 = arith.constant 64 : index
  %c256 = arith.constant 256 : index
  scf.parallel (%t) = (%c0) to (%c256) step (%c32) {
    scf.for %i = %c0 to %c32 step %c1 {
      scf.for %j = %c0 to %c64 step %c1 {
        %r = arith.addi %t, %i : index
        %x = memref.load %in[%r, %j] : memref<256x64xf32>
        memref.store %x, %out[%r, %j] : memref<256x64xf32>
      }
    }
    scf.reduce
  }
  return
}

// -----

// A loop that carries the name of its ONNX node (the importer's NameLoc) gives
// the outlined kernel that name, sanitized and cut to its last 40 characters,
// so that profiles say which node each kernel runs.
// CHECK: func.func private @named_par0__layer1_0_conv2_Conv(
// CHECK: func.func private @named_par0__layer1_0_conv2_Conv_tramp(
// CHECK: func.func private @named_par1_locks_long_name_that_keeps_its_tail_Conv(
func.func @named(%in: memref<64x64xf32>, %out: memref<64x64xf32>) {
  %c0 = arith.constant 0 : index
  %c1 = arith.constant 1 : index
  %c64 = arith.constant 64 : index
  scf.parallel (%i, %j) = (%c0, %c0) to (%c64, %c64) step (%c1, %c1) {
    %x = memref.load %in[%i, %j] : memref<64x64xf32>
    memref.store %x, %out[%i, %j] : memref<64x64xf32>
    scf.reduce
  } loc(fused["/layer1/0/conv2/Conv"("Conv"("model.onnx":0:0)), "/layer1/0/relu/Relu"])
  scf.parallel (%i, %j) = (%c0, %c0) to (%c64, %c64) step (%c1, %c1) {
    %x = memref.load %out[%i, %j] : memref<64x64xf32>
    memref.store %x, %in[%i, %j] : memref<64x64xf32>
    scf.reduce
  } loc("/a/very/long/node/path/of/blocks/long/name/that/keeps/its/tail/Conv")
  return
}

// -----

// Arena buffers travel as their own pointers. Buffers the planner placed
// apart are `llvm.noalias` (LLVM may then keep a reduction's accumulator in
// a register and vectorize); two views that share bytes are not.
// CHECK-LABEL: func.func private @arena_par0(
// CHECK-SAME: %{{.*}}: memref<64xf32> {llvm.noalias}, %{{.*}}: memref<64x64xf32> {llvm.noalias}, %{{.*}}: index, %{{.*}}: index)
// CHECK-LABEL: func.func private @arena_par1(
// CHECK-SAME: %{{.*}}: memref<64xf32>, %{{.*}}: memref<64x64xf32>, %{{.*}}: index, %{{.*}}: index)
// CHECK-LABEL: func.func @arena(
// CHECK-DAG: %[[ROWS:[a-z0-9_]+]] = memref.view %{{.*}}[%c0][] : memref<32768xi8> to memref<64x64xf32>
// CHECK-DAG: %[[SUMS:[a-z0-9_]+]] = memref.view %{{.*}}[%c16384][] : memref<32768xi8> to memref<64xf32>
// CHECK-DAG: memref.extract_aligned_pointer_as_index %[[ROWS]] :
// CHECK-DAG: memref.extract_aligned_pointer_as_index %[[SUMS]] :
func.func @arena(%arena: memref<32768xi8>) {
  %c0 = arith.constant 0 : index
  %c1 = arith.constant 1 : index
  %c64 = arith.constant 64 : index
  %apart = arith.constant 16384 : index
  %overlapping = arith.constant 128 : index
  %rows = memref.view %arena[%c0][] : memref<32768xi8> to memref<64x64xf32>
  %sums = memref.view %arena[%apart][] : memref<32768xi8> to memref<64xf32>
  %alias = memref.view %arena[%overlapping][] : memref<32768xi8> to memref<64xf32>
  scf.parallel (%i) = (%c0) to (%c64) step (%c1) {
    scf.for %j = %c0 to %c64 step %c1 {
      %x = memref.load %rows[%i, %j] : memref<64x64xf32>
      %s = memref.load %sums[%i] : memref<64xf32>
      %t = arith.addf %s, %x : f32
      memref.store %t, %sums[%i] : memref<64xf32>
    }
    scf.reduce
  }
  scf.parallel (%i) = (%c0) to (%c64) step (%c1) {
    scf.for %j = %c0 to %c64 step %c1 {
      %x = memref.load %rows[%i, %j] : memref<64x64xf32>
      %s = memref.load %alias[%i] : memref<64xf32>
      %t = arith.addf %s, %x : f32
      memref.store %t, %alias[%i] : memref<64xf32>
    }
    scf.reduce
  }
  return
}
