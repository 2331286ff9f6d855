#!/usr/bin/python3
"""Side-by-side latency of deepseek-compiled executables and ONNX Runtime.

For each model: the same seeded inputs as scripts/compare_with_ort.py, the
executable from `deepseek-compile --emit exe` run with `--bench N --threads T`,
and ONNX Runtime (onnxruntime-node, all graph optimizations) through
benchmarks/ort/ort_run.js with the same N and T, in the same run. Prints a
markdown table of medians (ms) and the ratio deepseek / ORT, plus the compile
time of each model.

    /usr/bin/python3 benchmarks/latency_vs_ort.py --build build --models build/models \\
        --work /tmp/bench --runs 10 --threads 1 resnet50-op13 ...
"""
import argparse
import os
import pathlib
import platform
import re
import subprocess
import sys
import time

import numpy as np

ROOT = pathlib.Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "scripts"))
from compare_with_ort import make_inputs  # noqa: E402

BENCH = re.compile(r"median=([0-9.]+) ms min=([0-9.]+) ms max=([0-9.]+) ms")


def bench(cmd, env=None):
    out = subprocess.run(cmd, check=True, capture_output=True, text=True, env=env).stdout
    m = BENCH.search(out)
    if not m:
        sys.exit(f"latency_vs_ort: no bench line from {cmd[0]}: {out}")
    return [float(v) for v in m.groups()]


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--build", type=pathlib.Path, required=True)
    parser.add_argument("--models", type=pathlib.Path, required=True)
    parser.add_argument("--work", type=pathlib.Path, required=True)
    parser.add_argument("--runs", type=int, default=10)
    parser.add_argument("--threads", type=int, default=1)
    parser.add_argument("names", nargs="+")
    args = parser.parse_args()
    args.work.mkdir(parents=True, exist_ok=True)
    env = dict(os.environ,
               ORT_NODE_MODULE=str((args.build / "ort/node_modules/onnxruntime-node").resolve()))
    rng = np.random.default_rng(20261128)
    cpu = next((l.split(":", 1)[1].strip() for l in open("/proc/cpuinfo")
                if l.startswith("model name")), platform.processor())
    print(f"machine: {cpu}, {os.cpu_count()} cores; {time.strftime('%Y-%m-%d')}; "
          f"runs={args.runs} threads={args.threads}\n")
    print("| model | compile (s) | deepseek median (ms) | ORT median (ms) | deepseek / ORT |")
    print("|---|---|---|---|---|")
    for name in args.names:
        model = args.models / f"{name}.onnx"
        inputs, _ = make_inputs(model, args.work, rng)
        in_args = [a for p in inputs for a in ("--input", str(p))]
        exe = args.work / name
        start = time.monotonic()
        subprocess.run([str(args.build / "bin/deepseek-compile"), str(model), "--emit", "exe",
                        "-o", str(exe)], check=True)
        compile_s = time.monotonic() - start
        ours = bench([str(exe), *in_args, "--bench", str(args.runs), "--threads",
                      str(args.threads)])
        ort = bench(["node", str(ROOT / "benchmarks/ort/ort_run.js"), str(model), *in_args,
                     "--bench", str(args.runs), "--threads", str(args.threads)], env=env)
        print(f"| {name} | {compile_s:.1f} | {ours[0]:.1f} | {ort[0]:.1f} | "
              f"{ours[0] / ort[0]:.1f}x |", flush=True)


if __name__ == "__main__":
    main()
