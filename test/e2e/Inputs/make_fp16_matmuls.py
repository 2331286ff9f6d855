"""Writes fp16_matmuls.onnx, its input and numpy's outputs into a folder.

FP16 weights as deepseek-optimize --quantize FP16 writes them (float16
initializers behind a Cast to float), in two products the GPU pipeline runs
on tensor cores from sm_80 on, neither a multiple of the 64 x 64 x 16 tile:
MatMul + bias + ReLU with a batch dim ([2,70,40] x [40,100]) and a Gemm
with transB ([140,40] x [33,40]^T). The reference computes as the tensor
cores do: activations rounded to f16, products exact, sums in f32 (in
float64 here, so only the order of the f32 sums differs)."""
import pathlib
import sys

import numpy as np
import onnx
from onnx import TensorProto, helper, numpy_helper

out = pathlib.Path(sys.argv[1])
rng = np.random.default_rng(11)
w = rng.standard_normal((40, 100)).astype(np.float16)
bias = rng.standard_normal((100,)).astype(np.float32)
w2 = rng.standard_normal((33, 40)).astype(np.float16)
shape = np.array([140, 40], dtype=np.int64)
to_float = TensorProto.FLOAT
nodes = [
    helper.make_node("Cast", ["w16"], ["w"], to=to_float),
    helper.make_node("Cast", ["w2_16"], ["w2"], to=to_float),
    helper.make_node("MatMul", ["x", "w"], ["xw"]),
    helper.make_node("Add", ["xw", "bias"], ["xwb"]),
    helper.make_node("Relu", ["xwb"], ["relu"]),
    helper.make_node("Reshape", ["x", "shape"], ["rows"]),
    helper.make_node("Gemm", ["rows", "w2"], ["gemm"], transB=1),
]
graph = helper.make_graph(
    nodes, "fp16_matmuls",
    [helper.make_tensor_value_info("x", TensorProto.FLOAT, [2, 70, 40])],
    [helper.make_tensor_value_info("relu", TensorProto.FLOAT, [2, 70, 100]),
     helper.make_tensor_value_info("gemm", TensorProto.FLOAT, [140, 33])],
    [numpy_helper.from_array(w, "w16"), numpy_helper.from_array(bias, "bias"),
     numpy_helper.from_array(w2, "w2_16"), numpy_helper.from_array(shape, "shape")])
onnx.save(helper.make_model(graph, opset_imports=[helper.make_opsetid("", 17)]),
          out / "fp16_matmuls.onnx")
x = rng.standard_normal((2, 70, 40)).astype(np.float32)
np.save(out / "x.npy", x)
x16 = x.astype(np.float16).astype(np.float64)
relu = np.maximum(x16 @ w.astype(np.float64) + bias, 0)
np.save(out / "relu.npy", relu.astype(np.float32))
np.save(out / "gemm.npy", (x16.reshape(140, 40) @ w2.astype(np.float64).T).astype(np.float32))
# What the CUDA cores would compute (f32 activations): the tensor cores'
# results must be closer to the reference above than to this.
np.save(out / "relu_f32.npy", np.maximum(x @ w.astype(np.float32) + bias, 0))
