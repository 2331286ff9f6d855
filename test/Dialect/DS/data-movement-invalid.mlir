// Invalid data-movement IR.
// RUN: deepseek-opt %s -split-input-file -verify-diagnostics

func.func @reshape_element_count(%x: tensor<2x3xf32>) -> tensor<7xf32> {
  // expected-error @+1 {{'ds.reshape' op expected the same number of elements, got 6 in 'tensor<2x3xf32>' and 7 in 'tensor<7xf32>'}}
  %0 = ds.reshape %x : tensor<2x3xf32> -> tensor<7xf32>
  return %0 : tensor<7xf32>
}

// -----

func.func @reshape_two_dynamic(%x: tensor<?x6xf32>) -> tensor<?x?xf32> {
  // expected-error @+1 {{'ds.reshape' op expected at most one dynamic result dimension, got 'tensor<?x?xf32>'}}
  %0 = ds.reshape %x : tensor<?x6xf32> -> tensor<?x?xf32>
  return %0 : tensor<?x?xf32>
}

// -----

func.func @reshape_indivisible(%x: tensor<2x3xf32>) -> tensor<?x4xf32> {
  // expected-error @+1 {{'ds.reshape' op cannot reshape 6 elements into 'tensor<?x4xf32>'}}
  %0 = ds.reshape %x : tensor<2x3xf32> -> tensor<?x4xf32>
  return %0 : tensor<?x4xf32>
}

// -----

func.func @flatten_axis(%x: tensor<2x3xf32>) -> tensor<6x1xf32> {
  // expected-error @+2 {{'ds.flatten' op expected axis in [0, 2] for an input of rank 2, got 3}}
  // expected-error @+1 {{failed to infer returned types}}
  %0 = ds.flatten %x {axis = 3 : i64} : (tensor<2x3xf32>) -> tensor<6x1xf32>
  return %0 : tensor<6x1xf32>
}

// -----

func.func @transpose_not_a_permutation(%x: tensor<2x3x4xf32>) -> tensor<2x3x4xf32> {
  // expected-error @+2 {{'ds.transpose' op expected perm to be a permutation of [0, 3), got [0, 0, 1]}}
  // expected-error @+1 {{failed to infer returned types}}
  %0 = ds.transpose %x {perm = array<i64: 0, 0, 1>} : (tensor<2x3x4xf32>) -> tensor<2x3x4xf32>
  return %0 : tensor<2x3x4xf32>
}

// -----

func.func @concat_mismatched_dim(%a: tensor<1x64x28x28xf32>, %b: tensor<1x32x14x14xf32>) -> tensor<1x96x28x28xf32> {
  // expected-error @+2 {{'ds.concat' op expected dimension 2 of input 1 to be 28 like the inputs before it, got 14}}
  // expected-error @+1 {{failed to infer returned types}}
  %0 = ds.concat %a, %b {axis = 1 : i64} : (tensor<1x64x28x28xf32>, tensor<1x32x14x14xf32>) -> tensor<1x96x28x28xf32>
  return %0 : tensor<1x96x28x28xf32>
}

// -----

func.func @concat_rank(%a: tensor<2x3xf32>, %b: tensor<3xf32>) -> tensor<2x6xf32> {
  // expected-error @+2 {{'ds.concat' op expected all inputs to have rank 2, got rank 1 in input 1}}
  // expected-error @+1 {{failed to infer returned types}}
  %0 = ds.concat %a, %b {axis = 1 : i64} : (tensor<2x3xf32>, tensor<3xf32>) -> tensor<2x6xf32>
  return %0 : tensor<2x6xf32>
}

// -----

func.func @slice_out_of_bounds(%x: tensor<1x5xf32>) -> tensor<1x6xf32> {
  // expected-error @+2 {{'ds.slice' op dimension 1 of size 5: start 0, end 6, step 1 are not a normalized range}}
  // expected-error @+1 {{failed to infer returned types}}
  %0 = ds.slice %x {ends = array<i64: 1, 6>, starts = array<i64: 0, 0>, steps = array<i64: 1, 1>} : (tensor<1x5xf32>) -> tensor<1x6xf32>
  return %0 : tensor<1x6xf32>
}

// -----

func.func @slice_zero_step(%x: tensor<1x5xf32>) -> tensor<1x5xf32> {
  // expected-error @+2 {{'ds.slice' op expected non-zero steps, dimension 1}}
  // expected-error @+1 {{failed to infer returned types}}
  %0 = ds.slice %x {ends = array<i64: 1, 5>, starts = array<i64: 0, 0>, steps = array<i64: 1, 0>} : (tensor<1x5xf32>) -> tensor<1x5xf32>
  return %0 : tensor<1x5xf32>
}

