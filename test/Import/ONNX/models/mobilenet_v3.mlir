// MobileNetV3 small and large as torch 1.13 exports them, opsets 13 and 17.
// At opset 13 HardSwish arrives as HardSigmoid + Mul; at 17 as HardSwish.
// REQUIRES: models
// RUN: deepseek-compile -O0 %models/mobilenet_v3_small-op13.onnx --emit mlir --elide-weights -o %ts13.mlir
// RUN: deepseek-compile -O0 %models/mobilenet_v3_small-op17.onnx --emit mlir --elide-weights -o %ts17.mlir
// RUN: deepseek-compile -O0 %models/mobilenet_v3_large-op13.onnx --emit mlir --elide-weights -o %tl13.mlir
// RUN: deepseek-compile -O0 %models/mobilenet_v3_large-op17.onnx --emit mlir --elide-weights -o %tl17.mlir
// RUN: FileCheck %s --check-prefixes=COMMON,SMALL < %ts13.mlir
// RUN: FileCheck %s --check-prefixes=COMMON,SMALL < %ts17.mlir
// RUN: FileCheck %s --check-prefixes=COMMON,LARGE < %tl13.mlir
// RUN: FileCheck %s --check-prefixes=COMMON,LARGE < %tl17.mlir
// RUN: FileCheck %s --check-prefix=HS13 < %ts13.mlir
// RUN: FileCheck %s --check-prefix=HS17 < %ts17.mlir
// RUN: FileCheck %s --check-prefix=NOHS < %tl13.mlir

// COMMON: func.func @main(%{{.*}}: tensor<1x3x224x224xf32> {ds.name = "input"}) -> (tensor<1x1000xf32> {ds.name = "logits"})
// SMALL-COUNT-52: ds.conv
// LARGE-COUNT-62: ds.conv
// COMMON-NOT: ds.conv
// COMMON: ds.gemm {{.*}} -> tensor<1x1000xf32>

// Depthwise convolutions keep their group count.
// HS13: ds.conv {{.*}}group = 16 : i64
// HS17: ds.conv {{.*}}group = 16 : i64
// NOHS-NOT: ds.hard_swish
// HS13: ds.hard_sigmoid
// HS17: ds.hard_swish
