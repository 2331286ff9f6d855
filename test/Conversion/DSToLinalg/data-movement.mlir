// Shape-only ops are reshapes (views); strided access uses affine maps or
// strided slices; data-dependent addresses extract with clamped indices.
// RUN: deepseek-opt %s --convert-ds-to-linalg -split-input-file | FileCheck %s

// CHECK-LABEL: func.func @reshape
// CHECK: tensor.collapse_shape %{{.*}} {{\[\[}}0, 1, 2]] : tensor<2x3x4xf32> into tensor<24xf32>
// CHECK: tensor.expand_shape %{{.*}} {{\[\[}}0, 1]] output_shape [6, 4] : tensor<24xf32> into tensor<6x4xf32>
func.func @reshape(%x: tensor<2x3x4xf32>) -> tensor<6x4xf32> {
  %0 = ds.reshape %x : tensor<2x3x4xf32> -> tensor<6x4xf32>
  return %0 : tensor<6x4xf32>
}

// -----

// CHECK-LABEL: func.func @transpose
// CHECK: linalg.transpose ins(%{{.*}} : tensor<2x3x4xf32>) outs(%{{.*}} : tensor<4x2x3xf32>) permutation = [2, 0, 1]
func.func @transpose(%x: tensor<2x3x4xf32>) -> tensor<4x2x3xf32> {
  %0 = ds.transpose %x {perm = array<i64: 2, 0, 1>} : (tensor<2x3x4xf32>) -> tensor<4x2x3xf32>
  return %0 : tensor<4x2x3xf32>
}

// -----

// CHECK-LABEL: func.func @concat
// CHECK: %[[E:.*]] = tensor.empty() : tensor<2x5xf32>
// CHECK: %[[A:.*]] = tensor.insert_slice %{{.*}} into %[[E]][0, 0] [2, 2] [1, 1]
// CHECK: tensor.insert_slice %{{.*}} into %[[A]][0, 2] [2, 3] [1, 1]
func.func @concat(%a: tensor<2x2xf32>, %b: tensor<2x3xf32>) -> tensor<2x5xf32> {
  %0 = ds.concat %a, %b {axis = 1 : i64} : (tensor<2x2xf32>, tensor<2x3xf32>) -> tensor<2x5xf32>
  return %0 : tensor<2x5xf32>
}

// -----

// A positive step is a strided view; a negative one reads start + i * step.
// CHECK-DAG: #[[REV:.*]] = affine_map<(d0, d1) -> (d0, -d1 + 9)>
// CHECK-LABEL: func.func @slice_steps
// CHECK: %[[V:.*]] = tensor.extract_slice %{{.*}}[1, 0] [2, 10] [2, 1] : tensor<6x10xf32> to tensor<2x10xf32>
// CHECK: linalg.generic {indexing_maps = [#[[REV]], #{{.*}}]
// CHECK-SAME: ins(%[[V]] : tensor<2x10xf32>)
func.func @slice_steps(%x: tensor<6x10xf32>) -> tensor<2x10xf32> {
  %0 = ds.slice %x {starts = array<i64: 1, 9>, ends = array<i64: 5, -1>, steps = array<i64: 2, -1>} : (tensor<6x10xf32>) -> tensor<2x10xf32>
  return %0 : tensor<2x10xf32>
}

// -----

// Negative indices count from the end; every index is clamped into range.
// CHECK-LABEL: func.func @gather
// CHECK: linalg.generic
// CHECK: %[[RAW:.*]] = tensor.extract %{{.*}} : tensor<2xi64>
// CHECK: arith.index_cast %[[RAW]]
// CHECK: arith.select
// CHECK: arith.maxsi
// CHECK: arith.minsi
// CHECK: tensor.extract %{{.*}} : tensor<5x3xf32>
func.func @gather(%x: tensor<5x3xf32>, %i: tensor<2xi64>) -> tensor<2x3xf32> {
  %0 = ds.gather %x, %i {axis = 0 : i64} : (tensor<5x3xf32>, tensor<2xi64>) -> tensor<2x3xf32>
  return %0 : tensor<2x3xf32>
}

