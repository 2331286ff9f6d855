// vector-bits=128 (armv8 NEON: 32 registers of four floats) sizes the tiles
// 6 x 16: 24 accumulator registers, four for the weights, one broadcast.
// The AVX-512 default would take 12 x 32 here (96 NEON registers: spills;
// ResNet-50's aarch64 code had 9,442 q-register stack spills and reloads
// with those tiles, 181 with these).
// RUN: deepseek-opt %s --ds-cpu-tile-contractions="vector-bits=128" -canonicalize | FileCheck %s
// RUN: deepseek-opt %s --ds-cpu-tile-contractions -canonicalize | FileCheck %s --check-prefix=AVX512
// vector-bits=256 (x86-64 with AVX2 but not AVX-512: 16 registers of eight
// floats) takes the same 6 x 16 tiles: 12 accumulators, two weight
// registers, a broadcast (ResNet-50 FP32 for --cpu haswell: 175.6 -> 117.1
// ms with them instead of the AVX-512 tiles).
// RUN: deepseek-opt %s --ds-cpu-tile-contractions="vector-bits=256" -canonicalize | FileCheck %s

// CHECK-LABEL: func.func @matmul
// CHECK: scf.forall (%{{.*}}, %{{.*}}) = (0, 0) to (64, 24) step (16, 6)
// CHECK: scf.for {{.*}} -> (vector<6x16xf32>)
// AVX512: scf.forall (%{{.*}}, %{{.*}}) = (0, 0) to (64, 24) step (32, 12)
#mk = affine_map<(m, n, k) -> (m, k)>
#kn = affine_map<(m, n, k) -> (k, n)>
#mn = affine_map<(m, n, k) -> (m, n)>
func.func @matmul(%a: tensor<24x8xf32>, %b: tensor<8x64xf32>, %c: tensor<24x64xf32>) -> tensor<24x64xf32> {
  %0 = linalg.generic {indexing_maps = [#mk, #kn, #mn], iterator_types = ["parallel", "parallel", "reduction"]}
      ins(%a, %b : tensor<24x8xf32>, tensor<8x64xf32>) outs(%c : tensor<24x64xf32>) {
  ^bb0(%x: f32, %y: f32, %acc: f32):
    %p = arith.mulf %x, %y : f32
    %s = arith.addf %acc, %p : f32
    linalg.yield %s : f32
  } -> tensor<24x64xf32>
  return %0 : tensor<24x64xf32>
}
