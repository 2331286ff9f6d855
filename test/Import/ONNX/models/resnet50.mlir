// ResNet-50 as torch 1.13 exports it (scripts/make_test_models.py), opsets 13 and 17.
// REQUIRES: models
// RUN: deepseek-compile -O0 %models/resnet50-op13.onnx --emit mlir --elide-weights -o %t13.mlir
// RUN: deepseek-compile -O0 %models/resnet50-op17.onnx --emit mlir --elide-weights -o %t17.mlir
// RUN: FileCheck %s < %t13.mlir
// RUN: FileCheck %s < %t17.mlir
// RUN: FileCheck %s --check-prefix=RELU < %t13.mlir
// RUN: FileCheck %s --check-prefix=ADD < %t17.mlir

// CHECK: func.func @main(%{{.*}}: tensor<1x3x224x224xf32> {ds.name = "input"}) -> (tensor<1x1000xf32> {ds.name = "logits"})
// CHECK: ds.conv {{.*}}strides = array<i64: 2, 2>{{.*}} -> tensor<1x64x112x112xf32>
// CHECK: ds.max_pool {{.*}} -> tensor<1x64x56x56xf32>
// CHECK-COUNT-52: ds.conv
// CHECK-NOT: ds.conv
// CHECK: ds.global_average_pool {{.*}} -> tensor<1x2048x1x1xf32>
// CHECK: ds.flatten
// CHECK: ds.gemm {{.*}} -> tensor<1x1000xf32>

// RELU-COUNT-49: ds.relu
// RELU-NOT: ds.relu
// ADD-COUNT-16: ds.add {{.*}} -> tensor<1x{{256|512|1024|2048}}x{{56|28|14|7}}x{{56|28|14|7}}xf32>
// ADD-NOT: ds.add
