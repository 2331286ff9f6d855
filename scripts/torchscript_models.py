#!/usr/bin/python3
"""The TorchScript importer on real-size models (ctest `torchscript-models`).

ResNet-50, MobileNetV3-small/large and SqueezeNet 1.1 traced with torch 1.13
(scripts/make_torchscript_models.py, the same seeded weights as the ONNX
exports of scripts/make_test_models.py):
 1. each `.pt` compiles to an executable whose output on a seeded input
    matches PyTorch's (max|diff| <= 1e-4 * max|ref| + 1e-6, same top-1);
 2. the `.pt` and the `.onnx` export of the same model compile to the same
    number of fused kernels (deepseek-compile --stats);
 3. the seed's edge flow, verbatim: deepseek-optimize --model mobilenet_v3.pt
    --output optimized.pt --prune_ratio 0.4 --quantize INT8, then
    deepseek-cross-compile --input optimized.pt --output arm_binary --target
    armv8; the optimized.pt is ds IR (MLIR bytecode), the armv8 binary runs
    under qemu-aarch64 (where installed) and agrees with the x86-64 build of
    the same optimized.pt.
Prints a table; exits 1 on any failure.

    /usr/bin/python3 scripts/torchscript_models.py --build build \\
        --onnx-models build/models --work /tmp/ts
"""
import argparse
import pathlib
import re
import shutil
import subprocess
import sys

import numpy as np

ROOT = pathlib.Path(__file__).resolve().parent.parent
MODELS = ["resnet50", "mobilenet_v3_small", "mobilenet_v3_large", "squeezenet1_1"]


def run(cmd, cwd=None):
    return subprocess.run([str(c) for c in cmd], capture_output=True, text=True, cwd=cwd)


def kernels(result):
    match = re.search(r"kernels emitted: (\d+)", result.stderr)
    return int(match.group(1)) if match else None


def close(got, ref):
    diff = float(np.max(np.abs(got - ref)))
    bound = 1e-4 * float(np.max(np.abs(ref))) + 1e-6
    return got.shape == ref.shape and diff <= bound and got.argmax() == ref.argmax(), diff


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--build", type=pathlib.Path, required=True)
    parser.add_argument("--onnx-models", type=pathlib.Path, required=True)
    parser.add_argument("--work", type=pathlib.Path, required=True)
    args = parser.parse_args()
    args.build = args.build.resolve()  # the seed flow runs in another folder
    work = args.work.resolve()
    work.mkdir(parents=True, exist_ok=True)
    made = run(["/usr/bin/python3", ROOT / "scripts/make_torchscript_models.py", work / "pt"])
    if made.returncode:
        print(made.stdout + made.stderr)
        return 1
    compiler = args.build / "bin/deepseek-compile"
    failures = []
    print("| model | .pt kernels | .onnx kernels | max abs diff vs PyTorch | top-1 | result |")
    print("|---|---|---|---|---|---|")
    for name in MODELS:
        pt, exe = work / "pt" / f"{name}.pt", work / f"{name}_pt"
        from_pt = run([compiler, pt, "--emit", "exe", "-o", exe, "--stats"])
        from_onnx = run([compiler, args.onnx_models / f"{name}-op17.onnx", "--emit", "obj",
                         "-o", work / f"{name}_onnx.o", "--stats"])
        if from_pt.returncode or from_onnx.returncode:
            failures.append(f"{name}: compile failed: {from_pt.stderr[-400:]}{from_onnx.stderr[-400:]}")
            print(f"| {name} | | | | | compile FAILED |")
            continue
        ran = run([exe, "--input", work / "pt" / f"{name}.input.npy", "--output",
                   work / f"{name}.npy", "--raw"])
        if ran.returncode:
            failures.append(f"{name}: run failed: {ran.stderr[-400:]}")
            print(f"| {name} | | | | | run FAILED |")
            continue
        ok, diff = close(np.load(work / f"{name}.npy"), np.load(work / "pt" / f"{name}.torch.npy"))
        same = kernels(from_pt) == kernels(from_onnx) and kernels(from_pt) is not None
        if not ok:
            failures.append(f"{name}: output differs from PyTorch's (max|diff| {diff:.3g})")
        if not same:
            failures.append(f"{name}: {kernels(from_pt)} kernels from .pt, "
                            f"{kernels(from_onnx)} from .onnx")
        print(f"| {name} | {kernels(from_pt)} | {kernels(from_onnx)} | {diff:.3g} | "
              f"{'same' if ok else 'DIFFERS'} | {'ok' if ok and same else 'FAILED'} |")

    # The seed's commands, verbatim, in a folder holding mobilenet_v3.pt.
    seed = work / "seed"
    shutil.rmtree(seed, ignore_errors=True)
    seed.mkdir()
    shutil.copy(work / "pt/mobilenet_v3_small.pt", seed / "mobilenet_v3.pt")
    optimize = run([args.build / "bin/deepseek-optimize", "--model", "mobilenet_v3.pt",
                    "--output", "optimized.pt", "--prune_ratio", "0.4", "--quantize", "INT8"],
                   cwd=seed)
    cross = run([args.build / "bin/deepseek-cross-compile", "--input", "optimized.pt",
                 "--output", "arm_binary", "--target", "armv8"], cwd=seed)
    print("\nseed flow: deepseek-optimize", "ok" if optimize.returncode == 0 else "FAILED",
          "| deepseek-cross-compile", "ok" if cross.returncode == 0 else "FAILED")
    if optimize.returncode or cross.returncode:
        failures.append("seed flow: " + (optimize.stderr + cross.stderr)[-600:])
    else:
        if "holds deepseek's ds IR as MLIR bytecode" not in optimize.stdout:
            failures.append("deepseek-optimize did not say what optimized.pt holds")
        if not (seed / "optimized.pt").read_bytes().startswith(b"ML\xefR"):
            failures.append("optimized.pt is not MLIR bytecode")
        x86 = run([compiler, seed / "optimized.pt", "--emit", "exe", "-o", seed / "x86_binary"])
        image = work / "pt/mobilenet_v3_small.input.npy"
        ran = run([seed / "x86_binary", "--input", image, "--output", seed / "x86.npy", "--raw"])
        if x86.returncode or ran.returncode:
            failures.append("x86-64 build of optimized.pt: " + (x86.stderr + ran.stderr)[-400:])
        elif shutil.which("qemu-aarch64"):
            arm = run(["qemu-aarch64", seed / "arm_binary", "--input", image, "--output",
                       seed / "arm.npy", "--raw"])
            if arm.returncode:
                failures.append("arm_binary under qemu: " + arm.stderr[-400:])
            else:
                a, b = np.load(seed / "arm.npy"), np.load(seed / "x86.npy")
                cosine = float(np.dot(a.ravel(), b.ravel()) /
                               (np.linalg.norm(a) * np.linalg.norm(b) + 1e-30))
                print(f"arm_binary (qemu) vs x86-64 build of optimized.pt: cosine {cosine:.5f}, "
                      f"top-1 {'same' if a.argmax() == b.argmax() else 'DIFFERS'}")
                if cosine < 0.999 or a.argmax() != b.argmax():
                    failures.append("arm_binary disagrees with the x86-64 build")
        else:
            print("qemu-aarch64 not installed: arm_binary built, not run")
    for f in failures:
        print("FAIL:", f)
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
