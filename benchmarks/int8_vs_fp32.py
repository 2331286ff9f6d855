#!/usr/bin/python3
"""INT8 latency: deepseek's quantized models against its own FP32 and against
ONNX Runtime running the same quantized .onnx file, in one run.

For each model: deepseek-optimize writes the INT8 model (static QDQ,
calibrated on 8 generated inputs, for the convolution networks; dynamic for
BERT), deepseek compiles the FP32 and the INT8 model, and the four
executables (deepseek FP32, deepseek INT8, ORT FP32, ORT INT8; ORT with graph
optimization "all", which fuses the QDQ groups into its integer kernels) run
alternately, --rounds times each at every thread count, on the same
generated input. Reports medians of the rounds' medians with min/max, the
INT8 speedup over deepseek's FP32, and deepseek INT8 / ORT INT8.

    /usr/bin/python3 benchmarks/int8_vs_fp32.py --build build --models build/models \\
        --work /tmp/int8 [--runs 10] [--rounds 5] [--threads 1 2] [resnet50-op17 ...]
"""
import argparse
import pathlib
import statistics
import subprocess
import sys
import time

import numpy as np

ROOT = pathlib.Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "scripts"))
sys.path.insert(0, str(ROOT / "benchmarks"))
from compare_with_ort import INPUT_SEED, cpu_name, make_inputs, ort_environment  # noqa: E402
from latency_vs_ort import bench, ensure_models  # noqa: E402

DEFAULT_MODELS = ["resnet50-op17", "bert_base-op17"]


def quantize(args, name, model):
    """The INT8 model deepseek-optimize writes (kept between runs)."""
    out = args.work / f"{name}_int8.onnx"
    if out.exists():
        return out
    cmd = [str(args.build / "bin/deepseek-optimize"), "--model", str(model), "--output", str(out),
           "--quantize", "INT8"]
    if not name.startswith("bert"):
        calib = args.work / f"{name}_calibration"
        calib.mkdir(parents=True, exist_ok=True)
        rng = np.random.default_rng(7)
        for i in range(8):
            np.save(calib / f"{i:03d}.npy", rng.standard_normal((1, 3, 224, 224)).astype(np.float32))
        cmd += ["--calibration", str(calib), "--eval-samples", "0"]
    else:
        cmd += ["--dynamic"]
    subprocess.run(cmd, check=True, capture_output=True)
    return out


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--build", type=pathlib.Path, required=True)
    parser.add_argument("--models", type=pathlib.Path, required=True)
    parser.add_argument("--work", type=pathlib.Path, required=True)
    parser.add_argument("--runs", type=int, default=10)
    parser.add_argument("--rounds", type=int, default=5)
    parser.add_argument("--threads", type=int, nargs="+", default=[1, 2])
    parser.add_argument("names", nargs="*", default=DEFAULT_MODELS)
    args = parser.parse_args()
    args.work.mkdir(parents=True, exist_ok=True)
    ensure_models(args.models, args.names)
    env = ort_environment(args.build, "int8_vs_fp32")
    rng = np.random.default_rng(INPUT_SEED)
    print(f"machine: {cpu_name()}; {time.strftime('%Y-%m-%d')}; runs={args.runs} "
          f"rounds={args.rounds}\n")
    print("| model | threads | deepseek FP32 ms | deepseek INT8 ms | ORT FP32 ms | ORT INT8 ms "
          "| INT8 speedup (deepseek) | deepseek INT8 / ORT INT8 |")
    print("|---|---|---|---|---|---|---|---|")
    for name in args.names:
        fp32 = args.models / f"{name}.onnx"
        int8 = quantize(args, name, fp32)
        inputs, _ = make_inputs(fp32, args.work, rng)
        in_args = [a for p in inputs for a in ("--input", str(p))]
        exes = {}
        for tag, model in (("fp32", fp32), ("int8", int8)):
            exes[tag] = args.work / f"{name}_{tag}_bin"
            subprocess.run([str(args.build / "bin/deepseek-compile"), str(model), "--emit", "exe",
                            "-o", str(exes[tag])], check=True)
        ort = ["node", str(ROOT / "benchmarks/ort/ort_run.js")]
        for threads in args.threads:
            common = ["--bench", str(args.runs), "--threads", str(threads)]
            runs = {k: [] for k in ("ds32", "ds8", "ort32", "ort8")}
            for _ in range(args.rounds):
                runs["ds32"].append(bench([str(exes["fp32"]), *in_args, *common]))
                runs["ds8"].append(bench([str(exes["int8"]), *in_args, *common]))
                runs["ort32"].append(bench([*ort, str(fp32), *in_args, *common], env=env))
                runs["ort8"].append(bench([*ort, str(int8), *in_args, *common], env=env))
            med = {k: statistics.median(r[0] for r in v) for k, v in runs.items()}
            cell = {k: f"{med[k]:.1f} [{min(r[1] for r in v):.1f}, {max(r[2] for r in v):.1f}]"
                    for k, v in runs.items()}
            print(f"| {name} | {threads} | {cell['ds32']} | {cell['ds8']} | {cell['ort32']} | "
                  f"{cell['ort8']} | {med['ds32'] / med['ds8']:.2f}x | "
                  f"{med['ds8'] / med['ort8']:.2f}x |", flush=True)


if __name__ == "__main__":
    main()
