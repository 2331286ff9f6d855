#!/usr/bin/python3
"""Compiles real-size models to executables and checks them against ONNX Runtime.

For each model: seeded random inputs shaped from the model's graph inputs (ids in
range for int64 inputs, a padding mask for `attention_mask`), a reference run with
ONNX Runtime (benchmarks/ort/ort_run.js on onnxruntime-node), `deepseek-compile
--emit exe`, a run of the executable, and the check the issue asks for:
max |diff| <= 1e-4 * max |ref| + 1e-5 for every output. Prints one line per model
(with the compile time) and exits 1 if any model fails.

    /usr/bin/python3 scripts/compare_with_ort.py --build build --models build/models \\
        --work /tmp/cmp resnet50-op13 bert_base-op17 ...
"""
import argparse
import os
import pathlib
import platform
import subprocess
import sys
import time

import numpy as np
import onnx

ROOT = pathlib.Path(__file__).resolve().parent.parent
NP_TYPES = {1: np.float32, 7: np.int64, 6: np.int32, 9: np.bool_}


# The seed of every comparison and benchmark input (make_inputs' rng).
INPUT_SEED = 20261128


def ort_environment(build, tool):
    """The environment in which benchmarks/ort/ort_run.js finds onnxruntime-node."""
    ort_module = (build / "ort/node_modules/onnxruntime-node").resolve()
    if not ort_module.exists():
        sys.exit(f"{tool}: {ort_module} is missing (scripts/setup.sh installs it)")
    return dict(os.environ, ORT_NODE_MODULE=str(ort_module))


def cpu_name():
    """The CPU model, as the benchmark tables name the machine."""
    return next((l.split(":", 1)[1].strip() for l in open("/proc/cpuinfo")
                 if l.startswith("model name")), platform.processor())


def make_inputs(model_path, work, rng):
    model = onnx.load(str(model_path), load_external_data=False)
    initializers = {i.name for i in model.graph.initializer}
    paths = []
    for value in model.graph.input:
        if value.name in initializers:
            continue
        t = value.type.tensor_type
        shape = [d.dim_value if d.dim_value > 0 else 1 for d in t.shape.dim]
        dtype = NP_TYPES[t.elem_type]
        if dtype == np.float32:
            data = rng.standard_normal(shape).astype(np.float32)
        elif value.name == "attention_mask":
            data = np.ones(shape, dtype)
            data[..., shape[-1] * 3 // 4:] = 0
        elif value.name == "token_type_ids":
            data = (np.arange(shape[-1]) >= shape[-1] // 2).astype(dtype) * np.ones(shape, dtype)
        else:
            data = rng.integers(0, 1000, shape).astype(dtype)
        path = work / f"{model_path.stem}.{value.name}.npy"
        np.save(path, data)
        paths.append(path)
    return paths, [o.name for o in model.graph.output]


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--build", type=pathlib.Path, required=True)
    parser.add_argument("--models", type=pathlib.Path, required=True)
    parser.add_argument("--work", type=pathlib.Path, required=True)
    parser.add_argument("--compile-arg", action="append", default=[],
                        help="extra deepseek-compile argument (repeatable), e.g. "
                             "--compile-arg=--sanitize --compile-arg=address")
    parser.add_argument("names", nargs="+")
    args = parser.parse_args()
    args.work.mkdir(parents=True, exist_ok=True)
    env = ort_environment(args.build, "compare_with_ort")
    rng = np.random.default_rng(INPUT_SEED)
    failures = 0
    for name in args.names:
        model = args.models / f"{name}.onnx"
        inputs, outputs = make_inputs(model, args.work, rng)
        refs = [args.work / f"{name}.ref{i}.npy" for i in range(len(outputs))]
        outs = [args.work / f"{name}.out{i}.npy" for i in range(len(outputs))]
        in_args = [a for p in inputs for a in ("--input", str(p))]
        subprocess.run(["node", str(ROOT / "benchmarks/ort/ort_run.js"), str(model), *in_args,
                        *[a for p in refs for a in ("--output", str(p))]], check=True, env=env)
        exe = args.work / name
        start = time.monotonic()
        subprocess.run([str(args.build / "bin/deepseek-compile"), str(model), "--emit", "exe",
                        "-o", str(exe), *args.compile_arg], check=True)
        compile_s = time.monotonic() - start
        run = subprocess.run([str(exe), *in_args,
                              *[a for p in outs for a in ("--output", str(p))]],
                             stderr=subprocess.PIPE, text=True)
        # A sanitizer report goes to stderr; the run must be clean, not only succeed.
        if run.returncode != 0 or "Sanitizer" in run.stderr:
            print(f"FAIL {name}: the executable failed (exit {run.returncode}):\n{run.stderr}",
                  flush=True)
            failures += 1
            continue
        ok = True
        worst = ""
        for ref_path, out_path, out_name in zip(refs, outs, outputs):
            ref, out = np.load(ref_path), np.load(out_path)
            if ref.shape != out.shape:
                ok, worst = False, f"{out_name}: shape {out.shape} != {ref.shape}"
                continue
            diff = float(np.max(np.abs(ref.astype(np.float64) - out)))
            scale = float(np.max(np.abs(ref)))
            bound = 1e-4 * scale + 1e-5
            # The bound; when the outputs are small its atol dominates, so
            # the relative error is also held to 1e-4 of the largest reference value.
            rel = diff / scale if scale > 0 else diff
            worst += (f"{out_name}: max|diff| {diff:.3g} (bound {bound:.3g}), "
                      f"relative {rel:.2g} ")
            ok &= diff <= bound and rel <= 1e-4
        failures += not ok
        print(f"{'PASS' if ok else 'FAIL'} {name}: {worst}compile {compile_s:.1f} s", flush=True)
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
