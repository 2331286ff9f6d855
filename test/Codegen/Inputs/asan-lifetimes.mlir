// Two buffers: %a holds in[0]; %b holds in[0] * 2. @escaped reads %a again
// through a raw address the liveness analysis cannot follow, after %a's
// last visible use; @visible reads it through the memref (the lifetime then
// extends to that read). See ../plan-memory-asan.test.
func.func @escaped(%in: memref<4xf32>, %out: memref<4xf32>) {
  %c0 = arith.constant 0 : index
  %c1 = arith.constant 1 : index
  %a = memref.alloc() : memref<4xf32>
  %x = memref.load %in[%c0] : memref<4xf32>
  memref.store %x, %a[%c0] : memref<4xf32>
  %address = memref.extract_aligned_pointer_as_index %a : memref<4xf32> -> index
  %b = memref.alloc() : memref<4xf32>
  %x2 = arith.addf %x, %x : f32
  memref.store %x2, %b[%c0] : memref<4xf32>
  %y = memref.load %b[%c0] : memref<4xf32>
  memref.store %y, %out[%c0] : memref<4xf32>
  %i = arith.index_cast %address : index to i64
  %p = llvm.inttoptr %i : i64 to !llvm.ptr
  %z = llvm.load %p : !llvm.ptr -> f32
  memref.store %z, %out[%c1] : memref<4xf32>
  return
}

func.func @visible(%in: memref<4xf32>, %out: memref<4xf32>) {
  %c0 = arith.constant 0 : index
  %c1 = arith.constant 1 : index
  %a = memref.alloc() : memref<4xf32>
  %x = memref.load %in[%c0] : memref<4xf32>
  memref.store %x, %a[%c0] : memref<4xf32>
  %b = memref.alloc() : memref<4xf32>
  %x2 = arith.addf %x, %x : f32
  memref.store %x2, %b[%c0] : memref<4xf32>
  %y = memref.load %b[%c0] : memref<4xf32>
  memref.store %y, %out[%c0] : memref<4xf32>
  %z = memref.load %a[%c0] : memref<4xf32>
  memref.store %z, %out[%c1] : memref<4xf32>
  return
}
