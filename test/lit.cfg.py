# -*- Python -*-
# lit configuration for the deepseek test suites (test/ mirrors lib/).

import os

import lit.formats
from lit.llvm import llvm_config

config.name = "DEEPSEEK"
config.test_format = lit.formats.ShTest(not llvm_config.use_lit_shell)
config.suffixes = [".mlir", ".onnxtxt", ".test"]
config.test_source_root = os.path.dirname(__file__)
config.test_exec_root = os.path.join(config.deepseek_obj_root, "test")
config.excludes = ["Inputs", "CMakeLists.txt", "lit.cfg.py", "lit.site.cfg.py", "unittests"]

config.substitutions.append(("%PATH%", config.environment["PATH"]))
config.substitutions.append(("%deepseek_src_root", config.deepseek_src_root))

# Real-size models exported by scripts/make_test_models.py (the ctest fixture
# `make-test-models` creates them before the lit run).
models_dir = os.path.join(config.deepseek_obj_root, "models")
config.substitutions.append(("%models", models_dir))
if all(os.path.exists(os.path.join(models_dir, f))
       for f in ("bert_base-op17.onnx", "resnet50_bn-op17.onnx")):
    config.available_features.add("models")

# The TorchScript importer is built where libtorch was found.
if config.deepseek_torchscript.upper() in ("ON", "TRUE", "1", "YES"):
    config.available_features.add("torchscript")

# armv8 executables: Debian's cross gcc links them (with the runtime built for
# aarch64 by this build), qemu-user runs them.
import shutil
if (shutil.which("aarch64-linux-gnu-gcc") and shutil.which("qemu-aarch64") and
        os.path.exists(os.path.join(config.deepseek_obj_root, "lib", "aarch64", "libdsrt.a"))):
    config.available_features.add("aarch64")

# NVIDIA's PTX assembler validates the nvptx target's output (the CUDA
# toolkit is no Debian package: /usr/local/cuda or PATH, else those checks
# are skipped).
ptxas = shutil.which("ptxas") or shutil.which("ptxas", path="/usr/local/cuda/bin")
if ptxas:
    config.available_features.add("ptxas")
    config.substitutions.append(("%ptxas", ptxas))

llvm_config.with_system_environment(["HOME", "INCLUDE", "LIB", "TMP", "TEMP"])
llvm_config.use_default_substitutions()

# Tools come from this build first, then LLVM's (FileCheck, not, count).
tool_dirs = [config.deepseek_tools_dir, config.llvm_tools_dir]
llvm_config.add_tool_substitutions(["deepseek-opt", "deepseek-compile", "deepseek-run", "deepseek-optimize", "deepseek-cross-compile", "deepseek-conformance", "mlir-translate"], tool_dirs)
config.substitutions.append(("%python", "/usr/bin/python3"))
config.substitutions.append(("%deepseek_lib_dir", os.path.join(config.deepseek_obj_root, "lib")))
config.substitutions.append(("%deepseek_include_dir", os.path.join(config.deepseek_src_root, "include")))
# A DEEPSEEK_SANITIZE build's runtime libraries are instrumented: what links
# them needs the sanitizer runtimes.
cc = "/usr/lib/llvm-22/bin/clang"
if config.deepseek_sanitize:
    cc += " -fsanitize=" + config.deepseek_sanitize + " -fno-sanitize=vptr,function"
config.substitutions.append(("%cc", cc))
llvm_config.with_environment("PATH", config.llvm_tools_dir, append_path=True)
llvm_config.with_environment("PATH", config.deepseek_tools_dir, append_path=True)
