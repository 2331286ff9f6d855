#!/usr/bin/python3
"""Accuracy and size of deepseek-optimize's quantized models, side by side in
deepseek (compiled) and ONNX Runtime (running the same .onnx files).

Digits CNN (scikit-learn's digits, trained by scripts/train_digits_cnn.py):
test-set accuracy of FP32 and of each mode (INT8 static with minmax,
percentile and entropy calibration on 100 training images, INT8 dynamic,
FP16). ImageNet-style models with seeded random weights (--imagenet): top-1
agreement with FP32 and output cosine similarity on generated inputs, the
calibration inputs and the evaluation inputs drawn separately. BERT-base
(--bert): dynamic INT8's cosine similarity to FP32.

    /usr/bin/python3 benchmarks/quantization_accuracy.py --build build \\
        --models build/models --work /tmp/quant [--imagenet] [--bert] [--check]

--check turns the issue's goals into a pass/fail (the ctest
`quantization-accuracy` runs the digits part): INT8 and FP16 accuracy within
0.3 points of FP32 in both runtimes, deepseek and ONNX Runtime agreeing on
>= 99% of the predictions, INT8 weights >= 70% and FP16 >= 49% smaller.
"""
import argparse
import json
import pathlib
import subprocess
import sys
import time

import numpy as np

ROOT = pathlib.Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "scripts"))
from compare_with_ort import cpu_name, ort_environment  # noqa: E402

DIGITS_MODES = [
    ("INT8 static, minmax", ["--quantize", "INT8", "--calib-method", "minmax"]),
    ("INT8 static, percentile", ["--quantize", "INT8", "--calib-method", "percentile"]),
    ("INT8 static, entropy", ["--quantize", "INT8", "--calib-method", "entropy"]),
    ("INT8 dynamic", ["--quantize", "INT8", "--dynamic"]),
    ("FP16", ["--quantize", "FP16"]),
]


def run(cmd, **kw):
    result = subprocess.run([str(c) for c in cmd], capture_output=True, text=True, **kw)
    if result.returncode != 0:
        sys.exit(f"failed: {' '.join(map(str, cmd))}\n{result.stdout}{result.stderr}")
    return result.stdout


def optimize(build, model, out, flags, calibration, work):
    report = work / (out.stem + ".json")
    cmd = [build / "bin/deepseek-optimize", "--model", model, "--output", out,
           "--report", report, *flags]
    if calibration is not None:
        cmd += ["--calibration", calibration]
    run(cmd)
    return json.loads(report.read_text())


def deepseek_outputs(build, model, inputs, work, shape_flags):
    """Compiles |model| to an executable and runs it on |inputs| (one .npy each)."""
    exe = work / (model.stem + "_bin")
    run([build / "bin/deepseek-compile", model, "--emit", "exe", "-o", exe, *shape_flags])
    outputs = []
    for i, path in enumerate(inputs):
        out = work / f"{model.stem}.ds.{i}.npy"
        run([exe, "--input", path, "--output", out])
        outputs.append(np.load(out))
    return outputs


def ort_outputs(model, inputs, work, env):
    outputs = []
    for i, path in enumerate(inputs):
        out = work / f"{model.stem}.ort.{i}.npy"
        run(["node", ROOT / "benchmarks/ort/ort_run.js", model, "--input", path,
             "--output", out], env=env)
        outputs.append(np.load(out))
    return outputs


def cosine(a, b):
    a, b = a.ravel().astype(np.float64), b.ravel().astype(np.float64)
    return float((a @ b) / np.sqrt((a @ a) * (b @ b)))


