#!/usr/bin/env bash
# Installs the Debian packages deepseek needs (skipping those already installed),
# then configures and builds everything into build/. Idempotent; safe to rerun.
#
#   scripts/setup.sh            install what is missing, configure, build
#   BUILD_DIR=out scripts/setup.sh    build somewhere else
#   CMAKE_ARGS="-DDEEPSEEK_SANITIZE=address,undefined" BUILD_DIR=build-asan scripts/setup.sh
#                               extra CMake options for a new build folder
#   DEEPSEEK_SKIP_APT=1 ...     never call apt-get (fails if something is missing)
set -euo pipefail

root=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
build_dir=${BUILD_DIR:-$root/build}

# Everything the build and the default test run use. Keep in step with DESIGN.md.
packages=(
  cmake ninja-build ccache
  llvm-22-dev libmlir-22-dev mlir-22-tools llvm-22-tools clang-22 lld-22 libclang-rt-22-dev
  libgtest-dev
  libonnx-dev protobuf-compiler libprotobuf-dev libcli11-dev libonnx-testdata
  python3 python3-onnx python3-numpy python3-torch python3-torchvision python3-sklearn
  libtorch-dev
  gcc-aarch64-linux-gnu libc6-dev-arm64-cross qemu-user libstb-dev python3-pil
)

sudo=""
((EUID == 0)) || sudo=sudo
missing=()
for pkg in "${packages[@]}"; do
  status=$(dpkg-query -W -f='${Status}' "$pkg" 2>/dev/null || true)
  [[ $status == "install ok installed" ]] || missing+=("$pkg")
done

if ((${#missing[@]})); then
  if [[ -n ${DEEPSEEK_SKIP_APT:-} ]]; then
    echo "setup: missing Debian packages: ${missing[*]} (DEEPSEEK_SKIP_APT is set)" >&2
    exit 1
  fi
  if ((EUID != 0)); then
    command -v sudo >/dev/null || { echo "setup: need root or sudo to install: ${missing[*]}" >&2; exit 1; }
  fi
  echo "setup: installing ${missing[*]}"
  $sudo apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq --no-install-recommends "${missing[@]}"
else
  echo "setup: all ${#packages[@]} Debian packages present"
fi

# ONNX Runtime (onnxruntime-node), the peer reference for numerical comparisons
# and benchmarks. Its postinstall would download CUDA binaries from a host that
# is unreachable here, so install without scripts and rebuild (it ships its CPU
# library). Only npm's registry is needed.
ort_version=1.30.0
ort_dir=$build_dir/ort
if [[ ! -f $ort_dir/node_modules/onnxruntime-node/package.json ]]; then
  if ! command -v npm >/dev/null; then
    echo "setup: installing nodejs and npm"
    ${sudo:-} apt-get install -y -qq --no-install-recommends nodejs npm
  fi
  mkdir -p "$ort_dir"
  echo "setup: installing onnxruntime-node $ort_version into $ort_dir"
  npm install --prefix "$ort_dir" --ignore-scripts --no-audit --no-fund \
    "onnxruntime-node@$ort_version" >/dev/null
  ONNXRUNTIME_NODE_INSTALL=skip npm rebuild --prefix "$ort_dir" onnxruntime-node >/dev/null
fi

if [[ ! -f $build_dir/build.ninja ]]; then
  cmake -G Ninja -S "$root" -B "$build_dir" \
    -DCMAKE_BUILD_TYPE=Release \
    -DMLIR_DIR=/usr/lib/llvm-22/lib/cmake/mlir ${CMAKE_ARGS:-}
fi
cmake --build "$build_dir"
echo "setup: built into $build_dir"
