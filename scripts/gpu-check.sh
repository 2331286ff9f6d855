#!/usr/bin/env bash
# The nvptx target on a real GPU, in one short run on a lent GPU machine.
#
# The lent machines have CUDA, PyTorch, ONNX, ONNX Runtime and a C compiler
# but no LLVM/MLIR 22, and a call carries at most 64 MiB of files, so the
# work is split in two:
#
#   scripts/gpu-check.sh pack [DIR]   here (after scripts/setup.sh): DIR
#                                     (default .gpucheck, git-excluded) gets
#                                     deepseek-compile with the shared
#                                     libraries it needs, the runtime
#                                     libraries and a slice of the ONNX
#                                     backend tests, xz-compressed.
#   scripts/gpu-check.sh run [DIR]    there, from the repository root (carry
#                                     DIR): unpacks, exports the real-size
#                                     models with the machine's PyTorch,
#                                     compiles each for the CPU and for the
#                                     GPU, runs both and compares
#                                     (scripts/gpu_check.py), prints
#                                     latencies. Under 8 minutes on 16 cores.
#
# Results go to stdout and, when $OUT is set (the device tool), $OUT/gpu-check.md.
set -euo pipefail
root=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
mode=${1:-}
dir=${2:-$root/.gpucheck}

case $mode in
pack)
  build=${BUILD_DIR:-$root/build}
  compiler=$build/bin/deepseek-compile
  [[ -x $compiler ]] || { echo "gpu-check: build first ($compiler missing)" >&2; exit 1; }
  rm -rf "$dir" && mkdir -p "$dir/stage/bin" "$dir/stage/lib" "$dir/stage/testdata"
  grep -qxF "/.gpucheck/" "$root/.git/info/exclude" 2>/dev/null ||
    echo "/.gpucheck/" >> "$root/.git/info/exclude"
  cp "$compiler" "$dir/stage/bin/"
  cp "$build"/lib/libdsrt.a "$build"/lib/libdsrt_io.a "$build"/lib/libdsrt_cuda.a "$dir/stage/lib/"
  # Every shared library deepseek-compile loads except the C library's own,
  # which the other machine has (newer).
  ldd "$compiler" | awk '$3 ~ /^\// {print $3}' |
    grep -vE '/(libc|libm|libpthread|libdl|librt|ld-linux[^/]*)\.so' |
    while read -r lib; do cp -L "$lib" "$dir/stage/lib/"; done
  # A slice of the ONNX backend tests (the first 160 node tests, as the armv8 run).
  data=/usr/share/libonnx-testdata/data/node
  ls "$data" | head -160 | while read -r t; do cp -r "$data/$t" "$dir/stage/testdata/"; done
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
  "$python" "$root/scripts/gpu_check.py" --tool "$tool" --work "$tool/work" \
    ${report:+--report "$report"}
  ;;
*)
  echo "usage: scripts/gpu-check.sh pack|run [DIR]" >&2
  exit 2
  ;;
esac
