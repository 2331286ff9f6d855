#!/usr/bin/env bash
# The nvptx target on a real GPU, in one short run on a lent GPU machine.
#
# The lent machines have CUDA, PyTorch, ONNX, ONNX Runtime and a C compiler
# but no LLVM/MLIR 22, and a call carries at most 64 MiB of files, so the
# work is split in two:
#
#   scripts/gpu-check.sh pack [DIR]   here (after scripts/setup.sh): builds
#                                     deepseek-compile and deepseek-optimize
#                                     as one executable with LLVM/MLIR linked
#                                     in statically (build-static/,
#                                     -DDEEPSEEK_STATIC_LLVM, ~10 min; BUILD_DIR
#                                     overrides), then DIR (default
#                                     .gpucheck, git-excluded) gets them, the
#                                     runtime libraries, the few shared
#                                     libraries they load and a slice of the
#                                     ONNX backend tests, xz-compressed.
#   scripts/gpu-check.sh run [DIR] [OPTIONS]
#                                     there, from the repository root (carry
#                                     DIR): unpacks, exports the real-size
#                                     models with the machine's PyTorch,
#                                     compiles each for the CPU and for the
#                                     GPU, runs both and compares
#                                     (scripts/gpu_check.py), prints
#                                     latencies. About 3.5 minutes on a lent
#                                     H200 machine (16 cores).
#
# Results go to stdout and, when $OUT is set (the device tool), $OUT/gpu-check.md.
set -euo pipefail
root=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
mode=${1:-}
dir=${2:-$root/.gpucheck}

case $mode in
pack)
  build=${BUILD_DIR:-$root/build-static}
  if [[ ! -f $build/build.ninja ]]; then
    cmake -G Ninja -S "$root" -B "$build" -DDEEPSEEK_STATIC_LLVM=ON \
      -DMLIR_DIR=/usr/lib/llvm-22/lib/cmake/mlir
  fi
  cmake --build "$build" --target deepseek-tools dsrt dsrt_io dsrt_cuda
  rm -rf "$dir" && mkdir -p "$dir/stage/bin" "$dir/stage/lib" "$dir/stage/testdata"
  grep -qxF "/.gpucheck/" "$root/.git/info/exclude" 2>/dev/null ||
    echo "/.gpucheck/" >> "$root/.git/info/exclude"
  # deepseek-tools is deepseek-compile and deepseek-optimize in one executable
  # (each alone would carry the same ~170 MB of LLVM and MLIR).
  tools=$build/bin/deepseek-tools
  if ldd "$tools" | grep -qE 'lib(LLVM|MLIR)[.-]'; then
    echo "gpu-check: $tools loads LLVM/MLIR as shared libraries (not a static build)" >&2
    exit 1
  fi
  strip -o "$dir/stage/bin/deepseek-compile" "$tools"
  ln -s deepseek-compile "$dir/stage/bin/deepseek-optimize"
  cp "$build"/lib/libdsrt.a "$build"/lib/libdsrt_io.a "$build"/lib/libdsrt_cuda.a "$dir/stage/lib/"
  # Every shared library it loads except the C and C++ libraries' own, which
  # the other machine has (newer).
  ldd "$tools" | awk '$3 ~ /^\// {print $3}' |
    grep -vE '/(libc|libm|libpthread|libdl|librt|libstdc\+\+|libgcc_s|ld-linux[^/]*)\.so' |
    while read -r lib; do cp -L "$lib" "$dir/stage/lib/"; done
  # A slice of the ONNX backend tests (the first 160 node tests, as the armv8 run).
  data=/usr/share/libonnx-testdata/data/node
  ls "$data" | sed -n 1,160p | while read -r t; do cp -r "$data/$t" "$dir/stage/testdata/"; done
  tar -C "$dir/stage" -cf - . | xz -T2 -6 > "$dir/toolchain.tar.xz"
  rm -rf "$dir/stage"
  bytes=$(stat -c %s "$dir/toolchain.tar.xz")
  echo "gpu-check: $dir/toolchain.tar.xz, $((bytes / 1048576)) MiB"
  if ((bytes > 56 * 1048576)); then
    echo "gpu-check: over the 56 MiB budget (a call carries 64 MiB with the tree)" >&2
    exit 1
  fi
  ;;
run)
  [[ -f $dir/toolchain.tar.xz ]] || { echo "gpu-check: $dir/toolchain.tar.xz missing (pack first, carry it)" >&2; exit 1; }
  tool=${TMPDIR:-/tmp}/deepseek-gpu-check
  rm -rf "$tool" && mkdir -p "$tool"
  xz -dc "$dir/toolchain.tar.xz" | tar -C "$tool" -xf -
  # deepseek-compile finds libdsrt* in ../lib next to itself.
  export LD_LIBRARY_PATH=$tool/lib${LD_LIBRARY_PATH:+:$LD_LIBRARY_PATH}
  python=${PYTHON:-python3}
  report=${OUT:+$OUT/gpu-check.md}
  nvidia-smi --query-gpu=name,driver_version,memory.total --format=csv,noheader 2>/dev/null || true
  # How wgmma reads its shared-memory descriptors, on the hardware itself
  # (scripts/wgmma_layout_probe.cu; Hopper only, needs nvcc).
  nvcc=$(command -v nvcc || echo /usr/local/cuda/bin/nvcc)
  if [[ -x $nvcc ]] && "$nvcc" -gencode arch=compute_90a,code=sm_90a -o "$tool/wgmma-probe" \
       "$root/scripts/wgmma_layout_probe.cu"; then
    "$tool/wgmma-probe" | tee ${OUT:+"$OUT/wgmma-probe.txt"} || true
  else
    echo "gpu-check: no nvcc, wgmma probe skipped"
  fi
  "$python" "$root/scripts/gpu_check.py" --tool "$tool" --work "$tool/work" \
    ${report:+--report "$report"} "${@:3}"
  ;;
*)
  echo "usage: scripts/gpu-check.sh pack|run [DIR]" >&2
  exit 2
  ;;
esac
