// A BERT-base encoder (12 layers, hidden 768, seq 128) as torch 1.13 exports it.
// Its shape subgraphs fold at import: every Reshape gets a constant target.
// At opset 13 LayerNorm arrives decomposed; at opset 17 as LayerNormalization.
// REQUIRES: models
// RUN: deepseek-compile -O0 %models/bert_base-op13.onnx --emit mlir --elide-weights -o %t13.mlir
// RUN: deepseek-compile -O0 %models/bert_base-op17.onnx --emit mlir --elide-weights -o %t17.mlir
// RUN: FileCheck %s < %t13.mlir
// RUN: FileCheck %s < %t17.mlir
// RUN: FileCheck %s --check-prefix=OP13 < %t13.mlir
// RUN: FileCheck %s --check-prefix=OP17 < %t17.mlir

// CHECK: func.func @main(%{{.*}}: tensor<1x128xi64> {ds.name = "input_ids"}, %{{.*}}: tensor<1x128xi64> {ds.name = "attention_mask"}, %{{.*}}: tensor<1x128xi64> {ds.name = "token_type_ids"}) -> (tensor<1x128x768xf32> {ds.name = "hidden_states"})
// CHECK: ds.gather {{.*}} : (tensor<30522x768xf32>, tensor<1x128xi64>) -> tensor<1x128x768xf32>
// CHECK: ds.reshape {{.*}} : tensor<1x128x768xf32> -> tensor<1x128x12x64xf32>
// CHECK: ds.transpose {{.*}} -> tensor<1x12x128x64xf32>
// CHECK: ds.matmul {{.*}} : (tensor<1x12x128x64xf32>, tensor<1x12x64x128xf32>) -> tensor<1x12x128x128xf32>
// CHECK: ds.softmax {{.*}} {axis = 3 : i64} : tensor<1x12x128x128xf32>
// CHECK: ds.erf
// CHECK-NOT: ds.concat

// OP13-NOT: ds.layer_norm
// OP13-COUNT-25: ds.reduce_mean {{.*}}axes = array<i64: 2>
// OP17-COUNT-25: ds.layer_norm {{.*}}axis = 2 : i64
