// A declared <body>_tramp(ctx, begin, end) gets a body that unpacks the
// pointers and calls <body>; declarations without a defined body stay.
// RUN: deepseek-opt %s --ds-cpu-parallel-trampolines | FileCheck %s

// CHECK-LABEL: llvm.func internal @f_par0(
llvm.func @f_par0(%a: !llvm.ptr, %b: !llvm.ptr, %begin: i64, %end: i64) {
  llvm.return
}
// CHECK: llvm.func internal @f_par0_tramp(%[[CTX:.*]]: !llvm.ptr, %[[B:.*]]: i64, %[[E:.*]]: i64)
// CHECK: %[[S0:.*]] = llvm.getelementptr %[[CTX]][0] : (!llvm.ptr) -> !llvm.ptr, i64
// CHECK: %[[P0:.*]] = llvm.load %[[S0]] : !llvm.ptr -> !llvm.ptr
// CHECK: %[[S1:.*]] = llvm.getelementptr %[[CTX]][1] : (!llvm.ptr) -> !llvm.ptr, i64
// CHECK: %[[P1:.*]] = llvm.load %[[S1]] : !llvm.ptr -> !llvm.ptr
// CHECK: llvm.call @f_par0(%[[P0]], %[[P1]], %[[B]], %[[E]])
llvm.func @f_par0_tramp(!llvm.ptr, i64, i64)
// CHECK: llvm.func @other_tramp(!llvm.ptr, i64, i64)
llvm.func @other_tramp(!llvm.ptr, i64, i64)
