// RUN: deepseek-opt %s -split-input-file \
// RUN:   -ds-prune-channels="ratio=0.5 granularity=2 skip=skipme" | FileCheck %s
// RUN: deepseek-opt %s -split-input-file \
// RUN:   -ds-prune-channels="ratio=0.5 granularity=2 report=true skip=skipme" 2>&1 >/dev/null \
// RUN:   | FileCheck %s --check-prefix=REMARK

// A chain: the first conv's channels are ranked by |w| (1, 4, 3, 0.5) and the
// best two kept; the second conv loses the matching input channels. Its own
// output is the model's and stays.
// CHECK-LABEL: func.func @chain
// CHECK: %[[W1:.*]] = ds.constant dense<{{\[\[\[\[}}-4.000000e+00]]], {{\[\[\[}}3.000000e+00]]]]> : tensor<2x1x1x1xf32>
// CHECK: %[[B1:.*]] = ds.constant dense<[2.000000e+00, 3.000000e+00]> : tensor<2xf32>
// CHECK: ds.conv %arg0, %[[W1]] bias %[[B1]] {{.*}} -> tensor<1x2x4x4xf32>
// CHECK: ds.relu %{{.*}} : tensor<1x2x4x4xf32>
// CHECK: ds.conv %{{.*}}, %{{.*}} {{.*}} : (tensor<1x2x4x4xf32>, tensor<4x2x1x1xf32>) -> tensor<1x4x4x4xf32>
func.func @chain(%x: tensor<1x1x4x4xf32>) -> tensor<1x4x4x4xf32> {
  %w1 = ds.constant dense<[[[[1.0]]], [[[-4.0]]], [[[3.0]]], [[[0.5]]]]> : tensor<4x1x1x1xf32>
  %b1 = ds.constant dense<[1.0, 2.0, 3.0, 4.0]> : tensor<4xf32>
  %w2 = ds.constant dense<1.0> : tensor<4x4x1x1xf32>
  // REMARK: channel group of 4 from 'conv1': keeps 2 [1, 2]
  %0 = ds.conv %x, %w1 bias %b1 {dilations = array<i64: 1, 1>, pads = array<i64: 0, 0, 0, 0>, strides = array<i64: 1, 1>} : (tensor<1x1x4x4xf32>, tensor<4x1x1x1xf32>, tensor<4xf32>) -> tensor<1x4x4x4xf32> loc("conv1")
  %1 = ds.relu %0 : tensor<1x4x4x4xf32>
  // REMARK: channel group of 4 from 'conv2': keeps all: a model output
  %2 = ds.conv %1, %w2 {dilations = array<i64: 1, 1>, pads = array<i64: 0, 0, 0, 0>, strides = array<i64: 1, 1>} : (tensor<1x4x4x4xf32>, tensor<4x4x1x1xf32>) -> tensor<1x4x4x4xf32> loc("conv2")
  return %2 : tensor<1x4x4x4xf32>
}

// -----

