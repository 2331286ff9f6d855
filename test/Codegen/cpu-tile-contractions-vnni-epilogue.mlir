// With vnni, the elementwise ops after an 8-bit product (a dynamic model's
// zero-point correction, cast, rescale and bias, behind a reshape back to
// the model's shape) become one epilogue fused into the product's tiles:
// the reshape moves after them and the tiles write the float result.
// RUN: deepseek-opt %s --ds-cpu-tile-contractions="vnni=true" -canonicalize -split-input-file | FileCheck %s

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


// -----

// A residual add of two products' requantized results (a static QDQ model's
// dequantize, add, ReLU, quantize), read back in the model's [N, H, W, C]
// shape through a collapse to 1-D and an expand: the add iterates over the
// first product's [N, P, G, 16] shape instead (the second product's result
// reshaped to it), so it fuses into the first product's tiles as its
// epilogue. No elementwise kernel is left apart from the second product's
// own epilogue, fused into its tiles.
// CHECK-LABEL: func.func @residual_chain
// CHECK: %[[B:.*]] = scf.forall {{.*}} -> (tensor<1x128x2x16xi8>)
// CHECK: tensor.parallel_insert_slice
// CHECK: %[[A:.*]] = scf.forall {{.*}} -> (tensor<1x128x2x16xi8>)
// CHECK: tensor.extract_slice %[[B]]
// CHECK: arith.maximumf %{{.*}} : vector<1x8x2x16xf32>
// CHECK: tensor.parallel_insert_slice
// CHECK-NOT: linalg.generic
// CHECK: tensor.collapse_shape %[[A]]
// CHECK-NEXT: tensor.expand_shape {{.*}} output_shape [1, 8, 16, 32] : tensor<4096xi8> into tensor<1x8x16x32xi8>
#p0 = affine_map<(d0, d1, d2, d3, d4, d5) -> (d0, d1, d4, d5)>
#p1 = affine_map<(d0, d1, d2, d3, d4, d5) -> (d2, d4, d3, d5)>
#p2 = affine_map<(d0, d1, d2, d3, d4, d5) -> (d0, d1, d2, d3)>
#e4 = affine_map<(d0, d1, d2, d3) -> (d0, d1, d2, d3)>
module {
  func.func @residual_chain(%a: tensor<1x128x2x4xi8>, %b: tensor<1x128x2x4xi8>) -> tensor<1x8x16x32xi8> {
    %c0_i32 = arith.constant 0 : i32
    %s = arith.constant 2.000000e-02 : f32
    %r = arith.constant 5.000000e+01 : f32
    %zero = arith.constant 0.000000e+00 : f32
    %hi = arith.constant 2.550000e+02 : f32
    %w = arith.constant dense<"0xFB02FE05FE0501FD01FD04000400FC03FC03FFFBFFFB02FE02FE05010501FD04FD0400FC00FC03FF03FFFB02FB02FE05FE0501FD01FD04000400FC03FC03FFFB01FD04000400FC03FC03FFFBFFFB02FE02FE05010501FD04FD0400FC00FC03FF03FFFB02FB02FE05FE0501FD01FD04000400FC03FC03FFFBFFFB02FE02FE0501FFFB02FE02FE05010501FD04FD0400FC00FC03FF03FFFB02FB02FE05FE0501FD01FD04000400FC03FC03FFFBFFFB02FE02FE05010501FD04FD0400FC00FC03FF0501FD04FD0400FC00FC03FF03FFFB02FB02FE05FE0501FD01FD04000400FC03FC03FFFBFFFB02FE02FE05010501FD04FD0400FC00FC03FF03FFFB02FB02FE05"> : tensor<2x2x16x4xi8>
    %acc0 = tensor.empty() : tensor<1x128x2x16xi32>
    %acc = linalg.fill ins(%c0_i32 : i32) outs(%acc0 : tensor<1x128x2x16xi32>) -> tensor<1x128x2x16xi32>
    %q0 = tensor.empty() : tensor<1x128x2x16xi8>
    %pa = linalg.generic {indexing_maps = [#p0, #p1, #p2], iterator_types = ["parallel", "parallel", "parallel", "parallel", "reduction", "reduction"]} ins(%a, %w : tensor<1x128x2x4xi8>, tensor<2x2x16x4xi8>) outs(%acc : tensor<1x128x2x16xi32>) {
    ^bb0(%in: i8, %in_w: i8, %out: i32):
      %0 = arith.extui %in : i8 to i32
      %1 = arith.extsi %in_w : i8 to i32
      %2 = arith.muli %0, %1 : i32
      %3 = arith.addi %out, %2 : i32
      linalg.yield %3 : i32
    } -> tensor<1x128x2x16xi32>
    %qa = linalg.generic {indexing_maps = [#e4, #e4], iterator_types = ["parallel", "parallel", "parallel", "parallel"]} ins(%pa : tensor<1x128x2x16xi32>) outs(%q0 : tensor<1x128x2x16xi8>) {
    ^bb0(%in: i32, %out: i8):
      %0 = arith.sitofp %in : i32 to f32
      %1 = arith.mulf %0, %r : f32
      %2 = math.roundeven %1 : f32
      %3 = arith.maxnumf %2, %zero : f32
      %4 = arith.minnumf %3, %hi : f32
      %5 = arith.fptoui %4 : f32 to i8
      linalg.yield %5 : i8
    } -> tensor<1x128x2x16xi8>
    %pb = linalg.generic {indexing_maps = [#p0, #p1, #p2], iterator_types = ["parallel", "parallel", "parallel", "parallel", "reduction", "reduction"]} ins(%b, %w : tensor<1x128x2x4xi8>, tensor<2x2x16x4xi8>) outs(%acc : tensor<1x128x2x16xi32>) {
    ^bb0(%in: i8, %in_w: i8, %out: i32):
      %0 = arith.extui %in : i8 to i32
      %1 = arith.extsi %in_w : i8 to i32
      %2 = arith.muli %0, %1 : i32
      %3 = arith.addi %out, %2 : i32
      linalg.yield %3 : i32
    } -> tensor<1x128x2x16xi32>
    %qb = linalg.generic {indexing_maps = [#e4, #e4], iterator_types = ["parallel", "parallel", "parallel", "parallel"]} ins(%pb : tensor<1x128x2x16xi32>) outs(%q0 : tensor<1x128x2x16xi8>) {
    ^bb0(%in: i32, %out: i8):
      %0 = arith.sitofp %in : i32 to f32
      %1 = arith.mulf %0, %r : f32
      %2 = math.roundeven %1 : f32
      %3 = arith.maxnumf %2, %zero : f32
      %4 = arith.minnumf %3, %hi : f32
      %5 = arith.fptoui %4 : f32 to i8
      linalg.yield %5 : i8
    } -> tensor<1x128x2x16xi8>
    %fa = tensor.collapse_shape %qa [[0, 1, 2, 3]] : tensor<1x128x2x16xi8> into tensor<4096xi8>
    %ea = tensor.expand_shape %fa [[0, 1, 2, 3]] output_shape [1, 8, 16, 32] : tensor<4096xi8> into tensor<1x8x16x32xi8>
    %fb = tensor.collapse_shape %qb [[0, 1, 2, 3]] : tensor<1x128x2x16xi8> into tensor<4096xi8>
    %eb = tensor.expand_shape %fb [[0, 1, 2, 3]] output_shape [1, 8, 16, 32] : tensor<4096xi8> into tensor<1x8x16x32xi8>
    %out0 = tensor.empty() : tensor<1x8x16x32xi8>
    %sum = linalg.generic {indexing_maps = [#e4, #e4, #e4], iterator_types = ["parallel", "parallel", "parallel", "parallel"]} ins(%ea, %eb : tensor<1x8x16x32xi8>, tensor<1x8x16x32xi8>) outs(%out0 : tensor<1x8x16x32xi8>) {
    ^bb0(%x: i8, %y: i8, %out: i8):
      %0 = arith.uitofp %x : i8 to f32
      %1 = arith.uitofp %y : i8 to f32
      %2 = arith.mulf %0, %s : f32
      %3 = arith.mulf %1, %s : f32
      %4 = arith.addf %2, %3 : f32
      %5 = arith.maximumf %4, %zero : f32
      %6 = arith.mulf %5, %r : f32
      %7 = math.roundeven %6 : f32
      %8 = arith.minnumf %7, %hi : f32
      %9 = arith.fptoui %8 : f32 to i8
      linalg.yield %9 : i8
    } -> tensor<1x8x16x32xi8>
    return %sum : tensor<1x8x16x32xi8>
  }
}
