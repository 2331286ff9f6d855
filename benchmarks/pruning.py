#!/usr/bin/python3
"""Structured channel pruning (deepseek-optimize --prune_ratio): what it
removes, what it costs in accuracy and what it gains in speed, in deepseek
(compiled executables) and ONNX Runtime (running the same pruned .onnx files).

Digits CNN (scikit-learn's digits, trained by scripts/train_digits_cnn.py):
test-set accuracy before and after pruning at several ratios, without
fine-tuning, without data and with the removed channels' mean activations
(over 100 calibration images) folded into the next layers' biases, and
pruned + INT8 (static, the same images).

ImageNet-style models with seeded random weights (default MobileNetV3-large,
ResNet-50, SqueezeNet 1.1): parameters, FLOPs and file size before and after
`--prune_ratio R`, the file size of the seed's `--prune_ratio R --quantize
INT8` (dynamic INT8, no calibration data), agreement of the pruned model with
the unpruned one (top-1, cosine) on generated inputs, and with --latency the
latency of original and pruned model in both runtimes, alternately.

    /usr/bin/python3 benchmarks/pruning.py --build build --models build/models \\
        --work /tmp/pruning [--latency] [--check] [names...]

--check (the ctest `pruning`): every pruned model runs in ONNX Runtime and
computes what the original computes with the removed channels zeroed at the
weights that read them (the "masked original", built here with numpy from
the --export-mask file), and it matches deepseek's compiled pruned model (max|diff| <= 1e-4 max|ref| + 1e-5;
pruned + INT8: cosine >= 0.999, same top-1); deepseek and ORT agree on >= 99%
of the digits predictions; MobileNetV3-large and ResNet-50 at 0.4 have >= 55%
fewer parameters and a >= 55% smaller file, >= 85% smaller with INT8.
Latency is measured, never checked (no timed tests).
"""
import argparse
import json
import pathlib
import statistics
import subprocess
import sys
import time

import numpy as np

ROOT = pathlib.Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "scripts"))
sys.path.insert(0, str(ROOT / "benchmarks"))
from compare_with_ort import cpu_name, ort_environment  # noqa: E402
from latency_vs_ort import bench, ensure_models  # noqa: E402
from quantization_accuracy import cosine, deepseek_outputs, ort_outputs, run  # noqa: E402

DEFAULT_MODELS = ["mobilenet_v3_large-op17", "resnet50-op17", "squeezenet1_1-op17"]
GOAL_MODELS = ("mobilenet_v3_large", "resnet50")
DIGITS_RATIOS = [0.2, 0.4, 0.6]


def optimize(build, model, out, flags, work):
    report = work / (out.stem + ".json")
    text = run([build / "bin/deepseek-optimize", "--model", model, "--output", out,
                "--report", report, *flags])
    return json.loads(report.read_text()), text


def masked_model(model, mask_path, out):
    """|model| with the input channels pruning removed zeroed instead (every
    consumer weight's columns for removed channels set to 0, shapes kept).
    A removed channel only reaches the output through such a weight, so this
    model and the pruned one must compute the same: a check of the slicing
    that does not trust the pruning code."""
    import onnx
    from onnx import numpy_helper
    m = onnx.load(str(model))
    inits = {t.name: t for t in m.graph.initializer}
    consumer_axis = {}
    for node in m.graph.node:
        if node.op_type == "Conv" and len(node.input) > 1:
            consumer_axis[node.input[1]] = 1
        elif node.op_type == "Gemm" and len(node.input) > 1:
            trans_b = next((a.i for a in node.attribute if a.name == "transB"), 0)
            consumer_axis[node.input[1]] = 1 if trans_b else 0
        elif node.op_type == "MatMul" and len(node.input) > 1:
            consumer_axis[node.input[1]] = 0
    zeroed = 0
    for entry in json.loads(mask_path.read_text())["initializers"]:
        name, axis = entry["initializer"], entry["axis"]
        if consumer_axis.get(name) != axis or name not in inits:
            continue
        array = numpy_helper.to_array(inits[name]).copy()
        keep = np.zeros(array.shape[axis], bool)
        keep[entry["kept"]] = True
        index = [slice(None)] * array.ndim
        index[axis] = ~keep
        array[tuple(index)] = 0
        inits[name].CopyFrom(numpy_helper.from_array(array, name))
        zeroed += 1
    onnx.save(m, str(out))
    return zeroed


