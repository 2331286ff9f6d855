"""Writes tiled_matmuls.onnx, its input and numpy's outputs into a folder.

Three products the GPU pipeline tiles in shared memory
(ds-gpu-tile-contractions), none a multiple of the 64 x 64 x 16 tile:
MatMul + bias + ReLU with a batch dim ([2,70,24] x [24,100]), a Gemm with
transB (the right-hand side read k-contiguous: [140,24] x [33,24]^T), and a
batched product of two activations ([2,70,24] x [2,24,70])."""
import pathlib
import sys

import numpy as np
import onnx
from onnx import TensorProto, helper, numpy_helper

out = pathlib.Path(sys.argv[1])
rng = np.random.default_rng(7)
w = rng.standard_normal((24, 100)).astype(np.float32)
bias = rng.standard_normal((100,)).astype(np.float32)
w2 = rng.standard_normal((33, 24)).astype(np.float32)
shape = np.array([140, 24], dtype=np.int64)
nodes = [
    helper.make_node("MatMul", ["x", "w"], ["xw"]),
    helper.make_node("Add", ["xw", "bias"], ["xwb"]),
    helper.make_node("Relu", ["xwb"], ["relu"]),
    helper.make_node("Reshape", ["x", "shape"], ["rows"]),
    helper.make_node("Gemm", ["rows", "w2"], ["gemm"], transB=1),
    helper.make_node("Transpose", ["x"], ["xt"], perm=[0, 2, 1]),
    helper.make_node("MatMul", ["x", "xt"], ["gram"]),
]
graph = helper.make_graph(
    nodes, "tiled_matmuls",
    [helper.make_tensor_value_info("x", TensorProto.FLOAT, [2, 70, 24])],
    [helper.make_tensor_value_info("relu", TensorProto.FLOAT, [2, 70, 100]),
     helper.make_tensor_value_info("gemm", TensorProto.FLOAT, [140, 33]),
     helper.make_tensor_value_info("gram", TensorProto.FLOAT, [2, 70, 70])],
    [numpy_helper.from_array(w, "w"), numpy_helper.from_array(bias, "bias"),
     numpy_helper.from_array(w2, "w2"), numpy_helper.from_array(shape, "shape")])
onnx.save(helper.make_model(graph, opset_imports=[helper.make_opsetid("", 17)]),
          out / "tiled_matmuls.onnx")
x = rng.standard_normal((2, 70, 24)).astype(np.float32)
np.save(out / "x.npy", x)
np.save(out / "relu.npy", np.maximum(x @ w + bias, 0))
np.save(out / "gemm.npy", x.reshape(140, 24) @ w2.T)
np.save(out / "gram.npy", x @ x.transpose(0, 2, 1))
