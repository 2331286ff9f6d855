// Matmul-like generics on buffers become one gpu.launch each: 64 x 64
// output tiles on blocks of 16 x 16 threads (the batch dim on blockIdx.z),
// k in stages of 16 staged in workgroup memory between barriers, a 4 x 4
// register tile per thread in the generic's own body, guarded stores.
// RUN: deepseek-opt %s --ds-gpu-tile-contractions -canonicalize -cse -split-input-file | FileCheck %s

// CHECK-LABEL: func.func @batched
// CHECK-SAME: (%[[A:.*]]: memref<2x70x24xf32>, %[[B:.*]]: memref<24x100xf32>, %[[C:.*]]: memref<2x70x100xf32>)
// CHECK-NOT: linalg.generic
// CHECK: gpu.launch blocks(%[[BX:.*]], %[[BY:.*]], %[[BZ:.*]]) in (%{{.*}} = %c2, %{{.*}} = %c2, %{{.*}} = %c2) threads(%[[TX:.*]], %[[TY:.*]], %{{.*}}) in (%{{.*}} = %c16, %{{.*}} = %c16, %{{.*}} = %c1)
// CHECK-SAME: workgroup(%[[SA:.*]] : memref<16x64xf32, #gpu.address_space<workgroup>>, %[[SB:.*]] : memref<16x64xf32, #gpu.address_space<workgroup>>)
// The accumulators start at the output's values (16 loads, 16 selects).
// CHECK-COUNT-16: memref.load %[[C]]
// CHECK: %[[ACC:.*]]:16 = scf.for %[[K0:.*]] = %c0 to %c24 step %c16 iter_args(
// A is k-contiguous: consecutive threads stage consecutive k.
// CHECK: arith.remui %{{.*}}, %c16
// CHECK: memref.load %[[A]]
// CHECK: memref.store %{{.*}}, %[[SA]]
// CHECK: memref.load %[[B]]
// CHECK: memref.store %{{.*}}, %[[SB]]
// CHECK: gpu.barrier
// CHECK: %[[STEP:.*]]:16 = scf.for %[[KK:.*]] = %c0 to %c16 step %c1 iter_args(
// CHECK-COUNT-4: memref.load %[[SA]][%[[KK]], %{{.*}}]
// CHECK-COUNT-16: arith.mulf
// CHECK: scf.yield
// CHECK: gpu.barrier
// CHECK: scf.yield %[[STEP]]#0
// CHECK-COUNT-16: scf.if
// CHECK: gpu.terminator
#mk = affine_map<(b, m, n, k) -> (b, m, k)>
#kn = affine_map<(b, m, n, k) -> (k, n)>
#mn = affine_map<(b, m, n, k) -> (b, m, n)>
func.func @batched(%a: memref<2x70x24xf32>, %b: memref<24x100xf32>, %c: memref<2x70x100xf32>) {
  linalg.generic {indexing_maps = [#mk, #kn, #mn], iterator_types = ["parallel", "parallel", "parallel", "reduction"]}
      ins(%a, %b : memref<2x70x24xf32>, memref<24x100xf32>) outs(%c : memref<2x70x100xf32>) {
  ^bb0(%x: f32, %y: f32, %acc: f32):
    %p = arith.mulf %x, %y : f32
    %s = arith.addf %acc, %p : f32
    linalg.yield %s : f32
  }
  return
}

// -----

// A fully connected layer: the weights [n, k] are read k-contiguous, the
// input is the second operand; one block (m = 1), the accumulate order
// of the body kept (product first).
// CHECK-LABEL: func.func @transposed_weights
// CHECK: gpu.launch blocks({{.*}}) in (%{{.*}} = %c16, %{{.*}} = %c1, %{{.*}} = %c1)
// CHECK: scf.for
// CHECK: memref.load %arg1
// CHECK: memref.load %arg0
// CHECK: gpu.barrier
// CHECK: scf.for
// CHECK: %[[P:.*]] = arith.mulf
// CHECK-NEXT: arith.addf %[[P]], %{{.*}} : f32
#nk = affine_map<(m, n, k) -> (n, k)>
#mk2 = affine_map<(m, n, k) -> (m, k)>
#mn2 = affine_map<(m, n, k) -> (m, n)>
func.func @transposed_weights(%w: memref<1000x2048xf32>, %x: memref<1x2048xf32>, %y: memref<1x1000xf32>) {
  linalg.generic {indexing_maps = [#nk, #mk2, #mn2], iterator_types = ["parallel", "parallel", "reduction"]}
      ins(%w, %x : memref<1000x2048xf32>, memref<1x2048xf32>) outs(%y : memref<1x1000xf32>) {
  ^bb0(%wv: f32, %xv: f32, %acc: f32):
    %p = arith.mulf %xv, %wv : f32
    %s = arith.addf %p, %acc : f32
    linalg.yield %s : f32
  }
  return
}

// -----

// Left alone: two reduction dims, a body that is not multiply-accumulate,
// dynamic sizes, tensors.
// CHECK-LABEL: func.func @left_alone
// CHECK-NOT: gpu.launch
// CHECK-COUNT-3: linalg.generic
// CHECK-NOT: gpu.launch
#conv_in = affine_map<(m, n, k, l) -> (m, k, l)>
#conv_w = affine_map<(m, n, k, l) -> (k, l, n)>
#conv_out = affine_map<(m, n, k, l) -> (m, n)>
#mk3 = affine_map<(m, n, k) -> (m, k)>
#kn3 = affine_map<(m, n, k) -> (k, n)>
#mn3 = affine_map<(m, n, k) -> (m, n)>
func.func @left_alone(%a: memref<8x3x3xf32>, %w: memref<3x3x8xf32>, %o: memref<8x8xf32>,
                      %d: memref<?x8xf32>, %e: memref<8x8xf32>, %f: memref<?x8xf32>,
                      %t: tensor<8x8xf32>) -> tensor<8x8xf32> {
  linalg.generic {indexing_maps = [#conv_in, #conv_w, #conv_out], iterator_types = ["parallel", "parallel", "reduction", "reduction"]}
      ins(%a, %w : memref<8x3x3xf32>, memref<3x3x8xf32>) outs(%o : memref<8x8xf32>) {
  ^bb0(%x: f32, %y: f32, %acc: f32):
    %p = arith.mulf %x, %y : f32
    %s = arith.addf %acc, %p : f32
    linalg.yield %s : f32
  }
  linalg.generic {indexing_maps = [#mk3, #kn3, #mn3], iterator_types = ["parallel", "parallel", "reduction"]}
      ins(%o, %e : memref<8x8xf32>, memref<8x8xf32>) outs(%o : memref<8x8xf32>) {
  ^bb0(%x: f32, %y: f32, %acc: f32):
    %p = arith.maximumf %x, %y : f32
    %s = arith.addf %acc, %p : f32
    linalg.yield %s : f32
  }
  linalg.generic {indexing_maps = [#mk3, #kn3, #mn3], iterator_types = ["parallel", "parallel", "reduction"]}
      ins(%d, %e : memref<?x8xf32>, memref<8x8xf32>) outs(%f : memref<?x8xf32>) {
  ^bb0(%x: f32, %y: f32, %acc: f32):
    %p = arith.mulf %x, %y : f32
    %s = arith.addf %acc, %p : f32
    linalg.yield %s : f32
  }
  %r = linalg.generic {indexing_maps = [#mk3, #kn3, #mn3], iterator_types = ["parallel", "parallel", "reduction"]}
      ins(%t, %t : tensor<8x8xf32>, tensor<8x8xf32>) outs(%t : tensor<8x8xf32>) {
  ^bb0(%x: f32, %y: f32, %acc: f32):
    %p = arith.mulf %x, %y : f32
    %s = arith.addf %acc, %p : f32
    linalg.yield %s : f32
  } -> tensor<8x8xf32>
  return %r : tensor<8x8xf32>
}

// -----

// Before the memory plan: the fill of the product's buffer starts the
// accumulators, the bias + ReLU generic that next reads it runs in the
// stores (into its own output), and the product's buffer goes away.
// CHECK-LABEL: func.func @fill_and_epilogue
// CHECK-SAME: (%[[A:.*]]: memref<128x64xf32>, %[[B:.*]]: memref<64x96xf32>, %[[BIAS:.*]]: memref<96xf32>, %[[O:.*]]: memref<128x96xf32>)
// CHECK-DAG: %[[ZERO:.*]] = arith.constant 0.000000e+00 : f32
// CHECK-NOT: memref.alloc
// CHECK-NOT: linalg.fill
// CHECK: gpu.launch
// CHECK: scf.for %{{.*}} = %c0 to %c64 step %c16 iter_args(%{{.*}} = %[[ZERO]], %{{.*}} = %[[ZERO]],
// CHECK: scf.if
// CHECK-NEXT: %[[BV:.*]] = memref.load %[[BIAS]][%{{.*}}]
// CHECK-NEXT: %[[SUM:.*]] = arith.addf %{{.*}}, %[[BV]]
// CHECK-NEXT: %[[RELU:.*]] = arith.maximumf %[[SUM]], %[[ZERO]]
// CHECK-NEXT: memref.store %[[RELU]], %[[O]][%{{.*}}, %{{.*}}]
// CHECK-NOT: linalg.generic
#mk4 = affine_map<(m, n, k) -> (m, k)>
#kn4 = affine_map<(m, n, k) -> (k, n)>
#mn4 = affine_map<(m, n, k) -> (m, n)>
#id4 = affine_map<(m, n) -> (m, n)>
#col4 = affine_map<(m, n) -> (n)>
func.func @fill_and_epilogue(%a: memref<128x64xf32>, %b: memref<64x96xf32>, %bias: memref<96xf32>, %o: memref<128x96xf32>) {
  %zero = arith.constant 0.0 : f32
  %t = memref.alloc() : memref<128x96xf32>
  linalg.fill ins(%zero : f32) outs(%t : memref<128x96xf32>)
  linalg.generic {indexing_maps = [#mk4, #kn4, #mn4], iterator_types = ["parallel", "parallel", "reduction"]}
      ins(%a, %b : memref<128x64xf32>, memref<64x96xf32>) outs(%t : memref<128x96xf32>) {
  ^bb0(%x: f32, %y: f32, %acc: f32):
    %p = arith.mulf %x, %y : f32
    %s = arith.addf %acc, %p : f32
    linalg.yield %s : f32
  }
  linalg.generic {indexing_maps = [#id4, #col4, #id4], iterator_types = ["parallel", "parallel"]}
      ins(%t, %bias : memref<128x96xf32>, memref<96xf32>) outs(%o : memref<128x96xf32>) {
  ^bb0(%x: f32, %y: f32, %out: f32):
    %s = arith.addf %x, %y : f32
    %r = arith.maximumf %s, %zero : f32
    linalg.yield %r : f32
  }
  return
}

// -----

// Not fused: an epilogue whose output is the left-hand side's buffer
// (other blocks still read it), and a product another op reads too; the
// fills are fused, and the one with a reader between it and the product
// is not.
// CHECK-LABEL: func.func @not_fused
// CHECK: linalg.fill ins(%{{.*}}) outs(%[[T2:.*]] : memref<8x8xf32>)
// CHECK: memref.copy %[[T2]]
// CHECK: gpu.launch
// CHECK: memref.load %[[T2]]
// CHECK: scf.for
// CHECK: gpu.terminator
// CHECK: linalg.generic
// CHECK: gpu.launch
// CHECK: scf.for
// CHECK: memref.store
// CHECK: gpu.terminator
// CHECK: memref.copy
#mk5 = affine_map<(m, n, k) -> (m, k)>
#kn5 = affine_map<(m, n, k) -> (k, n)>
#mn5 = affine_map<(m, n, k) -> (m, n)>
#id5 = affine_map<(m, n) -> (m, n)>
func.func @not_fused(%a: memref<8x8xf32>, %b: memref<8x8xf32>, %keep: memref<8x8xf32>, %seen: memref<8x8xf32>) {
  %zero = arith.constant 0.0 : f32
  %t2 = memref.alloc() : memref<8x8xf32>
  linalg.fill ins(%zero : f32) outs(%t2 : memref<8x8xf32>)
  memref.copy %t2, %seen : memref<8x8xf32> to memref<8x8xf32>
  %x = memref.alloc() : memref<8x8xf32>
  memref.copy %a, %x : memref<8x8xf32> to memref<8x8xf32>
  linalg.generic {indexing_maps = [#mk5, #kn5, #mn5], iterator_types = ["parallel", "parallel", "reduction"]}
      ins(%x, %b : memref<8x8xf32>, memref<8x8xf32>) outs(%t2 : memref<8x8xf32>) {
  ^bb0(%u: f32, %v: f32, %acc: f32):
    %p = arith.mulf %u, %v : f32
    %s = arith.addf %acc, %p : f32
    linalg.yield %s : f32
  }
  linalg.generic {indexing_maps = [#id5, #id5], iterator_types = ["parallel", "parallel"]}
      ins(%t2 : memref<8x8xf32>) outs(%x : memref<8x8xf32>) {
  ^bb0(%u: f32, %out: f32):
    %r = arith.maximumf %u, %zero : f32
    linalg.yield %r : f32
  }
  %t3 = memref.alloc() : memref<8x8xf32>
  linalg.fill ins(%zero : f32) outs(%t3 : memref<8x8xf32>)
  linalg.generic {indexing_maps = [#mk5, #kn5, #mn5], iterator_types = ["parallel", "parallel", "reduction"]}
      ins(%a, %b : memref<8x8xf32>, memref<8x8xf32>) outs(%t3 : memref<8x8xf32>) {
  ^bb0(%u: f32, %v: f32, %acc: f32):
    %p = arith.mulf %u, %v : f32
    %s = arith.addf %acc, %p : f32
    linalg.yield %s : f32
  }
  linalg.generic {indexing_maps = [#id5, #id5], iterator_types = ["parallel", "parallel"]}
      ins(%t3 : memref<8x8xf32>) outs(%keep : memref<8x8xf32>) {
  ^bb0(%u: f32, %out: f32):
    %r = arith.maximumf %u, %zero : f32
    linalg.yield %r : f32
  }
  memref.copy %t3, %seen : memref<8x8xf32> to memref<8x8xf32>
  return
}

// -----

// FP16 weights widened in the body (ds-fuse-elementwise's
// widen-into-contractions): staged in shared memory as f32, each element
// widened once as it is staged; the inner loop multiplies f32.
// CHECK-LABEL: func.func @widened_weights
// CHECK: workgroup(%[[SA:.*]] : memref<16x64xf32, #gpu.address_space<workgroup>>, %[[SB:.*]] : memref<16x64xf32, #gpu.address_space<workgroup>>)
// CHECK: %[[W:.*]] = memref.load %arg1[{{.*}}] : memref<24x100xf16>
// CHECK-NEXT: %[[WIDE:.*]] = arith.extf %[[W]] : f16 to f32
// CHECK-NEXT: arith.select %{{.*}}, %[[WIDE]], %{{.*}} : f32
// CHECK: gpu.barrier
// CHECK: scf.for
// CHECK-NOT: arith.extf
// CHECK: gpu.barrier
#mk6 = affine_map<(m, n, k) -> (m, k)>
#kn6 = affine_map<(m, n, k) -> (k, n)>
#mn6 = affine_map<(m, n, k) -> (m, n)>
func.func @widened_weights(%a: memref<70x24xf32>, %w: memref<24x100xf16>, %c: memref<70x100xf32>) {
  linalg.generic {indexing_maps = [#mk6, #kn6, #mn6], iterator_types = ["parallel", "parallel", "reduction"]}
      ins(%a, %w : memref<70x24xf32>, memref<24x100xf16>) outs(%c : memref<70x100xf32>) {
  ^bb0(%x: f32, %y: f16, %acc: f32):
    %wide = arith.extf %y : f16 to f32
    %p = arith.mulf %x, %wide : f32
    %s = arith.addf %acc, %p : f32
    linalg.yield %s : f32
  }
  return
}

// -----

// In place (the epilogue writes its result over the product): fused only
// when each thread writes back the elements it owns and nothing but the
// fill reads the product first. Here a copy reads it between the fill and
// the product, and the second epilogue writes transposed: neither fuses.
// CHECK-LABEL: func.func @in_place_not_fused
// CHECK: linalg.fill
// CHECK: memref.copy
// CHECK: gpu.launch
// CHECK: gpu.terminator
// CHECK: linalg.generic
// CHECK: gpu.launch
// CHECK: gpu.terminator
// CHECK: linalg.generic
#mk7 = affine_map<(m, n, k) -> (m, k)>
#kn7 = affine_map<(m, n, k) -> (k, n)>
#mn7 = affine_map<(m, n, k) -> (m, n)>
#id7 = affine_map<(m, n) -> (m, n)>
#tr7 = affine_map<(m, n) -> (n, m)>
func.func @in_place_not_fused(%a: memref<8x8xf32>, %b: memref<8x8xf32>, %t: memref<8x8xf32>, %seen: memref<8x8xf32>) {
  %zero = arith.constant 0.0 : f32
  linalg.fill ins(%zero : f32) outs(%t : memref<8x8xf32>)
  memref.copy %t, %seen : memref<8x8xf32> to memref<8x8xf32>
  linalg.generic {indexing_maps = [#mk7, #kn7, #mn7], iterator_types = ["parallel", "parallel", "reduction"]}
      ins(%a, %b : memref<8x8xf32>, memref<8x8xf32>) outs(%t : memref<8x8xf32>) {
  ^bb0(%u: f32, %v: f32, %acc: f32):
    %p = arith.mulf %u, %v : f32
    %s = arith.addf %acc, %p : f32
    linalg.yield %s : f32
  }
  linalg.generic {indexing_maps = [#id7, #id7], iterator_types = ["parallel", "parallel"]}
      ins(%t : memref<8x8xf32>) outs(%t : memref<8x8xf32>) {
  ^bb0(%u: f32, %out: f32):
    %r = arith.maximumf %u, %zero : f32
    linalg.yield %r : f32
  }
  %u = memref.alloc() : memref<8x8xf32>
  linalg.generic {indexing_maps = [#mk7, #kn7, #mn7], iterator_types = ["parallel", "parallel", "reduction"]}
      ins(%a, %b : memref<8x8xf32>, memref<8x8xf32>) outs(%u : memref<8x8xf32>) {
  ^bb0(%x: f32, %y: f32, %acc: f32):
    %p = arith.mulf %x, %y : f32
    %s = arith.addf %acc, %p : f32
    linalg.yield %s : f32
  }
  linalg.generic {indexing_maps = [#id7, #tr7], iterator_types = ["parallel", "parallel"]}
      ins(%u : memref<8x8xf32>) outs(%u : memref<8x8xf32>) {
  ^bb0(%x: f32, %out: f32):
    %r = arith.maximumf %x, %zero : f32
    linalg.yield %r : f32
  }
  memref.copy %u, %seen : memref<8x8xf32> to memref<8x8xf32>
  return
}

// -----

// An im2col product (NHWC, 3x3, stride 1): the tiled kernel reads the
// padded input at the gather's map; the gather and its patch buffer go.
// CHECK-LABEL: func.func @implicit_im2col
// CHECK-SAME: (%[[IN:.*]]: memref<1x6x6x4xf32>, %[[W:.*]]: memref<36x8xf32>, %[[OUT:.*]]: memref<1x16x8xf32>)
// CHECK-NOT: memref.alloc
// CHECK-NOT: linalg.generic
// CHECK: gpu.launch
// CHECK: scf.for
// The product's (row, k) split into the patch's (oh, ow) and (kh, kw, c)...
// CHECK: %[[OW:.*]] = arith.remui %[[ROW:.*]], %c4
// CHECK-NEXT: %[[OH:.*]] = arith.divui %[[ROW]], %c4
// CHECK-NEXT: %[[C:.*]] = arith.remui %[[K:.*]], %c4
// CHECK-NEXT: %[[KHKW:.*]] = arith.divui %[[K]], %c4
// CHECK-NEXT: %[[KW:.*]] = arith.remui %[[KHKW]], %c3
// CHECK-NEXT: %[[KH:.*]] = arith.divui %[[KHKW]], %c3
// ... and the input read at (oh + kh, ow + kw, c).
// CHECK-NEXT: %[[H:.*]] = affine.apply #{{.*}}(%[[KH]])[%[[OH]]]
// CHECK-NEXT: %[[WI:.*]] = affine.apply #{{.*}}(%[[KW]])[%[[OW]]]
// CHECK-NEXT: memref.load %[[IN]][%c0, %[[H]], %[[WI]], %[[C]]]
// CHECK: gpu.terminator
#gather8 = affine_map<(n, oh, ow, kh, kw, c) -> (n, oh + kh, ow + kw, c)>
#id8 = affine_map<(n, oh, ow, kh, kw, c) -> (n, oh, ow, kh, kw, c)>
#pk8 = affine_map<(b, p, f, k) -> (b, p, k)>
#kf8 = affine_map<(b, p, f, k) -> (k, f)>
#pf8 = affine_map<(b, p, f, k) -> (b, p, f)>
func.func @implicit_im2col(%in: memref<1x6x6x4xf32>, %w: memref<36x8xf32>, %out: memref<1x16x8xf32>) {
  %patches = memref.alloc() : memref<1x4x4x3x3x4xf32>
  linalg.generic {indexing_maps = [#gather8, #id8], iterator_types = ["parallel", "parallel", "parallel", "parallel", "parallel", "parallel"]}
      ins(%in : memref<1x6x6x4xf32>) outs(%patches : memref<1x4x4x3x3x4xf32>) {
  ^bb0(%x: f32, %o: f32):
    linalg.yield %x : f32
  }
  %rows = memref.collapse_shape %patches [[0], [1, 2], [3, 4, 5]] : memref<1x4x4x3x3x4xf32> into memref<1x16x36xf32>
  %zero = arith.constant 0.0 : f32
  linalg.fill ins(%zero : f32) outs(%out : memref<1x16x8xf32>)
  linalg.generic {indexing_maps = [#pk8, #kf8, #pf8], iterator_types = ["parallel", "parallel", "parallel", "reduction"]}
      ins(%rows, %w : memref<1x16x36xf32>, memref<36x8xf32>) outs(%out : memref<1x16x8xf32>) {
  ^bb0(%a: f32, %b: f32, %acc: f32):
    %p = arith.mulf %a, %b : f32
    %s = arith.addf %acc, %p : f32
    linalg.yield %s : f32
  }
  return
}

// -----

// The patch buffer read again after the product: the kernel still reads the
// gather's input, the gather stays. A copy into the gather's input between
// the gather and the second product: that product reads the patches.
// CHECK-LABEL: func.func @gather_kept
// CHECK-SAME: (%[[IN:.*]]: memref<1x6x6x4xf32>, %[[W:.*]]: memref<36x8xf32>, %[[OUT:.*]]: memref<1x16x8xf32>, %[[SEEN:.*]]: memref<1x16x36xf32>, %[[NEW:.*]]: memref<1x6x6x4xf32>)
// CHECK: %[[PATCHES:.*]] = memref.alloc()
// CHECK: linalg.generic
// CHECK-SAME: outs(%[[PATCHES]]
// CHECK: gpu.launch
// CHECK: memref.load %[[IN]]
// CHECK: gpu.terminator
// CHECK: memref.copy %{{.*}}, %[[SEEN]]
// CHECK: linalg.generic
// CHECK-SAME: outs(%[[PATCHES]]
// CHECK: memref.copy %[[NEW]], %[[IN]]
// CHECK: gpu.launch
// CHECK-NOT: memref.load %[[IN]]
// CHECK: gpu.terminator
#gather9 = affine_map<(n, oh, ow, kh, kw, c) -> (n, oh + kh, ow + kw, c)>
#id9 = affine_map<(n, oh, ow, kh, kw, c) -> (n, oh, ow, kh, kw, c)>
#pk9 = affine_map<(b, p, f, k) -> (b, p, k)>
#kf9 = affine_map<(b, p, f, k) -> (k, f)>
#pf9 = affine_map<(b, p, f, k) -> (b, p, f)>
func.func @gather_kept(%in: memref<1x6x6x4xf32>, %w: memref<36x8xf32>, %out: memref<1x16x8xf32>, %seen: memref<1x16x36xf32>, %new: memref<1x6x6x4xf32>) {
  %patches = memref.alloc() : memref<1x4x4x3x3x4xf32>
  linalg.generic {indexing_maps = [#gather9, #id9], iterator_types = ["parallel", "parallel", "parallel", "parallel", "parallel", "parallel"]}
      ins(%in : memref<1x6x6x4xf32>) outs(%patches : memref<1x4x4x3x3x4xf32>) {
  ^bb0(%x: f32, %o: f32):
    linalg.yield %x : f32
  }
  %rows = memref.collapse_shape %patches [[0], [1, 2], [3, 4, 5]] : memref<1x4x4x3x3x4xf32> into memref<1x16x36xf32>
  linalg.generic {indexing_maps = [#pk9, #kf9, #pf9], iterator_types = ["parallel", "parallel", "parallel", "reduction"]}
      ins(%rows, %w : memref<1x16x36xf32>, memref<36x8xf32>) outs(%out : memref<1x16x8xf32>) {
  ^bb0(%a: f32, %b: f32, %acc: f32):
    %p = arith.mulf %a, %b : f32
    %s = arith.addf %acc, %p : f32
    linalg.yield %s : f32
  }
  memref.copy %rows, %seen : memref<1x16x36xf32> to memref<1x16x36xf32>
  linalg.generic {indexing_maps = [#gather9, #id9], iterator_types = ["parallel", "parallel", "parallel", "parallel", "parallel", "parallel"]}
      ins(%in : memref<1x6x6x4xf32>) outs(%patches : memref<1x4x4x3x3x4xf32>) {
  ^bb0(%x: f32, %o: f32):
    linalg.yield %x : f32
  }
  memref.copy %new, %in : memref<1x6x6x4xf32> to memref<1x6x6x4xf32>
  %rows2 = memref.collapse_shape %patches [[0], [1, 2], [3, 4, 5]] : memref<1x4x4x3x3x4xf32> into memref<1x16x36xf32>
  linalg.generic {indexing_maps = [#pk9, #kf9, #pf9], iterator_types = ["parallel", "parallel", "parallel", "reduction"]}
      ins(%rows2, %w : memref<1x16x36xf32>, memref<36x8xf32>) outs(%out : memref<1x16x8xf32>) {
  ^bb0(%a: f32, %b: f32, %acc: f32):
    %p = arith.mulf %a, %b : f32
    %s = arith.addf %acc, %p : f32
    linalg.yield %s : f32
  }
  return
}