def check_masked(args, env, name, model, pruned, mask, inputs, failures):
    masked = args.work / f"{name}_masked.onnx"
    if masked_model(model, mask, masked) == 0:
        failures.append(f"{name}: the mask names no consumer weight")
        return 0.0
    worst = 0.0
    for ref, got in zip(ort_outputs(masked, inputs, args.work, env),
                        ort_outputs(pruned, inputs, args.work, env)):
        ok, diff = close(ref, got)
        worst = max(worst, diff / float(np.max(np.abs(ref))))
        if not ok:
            failures.append(f"{name}: pruned differs from masked original by {diff:.3g}")
    return worst


def close(ref, got):
    diff = float(np.max(np.abs(ref - got)))
    return diff <= 1e-4 * float(np.max(np.abs(ref))) + 1e-5, diff


def digits(args, env, failures):
    run(["/usr/bin/python3", ROOT / "scripts/train_digits_cnn.py", args.models])
    model = args.models / "digits_cnn.onnx"
    data = args.models / "digits"
    images, labels = data / "test_images.npy", np.load(data / "test_labels.npy")
    shape = ["--input-shape", f"image={len(labels)}x1x8x8"]
    acc = lambda logits: 100.0 * float((logits.argmax(1) == labels).mean())
    base_ds = acc(deepseek_outputs(args.build, model, [images], args.work, shape)[0])
    base_ort = acc(ort_outputs(model, [images], args.work, env)[0])
    print(f"\n### Digits CNN ({len(labels)} held-out images; no fine-tuning)\n")
    print("| model | parameters | file bytes | accuracy deepseek | accuracy ORT | "
          "deepseek = ORT predictions |")
    print("|---|---|---|---|---|---|")
    params = None
    calibration = ["--calibration", str(data / "calibration")]
    variants = [(f"pruned {r}", ["--prune_ratio", str(r)]) for r in DIGITS_RATIOS]
    variants += [(f"pruned {r}, means compensated", ["--prune_ratio", str(r), *calibration])
                 for r in DIGITS_RATIOS]
    variants.append(("pruned 0.4, means compensated, + INT8 static",
                     ["--prune_ratio", "0.4", "--quantize", "INT8", *calibration]))
    rows = []
    for name, flags in variants:
        out = args.work / ("digits_" + "".join(ch if ch.isalnum() or ch == "." else "_"
                                               for ch in name) + ".onnx")
        mask = args.work / (out.stem + ".mask.json")
        report, _ = optimize(args.build, model, out, [*flags, "--eval-samples", "0",
                                                      "--latency-runs", "0",
                                                      "--export-mask", mask], args.work)
        if "--calibration" not in flags:
            check_masked(args, env, out.stem, model, out, mask, [images], failures)
        params = report["parameters"]
        p_ds = deepseek_outputs(args.build, out, [images], args.work, shape)[0]
        p_ort = ort_outputs(out, [images], args.work, env)[0]
        agree = 100.0 * float((p_ds.argmax(1) == p_ort.argmax(1)).mean())
        rows.append((name, params["after"], out.stat().st_size, acc(p_ds), acc(p_ort), agree))
        if agree < 99.0:
            failures.append(f"digits {name}: deepseek and ORT agree on {agree:.1f}%")
    print(f"| FP32 | {params['before']} | {model.stat().st_size} | {base_ds:.2f}% | "
          f"{base_ort:.2f}% | - |")
    for name, p, size, a_ds, a_ort, agree in rows:
        print(f"| {name} | {p} | {size} | {a_ds:.2f}% ({a_ds - base_ds:+.2f}) | "
              f"{a_ort:.2f}% ({a_ort - base_ort:+.2f}) | {agree:.1f}% |")