// A residual Add joins the stem's channels with the block's: ranked by the
// sum of both producers' norms (1+4, 4+4, 3+4, 0.5+4). A BatchNorm follows
// the stem and scales its norms (here by 1). Flatten carries the channels
// into the classifier's columns; the classifier's outputs stay.
// CHECK-LABEL: func.func @residual
// CHECK-DAG: ds.constant {{.*}} : tensor<2x1x1x1xf32>
// CHECK-DAG: ds.constant {{.*}} : tensor<2x2x1x1xf32>
// CHECK-DAG: ds.constant {{.*}} : tensor<10x2xf32>
// CHECK: ds.batch_norm {{.*}} -> tensor<1x2x4x4xf32>
// CHECK: ds.add {{.*}} -> tensor<1x2x4x4xf32>
// CHECK: ds.flatten {{.*}} -> tensor<1x2xf32>
// CHECK: ds.gemm {{.*}} : (tensor<1x2xf32>, tensor<10x2xf32>) -> tensor<1x10xf32>
func.func @residual(%x: tensor<1x1x4x4xf32>) -> tensor<1x10xf32> {
  %w0 = ds.constant dense<[[[[1.0]]], [[[-4.0]]], [[[3.0]]], [[[0.5]]]]> : tensor<4x1x1x1xf32>
  %one = ds.constant dense<1.0> : tensor<4xf32>
  %zero = ds.constant dense<0.0> : tensor<4xf32>
  %w1 = ds.constant dense<1.0> : tensor<4x4x1x1xf32>
  %fc = ds.constant dense<0.5> : tensor<10x4xf32>
  // REMARK: channel group of 4 from 'stem', 'block': keeps 2 [1, 2]
  %s = ds.conv %x, %w0 {dilations = array<i64: 1, 1>, pads = array<i64: 0, 0, 0, 0>, strides = array<i64: 1, 1>} : (tensor<1x1x4x4xf32>, tensor<4x1x1x1xf32>) -> tensor<1x4x4x4xf32> loc("stem")
  %n = ds.batch_norm %s, %one, %zero, %zero, %one {epsilon = 0.0 : f32} : (tensor<1x4x4x4xf32>, tensor<4xf32>, tensor<4xf32>, tensor<4xf32>, tensor<4xf32>) -> tensor<1x4x4x4xf32>
  %r = ds.relu %n : tensor<1x4x4x4xf32>
  %b = ds.conv %r, %w1 {dilations = array<i64: 1, 1>, pads = array<i64: 0, 0, 0, 0>, strides = array<i64: 1, 1>} : (tensor<1x4x4x4xf32>, tensor<4x4x1x1xf32>) -> tensor<1x4x4x4xf32> loc("block")
  %a = ds.add %b, %r : (tensor<1x4x4x4xf32>, tensor<1x4x4x4xf32>) -> tensor<1x4x4x4xf32>
  %p = ds.global_average_pool %a : (tensor<1x4x4x4xf32>) -> tensor<1x4x1x1xf32>
  %f = ds.flatten %p {axis = 1 : i64} : (tensor<1x4x1x1xf32>) -> tensor<1x4xf32>
  // REMARK: channel group of 10 from 'fc': keeps all: a model output
  %y = ds.gemm %f, %fc {trans_b = true} : (tensor<1x4xf32>, tensor<10x4xf32>) -> tensor<1x10xf32> loc("fc")
  return %y : tensor<1x10xf32>
}

// -----

