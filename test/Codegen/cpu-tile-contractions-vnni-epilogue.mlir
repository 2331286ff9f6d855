// With vnni, the elementwise ops after an 8-bit product (a dynamic model's
// zero-point correction, cast, rescale and bias, behind a reshape back to
// the model's shape) become one epilogue fused into the product's tiles:
// the reshape moves after them and the tiles write the float result.
// RUN: deepseek-opt %s --ds-cpu-tile-contractions="vnni=true" -canonicalize | FileCheck %s

// CHECK-LABEL: func.func @dynamic_chain
// CHECK: %[[T:.*]] = scf.forall {{.*}} -> (tensor<1x128x2x16xf32>)
// CHECK: vector.multi_reduction <add>
// CHECK: arith.sitofp %{{.*}} : vector<1x8x2x16xi32> to vector<1x8x2x16xf32>
// CHECK: arith.mulf
// CHECK: arith.addf
// CHECK: tensor.parallel_insert_slice
// CHECK-NOT: linalg.generic
// CHECK: %[[R:.*]] = tensor.collapse_shape %[[T]] {{\[}}[0], [1], [2, 3]] : tensor<1x128x2x16xf32> into tensor<1x128x32xf32>
// CHECK: return %[[R]]
#map = affine_map<(d0, d1, d2, d3, d4, d5) -> (d0, d1, d4, d5)>
#map1 = affine_map<(d0, d1, d2, d3, d4, d5) -> (d2, d4, d3, d5)>
#map2 = affine_map<(d0, d1, d2, d3, d4, d5) -> (d0, d1, d2, d3)>
#map3 = affine_map<(d0, d1, d2, d3) -> (d0, d1, d2, d3)>
#map4 = affine_map<(d0, d1, d2, d3) -> (d2, d3)>
#map5 = affine_map<(d0, d1, d2, d3) -> ()>
#map6 = affine_map<(d0, d1, d2) -> (d0, d1, d2)>
#map7 = affine_map<(d0, d1, d2) -> ()>
module {
  func.func @dynamic_chain(%arg0: tensor<1x128x8xi8>, %arg1: tensor<i8>, %arg2: tensor<f32>) -> tensor<1x128x32xf32> {
    %cst = arith.constant 2.500000e-01 : f32
    %cst_0 = arith.constant 5.000000e-01 : f32
    %c0_i32 = arith.constant 0 : i32
    %cst_1 = arith.constant dense<[[2, 4, -5, -3, -1, 1, 3, 5, -4, -2, 0, 2, 4, -5, -3, -1], [1, 3, 5, -4, -2, 0, 2, 4, -5, -3, -1, 1, 3, 5, -4, -2]]> : tensor<2x16xi32>
    %cst_2 = arith.constant dense<"0xFB02FE05FE0501FD01FD04000400FC03FC03FFFBFFFB02FE02FE05010501FD04FD0400FC00FC03FF03FFFB02FB02FE05FE0501FD01FD04000400FC03FC03FFFB01FD04000400FC03FC03FFFBFFFB02FE02FE05010501FD04FD0400FC00FC03FF03FFFB02FB02FE05FE0501FD01FD04000400FC03FC03FFFBFFFB02FE02FE0501FFFB02FE02FE05010501FD04FD0400FC00FC03FF03FFFB02FB02FE05FE0501FD01FD04000400FC03FC03FFFBFFFB02FE02FE05010501FD04FD0400FC00FC03FF0501FD04FD0400FC00FC03FF03FFFB02FB02FE05FE0501FD01FD04000400FC03FC03FFFBFFFB02FE02FE05010501FD04FD0400FC00FC03FF03FFFB02FB02FE05"> : tensor<2x2x16x4xi8>
    %expanded = tensor.expand_shape %arg0 [[0], [1], [2, 3]] output_shape [1, 128, 2, 4] : tensor<1x128x8xi8> into tensor<1x128x2x4xi8>
    %0 = tensor.empty() : tensor<1x128x2x16xi32>
    %1 = linalg.fill ins(%c0_i32 : i32) outs(%0 : tensor<1x128x2x16xi32>) -> tensor<1x128x2x16xi32>
    %2 = linalg.generic {indexing_maps = [#map, #map1, #map2], iterator_types = ["parallel", "parallel", "parallel", "parallel", "reduction", "reduction"]} ins(%expanded, %cst_2 : tensor<1x128x2x4xi8>, tensor<2x2x16x4xi8>) outs(%1 : tensor<1x128x2x16xi32>) {
    ^bb0(%in: i8, %in_3: i8, %out: i32):
      %6 = arith.extui %in : i8 to i32
      %7 = arith.extsi %in_3 : i8 to i32
      %8 = arith.muli %6, %7 : i32
      %9 = arith.addi %out, %8 : i32
      linalg.yield %9 : i32
    } -> tensor<1x128x2x16xi32>
    %3 = linalg.generic {indexing_maps = [#map3, #map4, #map5, #map3], iterator_types = ["parallel", "parallel", "parallel", "parallel"]} ins(%2, %cst_1, %arg1 : tensor<1x128x2x16xi32>, tensor<2x16xi32>, tensor<i8>) outs(%0 : tensor<1x128x2x16xi32>) {
    ^bb0(%in: i32, %in_3: i32, %in_4: i8, %out: i32):
      %6 = arith.extui %in_4 : i8 to i32
      %7 = arith.muli %6, %in_3 : i32
      %8 = arith.subi %in, %7 : i32
      linalg.yield %8 : i32
    } -> tensor<1x128x2x16xi32>
    %collapsed = tensor.collapse_shape %3 [[0], [1], [2, 3]] : tensor<1x128x2x16xi32> into tensor<1x128x32xi32>
    %4 = tensor.empty() : tensor<1x128x32xf32>
    %5 = linalg.generic {indexing_maps = [#map6, #map7, #map6], iterator_types = ["parallel", "parallel", "parallel"]} ins(%collapsed, %arg2 : tensor<1x128x32xi32>, tensor<f32>) outs(%4 : tensor<1x128x32xf32>) {
    ^bb0(%in: i32, %in_3: f32, %out: f32):
      %6 = arith.mulf %in_3, %cst_0 : f32
      %7 = arith.sitofp %in : i32 to f32
      %8 = arith.mulf %7, %6 : f32
      %9 = arith.addf %8, %cst : f32
      linalg.yield %9 : f32
    } -> tensor<1x128x32xf32>
    return %5 : tensor<1x128x32xf32>
  }
}

