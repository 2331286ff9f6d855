// A block needs at least one thread.
// RUN: deepseek-opt %s --ds-gpu-map-parallel-loops=block-size=0 -verify-diagnostics -o /dev/null

// expected-error @below {{block-size must be positive, got 0}}
func.func @bad_block_size() {
  return
}
