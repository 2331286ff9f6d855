#!/usr/bin/python3
"""The run half of scripts/gpu-check.sh, on a machine with an NVIDIA GPU.

With the toolchain gpu-check.sh pack made (TOOL/bin/deepseek-compile,
TOOL/lib, TOOL/testdata):
 1. ONNX backend tests (the carried slice): each compiled for the GPU
    (--target nvptx --emit exe), run on the test's inputs, compared with
    the test's outputs at ONNX's tolerances (rtol 1e-3, atol 1e-7);
 2. real-size models exported with this machine's PyTorch
    (scripts/make_test_models.py, opset 17): compiled for the CPU and for
    the GPU, run on the same seeded inputs, the GPU's outputs compared with
    the CPU's (max|diff| <= 1e-3 * max|ref| + 1e-5), and both timed
    (--bench: medians). ResNet-50 and BERT-base run at batch 1 and 8, in
    FP32 and in FP16 (deepseek-optimize --quantize FP16: weights stored as
    f16; on sm_80 and newer the products run on tensor cores, mma.sync with
    f16 operands and f32 sums, the activations rounded to f16 as they are
    staged; docs/gpu.md). Everything is compiled in parallel first (all
    cores), then run one at a time;
 3. ResNet-50 and BERT-base (FP32, batch 1) on the GPU with 1, 2 and 4
    instances running at once (--bench --instances: a thread and a CUDA
    stream each): throughput against one instance.
 4. the peer: PyTorch eager (cuDNN, cuBLAS) on the same GPU, ResNet-50 and
    BERT-base at batch 1 and 8 in FP32 and FP16 (autocast), same weights
    and shapes.
Prints a markdown report (also to --report) and exits 1 when a comparison
fails. Without a usable GPU the executables say why and every GPU row says
so (the script itself still runs, which is how it is tested without one).
"""
import argparse
import concurrent.futures
import os
import pathlib
import re
import subprocess
import sys
import time

import numpy as np
import onnx
from onnx import numpy_helper

ROOT = pathlib.Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "scripts"))
from compare_with_ort import INPUT_SEED, make_inputs  # noqa: E402

# (exported model, batch); the first four also run in FP16.
MODELS = [("resnet50", 1), ("resnet50_b8", 8), ("bert_base", 1), ("bert_base_b8", 8),
          ("mobilenet_v3_small", 1), ("mobilenet_v3_large", 1), ("squeezenet1_1", 1)]
FP16_MODELS = {"resnet50", "resnet50_b8", "bert_base", "bert_base_b8"}
BENCH_RUNS = 20
# GPU builds timed with 1, 2 and 4 instances at once (--bench --instances: one
# thread and one CUDA stream each).
INSTANCE_MODELS = {("resnet50", "FP32"), ("bert_base", "FP32")}
INSTANCE_COUNTS = [1, 2, 4]


class Report(list):
    """The markdown report, printed and written out line by line, so that a run
    stopped at the device's time limit still leaves what it measured."""

    def __init__(self, path):
        super().__init__()
        self.path = path

    def append(self, line):
        super().append(line)
        print(line, flush=True)
        if self.path:
            self.path.write_text("\n".join(self) + "\n")

    def extend(self, lines):
        for line in lines:
            self.append(line)


def parallel(function, items):
    """function(item) for every item on all cores, results in order."""
    with concurrent.futures.ThreadPoolExecutor(max_workers=os.cpu_count() or 2) as pool:
        return list(pool.map(function, items))


def run(cmd, timeout=600, env=None):
    """Runs cmd (with |env| added to the environment): (result, seconds)."""
    start = time.time()
    result = subprocess.run([str(c) for c in cmd], capture_output=True, text=True,
                            timeout=timeout, env={**os.environ, **env} if env else None)
    return result, time.time() - start


def first_line(text):
    lines = [line for line in text.strip().splitlines() if line.strip()]
    return lines[-1][:160] if lines else ""


def bench_median(output):
    match = re.search(r"median=([0-9.]+) ms", output)
    return float(match.group(1)) if match else None


