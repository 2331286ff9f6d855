#!/usr/bin/python3
"""Writes the external-data test models from examples/tiny_cnn.onnx:

- tiny_cnn_external.onnx + tiny_cnn.weights: every initializer in one side file;
- escaping.onnx: one initializer's location points outside the model's folder;
- missing_file.onnx: one initializer's location names a file that does not exist;
- short_file.onnx: offset/length run past the end of tiny_cnn.weights.
"""
import copy
import pathlib

import onnx
from onnx.external_data_helper import convert_model_to_external_data

here = pathlib.Path(__file__).parent
model = onnx.load(str(here / "../../../../../examples/tiny_cnn.onnx"))
convert_model_to_external_data(model, all_tensors_to_one_file=True,
                               location="tiny_cnn.weights", size_threshold=0)
onnx.save_model(model, str(here / "tiny_cnn_external.onnx"))


def variant(name, key, value):
    m = onnx.load(str(here / "tiny_cnn_external.onnx"), load_external_data=False)
    tensor = m.graph.initializer[0]
    for entry in tensor.external_data:
        if entry.key == key:
            entry.value = value
    with open(here / name, "wb") as f:
        f.write(m.SerializeToString())


variant("escaping.onnx", "location", "../../secret.bin")
variant("missing_file.onnx", "location", "no_such.weights")
variant("short_file.onnx", "offset", "1000000")
