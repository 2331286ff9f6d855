#!/usr/bin/python3
"""Side-by-side latency of deepseek-compiled executables and ONNX Runtime.

One command for issue 7's table: exports any missing model with
scripts/make_test_models.py (torchvision architectures, seeded weights),
compiles each with `deepseek-compile --emit exe`, and runs the executable and
ONNX Runtime (onnxruntime-node, graph optimization "all", through
benchmarks/ort/ort_run.js) alternately in the same run, `--rounds` times each,
at every `--threads` count. Both warm up with one inference, then time
`--runs` inferences; the table gives the median of the round medians, the
fastest and slowest single inference over all rounds, and the ratio
deepseek / ORT (> 1: deepseek is slower). GFLOP/s divides the model's
multiply-add FLOPs (benchmarks/model_flops.py) by the median; "% peak"
compares it with this machine's FMA ceiling at that thread count, measured by
benchmarks/probe/fma_peak.c in the same run. The inputs are those of
scripts/compare_with_ort.py (same seed).

    /usr/bin/python3 benchmarks/latency_vs_ort.py --build build --models build/models \\
        --work /tmp/bench [--runs 10] [--rounds 3] [--threads 1 2] [-- MODEL ...]

MODEL defaults to the six of issue 7 (opset 17): ResNet-50, MobileNetV3-small
and -large, SqueezeNet 1.1, BERT-base (seq 128), and ResNet-50 at batch 8.
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
sys.path.insert(0, str(ROOT / "benchmarks"))
from compare_with_ort import INPUT_SEED, cpu_name, make_inputs, ort_environment  # noqa: E402
from model_flops import count_flops  # noqa: E402

DEFAULT_MODELS = ["resnet50-op17", "mobilenet_v3_small-op17", "mobilenet_v3_large-op17",
                  "squeezenet1_1-op17", "bert_base-op17", "resnet50_b8-op17"]
BENCH = re.compile(r"median=([0-9.]+) ms min=([0-9.]+) ms max=([0-9.]+) ms")


def bench(cmd, env=None):
    """[median, min, max] in ms from a `bench:` line."""
    out = subprocess.run(cmd, check=True, capture_output=True, text=True, env=env).stdout
    m = BENCH.search(out)
    if not m:
        sys.exit(f"latency_vs_ort: no bench line from {cmd[0]}: {out}")
    return [float(v) for v in m.groups()]


def fma_ceiling(work, threads):
    """GFLOP/s of the FMA probe at each thread count."""
    probe = work / "fma_peak"
    subprocess.run(["clang-22", "-O2", "-march=native", "-pthread",
                    str(ROOT / "benchmarks/probe/fma_peak.c"), "-o", str(probe)], check=True)
    ceiling = {}
    for t in threads:
        out = subprocess.run([str(probe), str(t)], check=True, capture_output=True,
                             text=True).stdout
        ceiling[t] = float(re.search(r"fma_peak_gflops=([0-9.]+)", out).group(1))
    return ceiling


def ensure_models(models_dir, names):
    """Exports the models that are missing (make_test_models.py skips the others)."""
    missing = [n for n in names if not (models_dir / f"{n}.onnx").exists()]
    by_opset = {}
    for name in missing:
        base, opset = name.rsplit("-op", 1)
        by_opset.setdefault(int(opset), []).append(base)
    for opset, bases in by_opset.items():
        subprocess.run(["/usr/bin/python3", str(ROOT / "scripts/make_test_models.py"),
                        str(models_dir), "--only", *bases, "--opsets", str(opset)], check=True)


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--build", type=pathlib.Path, required=True)
    parser.add_argument("--models", type=pathlib.Path, required=True)
    parser.add_argument("--work", type=pathlib.Path, required=True)
    parser.add_argument("--runs", type=int, default=10)
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--threads", type=int, nargs="+", default=[1, 2])
    parser.add_argument("names", nargs="*", default=DEFAULT_MODELS)
    args = parser.parse_args()
    args.work.mkdir(parents=True, exist_ok=True)
    ensure_models(args.models, args.names)
    env = ort_environment(args.build, "latency_vs_ort")
    rng = np.random.default_rng(INPUT_SEED)
    cpu = cpu_name()
    ceiling = fma_ceiling(args.work, args.threads)
    print(f"machine: {cpu}, {os.cpu_count()} cores; {time.strftime('%Y-%m-%d')}; "
          f"runs={args.runs} rounds={args.rounds}; FMA ceiling "
          + ", ".join(f"{ceiling[t]:.0f} GFLOP/s at {t} thread(s)" for t in args.threads) + "\n")
    print("| model | GFLOP | threads | compile (s) | deepseek ms median [min, max] | "
          "ORT ms median [min, max] | deepseek / ORT | deepseek GFLOP/s (% peak) | "
          "ORT GFLOP/s (% peak) |")
    print("|---|---|---|---|---|---|---|---|---|")
    for name in args.names:
        model = args.models / f"{name}.onnx"
        gflop = count_flops(model) / 1e9
        inputs, _ = make_inputs(model, args.work, rng)
        in_args = [a for p in inputs for a in ("--input", str(p))]
        exe = args.work / name
        start = time.monotonic()
        subprocess.run([str(args.build / "bin/deepseek-compile"), str(model), "--emit", "exe",
                        "-o", str(exe)], check=True)
        compile_s = time.monotonic() - start
        for threads in args.threads:
            common = ["--bench", str(args.runs), "--threads", str(threads)]
            ours, ort = [], []
            for _ in range(args.rounds):
                ours.append(bench([str(exe), *in_args, *common]))
                ort.append(bench(["node", str(ROOT / "benchmarks/ort/ort_run.js"), str(model),
                                  *in_args, *common], env=env))

            def summary(rows):
                return (statistics.median(r[0] for r in rows), min(r[1] for r in rows),
                        max(r[2] for r in rows))

            (om, omin, omax), (rm, rmin, rmax) = summary(ours), summary(ort)
            peak = ceiling[threads]
            print(f"| {name} | {gflop:.2f} | {threads} | {compile_s:.1f} | "
                  f"{om:.1f} [{omin:.1f}, {omax:.1f}] | {rm:.1f} [{rmin:.1f}, {rmax:.1f}] | "
                  f"{om / rm:.2f}x | {gflop / om * 1e3:.0f} ({100 * gflop / om * 1e3 / peak:.0f}%) | "
                  f"{gflop / rm * 1e3:.0f} ({100 * gflop / rm * 1e3 / peak:.0f}%) |", flush=True)


if __name__ == "__main__":
    main()
