// MatMulInteger as imported (u8 activation minus its run-time zero point,
// times constant i8 weights, in i32) lowers to the 8-bit product with the
// weights packed [N/16, K/4, 16, 4] and the zero point corrected after:
// sum (a - zp) w = sum a w - zp * sum w. Other integer matmuls stay i32.
// RUN: deepseek-opt %s --convert-ds-to-linalg --canonicalize -split-input-file | FileCheck %s

// CHECK-LABEL: func.func @dynamic
// CHECK-DAG: %[[SUMS:.*]] = arith.constant dense<8> : tensor<2x16xi32>
// CHECK-DAG: %[[W:.*]] = arith.constant dense<1> : tensor<2x2x16x4xi8>
// CHECK: %[[A:.*]] = tensor.expand_shape %{{.*}} into tensor<1x6x2x4xi8>
// CHECK: %[[ACC:.*]] = linalg.generic {{.*}} ins(%[[A]], %[[W]] : tensor<1x6x2x4xi8>, tensor<2x2x16x4xi8>) outs(%{{.*}} : tensor<1x6x2x16xi32>)
// CHECK: arith.extui
// CHECK: arith.extsi
// CHECK: linalg.generic {{.*}} ins(%[[ACC]], %[[SUMS]], %{{.*}} : tensor<1x6x2x16xi32>, tensor<2x16xi32>, tensor<i32>)
// CHECK: arith.muli
// CHECK: arith.subi
// CHECK: -> tensor<1x6x2x16xi32>
// CHECK: tensor.expand_shape {{.*}} into tensor<2x3x32xi32>
func.func @dynamic(%a: tensor<2x3x8xui8>, %zp: tensor<ui8>) -> tensor<2x3x32xi32> {
  %w = ds.constant dense<1> : tensor<8x32xi8>
  %ai = ds.cast %a : tensor<2x3x8xui8> to tensor<2x3x8xi32>
  %zi = ds.cast %zp : tensor<ui8> to tensor<i32>
  %ac = ds.sub %ai, %zi : (tensor<2x3x8xi32>, tensor<i32>) -> tensor<2x3x8xi32>
  %wi = ds.cast %w : tensor<8x32xi8> to tensor<8x32xi32>
  %y = ds.matmul %ac, %wi : (tensor<2x3x8xi32>, tensor<8x32xi32>) -> tensor<2x3x32xi32>
  return %y : tensor<2x3x32xi32>
}

// -----

// Signed activations (i8 - zp) are not u8 x s8: an i32 product.
// CHECK-LABEL: func.func @signed_activation
// CHECK-NOT: arith.extui
// CHECK: linalg.generic {{.*}} iterator_types = ["parallel", "parallel", "parallel", "reduction"]} ins(%{{.*}}, %{{.*}} : tensor<2x3x8xi32>, tensor<8x32xi32>)
func.func @signed_activation(%a: tensor<2x3x8xi8>, %zp: tensor<i8>) -> tensor<2x3x32xi32> {
  %w = ds.constant dense<1> : tensor<8x32xi8>
  %ai = ds.cast %a : tensor<2x3x8xi8> to tensor<2x3x8xi32>
  %zi = ds.cast %zp : tensor<i8> to tensor<i32>
  %ac = ds.sub %ai, %zi : (tensor<2x3x8xi32>, tensor<i32>) -> tensor<2x3x8xi32>
  %wi = ds.cast %w : tensor<8x32xi8> to tensor<8x32xi32>
  %y = ds.matmul %ac, %wi : (tensor<2x3x8xi32>, tensor<8x32xi32>) -> tensor<2x3x32xi32>
  return %y : tensor<2x3x32xi32>
}