// MobileNet's inverted residual: the depthwise conv and the squeeze-excite
// scale follow the expansion's channels (all scores equal: the first four
// stay); the squeeze-excite bottleneck is a group of its own.
// CHECK-LABEL: func.func @mobile
// CHECK: ds.conv {{.*}} : (tensor<1x4x4x4xf32>, tensor<4x4x1x1xf32>) -> tensor<1x4x4x4xf32>
// CHECK: ds.conv {{.*}} {dilations = array<i64: 1, 1>, group = 4 : i64, {{.*}} : (tensor<1x4x4x4xf32>, tensor<4x1x3x3xf32>) -> tensor<1x4x4x4xf32>
// CHECK: ds.conv {{.*}} : (tensor<1x4x1x1xf32>, tensor<2x4x1x1xf32>) -> tensor<1x2x1x1xf32>
// CHECK: ds.conv {{.*}} : (tensor<1x2x1x1xf32>, tensor<4x2x1x1xf32>) -> tensor<1x4x1x1xf32>
// CHECK: ds.mul {{.*}} : (tensor<1x4x4x4xf32>, tensor<1x4x1x1xf32>) -> tensor<1x4x4x4xf32>
// CHECK: ds.conv {{.*}} : (tensor<1x4x4x4xf32>, tensor<4x4x1x1xf32>) -> tensor<1x4x4x4xf32>
func.func @mobile(%x: tensor<1x4x4x4xf32>) -> tensor<1x4x4x4xf32> {
  %we = ds.constant dense<1.0> : tensor<8x4x1x1xf32>
  %wd = ds.constant dense<1.0> : tensor<8x1x3x3xf32>
  %wr = ds.constant dense<1.0> : tensor<4x8x1x1xf32>
  %wx = ds.constant dense<1.0> : tensor<8x4x1x1xf32>
  %wp = ds.constant dense<1.0> : tensor<4x8x1x1xf32>
  // REMARK: channel group of 8 from 'expand', 'se_expand' with 1 depthwise: keeps 4 [0, 1, 2, 3]
  %e = ds.conv %x, %we {dilations = array<i64: 1, 1>, pads = array<i64: 0, 0, 0, 0>, strides = array<i64: 1, 1>} : (tensor<1x4x4x4xf32>, tensor<8x4x1x1xf32>) -> tensor<1x8x4x4xf32> loc("expand")
  %h = ds.hard_swish %e : tensor<1x8x4x4xf32>
  %d = ds.conv %h, %wd {dilations = array<i64: 1, 1>, group = 8 : i64, pads = array<i64: 1, 1, 1, 1>, strides = array<i64: 1, 1>} : (tensor<1x8x4x4xf32>, tensor<8x1x3x3xf32>) -> tensor<1x8x4x4xf32> loc("depthwise")
  %g = ds.global_average_pool %d : (tensor<1x8x4x4xf32>) -> tensor<1x8x1x1xf32>
  // REMARK: channel group of 4 from 'se_reduce': keeps 2 [0, 1]
  %sr = ds.conv %g, %wr {dilations = array<i64: 1, 1>, pads = array<i64: 0, 0, 0, 0>, strides = array<i64: 1, 1>} : (tensor<1x8x1x1xf32>, tensor<4x8x1x1xf32>) -> tensor<1x4x1x1xf32> loc("se_reduce")
  %sa = ds.relu %sr : tensor<1x4x1x1xf32>
  %sx = ds.conv %sa, %wx {dilations = array<i64: 1, 1>, pads = array<i64: 0, 0, 0, 0>, strides = array<i64: 1, 1>} : (tensor<1x4x1x1xf32>, tensor<8x4x1x1xf32>) -> tensor<1x8x1x1xf32> loc("se_expand")
  %ss = ds.hard_sigmoid %sx {alpha = 0.166666672 : f32, beta = 5.000000e-01 : f32} : tensor<1x8x1x1xf32>
  %m = ds.mul %d, %ss : (tensor<1x8x4x4xf32>, tensor<1x8x1x1xf32>) -> tensor<1x8x4x4xf32>
  // REMARK: channel group of 4 from 'project': keeps all: a model output
  %p = ds.conv %m, %wp {dilations = array<i64: 1, 1>, pads = array<i64: 0, 0, 0, 0>, strides = array<i64: 1, 1>} : (tensor<1x8x4x4xf32>, tensor<4x8x1x1xf32>) -> tensor<1x4x4x4xf32> loc("project")
  return %p : tensor<1x4x4x4xf32>
}

// -----

// A Concat's channels are its inputs' groups one after the other: each
// input is pruned on its own, the conv after it loses the matching columns.
// CHECK-LABEL: func.func @concat
// CHECK: ds.concat {{.*}} : (tensor<1x2x4x4xf32>, tensor<1x2x4x4xf32>) -> tensor<1x4x4x4xf32>
// CHECK: ds.conv {{.*}} : (tensor<1x4x4x4xf32>, tensor<4x4x1x1xf32>) -> tensor<1x4x4x4xf32>
func.func @concat(%x: tensor<1x4x4x4xf32>) -> tensor<1x4x4x4xf32> {
  %wl = ds.constant dense<1.0> : tensor<4x4x1x1xf32>
  %wr = ds.constant dense<[[[[1.0]], [[1.0]], [[1.0]], [[1.0]]], [[[2.0]], [[2.0]], [[2.0]], [[2.0]]], [[[0.0]], [[0.0]], [[0.0]], [[0.0]]], [[[3.0]], [[3.0]], [[3.0]], [[3.0]]]]> : tensor<4x4x1x1xf32>
  %ws = ds.constant dense<1.0> : tensor<4x8x1x1xf32>
  // REMARK: channel group of 4 from 'left': keeps 2 [0, 1]
  %l = ds.conv %x, %wl {dilations = array<i64: 1, 1>, pads = array<i64: 0, 0, 0, 0>, strides = array<i64: 1, 1>} : (tensor<1x4x4x4xf32>, tensor<4x4x1x1xf32>) -> tensor<1x4x4x4xf32> loc("left")
  // REMARK: channel group of 4 from 'right': keeps 2 [1, 3]
  %r = ds.conv %x, %wr {dilations = array<i64: 1, 1>, pads = array<i64: 0, 0, 0, 0>, strides = array<i64: 1, 1>} : (tensor<1x4x4x4xf32>, tensor<4x4x1x1xf32>) -> tensor<1x4x4x4xf32> loc("right")
  // REMARK: channel group of 8 from a concatenation of 2 groups: keeps 4 [0, 1, 5, 7]
  %c = ds.concat %l, %r {axis = 1 : i64} : (tensor<1x4x4x4xf32>, tensor<1x4x4x4xf32>) -> tensor<1x8x4x4xf32> loc("cat")
  // REMARK: channel group of 4 from 'squeeze': keeps all: a model output
  %s = ds.conv %c, %ws {dilations = array<i64: 1, 1>, pads = array<i64: 0, 0, 0, 0>, strides = array<i64: 1, 1>} : (tensor<1x8x4x4xf32>, tensor<4x8x1x1xf32>) -> tensor<1x4x4x4xf32> loc("squeeze")
  return %s : tensor<1x4x4x4xf32>
}

