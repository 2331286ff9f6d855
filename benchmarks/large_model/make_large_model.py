#!/usr/bin/python3
"""Writes big.onnx + big.weights into the current folder: one MatMul whose
24576x24576 f32 weight (2.25 GiB) is ONNX external data, i.e. a model over the
2 GB protobuf limit. Used by hand (docs/import-performance.md):

    /usr/bin/python3 make_large_model.py && deepseek-compile big.onnx --emit mlirbc -o big.mlirbc
"""
import numpy as np, onnx
from onnx import helper, TensorProto
rows, cols = 24576, 24576  # 2.25 GiB of f32
arr = np.memmap("big.weights", dtype=np.float32, mode="w+", shape=(rows, cols))
arr[:, :] = 0.5
arr.flush()
t = TensorProto(name="w", data_type=TensorProto.FLOAT, dims=[rows, cols])
t.data_location = TensorProto.EXTERNAL
for k, v in [("location", "big.weights"), ("offset", "0"), ("length", str(rows * cols * 4))]:
    e = t.external_data.add(); e.key = k; e.value = v
g = helper.make_graph([helper.make_node("MatMul", ["x", "w"], ["y"])], "big",
    [helper.make_tensor_value_info("x", TensorProto.FLOAT, [1, rows])],
    [helper.make_tensor_value_info("y", TensorProto.FLOAT, [1, cols])], [t])
m = helper.make_model(g, opset_imports=[helper.make_opsetid("", 17)])
open("big.onnx", "wb").write(m.SerializeToString())
