// ds-gpu-tile-contractions{tensor-cores=true}: products reading an operand
// widened from f16 (FP16 weights) stage both slices as f16 in [row][k]
// order (rows padded to 24) and multiply them with nvgpu.mma.sync m16n8k16,
// four per warp and stage; the accumulators are four vector<2x2xf32>.
// Other products keep the CUDA-core schedule.
// RUN: deepseek-opt %s --ds-gpu-tile-contractions=tensor-cores=true -canonicalize -cse -split-input-file | FileCheck %s

// CHECK-LABEL: func.func @fp16_weights
// CHECK-SAME: (%[[A:.*]]: memref<70x24xf32>, %[[W:.*]]: memref<24x100xf16>, %[[C:.*]]: memref<70x100xf32>)
// CHECK: gpu.launch
// CHECK-SAME: workgroup(%[[SA:.*]] : memref<64x24xf16, #gpu.address_space<workgroup>>, %[[SB:.*]] : memref<64x24xf16, #gpu.address_space<workgroup>>)
// The thread's warp and lane: group g = lane / 4, position q = lane % 4.
// CHECK: %[[LINEAR:.*]] = arith.addi %{{.*}}, %{{.*}} : index
// CHECK: %[[WARP:.*]] = arith.divui %[[LINEAR]], %c32
// CHECK: %[[LANE:.*]] = arith.remui %[[LINEAR]], %c32
// CHECK: %[[G:.*]] = arith.divui %[[LANE]], %c4
// CHECK: %[[Q:.*]] = arith.remui %[[LANE]], %c4
// CHECK: %[[K:.*]] = arith.muli %[[Q]], %c2
// The accumulators start at the output's values, 4 per fragment.
// CHECK-COUNT-16: memref.load %[[C]]
// CHECK-COUNT-4: vector.from_elements {{.*}} : vector<2x2xf32>
// CHECK: %[[ACC:.*]]:4 = scf.for %{{.*}} = %c0 to %c24 step %c16 iter_args(
// The activations are rounded to f16 as they are staged, [row][k].
// CHECK: %[[X:.*]] = memref.load %[[A]]
// CHECK-NEXT: %[[X16:.*]] = arith.truncf %[[X]] : f32 to f16
// CHECK-NEXT: %[[XS:.*]] = arith.select %{{.*}}, %[[X16]], %{{.*}} : f16
// CHECK-NEXT: memref.store %[[XS]], %[[SA]][%[[ROW:.*]], %[[KK:.*]]] :
// The weights are staged as they are, transposed to [column][k].
// CHECK: %[[Y:.*]] = memref.load %[[W]]
// CHECK-NEXT: %[[YS:.*]] = arith.select %{{.*}}, %[[Y]], %{{.*}} : f16
// CHECK-NEXT: memref.store %[[YS]], %[[SB]]
// CHECK-NOT: arith.extf
// CHECK: gpu.barrier
// A's fragment: rows g and g + 8, k pairs 2q and 2q + 8.
// CHECK: %[[AROW:.*]] = arith.addi %{{.*}}, %[[G]] : index
// CHECK: vector.load %[[SA]][%[[AROW]], %[[K]]] : {{.*}}, vector<2xf16>
// CHECK-COUNT-3: vector.load %[[SA]]
// CHECK: %[[FRAG:.*]] = vector.from_elements {{.*}} : vector<4x2xf16>
// CHECK-COUNT-2: vector.load %[[SB]]
// CHECK: %[[BF:.*]] = vector.from_elements {{.*}} : vector<2x2xf16>
// CHECK: nvgpu.mma.sync(%[[FRAG]], %[[BF]], %{{.*}}) {mmaShape = [16, 8, 16]} : (vector<4x2xf16>, vector<2x2xf16>, vector<2x2xf32>) -> vector<2x2xf32>
// CHECK-COUNT-3: nvgpu.mma.sync
// CHECK: gpu.barrier
// CHECK: scf.yield
// CHECK-COUNT-16: vector.extract %[[ACC]]
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
// CHECK-NOT: nvgpu.mma.sync
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

// bf16 weights: no f16 tensor-core form here, the CUDA-core schedule
// (staged widened to f32).
// CHECK-LABEL: func.func @bf16_stays_on_cuda_cores
// CHECK: workgroup(%{{.*}} : memref<16x64xf32, #gpu.address_space<workgroup>>, %{{.*}} : memref<16x64xf32, #gpu.address_space<workgroup>>)
// CHECK-NOT: nvgpu.mma.sync
// CHECK: gpu.terminator
#mk3 = affine_map<(m, n, k) -> (m, k)>
#kn3 = affine_map<(m, n, k) -> (k, n)>
#mn3 = affine_map<(m, n, k) -> (m, n)>
func.func @bf16_stays_on_cuda_cores(%a: memref<70x24xf32>, %w: memref<24x100xbf16>, %c: memref<70x100xf32>) {
  linalg.generic {indexing_maps = [#mk3, #kn3, #mn3], iterator_types = ["parallel", "parallel", "reduction"]}
      ins(%a, %w : memref<70x24xf32>, memref<24x100xbf16>) outs(%c : memref<70x100xf32>) {
  ^bb0(%x: f32, %y: bf16, %acc: f32):
    %wide = arith.extf %y : bf16 to f32
    %p = arith.mulf %x, %wide : f32
    %s = arith.addf %acc, %p : f32
    linalg.yield %s : f32
  }
  return
}
