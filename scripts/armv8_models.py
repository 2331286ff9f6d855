#!/usr/bin/python3
"""Real models as static armv8 executables, run under qemu-aarch64.

For each model: `deepseek-cross-compile` (Cortex-A72, NEON) to one static
aarch64 ELF, a run under qemu-user on seeded inputs, and the x86-64 build
of the same model (`deepseek-compile --emit exe`) on the same inputs. FP32
outputs must agree within max|diff| <= 1e-4 * max|ref| + 1e-5 (the two
targets round FMAs and vector sums in different orders); INT8 outputs
(static QDQ, signed activations as deepseek-optimize --target armv8 writes
them) within cosine >= 0.999 and the same top-1 class. "int8-dotprod" builds
the INT8 model for a CPU with the dotprod extension (--features +dotprod):
its convolutions become s8 x s8 `sdot` kernels (the disassembly must contain
sdot; qemu-user's default CPU executes it), compared with the x86-64 build
the same way. Plain "int8" (Cortex-A72, no dotprod) multiplies with smull,
addp and sadalp instead (the disassembly must contain smull and sadalp and
no sdot); both compute the same integers, so when a model has both entries
their outputs must be identical. Prints a table with the executable sizes (file, and the part
libdsrt/libdsrt_io take) and exits 1 if a model fails.

    /usr/bin/python3 scripts/armv8_models.py --build build --models build/models \\
        --work /tmp/armv8 [names...]
"""
import argparse
import pathlib
import re
import subprocess
import sys
import time

import numpy as np

ROOT = pathlib.Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "scripts"))
from compare_with_ort import INPUT_SEED, make_inputs  # noqa: E402

DEFAULT_MODELS = ["mobilenet_v3_small-op17", "mobilenet_v3_small-op17:int8",
                  "mobilenet_v3_small-op17:int8-dotprod", "resnet50-op17", "digits_cnn:int8",
                  "digits_cnn:int8-dotprod"]


def run(cmd, **kw):
    result = subprocess.run([str(c) for c in cmd], capture_output=True, text=True, **kw)
    if result.returncode != 0:
        sys.exit(f"failed: {' '.join(map(str, cmd))}\n{result.stdout}{result.stderr}")
    return result.stdout


def quantize(args, model, name):
    """Static INT8 for armv8 (s8 activations), calibrated on 8 seeded inputs."""
    out = args.work / f"{name}_int8_armv8.onnx"
    calib = args.work / f"{name}_calibration"
    calib.mkdir(parents=True, exist_ok=True)
    if name == "digits_cnn":
        calib = args.models / "digits" / "calibration"
    else:
        rng = np.random.default_rng(7)
        for i in range(8):
            np.save(calib / f"{i:03d}.npy", rng.standard_normal((1, 3, 224, 224)).astype(np.float32))
    run([args.build / "bin/deepseek-optimize", "--model", model, "--output", out,
         "--quantize", "INT8", "--target", "armv8", "--calibration", calib,
         "--eval-samples", "0"])
    return out


