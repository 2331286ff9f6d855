// Round trip of the elementwise ops: custom form, then the generic form parsed back.
// RUN: deepseek-opt %s | deepseek-opt | FileCheck %s
// RUN: deepseek-opt %s --mlir-print-op-generic | deepseek-opt | FileCheck %s

// CHECK-LABEL: func.func @unary_math
func.func @unary_math(%x: tensor<2x3xf32>) -> tensor<2x3xf32> {
  // CHECK: ds.sqrt %{{.*}} : tensor<2x3xf32>
  %0 = ds.sqrt %x : tensor<2x3xf32>
  // CHECK: ds.exp
  %1 = ds.exp %0 : tensor<2x3xf32>
  // CHECK: ds.log
  %2 = ds.log %1 : tensor<2x3xf32>
  // CHECK: ds.erf
  %3 = ds.erf %2 : tensor<2x3xf32>
  // CHECK: ds.tanh
  %4 = ds.tanh %3 : tensor<2x3xf32>
  // CHECK: ds.sigmoid
  %5 = ds.sigmoid %4 : tensor<2x3xf32>
  // CHECK: ds.hard_swish
  %6 = ds.hard_swish %5 : tensor<2x3xf32>
  // CHECK: ds.silu
  %7 = ds.silu %6 : tensor<2x3xf32>
  return %7 : tensor<2x3xf32>
}

// CHECK-LABEL: func.func @unary_numeric
func.func @unary_numeric(%x: tensor<4xf16>, %i: tensor<4xi32>) -> (tensor<4xf16>, tensor<4xi32>) {
  // CHECK: ds.relu %{{.*}} : tensor<4xf16>
  %0 = ds.relu %x : tensor<4xf16>
  // CHECK: ds.neg %{{.*}} : tensor<4xi32>
  %1 = ds.neg %i : tensor<4xi32>
  // CHECK: ds.abs %{{.*}} : tensor<4xi32>
  %2 = ds.abs %1 : tensor<4xi32>
  // CHECK: ds.identity %{{.*}} : tensor<4xf16>
  %3 = ds.identity %0 : tensor<4xf16>
  return %3, %2 : tensor<4xf16>, tensor<4xi32>
}

