// Round trip of the data-movement ops.
// RUN: deepseek-opt %s | deepseek-opt | FileCheck %s
// RUN: deepseek-opt %s --mlir-print-op-generic | deepseek-opt | FileCheck %s

// CHECK-LABEL: func.func @reshapes
func.func @reshapes(%x: tensor<1x2048x1x1xf32>, %d: tensor<?x128x768xf32>) -> (tensor<1x2048xf32>, tensor<1x2048xf32>, tensor<?x128x12x64xf32>, tensor<1x2048x1xf32>) {
  // CHECK: ds.reshape %{{.*}} : tensor<1x2048x1x1xf32> -> tensor<1x2048xf32>
  %0 = ds.reshape %x : tensor<1x2048x1x1xf32> -> tensor<1x2048xf32>
  // CHECK: ds.flatten %{{.*}} {axis = 1 : i64} : (tensor<1x2048x1x1xf32>) -> tensor<1x2048xf32>
  %1 = ds.flatten %x {axis = 1 : i64} : (tensor<1x2048x1x1xf32>) -> tensor<1x2048xf32>
  // CHECK: ds.reshape %{{.*}} : tensor<?x128x768xf32> -> tensor<?x128x12x64xf32>
  %2 = ds.reshape %d : tensor<?x128x768xf32> -> tensor<?x128x12x64xf32>
  // CHECK: ds.squeeze %{{.*}} {axes = array<i64: 3>} : (tensor<1x2048x1x1xf32>) -> tensor<1x2048x1xf32>
  %3 = ds.squeeze %x {axes = array<i64: 3>} : (tensor<1x2048x1x1xf32>) -> tensor<1x2048x1xf32>
  return %0, %1, %2, %3 : tensor<1x2048xf32>, tensor<1x2048xf32>, tensor<?x128x12x64xf32>, tensor<1x2048x1xf32>
}

// CHECK-LABEL: func.func @transpose_unsqueeze_expand
func.func @transpose_unsqueeze_expand(%x: tensor<1x128x12x64xf32>, %m: tensor<128xi64>) -> (tensor<1x12x128x64xf32>, tensor<1x1x128xi64>, tensor<1x12x128xi64>) {
  // CHECK: ds.transpose %{{.*}} {perm = array<i64: 0, 2, 1, 3>} : (tensor<1x128x12x64xf32>) -> tensor<1x12x128x64xf32>
  %0 = ds.transpose %x {perm = array<i64: 0, 2, 1, 3>} : (tensor<1x128x12x64xf32>) -> tensor<1x12x128x64xf32>
  // CHECK: ds.unsqueeze %{{.*}} {axes = array<i64: 0, 1>} : (tensor<128xi64>) -> tensor<1x1x128xi64>
  %1 = ds.unsqueeze %m {axes = array<i64: 0, 1>} : (tensor<128xi64>) -> tensor<1x1x128xi64>
  // CHECK: ds.expand %{{.*}} : tensor<1x1x128xi64> -> tensor<1x12x128xi64>
  %2 = ds.expand %1 : tensor<1x1x128xi64> -> tensor<1x12x128xi64>
  return %0, %1, %2 : tensor<1x12x128x64xf32>, tensor<1x1x128xi64>, tensor<1x12x128xi64>
}

// CHECK-LABEL: func.func @concat_split
func.func @concat_split(%a: tensor<1x64x28x28xf32>, %b: tensor<1x32x28x28xf32>) -> (tensor<1x96x28x28xf32>, tensor<1x48x28x28xf32>, tensor<1x48x28x28xf32>) {
  // CHECK: ds.concat %{{.*}}, %{{.*}} {axis = 1 : i64} : (tensor<1x64x28x28xf32>, tensor<1x32x28x28xf32>) -> tensor<1x96x28x28xf32>
  %0 = ds.concat %a, %b {axis = 1 : i64} : (tensor<1x64x28x28xf32>, tensor<1x32x28x28xf32>) -> tensor<1x96x28x28xf32>
  // CHECK: %{{.*}}:2 = ds.split %{{.*}} {axis = 1 : i64, sizes = array<i64: 48, 48>} : (tensor<1x96x28x28xf32>) -> (tensor<1x48x28x28xf32>, tensor<1x48x28x28xf32>)
  %1:2 = ds.split %0 {axis = 1 : i64, sizes = array<i64: 48, 48>} : (tensor<1x96x28x28xf32>) -> (tensor<1x48x28x28xf32>, tensor<1x48x28x28xf32>)
  return %0, %1#0, %1#1 : tensor<1x96x28x28xf32>, tensor<1x48x28x28xf32>, tensor<1x48x28x28xf32>
}