// -----

// Channels that must stay: read by a grouped (not depthwise) convolution,
// by a Reshape that mixes channels with other dimensions (the analysis stops
// there), exempt by name, or too few for the granularity.
// CHECK-LABEL: func.func @kept
// CHECK: (tensor<1x4x4x4xf32>, tensor<4x4x1x1xf32>) -> tensor<1x4x4x4xf32>
// CHECK: group = 2
// CHECK: (tensor<1x4x4x4xf32>, tensor<4x4x1x1xf32>) -> tensor<1x4x4x4xf32>
// CHECK-NEXT: ds.reshape
// CHECK: (tensor<1x4x4x4xf32>, tensor<4x4x1x1xf32>) -> tensor<1x4x4x4xf32>
// CHECK: (tensor<1x4x4x4xf32>, tensor<2x4x1x1xf32>) -> tensor<1x2x4x4xf32>
func.func @kept(%x: tensor<1x4x4x4xf32>) -> (tensor<1x4x4x4xf32>, tensor<1x16x4x1xf32>, tensor<1x4x4x4xf32>, tensor<1x4x4x4xf32>) {
  %w = ds.constant dense<[[[[1.0]], [[1.0]], [[1.0]], [[1.0]]], [[[2.0]], [[2.0]], [[2.0]], [[2.0]]], [[[0.0]], [[0.0]], [[0.0]], [[0.0]]], [[[3.0]], [[3.0]], [[3.0]], [[3.0]]]]> : tensor<4x4x1x1xf32>
  %wg = ds.constant dense<1.0> : tensor<4x2x1x1xf32>
  %wb = ds.constant dense<2.0> : tensor<4x4x1x1xf32>
  %ws = ds.constant dense<3.0> : tensor<4x4x1x1xf32>
  %w2 = ds.constant dense<1.0> : tensor<2x4x1x1xf32>
  %w3 = ds.constant dense<1.0> : tensor<4x2x1x1xf32>
  %wq = ds.constant dense<1.0> : tensor<4x4x1x1xf32>
  // REMARK: channel group of 4 from 'before_grouped': keeps all: grouped ds.conv 'grouped'
  %a = ds.conv %x, %w {dilations = array<i64: 1, 1>, pads = array<i64: 0, 0, 0, 0>, strides = array<i64: 1, 1>} : (tensor<1x4x4x4xf32>, tensor<4x4x1x1xf32>) -> tensor<1x4x4x4xf32> loc("before_grouped")
  %g = ds.conv %a, %wg {dilations = array<i64: 1, 1>, group = 2 : i64, pads = array<i64: 0, 0, 0, 0>, strides = array<i64: 1, 1>} : (tensor<1x4x4x4xf32>, tensor<4x2x1x1xf32>) -> tensor<1x4x4x4xf32> loc("grouped")
  // REMARK: channel group of 4 from 'before_reshape': keeps all: used by ds.reshape
  %b = ds.conv %x, %wb {dilations = array<i64: 1, 1>, pads = array<i64: 0, 0, 0, 0>, strides = array<i64: 1, 1>} : (tensor<1x4x4x4xf32>, tensor<4x4x1x1xf32>) -> tensor<1x4x4x4xf32> loc("before_reshape")
  %r = ds.reshape %b : tensor<1x4x4x4xf32> -> tensor<1x16x4x1xf32>
  // REMARK: channel group of 4 from 'skipme': keeps all: 'skipme' is exempt (--prune-skip)
  %s = ds.conv %x, %ws {dilations = array<i64: 1, 1>, pads = array<i64: 0, 0, 0, 0>, strides = array<i64: 1, 1>} : (tensor<1x4x4x4xf32>, tensor<4x4x1x1xf32>) -> tensor<1x4x4x4xf32> loc("skipme")
  %sr = ds.relu %s : tensor<1x4x4x4xf32>
  %s2 = ds.conv %sr, %wq {dilations = array<i64: 1, 1>, pads = array<i64: 0, 0, 0, 0>, strides = array<i64: 1, 1>} : (tensor<1x4x4x4xf32>, tensor<4x4x1x1xf32>) -> tensor<1x4x4x4xf32>
  // REMARK: channel group of 2 from 'narrow': keeps all: 2 channels, not more than the granularity 2
  %n = ds.conv %x, %w2 {dilations = array<i64: 1, 1>, pads = array<i64: 0, 0, 0, 0>, strides = array<i64: 1, 1>} : (tensor<1x4x4x4xf32>, tensor<2x4x1x1xf32>) -> tensor<1x2x4x4xf32> loc("narrow")
  %t = ds.tanh %n : tensor<1x2x4x4xf32>
  %u = ds.conv %t, %w3 {dilations = array<i64: 1, 1>, pads = array<i64: 0, 0, 0, 0>, strides = array<i64: 1, 1>} : (tensor<1x2x4x4xf32>, tensor<4x2x1x1xf32>) -> tensor<1x4x4x4xf32>
  return %g, %r, %s2, %u : tensor<1x4x4x4xf32>, tensor<1x16x4x1xf32>, tensor<1x4x4x4xf32>, tensor<1x4x4x4xf32>
}