// -----

func.func @split_sizes_do_not_add_up(%x: tensor<1x6xf32>) -> (tensor<1x2xf32>, tensor<1x3xf32>) {
  // expected-error @+2 {{'ds.split' op expected sizes [2, 3] to add up to 6, the size of dimension 1}}
  // expected-error @+1 {{failed to infer returned types}}
  %0:2 = ds.split %x {axis = 1 : i64, sizes = array<i64: 2, 3>} : (tensor<1x6xf32>) -> (tensor<1x2xf32>, tensor<1x3xf32>)
  return %0#0, %0#1 : tensor<1x2xf32>, tensor<1x3xf32>
}

// -----

func.func @gather_float_indices(%t: tensor<10x4xf32>, %i: tensor<3xf32>) -> tensor<3x4xf32> {
  // expected-error @+1 {{'ds.gather' op operand #1 must be ranked tensor of 32-bit signless integer or 64-bit signless integer values}}
  %0 = ds.gather %t, %i {axis = 0 : i64} : (tensor<10x4xf32>, tensor<3xf32>) -> tensor<3x4xf32>
  return %0 : tensor<3x4xf32>
}

// -----

func.func @gather_axis(%t: tensor<10x4xf32>, %i: tensor<3xi64>) -> tensor<3x4xf32> {
  // expected-error @+2 {{'ds.gather' op expected axis in [0, 2) for an input of rank 2, got 2}}
  // expected-error @+1 {{failed to infer returned types}}
  %0 = ds.gather %t, %i {axis = 2 : i64} : (tensor<10x4xf32>, tensor<3xi64>) -> tensor<3x4xf32>
  return %0 : tensor<3x4xf32>
}

// -----

func.func @pad_count(%x: tensor<1x3x4x4xf32>) -> tensor<1x3x6x6xf32> {
  // expected-error @+2 {{'ds.pad' op expected 8 pads (begin then end per dimension), got 4}}
  // expected-error @+1 {{failed to infer returned types}}
  %0 = ds.pad %x {pads = array<i64: 1, 1, 1, 1>} : (tensor<1x3x4x4xf32>) -> tensor<1x3x6x6xf32>
  return %0 : tensor<1x3x6x6xf32>
}

// -----

