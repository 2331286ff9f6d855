// Round trip of softmax, log_softmax, layer_norm and attention.
// RUN: deepseek-opt %s | deepseek-opt | FileCheck %s
// RUN: deepseek-opt %s --mlir-print-op-generic | deepseek-opt | FileCheck %s

// CHECK-LABEL: func.func @softmaxes
func.func @softmaxes(%x: tensor<1x12x128x128xf32>) -> tensor<1x12x128x128xf32> {
  // CHECK: ds.softmax %{{.*}} {axis = 3 : i64} : tensor<1x12x128x128xf32>
  %0 = ds.softmax %x {axis = 3 : i64} : tensor<1x12x128x128xf32>
  // CHECK: ds.log_softmax %{{.*}} {axis = 1 : i64} : tensor<1x12x128x128xf32>
  %1 = ds.log_softmax %0 {axis = 1 : i64} : tensor<1x12x128x128xf32>
  return %1 : tensor<1x12x128x128xf32>
}

// CHECK-LABEL: func.func @layer_norm
func.func @layer_norm(%x: tensor<?x128x768xf32>, %g: tensor<768xf32>, %b: tensor<768xf32>) -> (tensor<?x128x768xf32>, tensor<?x128x768xf32>) {
  // CHECK: ds.layer_norm %{{.*}}, %{{.*}} bias %{{.*}} {axis = 2 : i64, epsilon = 9.99999996E-13 : f32} : (tensor<?x128x768xf32>, tensor<768xf32>, tensor<768xf32>) -> tensor<?x128x768xf32>
  %0 = ds.layer_norm %x, %g bias %b {axis = 2 : i64, epsilon = 1.0e-12 : f32} : (tensor<?x128x768xf32>, tensor<768xf32>, tensor<768xf32>) -> tensor<?x128x768xf32>
  // CHECK: ds.layer_norm %{{.*}}, %{{.*}} {axis = 2 : i64} : (tensor<?x128x768xf32>, tensor<768xf32>) -> tensor<?x128x768xf32>
  %1 = ds.layer_norm %x, %g {axis = 2 : i64} : (tensor<?x128x768xf32>, tensor<768xf32>) -> tensor<?x128x768xf32>
  return %0, %1 : tensor<?x128x768xf32>, tensor<?x128x768xf32>
}

// CHECK-LABEL: func.func @hardmax
func.func @hardmax(%x: tensor<2x10xf32>) -> tensor<2x10xf32> {
  // CHECK: ds.hardmax %{{.*}} {axis = 1 : i64} : tensor<2x10xf32>
  %0 = ds.hardmax %x {axis = 1 : i64} : tensor<2x10xf32>
  return %0 : tensor<2x10xf32>
}

// CHECK-LABEL: func.func @attention
func.func @attention(%q: tensor<1x12x128x64xf32>, %k: tensor<1x12x96x64xf32>, %v: tensor<1x12x96x32xf32>, %m: tensor<1x1x1x96xf32>) -> (tensor<1x12x128x32xf32>, tensor<1x12x128x32xf32>) {
  // CHECK: ds.attention %{{.*}}, %{{.*}}, %{{.*}} mask %{{.*}} {scale = 1.250000e-01 : f32} : (tensor<1x12x128x64xf32>, tensor<1x12x96x64xf32>, tensor<1x12x96x32xf32>, tensor<1x1x1x96xf32>) -> tensor<1x12x128x32xf32>
  %0 = ds.attention %q, %k, %v mask %m {scale = 0.125 : f32} : (tensor<1x12x128x64xf32>, tensor<1x12x96x64xf32>, tensor<1x12x96x32xf32>, tensor<1x1x1x96xf32>) -> tensor<1x12x128x32xf32>
  // CHECK: ds.attention %{{.*}}, %{{.*}}, %{{.*}} : (tensor<1x12x128x64xf32>, tensor<1x12x96x64xf32>, tensor<1x12x96x32xf32>) -> tensor<1x12x128x32xf32>
  %1 = ds.attention %q, %k, %v : (tensor<1x12x128x64xf32>, tensor<1x12x96x64xf32>, tensor<1x12x96x32xf32>) -> tensor<1x12x128x32xf32>
  return %0, %1 : tensor<1x12x128x32xf32>, tensor<1x12x128x32xf32>
}
