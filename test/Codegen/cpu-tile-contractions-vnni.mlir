// With vnni, the 8-bit products ds.qconv lowers to (u8 [N, P, K/4, 4] x
// i8 [F/16, K/4, 16, 4] -> i32 [N, P, F/16, 16]) become a forall over
// Mr rows x two 16-channel groups, a K loop of four-tap steps carrying the
// i32 accumulators as a vector from zero (no fill is stored), and per step
// Mr x 2 dots of four bytes against the groups' 64-byte weight rows
// (vpdpbusd after ds-cpu-lower-vectors); the float epilogue joins the tile
// and works on the accumulators. Without vnni the product is left alone.
// RUN: deepseek-opt %s --ds-cpu-tile-contractions="vnni=true" -canonicalize -split-input-file | FileCheck %s
// RUN: deepseek-opt %s --ds-cpu-tile-contractions -canonicalize -split-input-file | FileCheck %s --check-prefix=PLAIN
// RUN: deepseek-opt %s --ds-cpu-tile-contractions="signed-products=true vector-bits=128" -canonicalize -split-input-file | FileCheck %s --check-prefix=SDOT

// CHECK-LABEL: func.func @vnni
// CHECK-NOT: linalg.fill
// CHECK: scf.forall (%[[G:.*]], %[[M:.*]]) = (0, 0) to (4, 24) step (2, 12)
// CHECK: scf.for %{{.*}} = %c0 to %c9 step %c1 iter_args(%{{.*}} = %cst) -> (vector<12x2x16xi32>)
// CHECK: tensor.collapse_shape %{{.*}} {{\[}}[0, 1, 2, 3]] : tensor<1x1x16x4xi8> into tensor<64xi8>
// CHECK: vector.transfer_read {{.*}} : tensor<64xi8>, vector<64xi8>
// CHECK: vector.transfer_read {{.*}} : tensor<64xi8>, vector<64xi8>
// CHECK: vector.transfer_read {{.*}} : tensor<1x12x1x4xi8>, vector<4xi8>
// CHECK: vector.bitcast %{{.*}} : vector<4xi8> to vector<1xi32>
// CHECK: vector.broadcast %{{.*}} : i32 to vector<16xi32>
// CHECK: arith.extui %{{.*}} : vector<64xi8> to vector<64xi32>
// CHECK: arith.extsi %{{.*}} : vector<64xi8> to vector<64xi32>
// CHECK: arith.muli
// CHECK: vector.shape_cast %{{.*}} : vector<64xi32> to vector<16x4xi32>
// CHECK: vector.multi_reduction <add>, %{{.*}}, %{{.*}} [1] : vector<16x4xi32> to vector<16xi32>
// CHECK: scf.yield %{{.*}} : vector<12x2x16xi32>
// CHECK: arith.sitofp %{{.*}} : vector<1x12x2x16xi32> to vector<1x12x2x16xf32>
// CHECK: vector.transfer_write {{.*}} : vector<1x12x2x16xf32>, tensor<1x12x2x16xf32>
// CHECK: tensor.parallel_insert_slice

