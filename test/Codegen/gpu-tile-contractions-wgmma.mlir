// ds-gpu-tile-contractions{tensor-cores=true wgmma=true} (sm_90a): products
// reading an operand widened from f16 stage both slices as f16 core matrices
// ([operand][row / 8][k / 8][row % 8][k % 8], no swizzle) in one workgroup
// buffer, fence them for the async proxy, and multiply them with one
// nvvm.wgmma.mma_async m64n32k16 per warpgroup and stage, reading both
// operands through matrix descriptors: leading offset 128 bytes (8 in the
// descriptor's bits 16..29), stride offset 256 (16 in bits 32..45), i.e.
// 68720001024 = 16 << 32 | 8 << 16. B's descriptor for warpgroup w starts
// 2048 + 1024 w bytes in. Other products keep the CUDA-core schedule.
// RUN: deepseek-opt %s --ds-gpu-tile-contractions="tensor-cores=true wgmma=true" -canonicalize -cse -split-input-file | FileCheck %s

// CHECK-LABEL: func.func @fp16_weights
// CHECK-SAME: (%[[A:.*]]: memref<70x24xf32>, %[[W:.*]]: memref<24x100xf16>, %[[C:.*]]: memref<70x100xf32>)
// CHECK: %[[POISON:.*]] = llvm.mlir.poison : !llvm.struct<(f32, f32, f32, f32, f32, f32, f32, f32, f32, f32, f32, f32, f32, f32, f32, f32)>
// CHECK: gpu.launch
// CHECK-SAME: workgroup(%[[S:.*]] : memref<2x8x2x8x8xf16, #gpu.address_space<workgroup>>)
// CHECK-NOT: memref<64x24xf16
// CHECK: %[[LINEAR:.*]] = arith.addi %{{.*}}, %{{.*}} : index
// CHECK: %[[WARP:.*]] = arith.divui %[[LINEAR]], %c32
// The warp's rows within its warpgroup: 16 (warp % 4).
// CHECK: %[[WROW:.*]] = arith.remui %[[WARP]], %c4
// CHECK: %[[GROUP:.*]] = arith.divui %[[WARP]], %c4
// The accumulators start at the output's values, 16 in one struct.
// CHECK-COUNT-16: memref.load %[[C]]
// CHECK: llvm.insertvalue %{{.*}}, %[[POISON]][0]
// CHECK-COUNT-15: llvm.insertvalue
// CHECK: %[[ACC:.*]] = scf.for %{{.*}} = %c0 to %c24 step %c16 iter_args(%[[IN:.*]] = %{{.*}}) -> (!llvm.struct
// The activations are rounded to f16 as they are staged into core matrices.
// CHECK: %[[X:.*]] = memref.load %[[A]]
// CHECK-NEXT: %[[X16:.*]] = arith.truncf %[[X]] : f32 to f16
// CHECK-NEXT: %[[XS:.*]] = arith.select %{{.*}}, %[[X16]], %{{.*}} : f16
// CHECK: memref.store %[[XS]], %[[S]][%c0, %{{.*}}, %{{.*}}, %{{.*}}, %{{.*}}] :
// CHECK: %[[Y:.*]] = memref.load %[[W]]
// CHECK-NEXT: %[[YS:.*]] = arith.select %{{.*}}, %[[Y]], %{{.*}} : f16
// CHECK: memref.store %[[YS]], %[[S]][%c1, %{{.*}}, %{{.*}}, %{{.*}}, %{{.*}}] :
// CHECK-NOT: arith.extf
// CHECK: nvvm.fence.proxy {kind = #nvvm.proxy_kind<async.shared>, space = #nvvm.shared_space<cta>}
// CHECK-NEXT: gpu.barrier
// The descriptors: the address's bits 4..17, the offsets above.
// CHECK: %[[BASE:.*]] = memref.extract_aligned_pointer_as_index %[[S]]
// CHECK: %[[ADDR:.*]] = arith.index_castui %[[BASE]] : index to i64
// CHECK: %[[MASKED:.*]] = arith.andi %[[ADDR]], %c262143_i64
// CHECK: %[[FIELD:.*]] = arith.shrui %[[MASKED]], %c4_i64
// CHECK: %[[DA:.*]] = arith.ori %[[FIELD]], %c68720001024_i64
// CHECK: %[[BOFF:.*]] = arith.muli %[[GROUP]], %c1024
// CHECK: %[[BOFF2:.*]] = arith.addi %[[BOFF]], %c2048
// CHECK: arith.addi %[[BASE]], %[[BOFF2]]
// CHECK: %[[DB:.*]] = arith.ori %{{.*}}, %c68720001024_i64
// CHECK: nvvm.wgmma.fence.aligned
// CHECK-NEXT: %[[D:.*]] = nvvm.wgmma.mma_async %[[DA]], %[[DB]], %[[IN]], <m = 64, n = 32, k = 16>, D[<f32>, <one>], A[<f16>, <one>, <row>], B[<f16>, <one>, <col>]
// CHECK-NEXT: nvvm.wgmma.commit.group.sync.aligned
// CHECK-NEXT: nvvm.wgmma.wait.group.sync.aligned 0
// CHECK-NEXT: gpu.barrier
// CHECK-NEXT: scf.yield %[[D]]
// CHECK-COUNT-16: llvm.extractvalue %[[ACC]]
// CHECK-COUNT-16: memref.store %{{.*}}, %[[C]]
// CHECK: gpu.terminator
#mk = affine_map<(m, n, k) -> (m, k)>
#kn = affine_map<(m, n, k) -> (k, n)>
#mn = affine_map<(m, n, k) -> (m, n)>
func.func @fp16_weights(%a: memref<70x24xf32>, %w: memref<24x100xf16>, %c: memref<70x100xf32>) {
  linalg.generic {indexing_maps = [#mk, #kn, #mn], iterator_types = ["parallel", "parallel", "reduction"]}
      ins(%a, %w : memref<70x24xf32>, memref<24x100xf16>) outs(%c : memref<70x100xf32>) {
  ^bb0(%x: f32, %y: f16, %acc: f32):
    %wide = arith.extf %y : f16 to f32
    %p = arith.mulf %x, %wide : f32
    %s = arith.addf %acc, %p : f32
    linalg.yield %s : f32
  }
  return
}

// -----

// f32 x f32 (an FP32 model): the CUDA-core schedule, k in order.
// CHECK-LABEL: func.func @fp32_stays_on_cuda_cores
// CHECK: workgroup(%{{.*}} : memref<16x64xf32, #gpu.address_space<workgroup>>, %{{.*}} : memref<16x64xf32, #gpu.address_space<workgroup>>)
// CHECK-NOT: nvvm.wgmma
// CHECK: gpu.terminator
#mk2 = affine_map<(m, n, k) -> (m, k)>
#kn2 = affine_map<(m, n, k) -> (k, n)>
#mn2 = affine_map<(m, n, k) -> (m, n)>
func.func @fp32_stays_on_cuda_cores(%a: memref<70x24xf32>, %w: memref<24x100xf32>, %c: memref<70x100xf32>) {
  linalg.generic {indexing_maps = [#mk2, #kn2, #mn2], iterator_types = ["parallel", "parallel", "reduction"]}
      ins(%a, %w : memref<70x24xf32>, memref<24x100xf32>) outs(%c : memref<70x100xf32>) {
  ^bb0(%x: f32, %y: f32, %acc: f32):
    %p = arith.mulf %x, %y : f32
    %s = arith.addf %acc, %p : f32
    linalg.yield %s : f32
  }
  return
}

// -----

// With an epilogue and a fill: the fill's value starts the accumulators,
// the epilogue runs on each extracted accumulator before its store.
// CHECK-LABEL: func.func @fill_and_epilogue
// CHECK: %[[ZERO:.*]] = arith.constant 0.000000e+00 : f32
// CHECK: gpu.launch
// CHECK-NOT: memref.load %{{.*}} : memref<64x128xf32>
// CHECK-COUNT-16: llvm.insertvalue %[[ZERO]]
// CHECK: nvvm.wgmma.mma_async
// CHECK-COUNT-16: llvm.extractvalue
// CHECK: arith.maximumf
// CHECK: gpu.terminator
// CHECK-NOT: linalg.fill
#mk3 = affine_map<(m, n, k) -> (m, k)>
#kn3 = affine_map<(m, n, k) -> (k, n)>
#mn3 = affine_map<(m, n, k) -> (m, n)>
#id = affine_map<(m, n) -> (m, n)>
func.func @fill_and_epilogue(%a: memref<64x32xf32>, %w: memref<32x128xf16>, %out: memref<64x128xf32>) {
  %zero = arith.constant 0.0 : f32
  %c = memref.alloc() : memref<64x128xf32>
  linalg.fill ins(%zero : f32) outs(%c : memref<64x128xf32>)
  linalg.generic {indexing_maps = [#mk3, #kn3, #mn3], iterator_types = ["parallel", "parallel", "reduction"]}
      ins(%a, %w : memref<64x32xf32>, memref<32x128xf16>) outs(%c : memref<64x128xf32>) {
  ^bb0(%x: f32, %y: f16, %acc: f32):
    %wide = arith.extf %y : f16 to f32
    %p = arith.mulf %x, %wide : f32
    %s = arith.addf %acc, %p : f32
    linalg.yield %s : f32
  }
  linalg.generic {indexing_maps = [#id, #id], iterator_types = ["parallel", "parallel"]}
      ins(%c : memref<64x128xf32>) outs(%out : memref<64x128xf32>) {
  ^bb0(%x: f32, %o: f32):
    %r = arith.maximumf %x, %zero : f32
    linalg.yield %r : f32
  }
  return
}
