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

// CHECK-LABEL: func.func @more_unary
func.func @more_unary(%x: tensor<2x3xf32>, %b: tensor<4xi1>, %i: tensor<4xi32>) -> (tensor<2x3xf32>, tensor<4xi1>, tensor<4xi32>) {
  // CHECK: ds.cos %{{.*}} : tensor<2x3xf32>
  %0 = ds.cos %x : tensor<2x3xf32>
  // CHECK: ds.sin %{{.*}} : tensor<2x3xf32>
  %1 = ds.sin %0 : tensor<2x3xf32>
  // CHECK: ds.tan %{{.*}} : tensor<2x3xf32>
  %2 = ds.tan %1 : tensor<2x3xf32>
  // CHECK: ds.acos %{{.*}} : tensor<2x3xf32>
  %3 = ds.acos %2 : tensor<2x3xf32>
  // CHECK: ds.asin %{{.*}} : tensor<2x3xf32>
  %4 = ds.asin %3 : tensor<2x3xf32>
  // CHECK: ds.atan %{{.*}} : tensor<2x3xf32>
  %5 = ds.atan %4 : tensor<2x3xf32>
  // CHECK: ds.cosh %{{.*}} : tensor<2x3xf32>
  %6 = ds.cosh %5 : tensor<2x3xf32>
  // CHECK: ds.sinh %{{.*}} : tensor<2x3xf32>
  %7 = ds.sinh %6 : tensor<2x3xf32>
  // CHECK: ds.acosh %{{.*}} : tensor<2x3xf32>
  %8 = ds.acosh %7 : tensor<2x3xf32>
  // CHECK: ds.asinh %{{.*}} : tensor<2x3xf32>
  %9 = ds.asinh %8 : tensor<2x3xf32>
  // CHECK: ds.atanh %{{.*}} : tensor<2x3xf32>
  %10 = ds.atanh %9 : tensor<2x3xf32>
  // CHECK: ds.ceil %{{.*}} : tensor<2x3xf32>
  %11 = ds.ceil %10 : tensor<2x3xf32>
  // CHECK: ds.floor %{{.*}} : tensor<2x3xf32>
  %12 = ds.floor %11 : tensor<2x3xf32>
  // CHECK: ds.round %{{.*}} : tensor<2x3xf32>
  %13 = ds.round %12 : tensor<2x3xf32>
  // CHECK: ds.reciprocal %{{.*}} : tensor<2x3xf32>
  %14 = ds.reciprocal %13 : tensor<2x3xf32>
  // CHECK: ds.softplus %{{.*}} : tensor<2x3xf32>
  %15 = ds.softplus %14 : tensor<2x3xf32>
  // CHECK: ds.softsign %{{.*}} : tensor<2x3xf32>
  %16 = ds.softsign %15 : tensor<2x3xf32>
  // CHECK: ds.mish %{{.*}} : tensor<2x3xf32>
  %17 = ds.mish %16 : tensor<2x3xf32>
  // CHECK: ds.elu %{{.*}} {alpha = 5.000000e-01 : f32} : tensor<2x3xf32>
  %18 = ds.elu %17 {alpha = 5.000000e-01 : f32} : tensor<2x3xf32>
  // CHECK: ds.selu %{{.*}} {alpha = 2.000000e+00 : f32, gamma = 3.000000e+00 : f32} : tensor<2x3xf32>
  %19 = ds.selu %18 {alpha = 2.000000e+00 : f32, gamma = 3.000000e+00 : f32} : tensor<2x3xf32>
  // CHECK: ds.celu %{{.*}} {alpha = 2.000000e+00 : f32} : tensor<2x3xf32>
  %20 = ds.celu %19 {alpha = 2.000000e+00 : f32} : tensor<2x3xf32>
  // CHECK: ds.thresholded_relu %{{.*}} {alpha = 1.500000e+00 : f32} : tensor<2x3xf32>
  %21 = ds.thresholded_relu %20 {alpha = 1.500000e+00 : f32} : tensor<2x3xf32>
  // CHECK: ds.not %{{.*}} : tensor<4xi1>
  %22 = ds.not %b : tensor<4xi1>
  // CHECK: ds.sign %{{.*}} : tensor<4xi32>
  %23 = ds.sign %i : tensor<4xi32>
  return %21, %22, %23 : tensor<2x3xf32>, tensor<4xi1>, tensor<4xi32>
}