def compare_outputs(outs, expected):
    """True when every .npy in |outs| matches its ONNX .pb in |expected| (floats
    within rtol 1e-3, atol 1e-7; other types exactly)."""
    for out, ref_path in zip(outs, expected):
        ref = numpy_helper.to_array(onnx.load_tensor(str(ref_path)))
        got = np.load(out)
        if ref.dtype.kind == "f":
            ok = got.shape == ref.shape and np.allclose(got, ref, rtol=1e-3, atol=1e-7,
                                                        equal_nan=True)
        else:
            ok = got.shape == ref.shape and np.array_equal(got, ref)
        if not ok:
            return False
    return True


def compare_with_cpu(gpu_npy, cpu_npy):
    """(max|diff|, max|ref|, close) of a GPU build's output against its CPU
    build's: close when the shapes agree and max|diff| <= 1e-3 max|ref| + 1e-5."""
    a = np.load(gpu_npy).astype(np.float64)
    b = np.load(cpu_npy).astype(np.float64)
    diff, ref = float(np.max(np.abs(a - b))), float(np.max(np.abs(b)))
    return diff, ref, a.shape == b.shape and diff <= 1e-3 * ref + 1e-5


def conformance(tool, work, report):
    compiler = tool / "bin" / "deepseek-compile"
    tests = sorted((tool / "testdata").iterdir()) if (tool / "testdata").exists() else []
    counts = {"pass": 0, "fail": 0, "unsupported": 0, "gpu error": 0}
    failures = []
    (work / "conformance").mkdir(parents=True, exist_ok=True)
    builds = parallel(lambda test: run([compiler, test / "model.onnx", "--target", "nvptx",
                                        "--emit", "exe", "-o", work / "conformance" / test.name],
                                       timeout=120)[0], tests)
    for test, built in zip(tests, builds):
        exe = work / "conformance" / test.name
        if built.returncode != 0:
            counts["unsupported"] += 1
            continue
        status = "pass"
        for data_set in sorted(test.glob("test_data_set_*")):
            inputs = sorted(data_set.glob("input_*.pb"), key=lambda p: int(p.stem.split("_")[1]))
            expected = sorted(data_set.glob("output_*.pb"), key=lambda p: int(p.stem.split("_")[1]))
            outs = [work / "conformance" / f"{test.name}.out{i}.npy" for i in range(len(expected))]
            args = [a for p in inputs for a in ("--input", p)]
            args += [a for p in outs for a in ("--output", p)]
            ran, _ = run([exe, *args], timeout=120)
            if ran.returncode != 0:
                # ONNX's test data stores bfloat16 tensors as uint16 (numpy has no
                # bfloat16); the executables rightly refuse them as inputs.
                # Nor can a .npy file hold a bfloat16 output.
                if ("is uint16, the model expects bfloat16" in ran.stderr or
                        "bfloat16 cannot be stored in a .npy file" in ran.stderr):
                    status = "unsupported"
                    break
                status = "gpu error" if "CUDA" in ran.stderr or "GPU" in ran.stderr else "fail"
                failures.append(f"{test.name}: {first_line(ran.stderr)}")
                break
            if not compare_outputs(outs, expected):
                status = "fail"
                failures.append(f"{test.name}: output differs from the test's reference")
                break
        counts[status] += 1
    report.append(f"## ONNX backend tests on the GPU ({len(tests)} carried)\n")
    report.append(", ".join(f"{k}: {v}" for k, v in counts.items()) + "\n")
    # Failures that are not the GPU being unusable first.
    failures.sort(key=lambda f: "CUDA" in f)
    report.extend(f"- {f}" for f in failures[:40])
    report.append("")
    return counts["fail"] == 0