// CHECK-LABEL: func.func @unary_with_attributes
func.func @unary_with_attributes(%x: tensor<1x8x4x4xf32>) -> tensor<1x8x4x4xf32> {
  // CHECK: ds.gelu %{{.*}} : tensor<1x8x4x4xf32>
  %0 = ds.gelu %x : tensor<1x8x4x4xf32>
  // CHECK: ds.gelu %{{.*}} {approximate = #ds<gelu_approximation tanh>}
  %1 = ds.gelu %0 {approximate = #ds<gelu_approximation tanh>} : tensor<1x8x4x4xf32>
  // CHECK: ds.leaky_relu %{{.*}} {alpha = 1.000000e-01 : f32}
  %2 = ds.leaky_relu %1 {alpha = 0.1 : f32} : tensor<1x8x4x4xf32>
  // CHECK: ds.clip %{{.*}} {max = 6.000000e+00 : f32, min = 0.000000e+00 : f32}
  %3 = ds.clip %2 {min = 0.0 : f32, max = 6.0 : f32} : tensor<1x8x4x4xf32>
  // CHECK: ds.clip %{{.*}} {min = -1.000000e+00 : f32}
  %4 = ds.clip %3 {min = -1.0 : f32} : tensor<1x8x4x4xf32>
  // A default value (beta = 0.5) is not printed.
  // CHECK: ds.hard_sigmoid %{{.*}} {alpha = 0.166666672 : f32} :
  %5 = ds.hard_sigmoid %4 {alpha = 0.16666667 : f32, beta = 0.5 : f32} : tensor<1x8x4x4xf32>
  // CHECK: ds.hard_sigmoid %{{.*}} {beta = 6.000000e-01 : f32} :
  %6 = ds.hard_sigmoid %5 {beta = 0.6 : f32} : tensor<1x8x4x4xf32>
  return %6 : tensor<1x8x4x4xf32>
}

// CHECK-LABEL: func.func @cast
func.func @cast(%x: tensor<4xi64>) -> tensor<4xi1> {
  // CHECK: ds.cast %{{.*}} : tensor<4xi64> to tensor<4xf32>
  %0 = ds.cast %x : tensor<4xi64> to tensor<4xf32>
  // CHECK: ds.cast %{{.*}} : tensor<4xf32> to tensor<4xi1>
  %1 = ds.cast %0 : tensor<4xf32> to tensor<4xi1>
  return %1 : tensor<4xi1>
}

// CHECK-LABEL: func.func @broadcasting_binary
func.func @broadcasting_binary(%a: tensor<1x64x56x56xf32>, %b: tensor<64x1x1xf32>, %s: tensor<f32>) -> tensor<1x64x56x56xf32> {
  // CHECK: ds.add %{{.*}}, %{{.*}} : (tensor<1x64x56x56xf32>, tensor<64x1x1xf32>) -> tensor<1x64x56x56xf32>
  %0 = ds.add %a, %b : (tensor<1x64x56x56xf32>, tensor<64x1x1xf32>) -> tensor<1x64x56x56xf32>
  // CHECK: ds.sub
  %1 = ds.sub %0, %s : (tensor<1x64x56x56xf32>, tensor<f32>) -> tensor<1x64x56x56xf32>
  // CHECK: ds.mul
  %2 = ds.mul %b, %1 : (tensor<64x1x1xf32>, tensor<1x64x56x56xf32>) -> tensor<1x64x56x56xf32>
  // CHECK: ds.div
  %3 = ds.div %2, %s : (tensor<1x64x56x56xf32>, tensor<f32>) -> tensor<1x64x56x56xf32>
  // CHECK: ds.pow
  %4 = ds.pow %3, %s : (tensor<1x64x56x56xf32>, tensor<f32>) -> tensor<1x64x56x56xf32>
  // CHECK: ds.min
  %5 = ds.min %4, %b : (tensor<1x64x56x56xf32>, tensor<64x1x1xf32>) -> tensor<1x64x56x56xf32>
  // CHECK: ds.max
  %6 = ds.max %5, %a : (tensor<1x64x56x56xf32>, tensor<1x64x56x56xf32>) -> tensor<1x64x56x56xf32>
  return %6 : tensor<1x64x56x56xf32>
}

// A static result dimension may refine a dynamic inferred one.
// CHECK-LABEL: func.func @dynamic_batch
func.func @dynamic_batch(%a: tensor<?x768xf32>, %b: tensor<768xf32>) -> (tensor<?x768xf32>, tensor<4x768xf32>) {
  // CHECK: ds.add %{{.*}}, %{{.*}} : (tensor<?x768xf32>, tensor<768xf32>) -> tensor<?x768xf32>
  %0 = ds.add %a, %b : (tensor<?x768xf32>, tensor<768xf32>) -> tensor<?x768xf32>
  // CHECK: ds.add %{{.*}}, %{{.*}} : (tensor<?x768xf32>, tensor<768xf32>) -> tensor<4x768xf32>
  %1 = ds.add %a, %b : (tensor<?x768xf32>, tensor<768xf32>) -> tensor<4x768xf32>
  return %0, %1 : tensor<?x768xf32>, tensor<4x768xf32>
}

// CHECK-LABEL: func.func @compare_and_select
func.func @compare_and_select(%a: tensor<2x3xf32>, %b: tensor<3xf32>, %i: tensor<2xi64>) -> tensor<2x3xf32> {
  // CHECK: ds.equal %{{.*}}, %{{.*}} : (tensor<2xi64>, tensor<2xi64>) -> tensor<2xi1>
  %e = ds.equal %i, %i : (tensor<2xi64>, tensor<2xi64>) -> tensor<2xi1>
  // CHECK: ds.less %{{.*}}, %{{.*}} : (tensor<2x3xf32>, tensor<3xf32>) -> tensor<2x3xi1>
  %l = ds.less %a, %b : (tensor<2x3xf32>, tensor<3xf32>) -> tensor<2x3xi1>
  // CHECK: ds.greater
  %g = ds.greater %b, %a : (tensor<3xf32>, tensor<2x3xf32>) -> tensor<2x3xi1>
  // CHECK: ds.where %{{.*}}, %{{.*}}, %{{.*}} : (tensor<2x3xi1>, tensor<3xf32>, tensor<2x3xf32>) -> tensor<2x3xf32>
  %w = ds.where %l, %b, %a : (tensor<2x3xi1>, tensor<3xf32>, tensor<2x3xf32>) -> tensor<2x3xf32>
  return %w : tensor<2x3xf32>
}
