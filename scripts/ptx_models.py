#!/usr/bin/python3
"""The real-size models as PTX (deepseek-compile --target nvptx --emit ptx),
for sm_80 and sm_90, each assembled by the CUDA toolkit's ptxas for its chip.

No GPU is needed: this proves the kernels are well-formed PTX for both
architectures, not that they compute the right numbers (scripts/gpu-check.sh
does that on a machine with a GPU). Prints a table (kernels, PTX bytes,
compile and ptxas seconds) and exits 1 if a model fails, 77 (ctest: skipped)
when ptxas is not installed.

    /usr/bin/python3 scripts/ptx_models.py --build build --models build/models \\
        --work /tmp/ptx [names...]
"""
import argparse
import pathlib
import re
import shutil
import subprocess
import sys
import time

DEFAULT_MODELS = ["squeezenet1_1-op17", "mobilenet_v3_small-op17", "mobilenet_v3_large-op17",
                  "resnet50-op17", "bert_base-op17"]
CHIPS = ["sm_80", "sm_90"]


def find_ptxas():
    return shutil.which("ptxas") or shutil.which("ptxas", path="/usr/local/cuda/bin")


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
            start = time.time()
            compiled = subprocess.run(
                [str(args.build / "bin/deepseek-compile"), str(args.models / f"{name}.onnx"),
                 "--target", "nvptx", "--cpu", chip, "--emit", "ptx", "-o", str(ptx)],
                capture_output=True, text=True)
            compile_s = time.time() - start
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
    if failures:
        print("\nFAILED:\n  " + "\n  ".join(failures))
        sys.exit(1)


if __name__ == "__main__":
    main()