def models(tool, work, report, args):
    compiler = tool / "bin" / "deepseek-compile"
    optimizer = tool / "bin" / "deepseek-optimize"
    model_dir = work / "models"
    chosen = [(name, batch) for name, batch in MODELS if not args.models or name in args.models]
    names = [name for name, _ in chosen]
    exported, _ = run([sys.executable, ROOT / "scripts" / "make_test_models.py", model_dir,
                       "--only", *names, "--opsets", "17"], timeout=900)
    report.append(f"## Real-size models: GPU ({args.cpu or 'default architecture'}) "
                  "against CPU\n")
    if exported.returncode != 0:
        report.append(f"model export failed: {first_line(exported.stderr)}\n")
        return False
    # A newer PyTorch's exporter stamps a newer IR version than the ONNX
    # library deepseek links checks; opset 17 models are IR 8.
    for path in model_dir.glob("*.onnx"):
        exported_model = onnx.load(path)
        if exported_model.ir_version > 8:
            exported_model.ir_version = 8
            onnx.save(exported_model, path)
    # (label, batch, precision, model file)
    variants = []
    for name, batch in chosen:
        if args.precision in (None, "FP32"):
            variants.append((name, batch, "FP32", model_dir / f"{name}-op17.onnx"))
        if name in FP16_MODELS and args.precision in (None, "FP16"):
            variants.append((name, batch, "FP16", model_dir / f"{name}-op17-fp16.onnx"))
    parallel(lambda v: run([optimizer, "--model", model_dir / f"{v[0]}-op17.onnx",
                            "--output", v[3], "--quantize", "FP16", "--eval-samples", "0",
                            "--latency-runs", "0"], timeout=300),
             [v for v in variants if v[2] == "FP16"])

    def build(job):
        model, exe, gpu = job
        nvptx = ["--target", "nvptx", *(["--cpu", args.cpu] if args.cpu else [])]
        return run([compiler, model, *(nvptx if gpu else []), "--emit", "exe", "-o", exe],
                   timeout=600)[0]

    exes = [(work / f"{name}_{precision}_cpu", work / f"{name}_{precision}_gpu")
            for name, _, precision, _ in variants]
    jobs = [(v[3], exe, gpu) for v, pair in zip(variants, exes) for exe, gpu in
            ((pair[0], False), (pair[1], True))]
    built = iter(parallel(build, jobs))
    report.append("| model | batch | precision | CPU ms (median) | GPU ms (median) | "
                  "max abs diff | max abs ref | result |")
    report.append("|---|---|---|---|---|---|---|---|")
    ok = True
    concurrent = []  # (name, GPU executable, input arguments)
    for (name, batch, precision, model), (cpu, gpu) in zip(variants, exes):
        built_cpu, built_gpu = next(built), next(built)
        row = [name, str(batch), precision]
        if built_cpu.returncode or built_gpu.returncode:
            report.append("| " + " | ".join(row) + " | | | | | compile failed: "
                          f"{first_line(built_cpu.stderr + built_gpu.stderr)} |")
            ok = False
            continue
        rng = np.random.default_rng(INPUT_SEED)
        inputs, _ = make_inputs(model, work, rng)
        in_args = [a for p in inputs for a in ("--input", p)]
        ran_cpu, _ = run([cpu, *in_args, "--output", work / "cpu.npy", "--raw"])
        ran_gpu, _ = run([gpu, *in_args, "--output", work / "gpu.npy", "--raw"])
        if ran_cpu.returncode or ran_gpu.returncode:
            report.append("| " + " | ".join(row) + " | | | | | run failed: "
                          f"{first_line(ran_cpu.stderr + ran_gpu.stderr)} |")
            ok = False
            continue
        diff, ref, close = compare_with_cpu(work / "gpu.npy", work / "cpu.npy")
        ok = ok and close
        bench_cpu, _ = run([cpu, *in_args, "--bench", BENCH_RUNS])
        bench_gpu, _ = run([gpu, *in_args, "--bench", BENCH_RUNS])
        row += [f"{bench_median(bench_cpu.stdout) or '?'}",
                f"{bench_median(bench_gpu.stdout) or '?'}",
                f"{diff:.3g}", f"{ref:.3g}", "match" if close else "DIFFERS"]
        report.append("| " + " | ".join(row) + " |")
        if (name, precision) in INSTANCE_MODELS and close:
            concurrent.append((name, gpu, in_args))
    units = ("warpgroup MMAs (wgmma.mma_async m64n32k16, operands from shared memory)"
             if args.cpu == "sm_90a" else "tensor cores (mma.sync m16n8k16)")
    report.append("\nFP16: weights stored as f16 (deepseek-optimize --quantize FP16); the "
                  f"products run on {units}: f16 operands, f32 sums, activations rounded to "
                  "f16; the rest in f32. Each compared with the CPU build of the same FP16 "
                  "model (f32 activations).\n")
    return instances(concurrent, report) and ok


