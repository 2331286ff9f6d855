// ds-cpu-entry-point wraps the lowered model function in the one signature
// the runtime calls, <symbol>_run(buffers, arena), and makes it internal.
// RUN: deepseek-opt %s --ds-cpu-entry-point="symbol=net" -split-input-file -verify-diagnostics | FileCheck %s

// CHECK-LABEL: llvm.func internal @net_main(%{{.*}}: !llvm.ptr, %{{.*}}: !llvm.ptr, %{{.*}}: !llvm.ptr)
// CHECK: llvm.func @net_run(%[[BUF:.*]]: !llvm.ptr, %{{.*}}: !llvm.ptr)
// CHECK: %[[S0:.*]] = llvm.getelementptr %[[BUF]][0] : (!llvm.ptr) -> !llvm.ptr, !llvm.ptr
// CHECK: %[[P0:.*]] = llvm.load %[[S0]] : !llvm.ptr -> !llvm.ptr
// CHECK: %[[S2:.*]] = llvm.getelementptr %[[BUF]][2] : (!llvm.ptr) -> !llvm.ptr, !llvm.ptr
// CHECK: %[[P2:.*]] = llvm.load %[[S2]]
// CHECK: llvm.call @net_main(%[[P0]], %{{.*}}, %[[P2]]) : (!llvm.ptr, !llvm.ptr, !llvm.ptr) -> ()
// CHECK: llvm.return
llvm.func @main(%a: !llvm.ptr, %b: !llvm.ptr, %out: !llvm.ptr) {
  llvm.return
}

// -----

// expected-error @+1 {{no lowered model function '@main' to wrap}}
module {
  llvm.func @other() {
    llvm.return
  }
}

// -----

// expected-error @+1 {{'llvm.func' op must take only pointers and return nothing}}
llvm.func @main(%a: !llvm.ptr, %n: i64) {
  llvm.return
}
