// A channels-last convolution as the lowering writes it (an im2col copy of
// the padded NHWC input, collapsed to [N, OH*OW, KH*KW*C], times constant
// weights) becomes an implicit product reading the input in place: weights
// packed [F/Nr][KH][KW][C][Nr], tiles of Mr pixels of one output row, loops
// over filter rows, filter columns and channels carrying the accumulators,
// each step Mr pixels sw apart broadcast against one weight row. Products
// it cannot tile at least as tall stay im2col products.
// RUN: deepseek-opt %s --ds-cpu-tile-contractions -canonicalize -split-input-file | FileCheck %s
// RUN: deepseek-opt %s --ds-cpu-tile-contractions="vector-bits=128" -canonicalize -split-input-file | FileCheck %s --check-prefix=NEON

// CHECK-LABEL: func.func @conv3x3(
// CHECK-SAME: %[[X:.*]]: tensor<1x10x10x8xf32>
// CHECK-NOT: tensor<1x8x8x3x3x8xf32>
// CHECK: %[[W:.*]] = arith.constant dense_resource<implicit_conv_weight> : tensor<1x3x3x8x32xf32>
// CHECK: scf.forall (%[[Y:.*]]) in (8)
// CHECK: %[[ROWS:.*]] = tensor.extract_slice %[[X]][0, %[[Y]], 0, 0] [1, 3, 10, 8] [1, 1, 1, 1]
// CHECK: scf.for %[[I:.*]] = %c0 to %c3 step %c1 iter_args(%{{.*}}) -> (vector<8x32xf32>)
// CHECK: scf.for %[[J:.*]] = %c0 to %c3 step %c1 iter_args(%{{.*}}) -> (vector<8x32xf32>)
// CHECK: scf.for %[[C:.*]] = %c0 to %c8 step %c1 iter_args(%[[ACC:.*]] = %{{.*}}) -> (vector<8x32xf32>)
// CHECK: %[[SPAN:.*]] = tensor.extract_slice %[[ROWS]][0, %[[I]], %[[J]], %[[C]]] [1, 1, 8, 1] [1, 1, 1, 1]
// CHECK: %[[WROW:.*]] = tensor.extract_slice %[[W]][0, %[[I]], %[[J]], %[[C]], 0] [1, 1, 1, 1, 32]
// CHECK: %[[B:.*]] = vector.transfer_read %[[WROW]]{{.*}} : tensor<1x1x1x1x32xf32>, vector<32xf32>
// CHECK: tensor.extract %[[SPAN]][%c0, %c0, %c0, %c0]
// CHECK: tensor.extract %[[SPAN]][%c0, %c0, %c1, %c0]
// CHECK: tensor.extract %[[SPAN]][%c0, %c0, %c7, %c0]
// CHECK: %[[COL:.*]] = vector.from_elements {{.*}} : vector<8x1xf32>
// CHECK: %[[AT:.*]] = vector.broadcast %[[COL]] : vector<8x1xf32> to vector<8x32xf32>
// CHECK: %[[BT:.*]] = vector.broadcast %[[B]] : vector<32xf32> to vector<8x32xf32>
// CHECK: %[[P:.*]] = arith.mulf %[[AT]], %[[BT]] fastmath<contract> : vector<8x32xf32>
// CHECK: %[[S:.*]] = arith.addf %[[ACC]], %[[P]] fastmath<contract> : vector<8x32xf32>
// CHECK: scf.yield %[[S]]
// CHECK: vector.transfer_write
// CHECK: tensor.collapse_shape %{{.*}} {{\[}}[0], [1, 2], [3, 4]] : tensor<1x8x8x1x32xf32> into tensor<1x64x32xf32>
// NEON-LABEL: func.func @conv3x3
// NEON: scf.forall (%{{.*}}, %{{.*}}, %{{.*}}) = (0, 0, 0) to (8, 8, 2) step (1, 4, 1)
// NEON: vector.from_elements {{.*}} : vector<4x1xf32>
#read = affine_map<(n, y, x, i, j, c) -> (n, y + i, x + j, c)>
#id6 = affine_map<(n, y, x, i, j, c) -> (n, y, x, i, j, c)>
#lhs = affine_map<(n, m, f, k) -> (n, m, k)>
#rhs = affine_map<(n, m, f, k) -> (k, f)>
#out = affine_map<(n, m, f, k) -> (n, m, f)>
func.func @conv3x3(%x: tensor<1x10x10x8xf32>) -> tensor<1x64x32xf32> {
  %w = arith.constant dense<0.5> : tensor<72x32xf32>
  %zero = arith.constant 0.0 : f32
  %e = tensor.empty() : tensor<1x8x8x3x3x8xf32>
  %patches = linalg.generic {indexing_maps = [#read, #id6], iterator_types = ["parallel", "parallel", "parallel", "parallel", "parallel", "parallel"]}
      ins(%x : tensor<1x10x10x8xf32>) outs(%e : tensor<1x8x8x3x3x8xf32>) {
  ^bb0(%in: f32, %o: f32):
    linalg.yield %in : f32
  } -> tensor<1x8x8x3x3x8xf32>
  %a = tensor.collapse_shape %patches [[0], [1, 2], [3, 4, 5]] : tensor<1x8x8x3x3x8xf32> into tensor<1x64x72xf32>
  %oe = tensor.empty() : tensor<1x64x32xf32>
  %init = linalg.fill ins(%zero : f32) outs(%oe : tensor<1x64x32xf32>) -> tensor<1x64x32xf32>
  %0 = linalg.generic {indexing_maps = [#lhs, #rhs, #out], iterator_types = ["parallel", "parallel", "parallel", "reduction"]}
      ins(%a, %w : tensor<1x64x72xf32>, tensor<72x32xf32>) outs(%init : tensor<1x64x32xf32>) {
  ^bb0(%p: f32, %q: f32, %acc: f32):
    %m = arith.mulf %p, %q : f32
    %s = arith.addf %acc, %m : f32
    linalg.yield %s : f32
  } -> tensor<1x64x32xf32>
  return %0 : tensor<1x64x32xf32>
}

// -----

// Stride 2: filter rows two input rows apart per output row, neighbouring
// pixels two input pixels apart.
// CHECK-LABEL: func.func @conv3x3_stride2
// CHECK: scf.forall (%[[Y:.*]]) in (8)
// CHECK: %[[ROW0:.*]] = affine.apply #{{.*}}(%[[Y]])
// CHECK: tensor.extract_slice %{{.*}}[0, %[[ROW0]], 0, 0] [1, 3, 17, 8] [1, 1, 1, 1]
// CHECK: tensor.extract_slice {{.*}} [1, 1, 15, 1] [1, 1, 1, 1]
// CHECK: tensor.extract %{{.*}}[%c0, %c0, %c2, %c0]
// CHECK: tensor.extract %{{.*}}[%c0, %c0, %c14, %c0]
// CHECK: vector.from_elements {{.*}} : vector<8x1xf32>
#read2 = affine_map<(n, y, x, i, j, c) -> (n, y * 2 + i, x * 2 + j, c)>
#id62 = affine_map<(n, y, x, i, j, c) -> (n, y, x, i, j, c)>
#lhs2 = affine_map<(n, m, f, k) -> (n, m, k)>
#rhs2 = affine_map<(n, m, f, k) -> (k, f)>
#out2 = affine_map<(n, m, f, k) -> (n, m, f)>
func.func @conv3x3_stride2(%x: tensor<1x17x17x8xf32>) -> tensor<1x64x32xf32> {
  %w = arith.constant dense<0.5> : tensor<72x32xf32>
  %zero = arith.constant 0.0 : f32
  %e = tensor.empty() : tensor<1x8x8x3x3x8xf32>
  %patches = linalg.generic {indexing_maps = [#read2, #id62], iterator_types = ["parallel", "parallel", "parallel", "parallel", "parallel", "parallel"]}
      ins(%x : tensor<1x17x17x8xf32>) outs(%e : tensor<1x8x8x3x3x8xf32>) {
  ^bb0(%in: f32, %o: f32):
    linalg.yield %in : f32
  } -> tensor<1x8x8x3x3x8xf32>
  %a = tensor.collapse_shape %patches [[0], [1, 2], [3, 4, 5]] : tensor<1x8x8x3x3x8xf32> into tensor<1x64x72xf32>
  %oe = tensor.empty() : tensor<1x64x32xf32>
  %init = linalg.fill ins(%zero : f32) outs(%oe : tensor<1x64x32xf32>) -> tensor<1x64x32xf32>
  %0 = linalg.generic {indexing_maps = [#lhs2, #rhs2, #out2], iterator_types = ["parallel", "parallel", "parallel", "reduction"]}
      ins(%a, %w : tensor<1x64x72xf32>, tensor<72x32xf32>) outs(%init : tensor<1x64x32xf32>) {
  ^bb0(%p: f32, %q: f32, %acc: f32):
    %m = arith.mulf %p, %q : f32
    %s = arith.addf %acc, %m : f32
    linalg.yield %s : f32
  } -> tensor<1x64x32xf32>
  return %0 : tensor<1x64x32xf32>
}

// -----

// Left alone: a dilated window (the taps of a filter row are not one span),
// and 13-pixel rows, where one-row tiles would be shorter than the im2col
// product's 8-row tiles: both keep their patch copy.
// CHECK-LABEL: func.func @dilated
// CHECK: linalg.generic {{.*}} ins(%{{.*}} : tensor<1x12x12x8xf32>) outs(%{{.*}} : tensor<1x8x8x3x3x8xf32>)
// CHECK-NOT: implicit_conv_weight
// CHECK-LABEL: func.func @rows_of_13
// CHECK: linalg.generic {{.*}} ins(%{{.*}} : tensor<1x15x15x8xf32>) outs(%{{.*}} : tensor<1x13x13x3x3x8xf32>)
// CHECK-NOT: implicit_conv_weight
#read3 = affine_map<(n, y, x, i, j, c) -> (n, y + i * 2, x + j * 2, c)>
#read4 = affine_map<(n, y, x, i, j, c) -> (n, y + i, x + j, c)>
#id63 = affine_map<(n, y, x, i, j, c) -> (n, y, x, i, j, c)>
#lhs3 = affine_map<(n, m, f, k) -> (n, m, k)>
#rhs3 = affine_map<(n, m, f, k) -> (k, f)>
#out3 = affine_map<(n, m, f, k) -> (n, m, f)>
func.func @dilated(%x: tensor<1x12x12x8xf32>) -> tensor<1x64x32xf32> {
  %w = arith.constant dense<0.5> : tensor<72x32xf32>
  %zero = arith.constant 0.0 : f32
  %e = tensor.empty() : tensor<1x8x8x3x3x8xf32>
  %patches = linalg.generic {indexing_maps = [#read3, #id63], iterator_types = ["parallel", "parallel", "parallel", "parallel", "parallel", "parallel"]}
      ins(%x : tensor<1x12x12x8xf32>) outs(%e : tensor<1x8x8x3x3x8xf32>) {
  ^bb0(%in: f32, %o: f32):
    linalg.yield %in : f32
  } -> tensor<1x8x8x3x3x8xf32>
  %a = tensor.collapse_shape %patches [[0], [1, 2], [3, 4, 5]] : tensor<1x8x8x3x3x8xf32> into tensor<1x64x72xf32>
  %oe = tensor.empty() : tensor<1x64x32xf32>
  %init = linalg.fill ins(%zero : f32) outs(%oe : tensor<1x64x32xf32>) -> tensor<1x64x32xf32>
  %0 = linalg.generic {indexing_maps = [#lhs3, #rhs3, #out3], iterator_types = ["parallel", "parallel", "parallel", "reduction"]}
      ins(%a, %w : tensor<1x64x72xf32>, tensor<72x32xf32>) outs(%init : tensor<1x64x32xf32>) {
  ^bb0(%p: f32, %q: f32, %acc: f32):
    %m = arith.mulf %p, %q : f32
    %s = arith.addf %acc, %m : f32
    linalg.yield %s : f32
  } -> tensor<1x64x32xf32>
  return %0 : tensor<1x64x32xf32>
}
func.func @rows_of_13(%x: tensor<1x15x15x8xf32>) -> tensor<1x169x32xf32> {
  %w = arith.constant dense<0.5> : tensor<72x32xf32>
  %zero = arith.constant 0.0 : f32
  %e = tensor.empty() : tensor<1x13x13x3x3x8xf32>
  %patches = linalg.generic {indexing_maps = [#read4, #id63], iterator_types = ["parallel", "parallel", "parallel", "parallel", "parallel", "parallel"]}
      ins(%x : tensor<1x15x15x8xf32>) outs(%e : tensor<1x13x13x3x3x8xf32>) {
  ^bb0(%in: f32, %o: f32):
    linalg.yield %in : f32
  } -> tensor<1x13x13x3x3x8xf32>
  %a = tensor.collapse_shape %patches [[0], [1, 2], [3, 4, 5]] : tensor<1x13x13x3x3x8xf32> into tensor<1x169x72xf32>
  %oe = tensor.empty() : tensor<1x169x32xf32>
  %init = linalg.fill ins(%zero : f32) outs(%oe : tensor<1x169x32xf32>) -> tensor<1x169x32xf32>
  %0 = linalg.generic {indexing_maps = [#lhs3, #rhs3, #out3], iterator_types = ["parallel", "parallel", "parallel", "reduction"]}
      ins(%a, %w : tensor<1x169x72xf32>, tensor<72x32xf32>) outs(%init : tensor<1x169x32xf32>) {
  ^bb0(%p: f32, %q: f32, %acc: f32):
    %m = arith.mulf %p, %q : f32
    %s = arith.addf %acc, %m : f32
    linalg.yield %s : f32
  } -> tensor<1x169x32xf32>
  return %0 : tensor<1x169x32xf32>
}
