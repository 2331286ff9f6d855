// The bundled example model imports to the expected ds graph, and the IR
// deepseek-compile writes is valid input for deepseek-opt.
// RUN: deepseek-compile -O0 %deepseek_src_root/examples/tiny_cnn.onnx --emit mlir | FileCheck %s
// RUN: deepseek-compile -O0 %deepseek_src_root/examples/tiny_cnn.onnx --emit mlir | deepseek-opt | FileCheck %s
// RUN: deepseek-compile -O0 %deepseek_src_root/examples/tiny_cnn.onnx --emit mlirbc -o %t.mlirbc
// RUN: deepseek-opt %t.mlirbc | FileCheck %s

// CHECK: module attributes {ds.model_name = "tiny_cnn"}
// CHECK: func.func @main(%[[X:.*]]: tensor<?x1x8x8xf32> {ds.name = "image"}) -> (tensor<?x10xf32> {ds.name = "probabilities"})
// Weights become resource blobs; tensors of up to 16 elements stay readable.
// CHECK: %[[W1:.*]] = ds.constant dense_resource<conv1.weight> : tensor<8x1x3x3xf32>
// CHECK: ds.constant dense<[-0.114077285, {{.*}}]> : tensor<8xf32>
// CHECK: %[[C1:.*]] = ds.conv %[[X]], %[[W1]] bias %{{.*}} {dilations = array<i64: 1, 1>, pads = array<i64: 1, 1, 1, 1>, strides = array<i64: 1, 1>}
// CHECK-SAME: -> tensor<?x8x8x8xf32>
// CHECK: %[[B1:.*]] = ds.batch_norm %[[C1]]
// CHECK: %[[R1:.*]] = ds.relu %[[B1]]
// CHECK: %[[P1:.*]] = ds.max_pool %[[R1]] {{.*}}kernel_shape = array<i64: 2, 2>{{.*}} -> tensor<?x8x4x4xf32>
// CHECK: %[[C2:.*]] = ds.conv %[[P1]]
// CHECK: %[[S:.*]] = ds.add %[[C2]], %[[P1]]
// CHECK: %[[R2:.*]] = ds.relu %[[S]]
// CHECK: %[[G:.*]] = ds.global_average_pool %[[R2]]
// CHECK: %[[F:.*]] = ds.flatten %[[G]] {axis = 1 : i64}
// CHECK: %[[FC:.*]] = ds.gemm %[[F]], %{{.*}} bias %{{.*}} {trans_b = true} : (tensor<?x8xf32>, tensor<10x8xf32>, tensor<10xf32>) -> tensor<?x10xf32>
// CHECK: %[[SM:.*]] = ds.softmax %[[FC]] {axis = 1 : i64}
// CHECK: return %[[SM]]
// CHECK: dialect_resources
// CHECK: conv1.weight: "0x04000000

// --input-shape fixes the dynamic batch.
// RUN: deepseek-compile -O0 %deepseek_src_root/examples/tiny_cnn.onnx --emit mlir --input-shape image=4x1x8x8 | FileCheck %s --check-prefix=STATIC
// STATIC: func.func @main(%{{.*}}: tensor<4x1x8x8xf32> {ds.name = "image"}) -> (tensor<4x10xf32> {ds.name = "probabilities"})
// STATIC: ds.conv {{.*}} -> tensor<4x8x8x8xf32>

// By position: the graph's inputs in order (initializers are not inputs here).
// RUN: deepseek-compile -O0 %deepseek_src_root/examples/tiny_cnn.onnx --emit mlir --input-shape 3x1x8x8 | FileCheck %s --check-prefix=POSITION
// POSITION: func.func @main(%{{.*}}: tensor<3x1x8x8xf32> {ds.name = "image"}) -> (tensor<3x10xf32> {ds.name = "probabilities"})

// --elide-weights prints placeholders instead of blob bytes.
// RUN: deepseek-compile -O0 %deepseek_src_root/examples/tiny_cnn.onnx --emit mlir --elide-weights | FileCheck %s --check-prefix=ELIDED
// ELIDED: ds.constant dense_resource<conv2.weight>
// ELIDED-NOT: 0x04000000
