// Unsigned tensors become signless before lowering; the ops that computed on
// them pick unsigned arith ops, and casts extend/convert without the sign.
// RUN: deepseek-opt %s --convert-ds-to-linalg -split-input-file | FileCheck %s

// CHECK-LABEL: func.func @max_u8
// CHECK-SAME: (%{{.*}}: tensor<4xi8>, %{{.*}}: tensor<4xi8>) -> tensor<4xi8>
// CHECK: arith.maxui
func.func @max_u8(%a: tensor<4xui8>, %b: tensor<4xui8>) -> tensor<4xui8> {
  %0 = ds.max %a, %b : (tensor<4xui8>, tensor<4xui8>) -> tensor<4xui8>
  return %0 : tensor<4xui8>
}

// -----

// CHECK-LABEL: func.func @cast_u8
// CHECK: arith.uitofp %{{.*}} : i8 to f32
// CHECK: arith.fptoui %{{.*}} : f32 to i8
func.func @cast_u8(%a: tensor<4xui8>) -> tensor<4xui8> {
  %0 = ds.cast %a : tensor<4xui8> to tensor<4xf32>
  %1 = ds.cast %0 : tensor<4xf32> to tensor<4xui8>
  return %1 : tensor<4xui8>
}

// -----

// The reduction identity of an unsigned max is 0, not the signed minimum.
// CHECK-LABEL: func.func @max_pool_u8
// CHECK: %[[ZERO:.*]] = arith.constant 0 : i8
// CHECK: linalg.fill ins(%[[ZERO]] : i8)
// CHECK: arith.maxui
func.func @max_pool_u8(%a: tensor<1x1x4x4xui8>) -> tensor<1x1x2x2xui8> {
  %0 = ds.max_pool %a {kernel_shape = array<i64: 2, 2>, strides = array<i64: 2, 2>, pads = array<i64: 0, 0, 0, 0>, dilations = array<i64: 1, 1>} : (tensor<1x1x4x4xui8>) -> tensor<1x1x2x2xui8>
  return %0 : tensor<1x1x2x2xui8>
}
