#!/usr/bin/python3
"""Runs deepseek's GPU kernels on the CPU, to check their numbers without a GPU.

`deepseek-compile --target nvptx --emit gpu-llvm` writes a model's kernels as
the NVPTX LLVM IR that LLVM's NVPTX back end would turn into PTX. This
script compiles that IR for this machine instead: the NVVM intrinsics (thread
and block ids, ...) become calls into test/GPUEmulator/emulated_kernel_support.c,
and each kernel gets an entry point <kernel>__emu(void **params) taking the
launch's parameter array. test/Runtime/Inputs/fake_cuda_device.c, used as the
CUDA driver (DSRT_CUDA_DRIVER) with DSRT_EMU_KERNELS naming that library,
then runs every thread of every launch, one at a time, with host memory as
device memory. The model's GPU executable itself is unchanged: its host code,
libdsrt_cuda, the device buffers and copies are the real ones.

What this checks: the kernels' arithmetic, indexing, thread mapping and
bounds guards, barriers and shared memory, tensor-core MMAs (each warp's
fragments gathered at a sync point of the block's fibers, PTX ISA
layouts), warpgroup MMAs (wgmma, their operands read from shared memory
through the matrix descriptors), and the host code around them,
against reference outputs. Kernels that call a barrier are marked
(<kernel>__emu_barriers) and run block by block with their threads as
fibers that meet at the barriers; shared memory (addrspace(3) globals)
becomes thread-local globals. What it cannot: LLVM's NVPTX back end,
ptxas, the hardware. Floating point follows the CPU (same IEEE f32
operations; fma where the IR says fma).

    /usr/bin/python3 scripts/gpu_emulate.py --build build --work /tmp/emu \\
        [--every K] [TEST ...]

runs the ONNX backend tests the nvptx conformance list passes (every
K-th of them, or the named ones), each compiled to a GPU executable, and
compares with the tests' outputs (rtol 1e-3, atol 1e-7, as
scripts/gpu_check.py does on a GPU). Exits 1 when one differs or fails.

    /usr/bin/python3 scripts/gpu_emulate.py --build build --work /tmp/emu \
        --model build/models/squeezenet1_1-op17.onnx ...

runs whole models instead: each built for the CPU and for the GPU, run on
the same seeded inputs, the emulated GPU's outputs compared with the CPU's
(max|diff| <= 1e-3 * max|ref| + 1e-5, scripts/gpu_check.py's rule).
--fp16-model M quantizes M to FP16 first (deepseek-optimize --quantize
FP16); its products then run on tensor cores (mma.sync, emulated; with
--cpu sm_90a, wgmma), with the activations rounded to f16, against the
CPU's f32 activations.

    /usr/bin/python3 scripts/gpu_emulate.py --kernels model.ll --library model.emu.so

only builds the library for one model's kernels (--emit gpu-llvm output).
"""
import argparse
import pathlib
import re
import subprocess
import sys
import time

ROOT = pathlib.Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "scripts"))
from gpu_check import compare_outputs, compare_with_cpu, first_line, parallel, run  # noqa: E402

SUPPORT = ROOT / "test" / "GPUEmulator" / "emulated_kernel_support.c"
MMA = ROOT / "test" / "GPUEmulator" / "emulated_mma.ll"
DRIVER = ROOT / "test" / "Runtime" / "Inputs" / "fake_cuda_device.c"
CLANG = "/usr/lib/llvm-22/bin/clang"


def top_level_split(params):
    """An LLVM parameter list split at its top-level commas (attributes such as
    initializes((0, 16)) have commas of their own)."""
    parts, depth, current = [], 0, ""
    for char in params:
        depth += char in "([{<"
        depth -= char in ")]}>"
        if char == "," and depth == 0:
            parts.append(current.strip())
            current = ""
        else:
            current += char
    return [p for p in parts + [current.strip()] if p]