func.func @pad_reflect_too_wide(%x: tensor<1x3x4x4xf32>) -> tensor<1x3x12x4xf32> {
  // expected-error @+2 {{'ds.pad' op reflect padding of dimension 2 must be smaller than its size 4, got 4 and 4}}
  // expected-error @+1 {{failed to infer returned types}}
  %0 = ds.pad %x {mode = #ds<pad_mode reflect>, pads = array<i64: 0, 0, 4, 0, 0, 0, 4, 0>} : (tensor<1x3x4x4xf32>) -> tensor<1x3x12x4xf32>
  return %0 : tensor<1x3x12x4xf32>
}

// -----

func.func @resize_rank(%x: tensor<1x3x4x4xf32>) -> tensor<3x8x8xf32> {
  // expected-error @+1 {{'ds.resize' op expected the result rank to equal the input rank 4, got 3}}
  %0 = ds.resize %x : tensor<1x3x4x4xf32> -> tensor<3x8x8xf32>
  return %0 : tensor<3x8x8xf32>
}

// -----

func.func @resize_bad_scales(%x: tensor<1x3x4x4xf32>) -> tensor<1x3x8x8xf32> {
  // expected-error @+1 {{'ds.resize' op expected one scale per dimension (4), got 2}}
  %0 = ds.resize %x {scales = array<f32: 2.0, 2.0>} : tensor<1x3x4x4xf32> -> tensor<1x3x8x8xf32>
  return %0 : tensor<1x3x8x8xf32>
}

// -----

func.func @resize_unknown_mode(%x: tensor<1x3x4x4xf32>) -> tensor<1x3x8x8xf32> {
  // expected-error @+2 {{expected ::mlir::ds::ResizeMode to be one of: nearest, linear, cubic}}
  // expected-error @+1 {{failed to parse DS_ResizeModeAttr parameter 'value'}}
  %0 = ds.resize %x {mode = #ds<resize_mode bilinear>} : tensor<1x3x4x4xf32> -> tensor<1x3x8x8xf32>
  return %0 : tensor<1x3x8x8xf32>
}

// -----

func.func @expand_not_broadcastable(%x: tensor<3x1xf32>) -> tensor<2x4xf32> {
  // expected-error @+1 {{'ds.expand' op expected input 'tensor<3x1xf32>' to broadcast to the result 'tensor<2x4xf32>'}}
  %0 = ds.expand %x : tensor<3x1xf32> -> tensor<2x4xf32>
  return %0 : tensor<2x4xf32>
}

// -----

func.func @squeeze_non_unit(%x: tensor<1x3xf32>) -> tensor<1xf32> {
  // expected-error @+2 {{'ds.squeeze' op cannot squeeze dimension 1 of size 3}}
  // expected-error @+1 {{failed to infer returned types}}
  %0 = ds.squeeze %x {axes = array<i64: 1>} : (tensor<1x3xf32>) -> tensor<1xf32>
  return %0 : tensor<1xf32>
}

// -----

func.func @unsqueeze_axis_out_of_range(%x: tensor<3xf32>) -> tensor<3x1xf32> {
  // expected-error @+2 {{'ds.unsqueeze' op axis 2 is out of range for rank 2}}
  // expected-error @+1 {{failed to infer returned types}}
  %0 = ds.unsqueeze %x {axes = array<i64: 2>} : (tensor<3xf32>) -> tensor<3x1xf32>
  return %0 : tensor<3x1xf32>
}

// -----

// Element counts that overflow int64 are diagnosed, not wrapped around.
func.func @flatten_overflow(%x: tensor<4294967296x4294967296x2xf32>) -> tensor<1x?xf32> {
  // expected-error @+2 {{'ds.flatten' op element count of [4294967296, 4294967296, 2] overflows int64}}
  // expected-error @+1 {{failed to infer returned types}}
  %0 = ds.flatten %x {axis = 0 : i64} : (tensor<4294967296x4294967296x2xf32>) -> tensor<1x?xf32>
  return %0 : tensor<1x?xf32>
}

// -----

func.func @reshape_overflow(%x: tensor<4294967296x4294967296x2xf32>) -> tensor<?xf32> {
  // expected-error @+1 {{'ds.reshape' op element count of [4294967296, 4294967296, 2] overflows int64}}
  %0 = ds.reshape %x : tensor<4294967296x4294967296x2xf32> -> tensor<?xf32>
  return %0 : tensor<?xf32>
}

// -----

func.func @gather_elements_rank(%d: tensor<2x3xf32>, %i: tensor<2xi64>) -> tensor<2xf32> {
  // expected-error @+2 {{'ds.gather_elements' op expected indices of the data's rank 2, got rank 1}}
  // expected-error @+1 {{failed to infer returned types}}
  %0 = ds.gather_elements %d, %i {axis = 0 : i64} : (tensor<2x3xf32>, tensor<2xi64>) -> tensor<2xf32>
  return %0 : tensor<2xf32>
}

// -----

func.func @tile_repeat_count(%x: tensor<2x3xf32>) -> tensor<4x3xf32> {
  // expected-error @+2 {{'ds.tile' op expected one repeat count per dimension (2), got 1}}
  // expected-error @+1 {{failed to infer returned types}}
  %0 = ds.tile %x {repeats = array<i64: 2>} : (tensor<2x3xf32>) -> tensor<4x3xf32>
  return %0 : tensor<4x3xf32>
}

// -----

func.func @trilu_vector(%x: tensor<5xf32>) -> tensor<5xf32> {
  // expected-error @+1 {{'ds.trilu' op expected an input of rank >= 2, got rank 1}}
  %0 = ds.trilu %x : tensor<5xf32>
  return %0 : tensor<5xf32>
}

// -----

func.func @top_k_too_many(%x: tensor<1x4xf32>) -> (tensor<1x5xf32>, tensor<1x5xi64>) {
  // expected-error @+2 {{'ds.top_k' op expected k in [1, 4] for axis 1, got 5}}
  // expected-error @+1 {{failed to infer returned types}}
  %v, %i = ds.top_k %x {axis = 1 : i64, k = 5 : i64} : (tensor<1x4xf32>) -> (tensor<1x5xf32>, tensor<1x5xi64>)
  return %v, %i : tensor<1x5xf32>, tensor<1x5xi64>
}

// -----

func.func @one_hot_shape(%i: tensor<4xi64>) -> tensor<4x9xf32> {
  // expected-error @+1 {{'ds.one_hot' op expected result shape [4, 10], got 'tensor<4x9xf32>'}}
  %0 = ds.one_hot %i {axis = 1 : i64, depth = 10 : i64, off_value = 0.0, on_value = 1.0} : tensor<4xi64> -> tensor<4x9xf32>
  return %0 : tensor<4x9xf32>
}

// -----

func.func @gather_nd_index_depth(%d: tensor<2x3xf32>, %i: tensor<1x3xi64>) -> tensor<1xf32> {
  // expected-error @+2 {{'ds.gather_nd' op the last dimension of indices (3) must be static and at most 2}}
  // expected-error @+1 {{failed to infer returned types}}
  %0 = ds.gather_nd %d, %i : (tensor<2x3xf32>, tensor<1x3xi64>) -> tensor<1xf32>
  return %0 : tensor<1xf32>
}

// -----

func.func @scatter_elements_shapes(%d: tensor<2x3xf32>, %i: tensor<2x2xi64>, %u: tensor<2x1xf32>) -> tensor<2x3xf32> {
  // expected-error @+1 {{'ds.scatter_elements' op expected indices and updates of one shape and the data's rank, got 'tensor<2x2xi64>' and 'tensor<2x1xf32>'}}
  %0 = ds.scatter_elements %d, %i, %u {axis = 0 : i64} : (tensor<2x3xf32>, tensor<2x2xi64>, tensor<2x1xf32>) -> tensor<2x3xf32>
  return %0 : tensor<2x3xf32>
}

// -----

func.func @scatter_nd_updates(%d: tensor<4x3xf32>, %i: tensor<2x1xi64>, %u: tensor<2x4xf32>) -> tensor<4x3xf32> {
  // expected-error @+1 {{'ds.scatter_nd' op expected updates of shape [2, 3], got 'tensor<2x4xf32>'}}
  %0 = ds.scatter_nd %d, %i, %u : (tensor<4x3xf32>, tensor<2x1xi64>, tensor<2x4xf32>) -> tensor<4x3xf32>
  return %0 : tensor<4x3xf32>
}

// -----

func.func @max_unpool_indices(%x: tensor<1x1x2x2xf32>, %i: tensor<1x1x3x2xi64>) -> tensor<1x1x4x4xf32> {
  // expected-error @+1 {{'ds.max_unpool' op expected indices of the input's shape, got 'tensor<1x1x3x2xi64>'}}
  %0 = ds.max_unpool %x, %i : (tensor<1x1x2x2xf32>, tensor<1x1x3x2xi64>) -> tensor<1x1x4x4xf32>
  return %0 : tensor<1x1x4x4xf32>
}

// -----

func.func @reverse_sequence_axes(%s: tensor<4x4xf32>, %l: tensor<4xi64>) -> tensor<4x4xf32> {
  // expected-error @+1 {{'ds.reverse_sequence' op expected batch_axis and time_axis to be 0 and 1 in some order}}
  %0 = ds.reverse_sequence %s, %l {batch_axis = 0 : i64, time_axis = 0 : i64} : (tensor<4x4xf32>, tensor<4xi64>) -> tensor<4x4xf32>
  return %0 : tensor<4x4xf32>
}

// -----

func.func @roi_align_rois(%img: tensor<1x1x10x10xf32>, %rois: tensor<3x5xf32>, %b: tensor<3xi64>) -> tensor<3x1x5x5xf32> {
  // expected-error @+2 {{'ds.roi_align' op expected rois of shape R x 4}}
  // expected-error @+1 {{failed to infer returned types}}
  %0 = ds.roi_align %img, %rois, %b {output_height = 5 : i64, output_width = 5 : i64} : (tensor<1x1x10x10xf32>, tensor<3x5xf32>, tensor<3xi64>) -> tensor<3x1x5x5xf32>
  return %0 : tensor<3x1x5x5xf32>
}

// -----

func.func @grid_sample_grid(%x: tensor<1x1x4x4xf32>, %g: tensor<1x6x6x3xf32>) -> tensor<1x1x6x6xf32> {
  // expected-error @+2 {{'ds.grid_sample' op expected a 4-D input and an N x H x W x 2 grid}}
  // expected-error @+1 {{failed to infer returned types}}
  %0 = ds.grid_sample %x, %g : (tensor<1x1x4x4xf32>, tensor<1x6x6x3xf32>) -> tensor<1x1x6x6xf32>
  return %0 : tensor<1x1x6x6xf32>
}
