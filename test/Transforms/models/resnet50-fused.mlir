// The issue's bar: ResNet-50 with its BatchNorms (exported without torch's own
// folding) optimizes to one fused ds.conv per conv layer, with BN folded into
// the weights and bias, ReLU and the residual Add inside it.
// REQUIRES: models
// RUN: deepseek-compile %models/resnet50_bn-op17.onnx --emit mlir --elide-weights --stats -o %t.mlir 2> %t.stats
// RUN: deepseek-compile %models/resnet50_bn-op17.onnx --emit obj --stats -o %t 2> %t.memory
// RUN: FileCheck %s --check-prefix=MEMORY < %t.memory
// RUN: awk '/arena:/ { arena = $3 } /lower bound:/ { bound = $4 } END { exit !(bound > 0 && arena <= 1.05 * bound) }' %t.memory
// RUN: FileCheck %s < %t.mlir
// RUN: FileCheck %s --check-prefix=RELU < %t.mlir
// RUN: FileCheck %s --check-prefix=RESIDUAL < %t.mlir
// RUN: FileCheck %s --check-prefix=STATS < %t.stats
// At -O0 the graph is as imported.
// RUN: deepseek-compile -O0 %models/resnet50_bn-op17.onnx --emit mlir --elide-weights -o - | FileCheck %s --check-prefix=UNFUSED

// CHECK-COUNT-53: ds.conv %{{[a-z0-9]+}}, %{{[0-9]+}} bias %{{[0-9]+}}
// CHECK-NOT: ds.batch_norm
// CHECK-NOT: ds.relu
// CHECK-NOT: ds.add

// 49 convs end in ReLU; 16 take a residual (ReLU after the add, inside the op).
// RELU-COUNT-49: ds.conv {{.*}}activation = #ds.act<relu>
// RELU-NOT: ds.conv {{.*}}activation
// RESIDUAL-COUNT-16: ds.conv {{.*}} residual {{.*}}activation = #ds.act<relu>
// RESIDUAL-NOT: residual

// STATS: ops before graph optimization: 175 (ds.batch_norm 53, ds.conv 53, ds.relu 49, ds.add 16,
// STATS: ops after graph optimization: 57 (ds.conv 53, ds.flatten 1, ds.gemm 1, ds.global_average_pool 1, ds.max_pool 1)

// UNFUSED-COUNT-53: ds.batch_norm

// The arena planner: every intermediate apart would take ~45 MB; the plan
// stays within 5% of the lower bound (the awk line above).
// MEMORY: intermediates naive: {{[0-9]+}} bytes
// MEMORY: intermediates arena: {{[0-9]+}} bytes
// MEMORY: intermediates lower bound: {{[0-9]+}} bytes