def emulated_ir(text):
    """The kernels' NVPTX LLVM IR rewritten for the host, with entry points."""
    lines = [line for line in text.splitlines()
             if not line.startswith(("target datalayout", "target triple"))]
    text = "\n".join(lines) + "\n"
    text = re.sub(r"@llvm\.nvvm\.([A-Za-z0-9_.]+)",
                  lambda m: "@dsemu_nvvm_" + m.group(1).replace(".", "_"), text)
    # Functions now, not intrinsics: no immediate-argument markers
    # (wgmma.wait_group's count has one).
    text = re.sub(r"^declare .*@dsemu_nvvm_.*$", lambda m: m.group(0).replace(" immarg", ""),
                  text, flags=re.M)
    # The warpgroup MMA is inline PTX (nvvm.wgmma.mma_async): a call of its
    # shim in emulated_mma.ll, with the same operands.
    text = re.sub(r'asm sideeffect "[^"]*wgmma\.mma_async\.sync\.aligned\.m64n32k16\.f32\.f16\.f16'
                  r'[^"]*", "[^"]*"', "@dsemu_wgmma_m64n32k16_f32_f16_asm", text)
    shared = set(re.findall(r"^@(\S+) = internal (?:unnamed_addr )?addrspace\(3\) global", text,
                            re.M))
    # Shared memory (addrspace(3) globals): ordinary globals, one copy per
    # host thread, as model instances on several threads run at once.
    text = re.sub(r"^(@\S+ = internal) (unnamed_addr )?addrspace\(3\) global",
                  r"\1 thread_local \2global", text, flags=re.M)
    text = text.replace(" addrspace(3)", "")
    entries = []
    for match in re.finditer(r"^define ptx_kernel void @([A-Za-z0-9_.$]+)\((.*)\)", text, re.M):
        name, params = match.group(1), match.group(2)
        types = [p.split()[0] for p in top_level_split(params)]
        body = [f"define void @{name}__emu(ptr %params) {{"]
        args = []
        for i, type_ in enumerate(types):
            body.append(f"  %slot{i} = getelementptr ptr, ptr %params, i64 {i}")
            body.append(f"  %addr{i} = load ptr, ptr %slot{i}")
            body.append(f"  %arg{i} = load {type_}, ptr %addr{i}")
            args.append(f"{type_} %arg{i}")
        end = text.find("\n}\n", match.end())
        kernel = text[match.end():end]
        if "@dsemu_wgmma_" in kernel:
            # Its matrix descriptors address its one shared buffer.
            buffers = sorted(shared & set(re.findall(r"@([A-Za-z0-9_.$]+)", kernel)))
            if len(buffers) != 1:
                raise RuntimeError(f"{name}: a kernel that issues wgmma uses {len(buffers)} "
                                   "shared buffers; the emulator reads descriptors in one")
            body.append(f"  call void @dsemu_set_shared_window(ptr @{buffers[0]})")
        body += [f"  call void @{name}({', '.join(args)})", "  ret void", "}"]
        entries.append("\n".join(body))
        # The kernel's threads must run together (fake_cuda_device.c).
        if re.search(r"@dsemu_(nvvm_barrier|nvvm_mma|wgmma)", kernel):
            entries.append(f"@{name}__emu_barriers = constant i8 1")
    text = text.replace("define ptx_kernel void", "define void")
    entries.append("declare void @dsemu_set_shared_window(ptr)")
    if "@dsemu_wgmma_m64n32k16_f32_f16_asm" in text:
        floats = ", ".join(["float"] * 16)
        entries.append(f"declare {{ {floats} }} @dsemu_wgmma_m64n32k16_f32_f16_asm({floats}, i64, "
                       "i64, i32, i32, i32, i32, i32)")
    return text + "\n" + "\n\n".join(entries) + "\n"


def build_emulated_kernels(kernels_ll, library):
    """kernels_ll (--emit gpu-llvm) -> a shared library for DSRT_EMU_KERNELS."""
    host_ll = library.with_suffix(".host.ll")
    host_ll.write_text(emulated_ir(kernels_ll.read_text()))
    # compiler-rt: conversions such as f32 -> bf16 (__truncsfbf2) are its builtins.
    built = subprocess.run([CLANG, "-O1", "-shared", "-fPIC", "--rtlib=compiler-rt",
                            "-Wl,--no-undefined",
                            "-Wno-override-module", str(host_ll), str(SUPPORT), str(MMA), "-lm",
                            "-o", str(library)], capture_output=True, text=True)
    if built.returncode != 0:
        missing = sorted(set(re.findall(r"undefined reference to `(dsemu_\w+)'", built.stderr)))
        if missing:
            raise RuntimeError("building the emulated kernels: the emulator has no "
                               f"definition of {', '.join(missing)} (an NVVM intrinsic; "
                               "test/GPUEmulator/emulated_kernel_support.c)")
        lines = built.stderr.splitlines()
        detail = next((line for line in lines if "error:" in line or "undefined" in line),
                      first_line(built.stderr))
        raise RuntimeError("building the emulated kernels: " + detail.strip()[:200])