// -----

// CHECK-LABEL: func.func @pad_constant_and_crop
// CHECK: tensor.extract_slice %{{.*}}[0, 1] [3, 3] [1, 1] : tensor<3x4xf32> to tensor<3x3xf32>
// CHECK: tensor.pad %{{.*}} low[1, 0] high[0, 0]
func.func @pad_constant_and_crop(%x: tensor<3x4xf32>) -> tensor<4x3xf32> {
  %0 = ds.pad %x {pads = array<i64: 1, -1, 0, 0>, value = 2.0 : f64} : (tensor<3x4xf32>) -> tensor<4x3xf32>
  return %0 : tensor<4x3xf32>
}

// -----

// CHECK-LABEL: func.func @pad_reflect
// CHECK: linalg.generic
// CHECK: arith.remsi
// CHECK: tensor.extract
func.func @pad_reflect(%x: tensor<4xf32>) -> tensor<8xf32> {
  %0 = ds.pad %x {pads = array<i64: 2, 2>, mode = #ds<pad_mode reflect>} : (tensor<4xf32>) -> tensor<8xf32>
  return %0 : tensor<8xf32>
}

// -----

// CHECK-DAG: #[[MOD:.*]] = affine_map<(d0, d1) -> (d0 mod 2, d1 mod 3)>
// CHECK-LABEL: func.func @tile
// CHECK: linalg.generic {indexing_maps = [#[[MOD]], #{{.*}}]
func.func @tile(%x: tensor<2x3xf32>) -> tensor<4x9xf32> {
  %0 = ds.tile %x {repeats = array<i64: 2, 3>} : (tensor<2x3xf32>) -> tensor<4x9xf32>
  return %0 : tensor<4x9xf32>
}

// -----

// Nearest resize with half_pixel / round_prefer_floor: coordinates in f64.
// CHECK-LABEL: func.func @resize_nearest
// CHECK: linalg.generic
// CHECK: arith.sitofp %{{.*}} : i64 to f64
// CHECK: math.ceil
// CHECK: tensor.extract
func.func @resize_nearest(%x: tensor<1x1x2x2xf32>) -> tensor<1x1x4x4xf32> {
  %0 = ds.resize %x {mode = #ds<resize_mode nearest>} : tensor<1x1x2x2xf32> -> tensor<1x1x4x4xf32>
  return %0 : tensor<1x1x4x4xf32>
}

// -----

// Linear resize: 2 taps per resized dim, 4 extracts for 2 dims.
// CHECK-LABEL: func.func @resize_linear
// CHECK: math.floor
// CHECK-COUNT-4: tensor.extract
func.func @resize_linear(%x: tensor<1x1x2x2xf32>) -> tensor<1x1x3x3xf32> {
  %0 = ds.resize %x {mode = #ds<resize_mode linear>, coordinate_transform = #ds<coordinate_transform align_corners>} : tensor<1x1x2x2xf32> -> tensor<1x1x3x3xf32>
  return %0 : tensor<1x1x3x3xf32>
}

// -----

// Scatters are serial loop nests over the updates threading the result
// through iter_args; a reduction reads the old element first.
// CHECK-LABEL: func.func @scatter_nd_add
// CHECK: scf.for
// CHECK: tensor.extract %{{.*}} : tensor<2x4xf32>
// CHECK: tensor.extract %{{.*}} : tensor<2x1xi64>
// CHECK: arith.minsi
// CHECK: arith.addf
// CHECK: tensor.insert
func.func @scatter_nd_add(%d: tensor<4x4xf32>, %i: tensor<2x1xi64>, %u: tensor<2x4xf32>) -> tensor<4x4xf32> {
  %0 = ds.scatter_nd %d, %i, %u {reduction = #ds<scatter_reduction add>} : (tensor<4x4xf32>, tensor<2x1xi64>, tensor<2x4xf32>) -> tensor<4x4xf32>
  return %0 : tensor<4x4xf32>
}

// -----

// CHECK-LABEL: func.func @scatter_elements
// CHECK: scf.for
// CHECK: scf.for
// CHECK-NOT: arith.addf
// CHECK: tensor.insert
func.func @scatter_elements(%d: tensor<3x3xf32>, %i: tensor<2x3xi64>, %u: tensor<2x3xf32>) -> tensor<3x3xf32> {
  %0 = ds.scatter_elements %d, %i, %u {axis = 0 : i64} : (tensor<3x3xf32>, tensor<2x3xi64>, tensor<2x3xf32>) -> tensor<3x3xf32>
  return %0 : tensor<3x3xf32>
}

// -----

// reverse_sequence: each output element reads the mirrored time step when it
// lies inside its batch entry's length (clamped to the time dim).
// CHECK-LABEL: func.func @reverse_sequence
// CHECK: linalg.generic
// CHECK: %[[LEN:.*]] = tensor.extract %arg1[%{{.*}}] : tensor<4xi64>
// CHECK: arith.cmpi slt
// CHECK: arith.select
// CHECK: tensor.extract %arg0
func.func @reverse_sequence(%x: tensor<3x4xf32>, %lens: tensor<4xi64>) -> tensor<3x4xf32> {
  %0 = ds.reverse_sequence %x, %lens {batch_axis = 1 : i64, time_axis = 0 : i64} : (tensor<3x4xf32>, tensor<4xi64>) -> tensor<3x4xf32>
  return %0 : tensor<3x4xf32>
}

// -----

// max_unpool: zeros, then every input element stored at its flat index
// (delinearized over the whole result) in a serial loop nest.
// CHECK-LABEL: func.func @max_unpool
// CHECK: linalg.fill
// CHECK: scf.for
// CHECK: tensor.extract %arg1
// CHECK: arith.remui
// CHECK: arith.divui
// CHECK: tensor.insert
func.func @max_unpool(%x: tensor<1x1x2x2xf32>, %i: tensor<1x1x2x2xi64>) -> tensor<1x1x4x4xf32> {
  %0 = ds.max_unpool %x, %i : (tensor<1x1x2x2xf32>, tensor<1x1x2x2xi64>) -> tensor<1x1x4x4xf32>
  return %0 : tensor<1x1x4x4xf32>
}

// -----

// grid_sample: one generic over the result; the body reads (x, y) from the
// grid, denormalizes, and combines four bilinear taps, each masked to zero
// outside the input (zeros padding) and clamped into the buffer.
// CHECK-LABEL: func.func @grid_sample
// CHECK: linalg.generic
// CHECK-COUNT-2: tensor.extract %arg1
// CHECK: math.floor
// CHECK-COUNT-4: tensor.extract %arg0
// CHECK-NOT: ds.grid_sample
func.func @grid_sample(%x: tensor<1x2x4x4xf32>, %g: tensor<1x3x3x2xf32>) -> tensor<1x2x3x3xf32> {
  %0 = ds.grid_sample %x, %g : (tensor<1x2x4x4xf32>, tensor<1x3x3x2xf32>) -> tensor<1x2x3x3xf32>
  return %0 : tensor<1x2x3x3xf32>
}

// -----

// roi_align: per output element, loops over the bin's sampling grid
// (sampling_ratio 2 here), four taps per sample, averaged.
// CHECK-LABEL: func.func @roi_align
// CHECK: linalg.generic
// CHECK: tensor.extract %arg2
// CHECK: tensor.extract %arg1
// CHECK: scf.for
// CHECK: scf.for
// CHECK-COUNT-4: tensor.extract %arg0
// CHECK: arith.divf
// CHECK-NOT: ds.roi_align
func.func @roi_align(%x: tensor<1x1x8x8xf32>, %r: tensor<2x4xf32>, %b: tensor<2xi64>) -> tensor<2x1x3x3xf32> {
  %0 = ds.roi_align %x, %r, %b {output_height = 3 : i64, output_width = 3 : i64, sampling_ratio = 2 : i64} : (tensor<1x1x8x8xf32>, tensor<2x4xf32>, tensor<2xi64>) -> tensor<2x1x3x3xf32>
  return %0 : tensor<2x1x3x3xf32>
}
