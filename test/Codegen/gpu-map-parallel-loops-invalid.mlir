// Refused: serial work whose result the host reads (it cannot move to the
// device), and a block without threads.
// RUN: deepseek-opt %s --ds-gpu-map-parallel-loops -verify-diagnostics -o /dev/null
// RUN: not deepseek-opt %s --ds-gpu-map-parallel-loops=block-size=0 -o /dev/null 2>&1 | FileCheck %s --check-prefix=BLOCK
// BLOCK: error: block-size must be positive, got 0

func.func @host_result(%in: memref<10xf32>) -> f32 {
  %c0 = arith.constant 0 : index
  %c1 = arith.constant 1 : index
  %c10 = arith.constant 10 : index
  %zero = arith.constant 0.0 : f32
  // expected-error @below {{computes a value the host uses; a GPU model cannot run it on the host}}
  %r = scf.for %i = %c0 to %c10 step %c1 iter_args(%acc = %zero) -> f32 {
    %v = memref.load %in[%i] : memref<10xf32>
    %t = arith.addf %acc, %v : f32
    scf.yield %t : f32
  }
  return %r : f32
}

// A device copy (from a dense memref.copy) inside serial work would be
// reordered by wrapping that work in one thread.
func.func @copy_between(%a: memref<f32>, %b: memref<4xf32>, %c: memref<4xf32>, %d: memref<f32>) {
  %x = memref.load %a[] : memref<f32>
  // expected-error @below {{sits between serial memory accesses a GPU model must run on the device in one piece}}
  memref.copy %b, %c : memref<4xf32> to memref<4xf32>
  memref.store %x, %d[] : memref<f32>
  return
}
