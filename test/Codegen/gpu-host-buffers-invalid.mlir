// Host code that would read a buffer the GPU holds is refused (it would
// dereference a device address), as is an input count beyond the arguments
// or an argument whose size is not known at compile time.
// RUN: deepseek-opt %s --ds-gpu-host-buffers=num-inputs=1 -split-input-file -verify-diagnostics -o /dev/null

func.func @host_read(%in: memref<4xf32>, %out: memref<4xf32>) -> f32 {
  %c0 = arith.constant 0 : index
  // expected-error @below {{uses a buffer the GPU holds in host code; only kernels may read or write it}}
  %x = memref.load %in[%c0] : memref<4xf32>
  return %x : f32
}

// -----

// expected-error @below {{has 0 input and output buffers, fewer than num-inputs=1}}
func.func @no_buffers() {
  return
}

// -----

// A device buffer is allocated once per model instance, by its byte size.
// expected-error @below {{argument 0 has type 'memref<?xf32>'; a device buffer needs a static, dense memref}}
func.func @dynamic(%in: memref<?xf32>, %out: memref<4xf32>) {
  return
}