// CHECK-LABEL: func.func @slice_gather
func.func @slice_gather(%x: tensor<1x5xf32>, %t: tensor<30522x768xf32>, %ids: tensor<1x128xi64>) -> (tensor<1x2xf32>, tensor<1x5xf32>, tensor<1x128x768xf32>) {
  // CHECK: ds.slice %{{.*}} {ends = array<i64: 1, 4>, starts = array<i64: 0, 1>, steps = array<i64: 1, 2>} : (tensor<1x5xf32>) -> tensor<1x2xf32>
  %0 = ds.slice %x {ends = array<i64: 1, 4>, starts = array<i64: 0, 1>, steps = array<i64: 1, 2>} : (tensor<1x5xf32>) -> tensor<1x2xf32>
  // A negative step reverses: start 4, end -1 walks 4, 3, 2, 1, 0.
  // CHECK: ds.slice %{{.*}} {ends = array<i64: 1, -1>, starts = array<i64: 0, 4>, steps = array<i64: 1, -1>} : (tensor<1x5xf32>) -> tensor<1x5xf32>
  %1 = ds.slice %x {ends = array<i64: 1, -1>, starts = array<i64: 0, 4>, steps = array<i64: 1, -1>} : (tensor<1x5xf32>) -> tensor<1x5xf32>
  // CHECK: ds.gather %{{.*}}, %{{.*}} {axis = 0 : i64} : (tensor<30522x768xf32>, tensor<1x128xi64>) -> tensor<1x128x768xf32>
  %2 = ds.gather %t, %ids {axis = 0 : i64} : (tensor<30522x768xf32>, tensor<1x128xi64>) -> tensor<1x128x768xf32>
  return %0, %1, %2 : tensor<1x2xf32>, tensor<1x5xf32>, tensor<1x128x768xf32>
}

