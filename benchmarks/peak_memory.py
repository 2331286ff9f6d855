#!/usr/bin/python3
"""Peak resident memory of deepseek-compiled executables and of ONNX Runtime.

For each model: the seeded inputs of scripts/compare_with_ort.py, the executable
from `deepseek-compile --emit exe` (its `--stats` arena sizes are printed too),
and ONNX Runtime (onnxruntime-node, all graph optimizations) through
benchmarks/ort/ort_run.js. Both run one inference plus `--bench N` more at the
same thread count, under GNU time; the figure is its maximum resident set size
(`%M`), the median of `--rounds` alternating rounds. Node.js itself with
onnxruntime-node loaded but no session is measured the same way, so the share
of ORT's figure that is the JavaScript host can be told apart. Prints a markdown
table.

    /usr/bin/python3 benchmarks/peak_memory.py --build build --models build/models \\
        --work /tmp/mem --threads 1 resnet50-op17 ...
"""
import argparse
import os
import pathlib
import re
import statistics
import subprocess
import sys
import time

import numpy as np

ROOT = pathlib.Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "scripts"))
from compare_with_ort import INPUT_SEED, cpu_name, make_inputs, ort_environment  # noqa: E402


def peak_kb(cmd, env=None):
    """Maximum resident set size of |cmd| in KiB (GNU time's %M)."""
    run = subprocess.run(["/usr/bin/time", "-f", "peak_kb=%M", *cmd], capture_output=True,
                         text=True, env=env)
    if run.returncode != 0:
        sys.exit(f"peak_memory: {cmd[0]} failed:\n{run.stderr}")
    return int(re.search(r"peak_kb=(\d+)", run.stderr).group(1))


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--build", type=pathlib.Path, required=True)
    parser.add_argument("--models", type=pathlib.Path, required=True)
    parser.add_argument("--work", type=pathlib.Path, required=True)
    parser.add_argument("--runs", type=int, default=10)
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--threads", type=int, default=1)
    parser.add_argument("names", nargs="+")
    args = parser.parse_args()
    args.work.mkdir(parents=True, exist_ok=True)
    env = ort_environment(args.build, "peak_memory")
    rng = np.random.default_rng(INPUT_SEED)
    host = [peak_kb(["node", "-e", "require(process.env.ORT_NODE_MODULE)"], env)
            for _ in range(args.rounds)]
    host_mb = statistics.median(host) / 1024
    print(f"# {cpu_name()}, {os.cpu_count()} CPUs, {time.strftime('%Y-%m-%d')}, "
          f"threads={args.threads}, runs={args.runs}, rounds={args.rounds}")
    print(f"# node + onnxruntime-node loaded, no session: {host_mb:.0f} MB")
    print("| model | file MB | arena MB (naive) | deepseek peak MB | ORT peak MB | "
          "ORT minus host MB | deepseek / ORT |")
    print("| --- | --- | --- | --- | --- | --- | --- |")
    for name in args.names:
        model = args.models / f"{name}.onnx"
        inputs, _ = make_inputs(model, args.work, rng)
        in_args = [a for p in inputs for a in ("--input", str(p))]
        exe = args.work / name
        stats = subprocess.run([str(args.build / "bin/deepseek-compile"), str(model), "--emit",
                                "exe", "-o", str(exe), "--stats"], check=True,
                               capture_output=True, text=True).stderr
        arena = int(re.search(r"intermediates arena: (\d+)", stats).group(1))
        naive = int(re.search(r"intermediates naive: (\d+)", stats).group(1))
        common = ["--bench", str(args.runs), "--threads", str(args.threads)]
        ds, ort = [], []
        for _ in range(args.rounds):
            ds.append(peak_kb([str(exe), *in_args, *common]))
            ort.append(peak_kb(["node", str(ROOT / "benchmarks/ort/ort_run.js"), str(model),
                                *in_args, *common], env))
        ds_mb, ort_mb = statistics.median(ds) / 1024, statistics.median(ort) / 1024
        print(f"| {name} | {model.stat().st_size / 2**20:.0f} | {arena / 2**20:.1f} "
              f"({naive / 2**20:.1f}) | {ds_mb:.0f} | {ort_mb:.0f} | {ort_mb - host_mb:.0f} | "
              f"{ds_mb / ort_mb:.2f} |", flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
