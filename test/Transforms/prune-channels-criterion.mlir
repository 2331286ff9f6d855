// RUN: deepseek-opt %s -verify-diagnostics -ds-prune-channels="ratio=0.5 criterion=l3"

// expected-error @+1 {{ds-prune-channels: criterion 'l3' is not l1 or l2}}
func.func @criterion(%x: tensor<1x4xf32>) -> tensor<1x4xf32> {
  return %x : tensor<1x4xf32>
}
