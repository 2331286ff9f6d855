// With widen-into-contractions, a producer that only widens (FP16 weights
// made f32) fuses into the contraction that reads it; other producers still
// do not, and without the option neither does the widening.
// RUN: deepseek-opt %s --ds-fuse-elementwise=widen-into-contractions=true | FileCheck %s
// RUN: deepseek-opt %s --ds-fuse-elementwise | FileCheck %s --check-prefix=DEFAULT

// CHECK-LABEL: func.func @widened_weights
// CHECK-SAME: %[[WEIGHTS:[^:]*]]: tensor<24x100xf16>
// CHECK: %[[ERF:.*]] = linalg.generic
// CHECK: math.erf
// CHECK: linalg.generic {{.*}} ins(%[[ERF]], %[[WEIGHTS]] : tensor<70x24xf32>, tensor<24x100xf16>)
// CHECK-NEXT: ^bb0(%[[X:.*]]: f32, %[[W:.*]]: f16, %[[ACC:.*]]: f32):
// CHECK-NEXT: %[[WIDE:.*]] = arith.extf %[[W]] : f16 to f32
// CHECK-NEXT: %[[P:.*]] = arith.mulf %[[X]], %[[WIDE]] : f32
// CHECK-NEXT: arith.addf %[[ACC]], %[[P]] : f32
// DEFAULT-LABEL: func.func @widened_weights
// DEFAULT-COUNT-3: linalg.generic
#id2 = affine_map<(m, k) -> (m, k)>
#mk = affine_map<(m, n, k) -> (m, k)>
#kn = affine_map<(m, n, k) -> (k, n)>
#mn = affine_map<(m, n, k) -> (m, n)>
func.func @widened_weights(%a: tensor<70x24xf32>, %w16: tensor<24x100xf16>, %c: tensor<70x100xf32>) -> tensor<70x100xf32> {
  %e = tensor.empty() : tensor<24x100xf32>
  %w = linalg.generic {indexing_maps = [#id2, #id2], iterator_types = ["parallel", "parallel"]} ins(%w16 : tensor<24x100xf16>) outs(%e : tensor<24x100xf32>) {
  ^bb0(%x: f16, %o: f32):
    %y = arith.extf %x : f16 to f32
    linalg.yield %y : f32
  } -> tensor<24x100xf32>
  %ea = tensor.empty() : tensor<70x24xf32>
  %erf = linalg.generic {indexing_maps = [#id2, #id2], iterator_types = ["parallel", "parallel"]} ins(%a : tensor<70x24xf32>) outs(%ea : tensor<70x24xf32>) {
  ^bb0(%x: f32, %o: f32):
    %y = math.erf %x : f32
    linalg.yield %y : f32
  } -> tensor<70x24xf32>
  %r = linalg.generic {indexing_maps = [#mk, #kn, #mn], iterator_types = ["parallel", "parallel", "reduction"]} ins(%erf, %w : tensor<70x24xf32>, tensor<24x100xf32>) outs(%c : tensor<70x100xf32>) {
  ^bb0(%x: f32, %y: f32, %acc: f32):
    %p = arith.mulf %x, %y : f32
    %s = arith.addf %acc, %p : f32
    linalg.yield %s : f32
  } -> tensor<70x100xf32>
  return %r : tensor<70x100xf32>
}