// PLAIN-LABEL: func.func @vnni
// PLAIN-NOT: scf.forall
// PLAIN: linalg.generic
#a = affine_map<(d0, d1, d2, d3, d4, d5) -> (d0, d1, d4, d5)>
#b = affine_map<(d0, d1, d2, d3, d4, d5) -> (d2, d4, d3, d5)>
#o = affine_map<(d0, d1, d2, d3, d4, d5) -> (d0, d1, d2, d3)>
#id = affine_map<(d0, d1, d2, d3) -> (d0, d1, d2, d3)>
#vec = affine_map<(d0, d1, d2, d3) -> (d2, d3)>
func.func @vnni(%lhs: tensor<1x24x9x4xi8>, %rhs: tensor<4x9x16x4xi8>, %scale: tensor<4x16xf32>) -> tensor<1x24x4x16xf32> {
  %c0 = arith.constant 0 : i32
  %e = tensor.empty() : tensor<1x24x4x16xi32>
  %f = linalg.fill ins(%c0 : i32) outs(%e : tensor<1x24x4x16xi32>) -> tensor<1x24x4x16xi32>
  %acc = linalg.generic {indexing_maps = [#a, #b, #o], iterator_types = ["parallel", "parallel", "parallel", "parallel", "reduction", "reduction"]} ins(%lhs, %rhs : tensor<1x24x9x4xi8>, tensor<4x9x16x4xi8>) outs(%f : tensor<1x24x4x16xi32>) {
  ^bb0(%x: i8, %w: i8, %s: i32):
    %0 = arith.extui %x : i8 to i32
    %1 = arith.extsi %w : i8 to i32
    %2 = arith.muli %0, %1 : i32
    %3 = arith.addi %s, %2 : i32
    linalg.yield %3 : i32
  } -> tensor<1x24x4x16xi32>
  %oe = tensor.empty() : tensor<1x24x4x16xf32>
  %out = linalg.generic {indexing_maps = [#id, #vec, #id], iterator_types = ["parallel", "parallel", "parallel", "parallel"]} ins(%acc, %scale : tensor<1x24x4x16xi32>, tensor<4x16xf32>) outs(%oe : tensor<1x24x4x16xf32>) {
  ^bb0(%v: i32, %sc: f32, %o: f32):
    %0 = arith.sitofp %v : i32 to f32
    %1 = arith.mulf %0, %sc : f32
    linalg.yield %1 : f32
  } -> tensor<1x24x4x16xf32>
  return %out : tensor<1x24x4x16xf32>
}

// -----

// The implicit form (what ds.qconv lowers to): a 3x3 stride-2 convolution
// reading its patches in place from the padded NHWC input [1, 9, 17, 8]
// (u8 in[n, 2y + i, 2x + jj, 4 c4 + kk] x i8 w[g, i, jj, c4, j, kk] ->
// i32 [1, 4, 8, 2, 16]). Tiles are Mr = 8 pixels of one output row by two
// groups; the filter rows, columns and channel quads are three loops
// carrying the accumulators; row r's four taps are read 2r pixels into the
// tile's window.
// CHECK-LABEL: func.func @implicit
// (One tile per output row here: the forall runs over the 4 rows.)
// CHECK: scf.forall (%{{.*}}) in (4)
// CHECK: scf.for %{{.*}} = %c0 to %c3 step %c1 iter_args(%{{.*}} = %cst) -> (vector<8x2x16xi32>)
// CHECK: scf.for %{{.*}} = %c0 to %c3 step %c1 iter_args(%{{.*}} = %{{.*}}) -> (vector<8x2x16xi32>)
// CHECK: scf.for %{{.*}} = %c0 to %c2 step %c1 iter_args(%{{.*}} = %{{.*}}) -> (vector<8x2x16xi32>)
// CHECK: tensor.collapse_shape %{{.*}} {{\[}}[0, 1, 2, 3, 4, 5]] : tensor<1x1x1x1x16x4xi8> into tensor<64xi8>
// CHECK: vector.transfer_read %[[WIN:.*]][%c0, %c0, %c0, %c0]{{.*}} : tensor<1x1x15x4xi8>, vector<4xi8>
// CHECK: vector.transfer_read %[[WIN]][%c0, %c0, %c2, %c0]{{.*}} : tensor<1x1x15x4xi8>, vector<4xi8>
// CHECK: vector.transfer_read %[[WIN]][%c0, %c0, %c14, %c0]{{.*}} : tensor<1x1x15x4xi8>, vector<4xi8>
// CHECK: vector.multi_reduction <add>
// CHECK: arith.sitofp %{{.*}} : vector<1x1x8x2x16xi32> to vector<1x1x8x2x16xf32>
// CHECK: tensor.parallel_insert_slice

// PLAIN-LABEL: func.func @implicit
// PLAIN-NOT: scf.forall
// PLAIN: linalg.generic
#in = affine_map<(d0, d1, d2, d3, d4, d5, d6, d7, d8) -> (d0, d1 * 2 + d5, d2 * 2 + d6, d7 * 4 + d8)>
#w = affine_map<(d0, d1, d2, d3, d4, d5, d6, d7, d8) -> (d3, d5, d6, d7, d4, d8)>
#out = affine_map<(d0, d1, d2, d3, d4, d5, d6, d7, d8) -> (d0, d1, d2, d3, d4)>
#id5 = affine_map<(d0, d1, d2, d3, d4) -> (d0, d1, d2, d3, d4)>
#vec5 = affine_map<(d0, d1, d2, d3, d4) -> (d3, d4)>
func.func @implicit(%x: tensor<1x9x17x8xi8>, %w: tensor<2x3x3x2x16x4xi8>, %scale: tensor<2x16xf32>) -> tensor<1x4x8x2x16xf32> {
  %c0 = arith.constant 0 : i32
  %e = tensor.empty() : tensor<1x4x8x2x16xi32>
  %f = linalg.fill ins(%c0 : i32) outs(%e : tensor<1x4x8x2x16xi32>) -> tensor<1x4x8x2x16xi32>
  %acc = linalg.generic {indexing_maps = [#in, #w, #out], iterator_types = ["parallel", "parallel", "parallel", "parallel", "parallel", "reduction", "reduction", "reduction", "reduction"]} ins(%x, %w : tensor<1x9x17x8xi8>, tensor<2x3x3x2x16x4xi8>) outs(%f : tensor<1x4x8x2x16xi32>) {
  ^bb0(%a: i8, %b: i8, %s: i32):
    %0 = arith.extui %a : i8 to i32
    %1 = arith.extsi %b : i8 to i32
    %2 = arith.muli %0, %1 : i32
    %3 = arith.addi %s, %2 : i32
    linalg.yield %3 : i32
  } -> tensor<1x4x8x2x16xi32>
  %oe = tensor.empty() : tensor<1x4x8x2x16xf32>
  %out = linalg.generic {indexing_maps = [#id5, #vec5, #id5], iterator_types = ["parallel", "parallel", "parallel", "parallel", "parallel"]} ins(%acc, %scale : tensor<1x4x8x2x16xi32>, tensor<2x16xf32>) outs(%oe : tensor<1x4x8x2x16xf32>) {
  ^bb0(%v: i32, %sc: f32, %o: f32):
    %0 = arith.sitofp %v : i32 to f32
    %1 = arith.mulf %0, %sc : f32
    linalg.yield %1 : f32
  } -> tensor<1x4x8x2x16xf32>
  return %out : tensor<1x4x8x2x16xf32>
}

// -----

// s8 inputs (armv8's quantization) x s8 weights: not vpdpbusd's u8 x s8, so
// VNNI leaves the product alone; with signed-products (armv8) it is tiled
// as Mr = 6 pixels of one row x one 16-channel group (24 i32 lanes x 4 in
// NEON's 32 registers), each step Mr dots of four signed bytes that
// ds-cpu-lower-vectors turns into 4 sdot each (dotprod) or 4 x smull,
// smull, addp, sadalp.
// CHECK-LABEL: func.func @signed_implicit
// CHECK-NOT: scf.forall
// PLAIN-LABEL: func.func @signed_implicit
// PLAIN-NOT: scf.forall
// SDOT-LABEL: func.func @signed_implicit
// SDOT: scf.forall
// SDOT: scf.for %{{.*}} iter_args(%{{.*}} = %cst) -> (vector<6x1x16xi32>)
// SDOT: vector.transfer_read {{.*}} : tensor<1x1x6x4xi8>, vector<4xi8>
// SDOT: arith.extsi %{{.*}} : vector<64xi8> to vector<64xi32>
// SDOT: arith.extsi %{{.*}} : vector<64xi8> to vector<64xi32>
// SDOT: vector.multi_reduction <add>
// SDOT: tensor.parallel_insert_slice
func.func @signed_implicit(%x: tensor<1x4x14x8xi8>, %w: tensor<1x3x3x2x16x4xi8>, %scale: tensor<1x16xf32>) -> tensor<1x2x12x1x16xf32> {
  %c0 = arith.constant 0 : i32
  %e = tensor.empty() : tensor<1x2x12x1x16xi32>
  %f = linalg.fill ins(%c0 : i32) outs(%e : tensor<1x2x12x1x16xi32>) -> tensor<1x2x12x1x16xi32>
  %acc = linalg.generic {indexing_maps = [affine_map<(d0, d1, d2, d3, d4, d5, d6, d7, d8) -> (d0, d1 + d5, d2 + d6, d7 * 4 + d8)>, affine_map<(d0, d1, d2, d3, d4, d5, d6, d7, d8) -> (d3, d5, d6, d7, d4, d8)>, affine_map<(d0, d1, d2, d3, d4, d5, d6, d7, d8) -> (d0, d1, d2, d3, d4)>], iterator_types = ["parallel", "parallel", "parallel", "parallel", "parallel", "reduction", "reduction", "reduction", "reduction"]} ins(%x, %w : tensor<1x4x14x8xi8>, tensor<1x3x3x2x16x4xi8>) outs(%f : tensor<1x2x12x1x16xi32>) {
  ^bb0(%a: i8, %b: i8, %s: i32):
    %0 = arith.extsi %a : i8 to i32
    %1 = arith.extsi %b : i8 to i32
    %2 = arith.muli %0, %1 : i32
    %3 = arith.addi %s, %2 : i32
    linalg.yield %3 : i32
  } -> tensor<1x2x12x1x16xi32>
  %oe = tensor.empty() : tensor<1x2x12x1x16xf32>
  %out = linalg.generic {indexing_maps = [affine_map<(d0, d1, d2, d3, d4) -> (d0, d1, d2, d3, d4)>, affine_map<(d0, d1, d2, d3, d4) -> (d3, d4)>, affine_map<(d0, d1, d2, d3, d4) -> (d0, d1, d2, d3, d4)>], iterator_types = ["parallel", "parallel", "parallel", "parallel", "parallel"]} ins(%acc, %scale : tensor<1x2x12x1x16xi32>, tensor<1x16xf32>) outs(%oe : tensor<1x2x12x1x16xf32>) {
  ^bb0(%v: i32, %sc: f32, %o: f32):
    %0 = arith.sitofp %v : i32 to f32
    %1 = arith.mulf %0, %sc : f32
    linalg.yield %1 : f32
  } -> tensor<1x2x12x1x16xf32>
  return %out : tensor<1x2x12x1x16xf32>
}
