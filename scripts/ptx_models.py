#!/usr/bin/python3
"""The real-size models as PTX (deepseek-compile --target nvptx --emit ptx),
for sm_80 and sm_90, each assembled by the CUDA toolkit's ptxas for its chip.

Then each model's GPU executable (--emit exe) runs its host code against
test/Runtime/Inputs/fake_cuda_device.c, a driver whose memory is host memory
and whose launches do nothing: 2 runs and then 4, the driver's counts showing
that the instance allocates its device buffers once (the same allocations
both times, all freed at exit), uploads each weight once and then copies
only inputs and outputs, on one stream.

No GPU is needed: this proves the kernels are well-formed PTX for both
architectures and the host code drives the runtime as designed, not that
the kernels compute the right numbers (scripts/gpu-check.sh does that on a
machine with a GPU). Prints two tables and exits 1 if a model fails, 77
(ctest: skipped) when ptxas is not installed.

    /usr/bin/python3 scripts/ptx_models.py --build build --models build/models \\
        --work /tmp/ptx [names...]
"""
import argparse
import os
import pathlib
import re
import shutil
import subprocess
import sys
import time

ROOT = pathlib.Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "scripts"))

DEFAULT_MODELS = ["squeezenet1_1-op17", "mobilenet_v3_small-op17", "mobilenet_v3_large-op17",
                  "resnet50-op17", "bert_base-op17"]
CHIPS = ["sm_80", "sm_90"]


def find_ptxas():
    return shutil.which("ptxas") or shutil.which("ptxas", path="/usr/local/cuda/bin")


def compile_nvptx(args, name, options, output):
    """deepseek-compile MODEL --target nvptx OPTIONS -o OUTPUT: (result, seconds)."""
    start = time.time()
    result = subprocess.run([str(args.build / "bin/deepseek-compile"),
                             str(args.models / f"{name}.onnx"), "--target", "nvptx", *options,
                             "-o", str(output)], capture_output=True, text=True)
    return result, time.time() - start


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--build", type=pathlib.Path, required=True)
    parser.add_argument("--models", type=pathlib.Path, required=True)
    parser.add_argument("--work", type=pathlib.Path, required=True)
    parser.add_argument("names", nargs="*", default=DEFAULT_MODELS)
    args = parser.parse_args()
    ptxas = find_ptxas()
    if not ptxas:
        print("ptxas (CUDA toolkit) not found on PATH or in /usr/local/cuda/bin: skipped")
        sys.exit(77)
    args.work.mkdir(parents=True, exist_ok=True)
    failures = []
    print("| model | chip | kernels | PTX bytes | compile (s) | ptxas (s) | result |")
    print("|---|---|---|---|---|---|---|")
    for name in args.names:
        for chip in CHIPS:
            ptx = args.work / f"{name}_{chip}.ptx"
            compiled, compile_s = compile_nvptx(args, name, ["--cpu", chip, "--emit", "ptx"], ptx)
            if compiled.returncode != 0:
                failures.append(f"{name} {chip}: deepseek-compile: {compiled.stderr.strip()}")
                print(f"| {name} | {chip} | | | {compile_s:.1f} | | compile FAILED |")
                continue
            text = ptx.read_text()
            kernels = len(re.findall(r"^\.visible \.entry ", text, re.M))
            start = time.time()
            assembled = subprocess.run([ptxas, f"-arch={chip}", str(ptx), "-o", "/dev/null"],
                                       capture_output=True, text=True)
            ptxas_s = time.time() - start
            ok = assembled.returncode == 0 and kernels > 0
            if not ok:
                failures.append(f"{name} {chip}: ptxas: {assembled.stderr.strip()[:300]}")
            print(f"| {name} | {chip} | {kernels} | {len(text)} | {compile_s:.1f} | "
                  f"{ptxas_s:.1f} | {'assembles' if ok else 'FAILED'} |", flush=True)
    host_protocol(args, failures)
    if failures:
        print("\nFAILED:\n  " + "\n  ".join(failures))
        sys.exit(1)


def fake_driver_counts(exe, inputs, runs, driver):
    """The fake driver's counts after |runs| runs of |exe| (1 + --bench)."""
    args = [str(exe)] + [a for p in inputs for a in ("--input", str(p))]
    if runs > 1:
        args += ["--bench", str(runs - 1)]
    ran = subprocess.run(args, capture_output=True, text=True,
                         env={**os.environ, "DSRT_CUDA_DRIVER": str(driver)})
    match = re.search(r"^fake-cuda: (alloc=.*)$", ran.stderr, re.M)
    if ran.returncode != 0 or not match:
        raise RuntimeError(f"exit {ran.returncode}: {ran.stderr.strip()[-300:]}")
    return {k: int(v) for k, v in (f.split("=") for f in match.group(1).split())}


def host_protocol(args, failures):
    from compare_with_ort import INPUT_SEED, make_inputs
    import numpy as np
    driver = args.work / "libfakedevice.so"
    subprocess.run(["cc", "-shared", "-fPIC", "-o", str(driver),
                    str(ROOT / "test/Runtime/Inputs/fake_cuda_device.c")], check=True)
    print("\n| model | device buffers | device MB per instance | weight uploads | "
          "copies in / out / on device per run | launches per run | exe build (s) | result |")
    print("|---|---|---|---|---|---|---|---|")
    for name in args.names:
        model = args.models / f"{name}.onnx"
        exe = args.work / f"{name}_gpu"
        built, build_s = compile_nvptx(args, name, ["--emit", "exe"], exe)
        if built.returncode != 0:
            failures.append(f"{name} exe: deepseek-compile: {built.stderr.strip()[:300]}")
            print(f"| {name} | | | | | | {build_s:.1f} | compile FAILED |")
            continue
        inputs, outputs = make_inputs(model, args.work, np.random.default_rng(INPUT_SEED))
        try:
            two, four = (fake_driver_counts(exe, inputs, runs, driver) for runs in (2, 4))
        except RuntimeError as error:
            failures.append(f"{name} exe with the fake driver: {error}")
            print(f"| {name} | | | | | | {build_s:.1f} | run FAILED |")
            continue
        finally:
            exe.unlink(missing_ok=True)  # weights and all: hundreds of MB
        def per_run(key):
            return (four[key] - two[key]) // 2
        uploads = two["h2d"] - 2 * per_run("h2d")
        launches = per_run("launches")
        problems = [text for bad, text in [
            (two["alloc"] != four["alloc"] or two["bytes"] != four["bytes"],
             "allocations grow with the runs"),
            (four["free"] != four["alloc"], "buffers not freed"),
            (four["streams"] != 1 or four["destroyed"] != 1, "not one stream"),
            (per_run("h2d") != len(inputs), f"{per_run('h2d')} copies in a run, not one per input"),
            (per_run("d2h") != len(outputs),
             f"{per_run('d2h')} copies out a run, not one per output"),
            (uploads != four["h2d"] - 4 * per_run("h2d") or uploads > four["alloc"],
             "weights uploaded more than once"),
            (launches <= 0, "no launches"),
        ] if bad]
        if problems:
            failures.append(f"{name} host protocol: " + "; ".join(problems))
        copies = f"{per_run('h2d')} / {per_run('d2h')} / {per_run('d2d')}"
        print(f"| {name} | {four['alloc']} | {four['bytes'] / 1e6:.1f} | {uploads} | {copies} | "
              f"{launches} | {build_s:.1f} | {'ok' if not problems else 'FAILED'} |", flush=True)


if __name__ == "__main__":
    main()