def runtime_bytes(exe):
    """Bytes of the symbols libdsrt and libdsrt_io define in |exe|."""
    out = run(["llvm-nm", "--print-size", "--size-sort", "--defined-only", exe])
    total = 0
    for line in out.splitlines():
        parts = line.split()
        if len(parts) == 4 and re.match(r"dsrt_", parts[3]):
            total += int(parts[1], 16)
    return total


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--build", type=pathlib.Path, required=True)
    parser.add_argument("--models", type=pathlib.Path, required=True)
    parser.add_argument("--work", type=pathlib.Path, required=True)
    parser.add_argument("names", nargs="*", default=DEFAULT_MODELS)
    args = parser.parse_args()
    args.work.mkdir(parents=True, exist_ok=True)
    rng = np.random.default_rng(INPUT_SEED)
    failures = []
    print("| model | precision | aarch64 compile (s) | executable bytes | libdsrt part | "
          "qemu run (s) | vs x86-64 build |")
    print("|---|---|---|---|---|---|---|")
    int8_builds = {}
    for entry in args.names:
        name, _, precision = entry.partition(":")
        precision = precision or "fp32"
        model = args.models / f"{name}.onnx"
        if name == "digits_cnn":
            run(["/usr/bin/python3", ROOT / "scripts/train_digits_cnn.py", args.models])
        if precision.startswith("int8"):
            model = quantize(args, model, name)
        features = ["--features", "+dotprod"] if precision == "int8-dotprod" else []
        shape = ["--input-shape", "image=1x1x8x8"] if name == "digits_cnn" else []
        if name == "digits_cnn":
            images = np.load(args.models / "digits" / "test_images.npy")[:1]
            inputs = [args.work / "digits_image.npy"]
            np.save(inputs[0], images)
        else:
            inputs, _ = make_inputs(model, args.work, rng)
        in_args = [a for p in inputs for a in ("--input", str(p))]
        arm = args.work / f"{name}_{precision}_arm"
        x86 = args.work / f"{name}_{precision}_x86"
        start = time.time()
        run([args.build / "bin/deepseek-cross-compile", "--input", model, "--output", arm,
             "--target", "armv8", *features, *shape])
        seconds = time.time() - start
        if precision.startswith("int8"):
            listing = run(["llvm-objdump", "-d", "--mattr=+dotprod", "--no-show-raw-insn", arm])
            counts = {op: len(re.findall(rf"\b{op}\b", listing))
                      for op in ("sdot", "smull", "sadalp")}
            if features and counts["sdot"] == 0:
                failures.append(f"{entry}: no sdot instruction in the executable")
            if not features and (counts["sdot"] or not counts["smull"] or not counts["sadalp"]):
                failures.append(f"{entry}: expected smull and sadalp and no sdot, found {counts}")
        run([args.build / "bin/deepseek-compile", model, "--emit", "exe", "-o", x86, *shape])
        start = time.time()
        run(["qemu-aarch64", arm, *in_args, "--output", args.work / "arm.npy"])
        qemu_seconds = time.time() - start
        run([x86, *in_args, "--output", args.work / "x86.npy"])
        a = np.load(args.work / "arm.npy").astype(np.float64)
        b = np.load(args.work / "x86.npy").astype(np.float64)
        if precision == "fp32":
            diff = float(np.max(np.abs(a - b)))
            ok = diff <= 1e-4 * float(np.max(np.abs(b))) + 1e-5
            verdict = f"max|diff| {diff:.2e} (max|ref| {np.max(np.abs(b)):.3g})"
        else:
            cos = float((a.ravel() @ b.ravel()) / np.sqrt((a.ravel() @ a.ravel()) *
                                                          (b.ravel() @ b.ravel())))
            ok = cos >= 0.999 and a.argmax() == b.argmax()
            verdict = f"cosine {cos:.5f}, top-1 {'same' if a.argmax() == b.argmax() else 'DIFFERS'}"
            if features:
                verdict += f"; {counts['sdot']} sdot"
            else:
                verdict += f"; {counts['smull']} smull, {counts['sadalp']} sadalp"
            # sdot and the widening multiplies compute the same integers: the
            # other INT8 build of this model on the same inputs.
            other = int8_builds.setdefault(name, arm)
            if other != arm:
                run(["qemu-aarch64", other, *in_args, "--output", args.work / "other.npy"])
                same = np.array_equal(np.load(args.work / "other.npy").astype(np.float64), a)
                verdict += f"; {'identical to' if same else 'DIFFERS from'} the other INT8 build"
                ok = ok and same
        if not ok:
            failures.append(f"{entry}: {verdict}")
        print(f"| {name} | {precision.upper()} | {seconds:.1f} | {arm.stat().st_size} | "
              f"{runtime_bytes(arm)} | {qemu_seconds:.1f} | {verdict} |", flush=True)
    if failures:
        print("\nFAILED:\n  " + "\n  ".join(failures))
        sys.exit(1)


if __name__ == "__main__":
    main()
