// The whole graph pipeline: Identity and a no-op Reshape fold away, the
// BatchNorm folds into the conv, and bias, residual and ReLU become its
// epilogue; the result is one op.
// RUN: deepseek-opt %s -ds-optimize-graph | FileCheck %s
// RUN: deepseek-compile %s --emit mlir --stats -o /dev/null 2>&1 | FileCheck %s --check-prefix=STATS
// RUN: deepseek-compile %s --emit mlir --disable-pass ds-fuse-epilogues -o - | FileCheck %s --check-prefix=NOEPILOGUE

// CHECK-LABEL: func.func @main
// CHECK-NEXT: %[[W:.*]] = ds.constant
// CHECK-NEXT: %[[B:.*]] = ds.constant
// CHECK-NEXT: %[[Y:.*]] = ds.conv %arg0, %[[W]] bias %[[B]] residual %arg0 {activation = #ds.act<relu>
// CHECK-NEXT: return %[[Y]]

// STATS: ops before graph optimization: 6 (ds.add 1, ds.batch_norm 1, ds.conv 1, ds.identity 1, ds.relu 1, ds.reshape 1)
// STATS: ops after graph optimization: 1 (ds.conv 1)

// NOEPILOGUE: ds.conv %arg0, %{{.*}} bias %{{.*}} {dilations
// NOEPILOGUE: ds.add
// NOEPILOGUE: ds.relu
func.func @main(%x: tensor<1x2x4x4xf32>) -> tensor<1x2x4x4xf32> {
  %w = ds.constant dense<[[[[1.0]], [[2.0]]], [[[3.0]], [[4.0]]]]> : tensor<2x2x1x1xf32>
  %g = ds.constant dense<[1.0, 2.0]> : tensor<2xf32>
  %b = ds.constant dense<[0.5, -0.5]> : tensor<2xf32>
  %m = ds.constant dense<[0.1, 0.2]> : tensor<2xf32>
  %v = ds.constant dense<[1.0, 4.0]> : tensor<2xf32>
  %0 = ds.identity %x : tensor<1x2x4x4xf32>
  %1 = ds.conv %0, %w {dilations = array<i64: 1, 1>, pads = array<i64: 0, 0, 0, 0>, strides = array<i64: 1, 1>} : (tensor<1x2x4x4xf32>, tensor<2x2x1x1xf32>) -> tensor<1x2x4x4xf32>
  %2 = ds.batch_norm %1, %g, %b, %m, %v : (tensor<1x2x4x4xf32>, tensor<2xf32>, tensor<2xf32>, tensor<2xf32>, tensor<2xf32>) -> tensor<1x2x4x4xf32>
  %3 = ds.reshape %2 : tensor<1x2x4x4xf32> -> tensor<1x2x4x4xf32>
  %4 = ds.add %3, %x : (tensor<1x2x4x4xf32>, tensor<1x2x4x4xf32>) -> tensor<1x2x4x4xf32>
  %5 = ds.relu %4 : tensor<1x2x4x4xf32>
  return %5 : tensor<1x2x4x4xf32>
}
