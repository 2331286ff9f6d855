#!/usr/bin/python3
"""Writes examples/tiny_cnn.onnx, the small model the README's first command compiles,
and examples/digit_7.npy, the 1x1x8x8 input it runs on (a hand-drawn 7).

A digits-sized classifier (1x8x8 input, 10 classes) with the operators real CNNs
export: Conv, BatchNormalization, Relu, MaxPool, Conv with residual Add,
GlobalAveragePool, Flatten, Gemm, Softmax, and a dynamic batch dimension.
Weights are seeded random numbers, so the file is reproducible byte for byte.

Run with Debian's interpreter (python3-onnx, python3-numpy):
    /usr/bin/python3 examples/make_tiny_cnn.py
"""
import pathlib

import numpy as np
import onnx
from onnx import TensorProto, helper, numpy_helper


def main() -> None:
    rng = np.random.default_rng(seed=20261128)

    def weight(name, *shape, scale=0.3):
        return numpy_helper.from_array((rng.standard_normal(shape) * scale).astype(np.float32), name)

    inits = [
        weight("conv1.weight", 8, 1, 3, 3),
        weight("conv1.bias", 8, scale=0.1),
        numpy_helper.from_array(rng.uniform(0.5, 1.5, 8).astype(np.float32), "bn1.scale"),
        weight("bn1.bias", 8, scale=0.1),
        weight("bn1.mean", 8, scale=0.1),
        numpy_helper.from_array(rng.uniform(0.5, 1.5, 8).astype(np.float32), "bn1.var"),
        weight("conv2.weight", 8, 8, 3, 3, scale=0.15),
        weight("conv2.bias", 8, scale=0.1),
        weight("fc.weight", 10, 8),
        weight("fc.bias", 10, scale=0.1),
    ]
    nodes = [
        helper.make_node("Conv", ["image", "conv1.weight", "conv1.bias"], ["c1"], name="conv1",
                         pads=[1, 1, 1, 1]),
        helper.make_node("BatchNormalization", ["c1", "bn1.scale", "bn1.bias", "bn1.mean", "bn1.var"],
                         ["b1"], name="bn1", epsilon=1e-5),
        helper.make_node("Relu", ["b1"], ["r1"], name="relu1"),
        helper.make_node("MaxPool", ["r1"], ["p1"], name="pool1", kernel_shape=[2, 2], strides=[2, 2]),
        helper.make_node("Conv", ["p1", "conv2.weight", "conv2.bias"], ["c2"], name="conv2",
                         pads=[1, 1, 1, 1]),
        helper.make_node("Add", ["c2", "p1"], ["s2"], name="residual"),
        helper.make_node("Relu", ["s2"], ["r2"], name="relu2"),
        helper.make_node("GlobalAveragePool", ["r2"], ["g"], name="gap"),
        helper.make_node("Flatten", ["g"], ["f"], name="flatten", axis=1),
        helper.make_node("Gemm", ["f", "fc.weight", "fc.bias"], ["logits"], name="fc", transB=1),
        helper.make_node("Softmax", ["logits"], ["probabilities"], name="softmax", axis=1),
    ]
    graph = helper.make_graph(
        nodes, "tiny_cnn",
        [helper.make_tensor_value_info("image", TensorProto.FLOAT, ["N", 1, 8, 8])],
        [helper.make_tensor_value_info("probabilities", TensorProto.FLOAT, ["N", 10])],
        inits)
    model = helper.make_model(graph, opset_imports=[helper.make_opsetid("", 13)],
                              producer_name="deepseek/examples/make_tiny_cnn.py")
    model.ir_version = 8
    onnx.checker.check_model(model)
    out = pathlib.Path(__file__).with_name("tiny_cnn.onnx")
    onnx.save(model, str(out))
    print(f"wrote {out} ({out.stat().st_size} bytes)")

    seven = np.array([[0, 0, 0, 0, 0, 0, 0, 0],
                      [0, 1, 1, 1, 1, 1, 1, 0],
                      [0, 0, 0, 0, 0, 1, 1, 0],
                      [0, 0, 0, 0, 1, 1, 0, 0],
                      [0, 0, 0, 1, 1, 0, 0, 0],
                      [0, 0, 0, 1, 1, 0, 0, 0],
                      [0, 0, 1, 1, 0, 0, 0, 0],
                      [0, 0, 0, 0, 0, 0, 0, 0]], dtype=np.float32)
    digit = out.with_name("digit_7.npy")
    np.save(digit, seven.reshape(1, 1, 8, 8))
    print(f"wrote {digit}")


if __name__ == "__main__":
    main()
