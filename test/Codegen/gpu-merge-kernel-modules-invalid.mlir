// The merged module's name must be free.
// RUN: deepseek-opt %s --ds-gpu-merge-kernel-modules=symbol=net -verify-diagnostics -o /dev/null

// expected-error @below {{a symbol named 'net_kernels' already exists}}
module attributes {gpu.container_module} {
  func.func private @net_kernels()
  gpu.module @main_kernel {
    gpu.func @main_kernel() kernel {
      gpu.return
    }
  }
}
