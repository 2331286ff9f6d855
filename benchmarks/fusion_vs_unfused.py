#!/usr/bin/python3
"""Latency of deepseek executables with and without fusion, side by side.

For each model, two executables from the same ONNX file: `fused` (the default
pipeline) and `unfused` (every fusion pass turned off with --disable-pass:
BatchNorm folding, the LayerNorm/GELU/attention recognizers, epilogue fusion
and linalg elementwise fusion; canonicalization, tiling, vectorization and
parallel loops stay on, so the difference is fusion alone). Both run on the
same seeded inputs; their outputs must agree (max|diff| <= 1e-4 * max|ref| +
1e-5) before any timing. Then they run alternately, `--rounds` times each
`--bench N`, at each thread count; the table gives the median of the round
medians, the min and max over rounds, and the speedup unfused / fused.

    /usr/bin/python3 benchmarks/fusion_vs_unfused.py --build build --models build/models \\
        --work /tmp/fusion [--runs 5] [--rounds 5] [--threads 1 2] [MODEL ...]

MODEL defaults to resnet50_bn-op17 (ResNet-50 with its BatchNorms, as exported
without torch's folding), mobilenet_v3_large-op13 and bert_base-op13 (LayerNorm
decomposed). Needs the models from scripts/make_test_models.py.
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
from compare_with_ort import INPUT_SEED, cpu_name, make_inputs  # noqa: E402

BENCH = re.compile(r"median=([0-9.]+) ms")
FUSION_PASSES = ["ds-fold-batch-norm", "ds-recognize-layer-norm", "ds-recognize-activations",
                 "ds-recognize-attention", "ds-fuse-epilogues", "ds-fuse-elementwise"]
DEFAULT_MODELS = ["resnet50_bn-op17", "mobilenet_v3_large-op13", "bert_base-op13"]


def compile_exe(build, model, exe, extra):
    cmd = [str(build / "bin/deepseek-compile"), str(model), "--emit", "exe", "-o", str(exe),
           "--stats", *extra]
    result = subprocess.run(cmd, check=True, capture_output=True, text=True)
    after = re.search(r"ops after graph optimization: (\d+)", result.stderr)
    kernels = re.search(r"kernels emitted: (\d+)", result.stderr)
    return int(after.group(1)), int(kernels.group(1))


def run_outputs(exe, in_args, work, tag, count):
    outs = [work / f"{exe.name}.{tag}.{i}.npy" for i in range(count)]
    subprocess.run([str(exe), *in_args, *[a for p in outs for a in ("--output", str(p))]],
                   check=True, capture_output=True)
    return [np.load(p) for p in outs]


def bench(exe, in_args, runs, threads):
    out = subprocess.run([str(exe), *in_args, "--bench", str(runs), "--threads", str(threads)],
                         check=True, capture_output=True, text=True).stdout
    m = BENCH.search(out)
    if not m:
        sys.exit(f"fusion_vs_unfused: no bench line from {exe}: {out}")
    return float(m.group(1))


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--build", type=pathlib.Path, required=True)
    parser.add_argument("--models", type=pathlib.Path, required=True)
    parser.add_argument("--work", type=pathlib.Path, required=True)
    parser.add_argument("--runs", type=int, default=5, help="inferences per --bench call")
    parser.add_argument("--rounds", type=int, default=5, help="alternating bench calls each")
    parser.add_argument("--threads", type=int, nargs="+", default=[1, 2])
    parser.add_argument("names", nargs="*", default=DEFAULT_MODELS)
    args = parser.parse_args()
    args.work.mkdir(parents=True, exist_ok=True)
    rng = np.random.default_rng(INPUT_SEED)
    cpu = cpu_name()
    print(f"machine: {cpu}, {os.cpu_count()} cores; {time.strftime('%Y-%m-%d')}; "
          f"runs={args.runs} rounds={args.rounds}\n")
    print("| model | threads | ops fused / unfused | kernels fused / unfused | "
          "fused median (ms) [min, max] | unfused median (ms) [min, max] | speedup |")
    print("|---|---|---|---|---|---|---|")
    failed = False
    for name in args.names:
        model = args.models / f"{name}.onnx"
        inputs, outputs = make_inputs(model, args.work, rng)
        in_args = [a for p in inputs for a in ("--input", str(p))]
        fused, unfused = args.work / f"{name}.fused", args.work / f"{name}.unfused"
        disable = [a for p in FUSION_PASSES for a in ("--disable-pass", p)]
        ops_f, kernels_f = compile_exe(args.build, model, fused, [])
        ops_u, kernels_u = compile_exe(args.build, model, unfused, disable)
        # Same answers first: a fast wrong kernel is no result.
        n_out = len(outputs)
        for i, (a, b) in enumerate(zip(run_outputs(fused, in_args, args.work, "f", n_out),
                                       run_outputs(unfused, in_args, args.work, "u", n_out))):
            diff = float(np.max(np.abs(a.astype(np.float64) - b)))
            bound = 1e-4 * float(np.max(np.abs(b))) + 1e-5
            if diff > bound:
                print(f"{name}: output {i} differs, max|diff| {diff:.3g} > {bound:.3g}")
                failed = True
        for threads in args.threads:
            bench(fused, in_args, 1, threads)  # warm-up
            bench(unfused, in_args, 1, threads)
            times = {"f": [], "u": []}
            for _ in range(args.rounds):
                times["f"].append(bench(fused, in_args, args.runs, threads))
                times["u"].append(bench(unfused, in_args, args.runs, threads))
            f, u = statistics.median(times["f"]), statistics.median(times["u"])
            print(f"| {name} | {threads} | {ops_f} / {ops_u} | {kernels_f} / {kernels_u} | "
                  f"{f:.1f} [{min(times['f']):.1f}, {max(times['f']):.1f}] | "
                  f"{u:.1f} [{min(times['u']):.1f}, {max(times['u']):.1f}] | {u / f:.2f}x |",
                  flush=True)
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