// CHECK-LABEL: func.func @more_binary
func.func @more_binary(%x: tensor<1x8x4x4xf32>, %s: tensor<8x1x1xf32>, %a: tensor<4xi1>, %b: tensor<4xi1>, %i: tensor<4xi32>) -> (tensor<1x8x4x4xf32>, tensor<4xi1>, tensor<4xi32>, tensor<4xi1>) {
  // CHECK: ds.prelu %{{.*}}, %{{.*}} : (tensor<1x8x4x4xf32>, tensor<8x1x1xf32>) -> tensor<1x8x4x4xf32>
  %0 = ds.prelu %x, %s : (tensor<1x8x4x4xf32>, tensor<8x1x1xf32>) -> tensor<1x8x4x4xf32>
  // CHECK: ds.and
  %1 = ds.and %a, %b : (tensor<4xi1>, tensor<4xi1>) -> tensor<4xi1>
  // CHECK: ds.or
  %2 = ds.or %1, %b : (tensor<4xi1>, tensor<4xi1>) -> tensor<4xi1>
  // CHECK: ds.xor
  %3 = ds.xor %2, %a : (tensor<4xi1>, tensor<4xi1>) -> tensor<4xi1>
  // CHECK: ds.mod %{{.*}}, %{{.*}} : (tensor<4xi32>, tensor<4xi32>) -> tensor<4xi32>
  %4 = ds.mod %i, %i : (tensor<4xi32>, tensor<4xi32>) -> tensor<4xi32>
  // CHECK: ds.mod %{{.*}}, %{{.*}} {fmod = true}
  %5 = ds.mod %x, %x {fmod = true} : (tensor<1x8x4x4xf32>, tensor<1x8x4x4xf32>) -> tensor<1x8x4x4xf32>
  // CHECK: ds.less_or_equal
  %6 = ds.less_or_equal %i, %i : (tensor<4xi32>, tensor<4xi32>) -> tensor<4xi1>
  // CHECK: ds.greater_or_equal
  %7 = ds.greater_or_equal %i, %i : (tensor<4xi32>, tensor<4xi32>) -> tensor<4xi1>
  %8 = ds.and %6, %7 : (tensor<4xi1>, tensor<4xi1>) -> tensor<4xi1>
  return %0, %3, %4, %8 : tensor<1x8x4x4xf32>, tensor<4xi1>, tensor<4xi32>, tensor<4xi1>
}

// CHECK-LABEL: func.func @predicates
func.func @predicates(%x: tensor<4xf32>) -> (tensor<4xi1>, tensor<4xi1>) {
  // CHECK: ds.is_nan %{{.*}} : tensor<4xf32> -> tensor<4xi1>
  %0 = ds.is_nan %x : tensor<4xf32> -> tensor<4xi1>
  // CHECK: ds.is_inf %{{.*}} {detect_negative = false} : tensor<4xf32> -> tensor<4xi1>
  %1 = ds.is_inf %x {detect_negative = false} : tensor<4xf32> -> tensor<4xi1>
  return %0, %1 : tensor<4xi1>, tensor<4xi1>
}

// Unsigned integers convert only through ds.cast.
// CHECK-LABEL: func.func @unsigned_cast
func.func @unsigned_cast(%x: tensor<4xui8>) -> tensor<4xi32> {
  // CHECK: ds.cast %{{.*}} : tensor<4xui8> to tensor<4xi32>
  %0 = ds.cast %x : tensor<4xui8> to tensor<4xi32>
  return %0 : tensor<4xi32>
}

// Unsigned integers: the type carries the signedness.
// CHECK-LABEL: func.func @unsigned_arithmetic
func.func @unsigned_arithmetic(%a: tensor<3xui8>, %b: tensor<3xui8>) -> (tensor<3xui8>, tensor<3xi1>, tensor<3xui8>) {
  // CHECK: ds.div %{{.*}}, %{{.*}} : (tensor<3xui8>, tensor<3xui8>) -> tensor<3xui8>
  %0 = ds.div %a, %b : (tensor<3xui8>, tensor<3xui8>) -> tensor<3xui8>
  // CHECK: ds.less
  %1 = ds.less %a, %b : (tensor<3xui8>, tensor<3xui8>) -> tensor<3xi1>
  // CHECK: ds.shift_left
  %2 = ds.shift_left %a, %b : (tensor<3xui8>, tensor<3xui8>) -> tensor<3xui8>
  // CHECK: ds.shift_right
  %3 = ds.shift_right %2, %b : (tensor<3xui8>, tensor<3xui8>) -> tensor<3xui8>
  return %0, %1, %3 : tensor<3xui8>, tensor<3xi1>, tensor<3xui8>
}