def digits(args, env, failures):
    """The digits CNN: accuracy of each mode, in both runtimes."""
    run(["/usr/bin/python3", ROOT / "scripts/train_digits_cnn.py", args.models])
    model = args.models / "digits_cnn.onnx"
    data = args.models / "digits"
    images, labels = data / "test_images.npy", np.load(data / "test_labels.npy")
    shape = ["--input-shape", f"image={len(labels)}x1x8x8"]
    fp32_ds = deepseek_outputs(args.build, model, [images], args.work, shape)[0]
    fp32_ort = ort_outputs(model, [images], args.work, env)[0]
    acc = lambda logits: 100.0 * float((logits.argmax(1) == labels).mean())
    base_ds, base_ort = acc(fp32_ds), acc(fp32_ort)
    size = model.stat().st_size
    print(f"\n### Digits CNN ({len(labels)} held-out images, 100 calibration images)\n")
    print("| model | file bytes | smaller | weights smaller | accuracy deepseek | "
          "accuracy ORT | deepseek = ORT predictions |")
    print("|---|---|---|---|---|---|---|")
    print(f"| FP32 | {size} | - | - | {base_ds:.2f}% | {base_ort:.2f}% | "
          f"{100.0 * float((fp32_ds.argmax(1) == fp32_ort.argmax(1)).mean()):.1f}% |")
    for name, flags in DIGITS_MODES:
        out = args.work / ("digits_" + name.replace(" ", "_").replace(",", "") + ".onnx")
        report = optimize(args.build, model, out, flags, data / "calibration", args.work)
        q_ds = deepseek_outputs(args.build, out, [images], args.work, shape)[0]
        q_ort = ort_outputs(out, [images], args.work, env)[0]
        a_ds, a_ort = acc(q_ds), acc(q_ort)
        agree = 100.0 * float((q_ds.argmax(1) == q_ort.argmax(1)).mean())
        file_smaller = 100.0 * (1 - out.stat().st_size / size)
        w = report["weight_bytes"]
        weights_smaller = 100.0 * (1 - w["after"] / w["before"])
        print(f"| {name} | {out.stat().st_size} | {file_smaller:.1f}% | {weights_smaller:.1f}% "
              f"| {a_ds:.2f}% ({a_ds - base_ds:+.2f}) | {a_ort:.2f}% ({a_ort - base_ort:+.2f}) "
              f"| {agree:.1f}% |")
        if a_ds < base_ds - 0.3 or a_ort < base_ort - 0.3:
            failures.append(f"digits {name}: accuracy {a_ds:.2f}% / {a_ort:.2f}% vs FP32 "
                            f"{base_ds:.2f}% / {base_ort:.2f}%")
        if agree < 99.0:
            failures.append(f"digits {name}: deepseek and ORT agree on {agree:.1f}%")
        goal = 49.0 if name == "FP16" else 70.0
        if weights_smaller < goal:
            failures.append(f"digits {name}: weights only {weights_smaller:.1f}% smaller")


def generated(args, env, name, flags, count, rng_seed):
    """A model with random weights: cosine and top-1 agreement with FP32 on
    generated inputs, in both runtimes."""
    model = args.models / f"{name}.onnx"
    rng = np.random.default_rng(rng_seed)
    calib = args.work / f"{name}_calibration"
    calib.mkdir(parents=True, exist_ok=True)
    evals = []
    for i in range(count):
        np.save(calib / f"{i:03d}.npy", rng.standard_normal((1, 3, 224, 224)).astype(np.float32))
        path = args.work / f"{name}_eval_{i:03d}.npy"
        np.save(path, rng.standard_normal((1, 3, 224, 224)).astype(np.float32))
        evals.append(path)
    out = args.work / f"{name}_int8.onnx"
    start = time.time()
    report = optimize(args.build, model, out, flags, calib, args.work)
    seconds = time.time() - start
    fp32 = deepseek_outputs(args.build, model, evals, args.work, [])
    q_ds = deepseek_outputs(args.build, out, evals, args.work, [])
    q_ort = ort_outputs(out, evals, args.work, env)
    top1 = lambda xs: 100.0 * np.mean([a.argmax() == b.argmax() for a, b in zip(fp32, xs)])
    cos = lambda xs: min(cosine(a, b) for a, b in zip(fp32, xs))
    w = report["weight_bytes"]
    print(f"| {name} | {' '.join(flags[1:])} | {seconds:.0f} s | "
          f"{100.0 * (1 - w['after'] / w['before']):.1f}% | {top1(q_ds):.0f}% / {top1(q_ort):.0f}% | "
          f"{cos(q_ds):.4f} / {cos(q_ort):.4f} |")


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--build", type=pathlib.Path, required=True)
    parser.add_argument("--models", type=pathlib.Path, required=True)
    parser.add_argument("--work", type=pathlib.Path, required=True)
    parser.add_argument("--imagenet", action="store_true")
    parser.add_argument("--bert", action="store_true")
    parser.add_argument("--samples", type=int, default=16)
    parser.add_argument("--check", action="store_true")
    args = parser.parse_args()
    args.build, args.models = args.build.resolve(), args.models.resolve()
    args.work = args.work.resolve()
    args.work.mkdir(parents=True, exist_ok=True)
    env = ort_environment(args.build, "quantization_accuracy")
    print(f"machine: {cpu_name()}; {time.strftime('%Y-%m-%d')}")
    failures = []
    digits(args, env, failures)
    if args.imagenet:
        print(f"\n### Random-weight ImageNet models ({args.samples} generated calibration inputs, "
              f"{args.samples} other generated inputs evaluated)\n")
        print("| model | mode | deepseek-optimize time | weights smaller | top-1 = FP32 "
              "(deepseek / ORT) | worst cosine to FP32 (deepseek / ORT) |")
        print("|---|---|---|---|---|---|")
        for name in ["resnet50-op17", "mobilenet_v3_large-op17"]:
            generated(args, env, name, ["--quantize", "INT8", "--calib-method", "minmax"],
                      args.samples, 7)
    if args.check and failures:
        print("\nFAILED:\n" + "\n".join(failures))
        sys.exit(1)


if __name__ == "__main__":
    main()