def compile_test(args, test, exe, kernels):
    """Compiles a backend test's model to a GPU executable and its kernels'
    IR; returns how many trailing inputs were bound as constants, or an
    error. Inputs the importer needs at compile time (Resize's sizes, TopK's
    k, ...) are bound from the first data set, fewest first, as
    deepseek-conformance does (--constant-input)."""
    import onnx
    inputs = sorted((args.testdata / test / "test_data_set_0").glob("input_*.pb"),
                    key=lambda p: int(p.stem.split("_")[1]))
    compiler = args.build / "bin" / "deepseek-compile"
    error = ""
    for bound in range(max(len(inputs), 1)):
        constants = [a for p in inputs[len(inputs) - bound:] for a in
                     ("--constant-input", f"{onnx.load_tensor(str(p)).name}={p}")]
        results = [run([compiler, args.testdata / test / "model.onnx", *constants, "--target",
                        "nvptx", "--emit", emit, "-o", out], timeout=300)[0]
                   for emit, out in (("exe", exe), ("gpu-llvm", kernels))]
        failed = [r for r in results if r.returncode != 0]
        if not failed:
            return bound
        if not error:  # the unbound compile's error decides whether binding may help
            error = first_line(failed[0].stderr)
            if not re.search(r"must be a constant|needs constant", failed[0].stderr):
                break
    return f"compile failed: {error}"


def emulate_test(args, driver, test):
    """'pass', 'unsupported' or a failure message for one backend test."""
    name = test.replace("/", "_")
    exe, kernels, library = (args.work / name, args.work / f"{name}.ll",
                             args.work / f"{name}.emu.so")
    bound = compile_test(args, test, exe, kernels)
    if isinstance(bound, str):
        return bound
    try:
        build_emulated_kernels(kernels, library)
    except RuntimeError as error:
        return str(error)
    env = {"DSRT_CUDA_DRIVER": str(driver), "DSRT_EMU_KERNELS": str(library)}
    data_sets = sorted((args.testdata / test).glob("test_data_set_*"))
    for data_set in data_sets[:1] if bound else data_sets:  # bound: the first set's values
        order = lambda p: int(p.stem.split("_")[1])  # noqa: E731
        inputs = sorted(data_set.glob("input_*.pb"), key=order)
        inputs = inputs[:len(inputs) - bound]
        expected = sorted(data_set.glob("output_*.pb"), key=order)
        outs = [args.work / f"{name}.out{i}.npy" for i in range(len(expected))]
        cmd = [exe] + [a for p in inputs for a in ("--input", p)]
        cmd += [a for p in outs for a in ("--output", p)]
        ran, _ = run(cmd, timeout=600, env=env)
        if ran.returncode != 0:
            # ONNX stores bfloat16 test data as uint16, and .npy has no bfloat16.
            if re.search(r"is uint16, the model expects bfloat16|bfloat16 cannot be stored",
                         ran.stderr):
                return "unsupported"
            return f"run failed: {first_line(ran.stderr)}"
        if not compare_outputs(outs, expected):
            return "output differs from the test's reference"
    for path in (exe, kernels, library, library.with_suffix(".host.ll"),
                 *args.work.glob(f"{name}.out*.npy")):
        path.unlink(missing_ok=True)
    return "pass"


