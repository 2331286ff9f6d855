// SqueezeNet 1.1 (ceil-mode max pooling, fire-module concats), opsets 13 and 17.
// REQUIRES: models
// RUN: deepseek-compile -O0 %models/squeezenet1_1-op13.onnx --emit mlir --elide-weights | FileCheck %s
// RUN: deepseek-compile -O0 %models/squeezenet1_1-op17.onnx --emit mlir --elide-weights | FileCheck %s

// CHECK: func.func @main(%{{.*}}: tensor<1x3x224x224xf32> {ds.name = "input"}) -> (tensor<1x1000xf32> {ds.name = "logits"})
// CHECK: ds.conv {{.*}} -> tensor<1x64x111x111xf32>
// CHECK: ds.max_pool {{.*}}ceil_mode = true{{.*}} -> tensor<1x64x55x55xf32>
// CHECK: ds.concat {{.*}} {axis = 1 : i64} : (tensor<1x64x55x55xf32>, tensor<1x64x55x55xf32>) -> tensor<1x128x55x55xf32>
// CHECK: ds.global_average_pool {{.*}} -> tensor<1x1000x1x1xf32>
// CHECK: ds.flatten {{.*}} -> tensor<1x1000xf32>
