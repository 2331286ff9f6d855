#!/usr/bin/python3
"""Traces the real-size image models to TorchScript (torch.jit.trace + save),
with the same seeded weights as scripts/make_test_models.py's ONNX exports, and
writes PyTorch's own output on a seeded input next to each.

    /usr/bin/python3 scripts/make_torchscript_models.py OUT_DIR [--only NAME ...]

Writes OUT_DIR/<name>.pt, OUT_DIR/<name>.input.npy (1x3x224x224, seeded) and
OUT_DIR/<name>.torch.npy (the traced module's output on it); skips models whose
three files exist. Needs Debian's python3-torch/torchvision (torch 1.13).
"""
import argparse
import pathlib
import sys

import numpy as np
import torch

sys.path.insert(0, str(pathlib.Path(__file__).resolve().parent))
from make_test_models import MODELS  # noqa: E402

TRACED = ["resnet50", "mobilenet_v3_small", "mobilenet_v3_large", "squeezenet1_1"]


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("out", type=pathlib.Path)
    parser.add_argument("--only", nargs="*", choices=TRACED, default=TRACED)
    args = parser.parse_args()
    args.out.mkdir(parents=True, exist_ok=True)
    for name in args.only:
        pt, inp, ref = (args.out / f"{name}{suffix}" for suffix in (".pt", ".input.npy", ".torch.npy"))
        if pt.exists() and inp.exists() and ref.exists():
            continue
        torch.manual_seed(0)  # as make_test_models.py: the same weights as its ONNX files
        model, (example,), _, _ = MODELS[name]()
        with torch.no_grad():
            traced = torch.jit.trace(model, example)
            x = torch.randn(1, 3, 224, 224, generator=torch.Generator().manual_seed(7))
            expected = traced(x)
        tmp = pt.with_suffix(".pt.tmp")
        traced.save(str(tmp))
        np.save(inp, x.numpy())
        np.save(ref, expected.numpy())
        tmp.rename(pt)
        print(f"{pt} ({pt.stat().st_size / 1e6:.1f} MB)", flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