def generated_inputs(work, name, count, seed):
    rng = np.random.default_rng(seed)
    paths = []
    for i in range(count):
        path = work / f"{name}_input_{i:02d}.npy"
        np.save(path, rng.standard_normal((1, 3, 224, 224)).astype(np.float32))
        paths.append(path)
    return paths


def imagenet(args, env, failures):
    print(f"\n### ImageNet-style models (seeded random weights), --prune_ratio {args.ratio}\n")
    print("| model | parameters | FLOPs (G) | file MB | file MB + INT8 | groups pruned | "
          "top-1 agreement | cosine (min) | deepseek = ORT (pruned) | pruned = masked original |")
    print("|---|---|---|---|---|---|---|---|---|---|")
    latency_rows = []
    for name in args.names:
        model = args.models / f"{name}.onnx"
        pruned = args.work / f"{name}_pruned.onnx"
        both = args.work / f"{name}_pruned_int8.onnx"
        mask = args.work / f"{name}_pruned.mask.json"
        report, _ = optimize(args.build, model, pruned,
                             ["--prune_ratio", str(args.ratio), "--eval-samples", "0",
                              "--latency-runs", "0", "--export-mask", mask], args.work)
        optimize(args.build, model, both, ["--prune_ratio", str(args.ratio), "--quantize", "INT8",
                                           "--eval-samples", "0", "--latency-runs", "0"],
                 args.work)
        inputs = generated_inputs(args.work, name, args.samples, 11)
        orig_ort = ort_outputs(model, inputs, args.work, env)
        pr_ort = ort_outputs(pruned, inputs, args.work, env)
        pr_ds = deepseek_outputs(args.build, pruned, inputs, args.work, [])
        both_ort = ort_outputs(both, inputs, args.work, env)
        both_ds = deepseek_outputs(args.build, both, inputs, args.work, [])
        worst = 0.0
        for ref, got in zip(pr_ort, pr_ds):
            ok, diff = close(ref, got)
            worst = max(worst, diff / float(np.max(np.abs(ref))))
            if not ok:
                failures.append(f"{name} pruned: deepseek vs ORT max|diff| {diff:.3g}")
        for ref, got in zip(both_ort, both_ds):
            if cosine(ref, got) < 0.999 or ref.argmax() != got.argmax():
                failures.append(f"{name} pruned+INT8: deepseek vs ORT cosine "
                                f"{cosine(ref, got):.5f}")
        masked_diff = check_masked(args, env, name, model, pruned, mask, inputs[:2], failures)
        top1 = 100.0 * np.mean([a.argmax() == b.argmax() for a, b in zip(orig_ort, pr_ort)])
        cos = min(cosine(a, b) for a, b in zip(orig_ort, pr_ort))
        p, f, g = report["parameters"], report["flops"], report["pruning"]
        size, psize, bsize = (model.stat().st_size, pruned.stat().st_size, both.stat().st_size)
        fewer = lambda before, after: 100.0 * (1 - after / before)
        print(f"| {name} | {p['before'] / 1e6:.2f}M -> {p['after'] / 1e6:.2f}M "
              f"({fewer(p['before'], p['after']):.1f}% fewer) | {f['before'] / 1e9:.2f} -> "
              f"{f['after'] / 1e9:.2f} ({fewer(f['before'], f['after']):.1f}% fewer) | "
              f"{size / 1e6:.1f} -> {psize / 1e6:.1f} ({fewer(size, psize):.1f}% smaller) | "
              f"{bsize / 1e6:.1f} ({fewer(size, bsize):.1f}% smaller) | "
              f"{g['pruned_groups']} of {g['groups']} | {top1:.0f}% | {cos:.3f} | "
              f"max rel diff {worst:.1e} | max rel diff {masked_diff:.1e} |", flush=True)
        if name.split("-op")[0] in GOAL_MODELS and args.ratio == 0.4:
            if fewer(p["before"], p["after"]) < 55 or fewer(size, psize) < 55:
                failures.append(f"{name}: parameters/file not 55% smaller")
            if fewer(size, bsize) < 85:
                failures.append(f"{name}: pruned + INT8 file only {fewer(size, bsize):.1f}% "
                                "smaller")
        if args.latency:
            latency_rows.append(latency(args, env, name, model, pruned, inputs[0]))
    if latency_rows:
        print(f"\n### Latency, original vs pruned ({args.rounds} rounds x --bench {args.runs}, "
              "alternating; median of round medians [fastest, slowest] in ms)\n")
        print("| model | threads | deepseek original | deepseek pruned | lower | "
              "ORT original | ORT pruned | lower | pruned: deepseek / ORT |")
        print("|---|---|---|---|---|---|---|---|---|")
        for rows in latency_rows:
            for row in rows:
                print(row)


