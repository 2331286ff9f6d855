// Networks of 2-D convolutions and pools lower channels-last (NHWC): each op
// transposes in and out, canonicalization cancels the pairs between
// neighbours, weights become [KH*KW*C, F] constants at compile time.
// RUN: deepseek-opt %s --convert-ds-to-linalg -canonicalize -split-input-file | FileCheck %s

// A ResNet-shaped chain: a 3x3 conv (bias, relu), a 1x1 conv adding the
// first conv's output as its residual, a max pool, a global average pool.
// Only the model input is transposed; the pooled [N, C] result reshapes to
// NCHW's [N, C, 1, 1] without a transpose.
// CHECK-DAG: #[[PATCH:.*]] = affine_map<(d0, d1, d2, d3, d4, d5) -> (d0, d1 + d3, d2 + d4, d5)>
// CHECK-DAG: #[[ROWS:.*]] = affine_map<(d0, d1, d2, d3) -> (d0, d1, d3)>
// CHECK-DAG: #[[WEIGHT:.*]] = affine_map<(d0, d1, d2, d3) -> (d3, d2)>
// CHECK-DAG: #[[OUT:.*]] = affine_map<(d0, d1, d2, d3) -> (d0, d1, d2)>
// CHECK-LABEL: func.func @resnet_block
// CHECK-DAG: %[[NEGINF:.*]] = arith.constant 0xFF800000 : f32
// CHECK-DAG: %[[W1:.*]] = arith.constant dense_resource<nhwc_weight> : tensor<18x16xf32>
// CHECK-DAG: %[[W2:.*]] = arith.constant dense_resource<nhwc_weight_1> : tensor<16x16xf32>
// CHECK: %[[X:.*]] = linalg.transpose ins(%arg0 : tensor<1x2x8x8xf32>) outs(%{{.*}} : tensor<1x8x8x2xf32>) permutation = [0, 2, 3, 1]
// The pad value goes into the border strips only (top and bottom rows, left
// and right columns), the input into the interior:
// CHECK: linalg.fill ins(%[[ZERO:.*]] : f32) outs(%{{.*}} : tensor<1x1x10x2xf32>)
// CHECK: linalg.fill ins(%[[ZERO]] : f32) outs(%{{.*}} : tensor<1x1x10x2xf32>)
// CHECK: linalg.fill ins(%[[ZERO]] : f32) outs(%{{.*}} : tensor<1x8x1x2xf32>)
// CHECK: linalg.fill ins(%[[ZERO]] : f32) outs(%{{.*}} : tensor<1x8x1x2xf32>)
// CHECK-NOT: linalg.fill
// CHECK: %[[PAD:.*]] = tensor.insert_slice %[[X]] into %{{.*}}[0, 1, 1, 0] [1, 8, 8, 2] [1, 1, 1, 1] : tensor<1x8x8x2xf32> into tensor<1x10x10x2xf32>
// CHECK: %[[FULL:.*]] = linalg.generic {indexing_maps = [#[[PATCH]], #{{.*}}], {{.*}} ins(%[[PAD]] : tensor<1x10x10x2xf32>) outs(%{{.*}} : tensor<1x8x8x3x3x2xf32>)
// CHECK: %[[PATCHES:.*]] = tensor.collapse_shape %[[FULL]] {{\[\[}}0], [1, 2], [3, 4, 5]] : tensor<1x8x8x3x3x2xf32> into tensor<1x64x18xf32>
// CHECK: %[[C1:.*]] = linalg.generic {indexing_maps = [#[[ROWS]], #[[WEIGHT]], #[[OUT]]], iterator_types = ["parallel", "parallel", "parallel", "reduction"]} ins(%[[PATCHES]], %[[W1]] : tensor<1x64x18xf32>, tensor<18x16xf32>)
// CHECK: %[[E1:.*]] = linalg.generic {{.*}} ins(%[[C1]], %{{.*}} : tensor<1x64x16xf32>, tensor<16xf32>)
// CHECK: arith.maximumf
// CHECK: %[[C2:.*]] = linalg.generic {indexing_maps = [#[[ROWS]], #[[WEIGHT]], #[[OUT]]], {{.*}} ins(%[[E1]], %[[W2]] : tensor<1x64x16xf32>, tensor<16x16xf32>)
// CHECK: %[[E2:.*]] = linalg.generic {{.*}} ins(%[[C2]], %[[E1]] : tensor<1x64x16xf32>, tensor<1x64x16xf32>)
// CHECK: %[[NHWC:.*]] = tensor.expand_shape %[[E2]] {{\[\[}}0], [1, 2], [3]] output_shape [1, 8, 8, 16]
// CHECK-COUNT-4: linalg.fill ins(%[[NEGINF]] : f32)
// CHECK: %[[MP:.*]] = tensor.insert_slice %[[NHWC]] into %{{.*}}[0, 1, 1, 0] [1, 8, 8, 16]
// CHECK-COUNT-9: tensor.extract_slice %[[MP]]{{.*}} [1, 2, 2, 1] : tensor<1x10x10x16xf32> to tensor<1x4x4x16xf32>
// CHECK: %[[POOLED:.*]] = linalg.generic {{.*}} outs(%{{.*}} : tensor<1x4x4x16xf32>)
// CHECK-COUNT-8: arith.maximumf
// CHECK: %[[SUM:.*]] = linalg.generic {{.*}} iterator_types = ["parallel", "reduction", "reduction", "parallel"]} ins(%[[POOLED]] : tensor<1x4x4x16xf32>) outs(%{{.*}} : tensor<1x16xf32>)
// CHECK: tensor.expand_shape %{{.*}} {{\[\[}}0], [1, 2, 3]] output_shape [1, 16, 1, 1]
// CHECK-NOT: linalg.transpose
func.func @resnet_block(%x: tensor<1x2x8x8xf32>, %b: tensor<16xf32>) -> tensor<1x16x1x1xf32> {
  %w1 = ds.constant dense<0.25> : tensor<16x2x3x3xf32>
  %w2 = ds.constant dense<0.5> : tensor<16x16x1x1xf32>
  %0 = ds.conv %x, %w1 bias %b {strides = array<i64: 1, 1>, pads = array<i64: 1, 1, 1, 1>, dilations = array<i64: 1, 1>, activation = #ds.act<relu>} : (tensor<1x2x8x8xf32>, tensor<16x2x3x3xf32>, tensor<16xf32>) -> tensor<1x16x8x8xf32>
  %1 = ds.conv %0, %w2 residual %0 {strides = array<i64: 1, 1>, pads = array<i64: 0, 0, 0, 0>, dilations = array<i64: 1, 1>} : (tensor<1x16x8x8xf32>, tensor<16x16x1x1xf32>, tensor<1x16x8x8xf32>) -> tensor<1x16x8x8xf32>
  %2 = ds.max_pool %1 {kernel_shape = array<i64: 3, 3>, strides = array<i64: 2, 2>, pads = array<i64: 1, 1, 1, 1>, dilations = array<i64: 1, 1>} : (tensor<1x16x8x8xf32>) -> tensor<1x16x4x4xf32>
  %3 = ds.global_average_pool %2 : (tensor<1x16x4x4xf32>) -> tensor<1x16x1x1xf32>
  return %3 : tensor<1x16x1x1xf32>
}

// -----

// The weight is re-laid out as [KH][KW][C][F]: w[f][c][y][x] = 100f + 10c + 3y + x
// lands at row (y * KW + x) * C + c, column f. The blob's first row is
// 0, 100, 200, ... (0x00000000, 0x42C80000, 0x43480000), its last value 1500
// (0x44BB8000) is followed by the second row's 10, 110 (0x41200000,
// 0x42DC0000), and the third row (y = 0, x = 1, c = 0) starts 1, 101.
// CHECK-LABEL: func.func @weight_layout
// CHECK: arith.constant dense_resource<nhwc_weight> : tensor<8x16xf32>
// CHECK: nhwc_weight: "0x04000000000000000000C84200004843
// CHECK-SAME: 0080BB44000020410000DC42
// CHECK-SAME: 0000803F0000CA42
func.func @weight_layout(%x: tensor<1x2x4x4xf32>) -> tensor<1x16x1x1xf32> {
  %w = ds.constant dense<[
    [[[0.0, 1.0], [3.0, 4.0]], [[10.0, 11.0], [13.0, 14.0]]],
    [[[100.0, 101.0], [103.0, 104.0]], [[110.0, 111.0], [113.0, 114.0]]],
    [[[200.0, 201.0], [203.0, 204.0]], [[210.0, 211.0], [213.0, 214.0]]],
    [[[300.0, 301.0], [303.0, 304.0]], [[310.0, 311.0], [313.0, 314.0]]],
    [[[400.0, 401.0], [403.0, 404.0]], [[410.0, 411.0], [413.0, 414.0]]],
    [[[500.0, 501.0], [503.0, 504.0]], [[510.0, 511.0], [513.0, 514.0]]],
    [[[600.0, 601.0], [603.0, 604.0]], [[610.0, 611.0], [613.0, 614.0]]],
    [[[700.0, 701.0], [703.0, 704.0]], [[710.0, 711.0], [713.0, 714.0]]],
    [[[800.0, 801.0], [803.0, 804.0]], [[810.0, 811.0], [813.0, 814.0]]],
    [[[900.0, 901.0], [903.0, 904.0]], [[910.0, 911.0], [913.0, 914.0]]],
    [[[1000.0, 1001.0], [1003.0, 1004.0]], [[1010.0, 1011.0], [1013.0, 1014.0]]],
    [[[1100.0, 1101.0], [1103.0, 1104.0]], [[1110.0, 1111.0], [1113.0, 1114.0]]],
    [[[1200.0, 1201.0], [1203.0, 1204.0]], [[1210.0, 1211.0], [1213.0, 1214.0]]],
    [[[1300.0, 1301.0], [1303.0, 1304.0]], [[1310.0, 1311.0], [1313.0, 1314.0]]],
    [[[1400.0, 1401.0], [1403.0, 1404.0]], [[1410.0, 1411.0], [1413.0, 1414.0]]],
    [[[1500.0, 1501.0], [1503.0, 1504.0]], [[1510.0, 1511.0], [1513.0, 1514.0]]]]> : tensor<16x2x2x2xf32>
  %0 = ds.conv %x, %w {strides = array<i64: 1, 1>, pads = array<i64: 0, 0, 0, 0>, dilations = array<i64: 1, 1>} : (tensor<1x2x4x4xf32>, tensor<16x2x2x2xf32>) -> tensor<1x16x3x3xf32>
  %1 = ds.global_average_pool %0 : (tensor<1x16x3x3xf32>) -> tensor<1x16x1x1xf32>
  return %1 : tensor<1x16x1x1xf32>
}

// -----

// An FP16 model's weight (an f16 constant widened by ds.cast) is re-laid
// out the same way as f16 (100 = 0x5640, 200 = 0x5A40), then widened by a
// generic of its own: no transpose of the weight at run time.
// CHECK-LABEL: func.func @fp16_weight_layout
// CHECK: %[[HALF:.*]] = arith.constant dense_resource<nhwc_weight_f16> : tensor<8x16xf16>
// CHECK: %[[WIDE:.*]] = linalg.generic {{.*}} ins(%[[HALF]] : tensor<8x16xf16>) outs(%{{.*}} : tensor<8x16xf32>)
// CHECK-NEXT: ^bb0(%[[IN:.*]]: f16, %{{.*}}: f32):
// CHECK-NEXT: arith.extf %[[IN]] : f16 to f32
// CHECK-NOT: linalg.transpose ins(%{{.*}} : tensor<16x2x2x2xf{{.*}}>)
// CHECK: ins(%{{.*}}, %[[WIDE]] : tensor<1x9x8xf32>, tensor<8x16xf32>)
// CHECK: nhwc_weight_f16: "0x0200000000004056405A
func.func @fp16_weight_layout(%x: tensor<1x2x4x4xf32>) -> tensor<1x16x1x1xf32> {
  %w = ds.constant dense_resource<w16> : tensor<16x2x2x2xf16>
  %w32 = ds.cast %w : tensor<16x2x2x2xf16> to tensor<16x2x2x2xf32>
  %0 = ds.conv %x, %w32 {strides = array<i64: 1, 1>, pads = array<i64: 0, 0, 0, 0>, dilations = array<i64: 1, 1>} : (tensor<1x2x4x4xf32>, tensor<16x2x2x2xf32>) -> tensor<1x16x3x3xf32>
  %1 = ds.global_average_pool %0 : (tensor<1x16x3x3xf32>) -> tensor<1x16x1x1xf32>
  return %1 : tensor<1x16x1x1xf32>
}

{-#
  dialect_resources: {
    builtin: {
      w16: "0x020000000000003C0042004400498049804A004B4056505670568056E056F05610572057405A485A585A605A905A985AA85AB05AB05CB45CBC5CC05CD85CDC5CE45CE85C405E445E4C5E505E685E6C5E745E785ED05FD45FDC5FE05FF85FFC5F02600460B060B260B660B860C460C660CA60CC6078617A617E6180618C618E61926194614062426246624862546256625A625C6208630A630E6310631C631E6322632463D063D263D663D863E463E663EA63EC634C644D644F6450645664576459645A64B064B164B364B464BA64BB64BD64BE6414651565176518651E651F6521652265786579657B657C658265836585658665DC65DD65DF65E065E665E765E965EA65"
    }
  }
#-}

// -----

// A convolution output read by anything but a convolution or a pool (here
// an activation; also the function's return) keeps the whole function NCHW:
// a layout change between layers would cost a copy.
// CHECK-LABEL: func.func @other_user
// CHECK-NOT: linalg.transpose
// CHECK: linalg.generic {{.*}} ins(%{{.*}}, %{{.*}} : tensor<16x18xf32>, tensor<1x18x64xf32>)
func.func @other_user(%x: tensor<1x2x8x8xf32>, %w: tensor<16x2x3x3xf32>) -> tensor<1x16x8x8xf32> {
  %0 = ds.conv %x, %w {strides = array<i64: 1, 1>, pads = array<i64: 1, 1, 1, 1>, dilations = array<i64: 1, 1>} : (tensor<1x2x8x8xf32>, tensor<16x2x3x3xf32>) -> tensor<1x16x8x8xf32>
  %1 = ds.sigmoid %0 : tensor<1x16x8x8xf32>
  return %1 : tensor<1x16x8x8xf32>
}

// -----

// A MobileNet block: a depthwise 3x3 conv (hardswish), a squeeze-and-excite
// scale (global average pool, two 1x1 convs, a multiply broadcasting
// [N, C, 1, 1] over H and W), a 1x1 projection with 24 output channels (not
// a multiple of 16: zero weight columns up to 32, then a slice). The
// depthwise taps are one elementwise kernel over NHWC reading 9 strided
// views and 9 rows of a [9, C] weight constant; the multiply reads the scale
// as [N, 1, 1, C].
// CHECK-LABEL: func.func @mobilenet_block
// CHECK-DAG: %[[TAPS:.*]] = arith.constant dense_resource<nhwc_taps> : tensor<9x16xf32>
// CHECK-DAG: %[[PROJ:.*]] = arith.constant dense_resource<nhwc_weight{{.*}}> : tensor<16x32xf32>
// CHECK: %[[X:.*]] = linalg.transpose ins(%arg0 : tensor<1x16x8x8xf32>)
// CHECK: %[[PAD:.*]] = tensor.insert_slice %[[X]] into %{{.*}}[0, 1, 1, 0] [1, 8, 8, 16]
// CHECK-COUNT-9: tensor.extract_slice %[[TAPS]]
// CHECK: %[[DW:.*]] = linalg.generic {{.*}} outs(%{{.*}} : tensor<1x8x8x16xf32>)
// CHECK-COUNT-9: arith.mulf {{.*}} fastmath<contract> : f32
// CHECK: %[[SCALED:.*]] = linalg.generic {{.*}} ins(%{{.*}}, %{{.*}} : tensor<1x1x1x16xf32>, tensor<1x8x8x16xf32>)
// CHECK: arith.mulf
// CHECK: %[[P:.*]] = linalg.generic {{.*}} ins(%{{.*}}, %[[PROJ]] : tensor<1x64x16xf32>, tensor<16x32xf32>)
// CHECK: tensor.extract_slice %[[P]][0, 0, 0] [1, 64, 24] [1, 1, 1] : tensor<1x64x32xf32> to tensor<1x64x24xf32>
func.func @mobilenet_block(%x: tensor<1x16x8x8xf32>) -> tensor<1x24x1x1xf32> {
  %wd = ds.constant dense<0.1> : tensor<16x1x3x3xf32>
  %w1 = ds.constant dense<0.2> : tensor<16x16x1x1xf32>
  %w2 = ds.constant dense<0.3> : tensor<16x16x1x1xf32>
  %wp = ds.constant dense<0.4> : tensor<24x16x1x1xf32>
  %0 = ds.conv %x, %wd {strides = array<i64: 1, 1>, pads = array<i64: 1, 1, 1, 1>, dilations = array<i64: 1, 1>, group = 16 : i64, activation = #ds.act<hard_swish>} : (tensor<1x16x8x8xf32>, tensor<16x1x3x3xf32>) -> tensor<1x16x8x8xf32>
  %1 = ds.global_average_pool %0 : (tensor<1x16x8x8xf32>) -> tensor<1x16x1x1xf32>
  %2 = ds.conv %1, %w1 {strides = array<i64: 1, 1>, pads = array<i64: 0, 0, 0, 0>, dilations = array<i64: 1, 1>, activation = #ds.act<relu>} : (tensor<1x16x1x1xf32>, tensor<16x16x1x1xf32>) -> tensor<1x16x1x1xf32>
  %3 = ds.conv %2, %w2 {strides = array<i64: 1, 1>, pads = array<i64: 0, 0, 0, 0>, dilations = array<i64: 1, 1>, activation = #ds.act<hard_sigmoid, alpha = 0.2, beta = 0.5>} : (tensor<1x16x1x1xf32>, tensor<16x16x1x1xf32>) -> tensor<1x16x1x1xf32>
  %4 = ds.mul %3, %0 : (tensor<1x16x1x1xf32>, tensor<1x16x8x8xf32>) -> tensor<1x16x8x8xf32>
  %5 = ds.conv %4, %wp {strides = array<i64: 1, 1>, pads = array<i64: 0, 0, 0, 0>, dilations = array<i64: 1, 1>} : (tensor<1x16x8x8xf32>, tensor<24x16x1x1xf32>) -> tensor<1x24x8x8xf32>
  %6 = ds.global_average_pool %5 : (tensor<1x24x8x8xf32>) -> tensor<1x24x1x1xf32>
  return %6 : tensor<1x24x1x1xf32>
}

// -----

// Grouped convolutions that are not depthwise keep the function NCHW.
// CHECK-LABEL: func.func @grouped
// CHECK-NOT: linalg.transpose
func.func @grouped(%x: tensor<1x16x8x8xf32>, %w: tensor<16x8x3x3xf32>) -> tensor<1x16x1x1xf32> {
  %0 = ds.conv %x, %w {strides = array<i64: 1, 1>, pads = array<i64: 1, 1, 1, 1>, dilations = array<i64: 1, 1>, group = 2 : i64} : (tensor<1x16x8x8xf32>, tensor<16x8x3x3xf32>) -> tensor<1x16x8x8xf32>
  %1 = ds.global_average_pool %0 : (tensor<1x16x8x8xf32>) -> tensor<1x16x1x1xf32>
  return %1 : tensor<1x16x1x1xf32>
}

// -----

// 120 output channels: zero weight columns up to 128 (two whole vectors per
// step; 8 more columns is at most 1/8 of 120), the product sliced back.
// CHECK-LABEL: func.func @wide_padding
// CHECK: arith.constant dense_resource<nhwc_weight> : tensor<16x128xf32>
// CHECK: tensor.extract_slice %{{.*}}[0, 0, 0] [1, 64, 120] [1, 1, 1] : tensor<1x64x128xf32> to tensor<1x64x120xf32>
func.func @wide_padding(%x: tensor<1x16x8x8xf32>) -> tensor<1x120x1x1xf32> {
  %w = ds.constant dense<0.5> : tensor<120x16x1x1xf32>
  %0 = ds.conv %x, %w {strides = array<i64: 1, 1>, pads = array<i64: 0, 0, 0, 0>, dilations = array<i64: 1, 1>} : (tensor<1x16x8x8xf32>, tensor<120x16x1x1xf32>) -> tensor<1x120x8x8xf32>
  %1 = ds.global_average_pool %0 : (tensor<1x120x8x8xf32>) -> tensor<1x120x1x1xf32>
  return %1 : tensor<1x120x1x1xf32>
}