def emulate_model(args, driver, model):
    """A table row: the model's emulated GPU outputs against its CPU build's."""
    import numpy as np
    from compare_with_ort import INPUT_SEED, make_inputs
    compiler = args.build / "bin" / "deepseek-compile"
    cpu, gpu = args.work / f"{model.stem}_cpu", args.work / f"{model.stem}_gpu"
    kernels, library = args.work / f"{model.stem}.ll", args.work / f"{model.stem}.emu.so"
    nvptx = ["--target", "nvptx", *(["--cpu", args.cpu] if args.cpu else [])]
    for options, out in (([], cpu), (nvptx, gpu), ([*nvptx, "--emit", "gpu-llvm"], kernels)):
        emit = [] if "--emit" in options else ["--emit", "exe"]
        built, _ = run([compiler, model, *options, *emit, "-o", out], timeout=600)
        if built.returncode != 0:
            return f"| {model.stem} | | | | compile failed: {first_line(built.stderr)} |", False
    build_emulated_kernels(kernels, library)
    inputs, _ = make_inputs(model, args.work, np.random.default_rng(INPUT_SEED))
    in_args = [a for p in inputs for a in ("--input", p)]
    ran_cpu, _ = run([cpu, *in_args, "--output", args.work / "cpu.npy", "--raw"])
    start = time.time()
    ran_gpu, _ = run([gpu, *in_args, "--output", args.work / "gpu.npy", "--raw"], timeout=3600,
                     env={"DSRT_CUDA_DRIVER": str(driver), "DSRT_EMU_KERNELS": str(library)})
    seconds = time.time() - start
    for path in (cpu, gpu):
        path.unlink(missing_ok=True)  # the weights are in them: hundreds of MB
    if ran_cpu.returncode or ran_gpu.returncode:
        return (f"| {model.stem} | | | | run failed: "
                f"{first_line(ran_cpu.stderr + ran_gpu.stderr)} |"), False
    diff, ref, close = compare_with_cpu(args.work / "gpu.npy", args.work / "cpu.npy")
    return (f"| {model.stem} | {diff:.3g} | {ref:.3g} | {diff / ref if ref else 0:.2g} | "
            f"{'match' if close else 'DIFFERS'} | {seconds:.0f} |"), close


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--build", type=pathlib.Path)
    parser.add_argument("--work", type=pathlib.Path)
    parser.add_argument("--kernels", type=pathlib.Path, help="build the library of these only")
    parser.add_argument("--library", type=pathlib.Path, help="with --kernels: the output")
    parser.add_argument("--testdata", type=pathlib.Path,
                        default=pathlib.Path("/usr/share/libonnx-testdata/data"))
    parser.add_argument("--every", type=int, default=1,
                        help="run every K-th test of the nvptx pass list")
    parser.add_argument("--model", type=pathlib.Path, action="append", default=[],
                        help="an .onnx model to run whole instead of the backend tests")
    parser.add_argument("--fp16-model", type=pathlib.Path, action="append", default=[],
                        help="an .onnx model to quantize to FP16 (deepseek-optimize --quantize "
                             "FP16: on sm_80 and newer its products run on tensor cores), then "
                             "run whole")
    parser.add_argument("--cpu", help="with --model: the GPU architecture to build for "
                        "(sm_90a: FP16 products as warpgroup MMAs; default: deepseek-compile's)")
    parser.add_argument("tests", nargs="*", help="suite/test names (default: the pass list)")
    args = parser.parse_args()
    if args.kernels:
        if not args.library:
            parser.error("--kernels needs --library")
        try:
            build_emulated_kernels(args.kernels, args.library)
        except RuntimeError as error:
            print(f"error: {args.kernels}: {error}", file=sys.stderr)
            return 1
        return 0
    if not args.build or not args.work:
        parser.error("--build and --work are required to run the backend tests")
    args.work.mkdir(parents=True, exist_ok=True)
    driver = args.work / "libfakecuda.so"
    subprocess.run(["cc", "-shared", "-fPIC", str(DRIVER), "-o", str(driver)], check=True)
    for model in args.fp16_model:
        fp16 = args.work / f"{model.stem}-fp16.onnx"
        optimized, _ = run([args.build / "bin" / "deepseek-optimize", "--model", model,
                            "--output", fp16, "--quantize", "FP16"], timeout=600)
        if optimized.returncode != 0:
            print(f"error: {model}: deepseek-optimize: {first_line(optimized.stderr)}",
                  file=sys.stderr)
            return 1
        args.model.append(fp16)
    if args.model:
        print("| model | max abs diff (GPU emulated vs CPU) | max abs ref | diff / ref | result | "
              "emulated run (s) |")
        print("|---|---|---|---|---|---|")
        ok = True
        for model in args.model:
            row, close = emulate_model(args, driver, model)
            print(row, flush=True)
            ok = ok and close
        return 0 if ok else 1
    tests = args.tests
    if not tests:
        listed = (ROOT / "test/e2e/conformance-expected-nvptx.tsv").read_text().splitlines()
        tests = [line.split("\t")[0] for line in listed
                 if not line.startswith("#") and line.split("\t")[1:2] == ["pass"]][::args.every]
    results = parallel(lambda test: emulate_test(args, driver, test), tests)
    counts = {}
    for test, result in zip(tests, results):
        key = result if result in ("pass", "unsupported") else "fail"
        counts[key] = counts.get(key, 0) + 1
        if key == "fail":
            print(f"FAIL {test}: {result}")
    print(f"GPU kernels emulated on the CPU: {len(tests)} tests: " +
          ", ".join(f"{k} {v}" for k, v in sorted(counts.items())))
    return 1 if counts.get("fail") else 0


if __name__ == "__main__":
    sys.exit(main())