def instances(concurrent, report):
    """Throughput of 1, 2 and 4 instances of a GPU model running at once."""
    report.append("## Several instances on one GPU\n")
    report.append("| model | instances | runs/s | median ms | runs/s vs 1 instance |")
    report.append("|---|---|---|---|---|")
    ok = True
    for name, gpu, in_args in concurrent:
        single = None
        for count in INSTANCE_COUNTS:
            ran, _ = run([gpu, *in_args, "--bench", BENCH_RUNS, "--instances", str(count)])
            match = re.search(r"throughput=([0-9.]+) runs/s", ran.stdout)
            if ran.returncode or not match:
                report.append(f"| {name} | {count} | run failed: "
                              f"{first_line(ran.stderr)} | | |")
                ok = False
                continue
            throughput = float(match.group(1))
            single = single or throughput
            report.append(f"| {name} | {count} | {throughput:.1f} | "
                          f"{bench_median(ran.stdout) or '?'} | {throughput / single:.2f} |")
    report.append("")
    return ok


def peers(report):
    """PyTorch eager on the same GPU (cuDNN and cuBLAS), the models gpu_check
    builds, same shapes and weights: the peer a GPU user would compare with.
    Inputs are on the device already; medians of BENCH_RUNS after 3 warm-ups."""
    report.append("## Peer: PyTorch eager on the same GPU\n")
    try:
        import torch
        import make_test_models
    except Exception as error:  # noqa: BLE001 - report whatever stops the import
        report.append(f"PyTorch unavailable: {error}\n")
        return
    if not torch.cuda.is_available():
        report.append("PyTorch sees no CUDA device\n")
        return
    report.append(f"torch {torch.__version__}\n")
    report.append("| model | batch | precision | PyTorch ms (median) |")
    report.append("|---|---|---|---|")
    for name, batch in MODELS:
        if name not in FP16_MODELS:
            continue
        model, example, _, _ = make_test_models.MODELS[name]()
        module = model.to("cuda")
        inputs = [x.to("cuda") for x in example]
        for precision in ("FP32", "FP16"):
            # FP16 as PyTorch users run it: autocast (f16 products, f32 sums).
            times = []
            try:
                with torch.inference_mode(), torch.autocast(
                        "cuda", dtype=torch.float16, enabled=precision == "FP16"):
                    for i in range(3 + BENCH_RUNS):
                        torch.cuda.synchronize()
                        start = time.perf_counter()
                        module(*inputs)
                        torch.cuda.synchronize()
                        if i >= 3:
                            times.append((time.perf_counter() - start) * 1e3)
            except Exception as error:  # noqa: BLE001 - a peer failure is reported, not fatal
                report.append(f"| {name} | {batch} | {precision} | failed: {error} |")
                continue
            report.append(f"| {name} | {batch} | {precision} | {np.median(times):.3f} |")
    report.append("")


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--tool", type=pathlib.Path, required=True)
    parser.add_argument("--work", type=pathlib.Path, required=True)
    parser.add_argument("--report", type=pathlib.Path)
    parser.add_argument("--skip-models", action="store_true")
    parser.add_argument("--skip-peers", action="store_true")
    parser.add_argument("--skip-conformance", action="store_true")
    parser.add_argument("--models", nargs="+", choices=[name for name, _ in MODELS],
                        help="only these real-size models")
    parser.add_argument("--precision", choices=["FP32", "FP16"], help="only this precision")
    parser.add_argument("--cpu", help="GPU architecture of the GPU builds (deepseek-compile "
                        "--cpu; sm_90a: FP16 products as warpgroup MMAs)")
    args = parser.parse_args()
    args.work.mkdir(parents=True, exist_ok=True)
    report = Report(args.report)
    report.append(f"# deepseek on the GPU ({time.strftime('%Y-%m-%d %H:%M')})\n")
    start = time.time()
    ok = args.skip_conformance or conformance(args.tool, args.work, report)
    if not args.skip_models:
        ok = models(args.tool, args.work, report, args) and ok
    if not args.skip_peers:
        peers(report)
    report.append(f"total {time.time() - start:.0f} s")
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