def latency(args, env, name, model, pruned, image):
    exes = {}
    for tag, path in (("orig", model), ("pruned", pruned)):
        exes[tag] = args.work / f"{name}_{tag}_bin"
        run([args.build / "bin/deepseek-compile", path, "--emit", "exe", "-o", exes[tag],
             "--input-shape", "input=1x3x224x224"])
    ort = ["node", str(ROOT / "benchmarks/ort/ort_run.js")]
    rows = []
    for threads in args.threads:
        common = ["--input", str(image), "--bench", str(args.runs), "--threads", str(threads)]
        runs = {k: [] for k in ("ds_o", "ds_p", "ort_o", "ort_p")}
        for _ in range(args.rounds):
            runs["ds_o"].append(bench([str(exes["orig"]), *common]))
            runs["ds_p"].append(bench([str(exes["pruned"]), *common]))
            runs["ort_o"].append(bench([*ort, str(model), *common], env=env))
            runs["ort_p"].append(bench([*ort, str(pruned), *common], env=env))
        med = {k: statistics.median(r[0] for r in v) for k, v in runs.items()}
        cell = {k: f"{med[k]:.1f} [{min(r[1] for r in v):.1f}, {max(r[2] for r in v):.1f}]"
                for k, v in runs.items()}
        lower = lambda a, b: f"{100.0 * (1 - med[b] / med[a]):.1f}%"
        rows.append(f"| {name} | {threads} | {cell['ds_o']} | {cell['ds_p']} | "
                    f"{lower('ds_o', 'ds_p')} | {cell['ort_o']} | {cell['ort_p']} | "
                    f"{lower('ort_o', 'ort_p')} | {med['ds_p'] / med['ort_p']:.2f}x |")
    return rows


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--build", type=pathlib.Path, required=True)
    parser.add_argument("--models", type=pathlib.Path, required=True)
    parser.add_argument("--work", type=pathlib.Path, required=True)
    parser.add_argument("--ratio", type=float, default=0.4)
    parser.add_argument("--samples", type=int, default=8)
    parser.add_argument("--latency", action="store_true")
    parser.add_argument("--runs", type=int, default=10)
    parser.add_argument("--rounds", type=int, default=5)
    parser.add_argument("--threads", type=int, nargs="+", default=[1, 2])
    parser.add_argument("--no-digits", action="store_true")
    parser.add_argument("--check", action="store_true")
    parser.add_argument("names", nargs="*", default=DEFAULT_MODELS)
    args = parser.parse_args()
    args.work.mkdir(parents=True, exist_ok=True)
    ensure_models(args.models, args.names)
    env = ort_environment(args.build, "pruning")
    print(f"machine: {cpu_name()}; {time.strftime('%Y-%m-%d')}")
    failures = []
    if not args.no_digits:
        digits(args, env, failures)
    imagenet(args, env, failures)
    if args.check and failures:
        print("\nFAILED:\n  " + "\n  ".join(failures))
        sys.exit(1)


if __name__ == "__main__":
    main()
