// ds.constant holds dense literals and dense_resource weight blobs; the blob bytes
// survive a round trip and printing with elision keeps the text small.
// RUN: deepseek-opt %s | deepseek-opt | FileCheck %s
// RUN: deepseek-opt %s --mlir-elide-resource-strings-if-larger=4 | FileCheck %s --check-prefix=ELIDED

// CHECK-LABEL: func.func @weights
func.func @weights() -> (tensor<2x2xf32>, tensor<2xi64>, tensor<4xf32>) {
  // CHECK: ds.constant dense_resource<conv_weight> : tensor<2x2xf32>
  %w = ds.constant dense_resource<conv_weight> : tensor<2x2xf32>
  // CHECK: ds.constant dense<[1, 2048]> : tensor<2xi64>
  %s = ds.constant dense<[1, 2048]> : tensor<2xi64>
  // CHECK: ds.constant dense<5.000000e-01> : tensor<4xf32>
  %h = ds.constant dense<0.5> : tensor<4xf32>
  return %w, %s, %h : tensor<2x2xf32>, tensor<2xi64>, tensor<4xf32>
}

// CHECK: conv_weight: "0x040000000000803F000000400000404000008040"
// ELIDED: ds.constant dense_resource<conv_weight>
// ELIDED-NOT: 0x040000000000803F
{-#
  dialect_resources: {
    builtin: {
      conv_weight: "0x040000000000803F000000400000404000008040"
    }
  }
#-}