// CHECK-LABEL: func.func @pad_resize
func.func @pad_resize(%x: tensor<1x3x4x4xf32>) -> (tensor<1x3x6x6xf32>, tensor<1x3x6x6xf32>, tensor<1x3x8x8xf32>, tensor<1x3x6x6xf32>) {
  // CHECK: ds.pad %{{.*}} {pads = array<i64: 0, 0, 1, 1, 0, 0, 1, 1>} : (tensor<1x3x4x4xf32>) -> tensor<1x3x6x6xf32>
  %0 = ds.pad %x {pads = array<i64: 0, 0, 1, 1, 0, 0, 1, 1>} : (tensor<1x3x4x4xf32>) -> tensor<1x3x6x6xf32>
  // CHECK: ds.pad %{{.*}} {mode = #ds<pad_mode reflect>, pads = array<i64: 0, 0, 1, 1, 0, 0, 1, 1>} : (tensor<1x3x4x4xf32>) -> tensor<1x3x6x6xf32>
  %1 = ds.pad %x {mode = #ds<pad_mode reflect>, pads = array<i64: 0, 0, 1, 1, 0, 0, 1, 1>} : (tensor<1x3x4x4xf32>) -> tensor<1x3x6x6xf32>
  // CHECK: ds.resize %{{.*}} {coordinate_transform = #ds<coordinate_transform asymmetric>, nearest_mode = #ds<nearest_mode floor>} : tensor<1x3x4x4xf32> -> tensor<1x3x8x8xf32>
  %2 = ds.resize %x {coordinate_transform = #ds<coordinate_transform asymmetric>, nearest_mode = #ds<nearest_mode floor>} : tensor<1x3x4x4xf32> -> tensor<1x3x8x8xf32>
  // CHECK: ds.resize %{{.*}} {mode = #ds<resize_mode linear>, scales = array<f32: 1.000000e+00, 1.000000e+00, 1.500000e+00, 1.500000e+00>} : tensor<1x3x4x4xf32> -> tensor<1x3x6x6xf32>
  %3 = ds.resize %x {mode = #ds<resize_mode linear>, scales = array<f32: 1.0, 1.0, 1.5, 1.5>} : tensor<1x3x4x4xf32> -> tensor<1x3x6x6xf32>
  return %0, %1, %2, %3 : tensor<1x3x6x6xf32>, tensor<1x3x6x6xf32>, tensor<1x3x8x8xf32>, tensor<1x3x6x6xf32>
}

// CHECK-LABEL: func.func @gather_elements_tile_trilu
func.func @gather_elements_tile_trilu(%d: tensor<2x3xf32>, %i: tensor<2x2xi64>, %m: tensor<4x5xf32>) -> (tensor<2x2xf32>, tensor<4x15xf32>, tensor<4x5xf32>) {
  // CHECK: ds.gather_elements %{{.*}}, %{{.*}} {axis = 1 : i64} : (tensor<2x3xf32>, tensor<2x2xi64>) -> tensor<2x2xf32>
  %0 = ds.gather_elements %d, %i {axis = 1 : i64} : (tensor<2x3xf32>, tensor<2x2xi64>) -> tensor<2x2xf32>
  // CHECK: ds.tile %{{.*}} {repeats = array<i64: 1, 3>} : (tensor<4x5xf32>) -> tensor<4x15xf32>
  %1 = ds.tile %m {repeats = array<i64: 1, 3>} : (tensor<4x5xf32>) -> tensor<4x15xf32>
  // CHECK: ds.trilu %{{.*}} {k = 1 : i64, upper = false} : tensor<4x5xf32>
  %2 = ds.trilu %m {k = 1 : i64, upper = false} : tensor<4x5xf32>
  return %0, %1, %2 : tensor<2x2xf32>, tensor<4x15xf32>, tensor<4x5xf32>
}

// CHECK-LABEL: func.func @index_ops
func.func @index_ops(%x: tensor<1x1000xf32>, %i: tensor<4xi64>, %d: tensor<2x2x3xf32>, %gi: tensor<2x1x2xi64>, %s: tensor<2x3xf32>, %si: tensor<2x2xi64>, %su: tensor<2x2xf32>, %nd: tensor<4x3xf32>, %ndi: tensor<2x1xi64>, %ndu: tensor<2x3xf32>) -> (tensor<1x5xf32>, tensor<1x5xi64>, tensor<4x10xf32>, tensor<2x1x3xf32>, tensor<2x3xf32>, tensor<4x3xf32>) {
  // CHECK: ds.top_k %{{.*}} {axis = 1 : i64, k = 5 : i64} : (tensor<1x1000xf32>) -> (tensor<1x5xf32>, tensor<1x5xi64>)
  %v, %idx = ds.top_k %x {axis = 1 : i64, k = 5 : i64} : (tensor<1x1000xf32>) -> (tensor<1x5xf32>, tensor<1x5xi64>)
  // CHECK: ds.one_hot %{{.*}} {axis = 1 : i64, depth = 10 : i64, off_value = 0.000000e+00 : f64, on_value = 1.000000e+00 : f64} : tensor<4xi64> -> tensor<4x10xf32>
  %oh = ds.one_hot %i {axis = 1 : i64, depth = 10 : i64, off_value = 0.0, on_value = 1.0} : tensor<4xi64> -> tensor<4x10xf32>
  // CHECK: ds.gather_nd %{{.*}}, %{{.*}} {batch_dims = 1 : i64} : (tensor<2x2x3xf32>, tensor<2x1x2xi64>) -> tensor<2x1xf32>
  %g = ds.gather_nd %d, %gi {batch_dims = 1 : i64} : (tensor<2x2x3xf32>, tensor<2x1x2xi64>) -> tensor<2x1xf32>
  // CHECK: ds.gather_nd %{{.*}}, %{{.*}} : (tensor<2x2x3xf32>, tensor<2x1x2xi64>) -> tensor<2x1x3xf32>
  %g0 = ds.gather_nd %d, %gi : (tensor<2x2x3xf32>, tensor<2x1x2xi64>) -> tensor<2x1x3xf32>
  // CHECK: ds.scatter_elements %{{.*}}, %{{.*}}, %{{.*}} {axis = 1 : i64, reduction = #ds<scatter_reduction add>}
  %se = ds.scatter_elements %s, %si, %su {axis = 1 : i64, reduction = #ds<scatter_reduction add>} : (tensor<2x3xf32>, tensor<2x2xi64>, tensor<2x2xf32>) -> tensor<2x3xf32>
  // CHECK: ds.scatter_nd %{{.*}}, %{{.*}}, %{{.*}} : (tensor<4x3xf32>, tensor<2x1xi64>, tensor<2x3xf32>) -> tensor<4x3xf32>
  %sn = ds.scatter_nd %nd, %ndi, %ndu : (tensor<4x3xf32>, tensor<2x1xi64>, tensor<2x3xf32>) -> tensor<4x3xf32>
  return %v, %idx, %oh, %g0, %se, %sn : tensor<1x5xf32>, tensor<1x5xi64>, tensor<4x10xf32>, tensor<2x1x3xf32>, tensor<2x3xf32>, tensor<4x3xf32>
}

// CHECK-LABEL: func.func @sampling_ops
func.func @sampling_ops(%x: tensor<1x1x2x2xf32>, %i: tensor<1x1x2x2xi64>, %s: tensor<4x4xf32>, %l: tensor<4xi64>, %img: tensor<1x1x10x10xf32>, %rois: tensor<3x4xf32>, %b: tensor<3xi64>, %g: tensor<1x6x6x2xf32>) -> (tensor<1x1x4x4xf32>, tensor<4x4xf32>, tensor<3x1x5x5xf32>, tensor<1x1x6x6xf32>) {
  // CHECK: ds.max_unpool %{{.*}}, %{{.*}} : (tensor<1x1x2x2xf32>, tensor<1x1x2x2xi64>) -> tensor<1x1x4x4xf32>
  %0 = ds.max_unpool %x, %i : (tensor<1x1x2x2xf32>, tensor<1x1x2x2xi64>) -> tensor<1x1x4x4xf32>
  // CHECK: ds.reverse_sequence %{{.*}}, %{{.*}} {batch_axis = 1 : i64, time_axis = 0 : i64}
  %1 = ds.reverse_sequence %s, %l {batch_axis = 1 : i64, time_axis = 0 : i64} : (tensor<4x4xf32>, tensor<4xi64>) -> tensor<4x4xf32>
  // CHECK: ds.roi_align %{{.*}}, %{{.*}}, %{{.*}} {aligned = false, mode = #ds<roi_align_mode max>, output_height = 5 : i64, output_width = 5 : i64, sampling_ratio = 2 : i64} : (tensor<1x1x10x10xf32>, tensor<3x4xf32>, tensor<3xi64>) -> tensor<3x1x5x5xf32>
  %2 = ds.roi_align %img, %rois, %b {aligned = false, mode = #ds<roi_align_mode max>, output_height = 5 : i64, output_width = 5 : i64, sampling_ratio = 2 : i64} : (tensor<1x1x10x10xf32>, tensor<3x4xf32>, tensor<3xi64>) -> tensor<3x1x5x5xf32>
  // CHECK: ds.grid_sample %{{.*}}, %{{.*}} {align_corners = true, mode = #ds<grid_sample_mode nearest>, padding_mode = #ds<grid_padding border>} : (tensor<1x1x2x2xf32>, tensor<1x6x6x2xf32>) -> tensor<1x1x6x6xf32>
  %3 = ds.grid_sample %x, %g {align_corners = true, mode = #ds<grid_sample_mode nearest>, padding_mode = #ds<grid_padding border>} : (tensor<1x1x2x2xf32>, tensor<1x6x6x2xf32>) -> tensor<1x1x6x6xf32>
  return %0, %1, %2, %3 : tensor<1x1x4x4xf32>, tensor<4x4xf32>, tensor<3x1x5x5xf32>, tensor<1x1x6x6xf32>
}
