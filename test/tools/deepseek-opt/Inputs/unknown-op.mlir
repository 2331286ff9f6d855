func.func @f(%x: tensor<4xf32>) {
  %0 = ds.frobnicate %x : tensor<4xf32>
  return
}
