#!/usr/bin/python3
"""Floating-point operations of one inference of an ONNX model, by its products.

Counts 2 FLOPs per multiply-add of Conv (grouped included), ConvTranspose,
Gemm and MatMul nodes, from ONNX shape inference; everything else (activations,
normalizations, pooling, softmax) is left out, as FLOP counts of networks
usually do. `benchmarks/latency_vs_ort.py` divides it by latency.

    /usr/bin/python3 benchmarks/model_flops.py build/models/resnet50-op17.onnx
"""
import math
import sys

import onnx
from onnx import shape_inference


def _shapes(model):
    """Static shape of every value the graph names (inputs, initializers, inferred)."""
    inferred = shape_inference.infer_shapes(model)
    shapes = {}
    graph = inferred.graph
    for value in list(graph.input) + list(graph.value_info) + list(graph.output):
        dims = value.type.tensor_type.shape.dim
        if all(d.HasField("dim_value") for d in dims):
            shapes[value.name] = [d.dim_value for d in dims]
    for init in graph.initializer:
        shapes[init.name] = list(init.dims)
    return shapes


def count_flops(path):
    model = onnx.load(str(path), load_external_data=False)
    shapes = _shapes(model)
    flops = 0
    for node in model.graph.node:
        attrs = {a.name: onnx.helper.get_attribute_value(a) for a in node.attribute}
        if node.op_type in ("Conv", "ConvTranspose"):
            w, y = shapes.get(node.input[1]), shapes.get(node.output[0])
            if not w or not y:
                continue
            if node.op_type == "Conv":
                # y: [N, F, spatial...]; w: [F, C/group, kernel...]
                flops += 2 * math.prod(y) * math.prod(w[1:])
            else:
                x = shapes.get(node.input[0])
                # w: [C, F/group, kernel...]: every input value meets F/group x kernel weights
                flops += 2 * math.prod(x) * math.prod(w[1:]) if x else 0
        elif node.op_type == "Gemm":
            a, y = shapes.get(node.input[0]), shapes.get(node.output[0])
            if not a or not y:
                continue
            k = a[0] if attrs.get("transA", 0) else a[1]
            flops += 2 * math.prod(y) * k
        elif node.op_type == "MatMul":
            a, y = shapes.get(node.input[0]), shapes.get(node.output[0])
            if not a or not y:
                continue
            flops += 2 * math.prod(y) * a[-1]
    return flops


if __name__ == "__main__":
    for p in sys.argv[1:]:
        print(f"{p}: {count_flops(p) / 1e9:.3f} GFLOP")
