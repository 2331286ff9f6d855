// RUN: deepseek-opt %s -split-input-file -verify-diagnostics -ds-prune-channels="ratio=1.0"

// A ratio of 1 would remove every channel.
// expected-error @+1 {{ds-prune-channels: ratio must be in [0, 1) and granularity >= 1 (got 1.00, 8)}}
func.func @all(%x: tensor<1x4xf32>) -> tensor<1x4xf32> {
  return %x : tensor<1x4xf32>
}
