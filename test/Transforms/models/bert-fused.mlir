// BERT-base's LayerNorm, GELU and attention become single ops, from both the
// opset-17 export (LayerNormalization node) and the opset-13 one (LayerNorm
// spelled as ReduceMean/Sub/Pow/ReduceMean/Add/Sqrt/Div/Mul/Add).
// REQUIRES: models
// RUN: deepseek-compile %models/bert_base-op13.onnx --emit mlir --elide-weights -o %t13.mlir
// RUN: deepseek-compile %models/bert_base-op17.onnx --emit mlir --elide-weights -o %t17.mlir
// RUN: FileCheck %s < %t13.mlir
// RUN: FileCheck %s < %t17.mlir
// RUN: FileCheck %s --check-prefix=GONE < %t13.mlir
// RUN: FileCheck %s --check-prefix=GONE < %t17.mlir

// One layer: Q, K, V projections with their bias, attention, the output
// projection with bias and residual, LayerNorm, the GELU MLP, LayerNorm.
// CHECK: ds.layer_norm
// CHECK-COUNT-12: ds.attention {{.*}} mask {{.*}} {scale = 1.250000e-01 : f32} : (tensor<1x12x128x64xf32>, tensor<1x12x128x64xf32>, tensor<1x12x128x64xf32>, tensor<1x1x1x128xf32>) -> tensor<1x12x128x64xf32>
// CHECK-NOT: ds.attention

// GONE-NOT: ds.softmax
// GONE-NOT: ds.erf
// GONE-NOT: ds.div
// GONE-NOT: ds.reduce_mean
// GONE-NOT: ds.pow
// GONE-NOT: ds.sqrt

// RUN: FileCheck %s --check-prefix=COUNTS < %t13.mlir
// COUNTS-COUNT-12: ds.matmul {{.*}} bias {{.*}}activation = #ds.act<gelu>