// -----

// Reshapes that only drop unit dimensions or flatten [N, C, H, W] carry the
// channels (torch's x.view(N, -1) before a classifier).
// CHECK-LABEL: func.func @reshape
// CHECK: ds.reshape {{.*}} : tensor<1x2x1x1xf32> -> tensor<1x2xf32>
// CHECK: ds.gemm {{.*}} : (tensor<1x2xf32>, tensor<10x2xf32>) -> tensor<1x10xf32>
// CHECK: ds.reshape {{.*}} : tensor<1x2x2x2xf32> -> tensor<1x8xf32>
// CHECK: ds.gemm {{.*}} : (tensor<1x8xf32>, tensor<10x8xf32>) -> tensor<1x10xf32>
func.func @reshape(%x: tensor<1x1x2x2xf32>) -> (tensor<1x10xf32>, tensor<1x10xf32>) {
  %w = ds.constant dense<[[[[1.0]]], [[[-4.0]]], [[[3.0]]], [[[0.5]]]]> : tensor<4x1x1x1xf32>
  %fc = ds.constant dense<0.5> : tensor<10x4xf32>
  %w2 = ds.constant dense<[[[[1.0]]], [[[-4.0]]], [[[3.0]]], [[[0.5]]]]> : tensor<4x1x1x1xf32>
  %fc2 = ds.constant dense<0.5> : tensor<10x16xf32>
  // REMARK: channel group of 4 from 'squeezed': keeps 2 [1, 2]
  %c = ds.conv %x, %w {dilations = array<i64: 1, 1>, pads = array<i64: 0, 0, 0, 0>, strides = array<i64: 1, 1>} : (tensor<1x1x2x2xf32>, tensor<4x1x1x1xf32>) -> tensor<1x4x2x2xf32> loc("squeezed")
  %p = ds.global_average_pool %c : (tensor<1x4x2x2xf32>) -> tensor<1x4x1x1xf32>
  %r = ds.reshape %p : tensor<1x4x1x1xf32> -> tensor<1x4xf32>
  %y = ds.gemm %r, %fc {trans_b = true} : (tensor<1x4xf32>, tensor<10x4xf32>) -> tensor<1x10xf32>
  // REMARK: channel group of 4 from 'flattened': keeps 2 [1, 2]
  %c2 = ds.conv %x, %w2 {dilations = array<i64: 1, 1>, pads = array<i64: 0, 0, 0, 0>, strides = array<i64: 1, 1>} : (tensor<1x1x2x2xf32>, tensor<4x1x1x1xf32>) -> tensor<1x4x2x2xf32> loc("flattened")
  %f = ds.reshape %c2 : tensor<1x4x2x2xf32> -> tensor<1x16xf32>
  %y2 = ds.gemm %f, %fc2 {trans_b = true} : (tensor<1x16xf32>, tensor<10x16xf32>) -> tensor<1x10xf32>
  return %y, %y2 : tensor<1x10xf32>, tensor<1x10xf32>
}

