"""Writes a model whose large initializers meet both halves of the importer's
weight handling (ModelLoader.cpp): a 600-entry int64 vector that shape
inference's data propagation reads (Cast), which must reach libonnx's child
process with its data, and a 64x64 float matrix (16 KiB) that stays in the
parent and must come back attached. Usage: make_large_initializers.py OUT OPSET"""
import sys

import numpy as np
import onnx
from onnx import TensorProto, helper, numpy_helper

out, opset = sys.argv[1], int(sys.argv[2])
pos = numpy_helper.from_array(np.arange(600, dtype=np.int64), "pos")
w = numpy_helper.from_array(np.full((64, 64), 0.5, dtype=np.float32), "w")
x = helper.make_tensor_value_info("x", TensorProto.FLOAT, [600])
m = helper.make_tensor_value_info("m", TensorProto.FLOAT, [1, 64])
z = helper.make_tensor_value_info("z", TensorProto.FLOAT, [600])
mw = helper.make_tensor_value_info("mw", TensorProto.FLOAT, [1, 64])
nodes = [helper.make_node("Cast", ["pos"], ["p"], to=TensorProto.FLOAT),
         helper.make_node("Add", ["x", "p"], ["z"]),
         helper.make_node("MatMul", ["m", "w"], ["mw"])]
model = helper.make_model(helper.make_graph(nodes, "g", [x, m], [z, mw], [pos, w]),
                          opset_imports=[helper.make_opsetid("", opset)])
model.ir_version = 8
onnx.save(model, out)