// -----

// A Concat added to a layer's own channels cannot follow its inputs' groups:
// the sum keeps its channels, and so do the concatenated layers.
// CHECK-LABEL: func.func @concat_joined
// CHECK-COUNT-2: -> tensor<1x4x4x4xf32>
// CHECK: ds.concat {{.*}} -> tensor<1x8x4x4xf32>
func.func @concat_joined(%x: tensor<1x4x4x4xf32>) -> tensor<1x4x4x4xf32> {
  %wa = ds.constant dense<1.0> : tensor<4x4x1x1xf32>
  %wb = ds.constant dense<2.0> : tensor<4x4x1x1xf32>
  %wc = ds.constant dense<3.0> : tensor<8x4x1x1xf32>
  %wd = ds.constant dense<1.0> : tensor<4x8x1x1xf32>
  // REMARK: channel group of 4 from 'cat_a': keeps all: concatenated into channels that stay (joins a concatenation with other channels)
  %a = ds.conv %x, %wa {dilations = array<i64: 1, 1>, pads = array<i64: 0, 0, 0, 0>, strides = array<i64: 1, 1>} : (tensor<1x4x4x4xf32>, tensor<4x4x1x1xf32>) -> tensor<1x4x4x4xf32> loc("cat_a")
  // REMARK: channel group of 4 from 'cat_b': keeps all: concatenated into channels that stay
  %b = ds.conv %x, %wb {dilations = array<i64: 1, 1>, pads = array<i64: 0, 0, 0, 0>, strides = array<i64: 1, 1>} : (tensor<1x4x4x4xf32>, tensor<4x4x1x1xf32>) -> tensor<1x4x4x4xf32> loc("cat_b")
  %c = ds.concat %a, %b {axis = 1 : i64} : (tensor<1x4x4x4xf32>, tensor<1x4x4x4xf32>) -> tensor<1x8x4x4xf32>
  // REMARK: channel group of 8 from 'own': keeps all: joins a concatenation with other channels
  %o = ds.conv %x, %wc {dilations = array<i64: 1, 1>, pads = array<i64: 0, 0, 0, 0>, strides = array<i64: 1, 1>} : (tensor<1x4x4x4xf32>, tensor<8x4x1x1xf32>) -> tensor<1x8x4x4xf32> loc("own")
  %s = ds.add %c, %o : (tensor<1x8x4x4xf32>, tensor<1x8x4x4xf32>) -> tensor<1x8x4x4xf32>
  %y = ds.conv %s, %wd {dilations = array<i64: 1, 1>, pads = array<i64: 0, 0, 0, 0>, strides = array<i64: 1, 1>} : (tensor<1x8x4x4xf32>, tensor<4x8x1x1xf32>) -> tensor<1x4x4x4xf32>
  return %y : tensor<1x4x4x4xf32>
}
