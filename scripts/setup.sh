#!/usr/bin/env bash
# Installs the Debian packages deepseek needs (skipping those already installed),
# then configures and builds everything into build/. Idempotent; safe to rerun.
#
#   scripts/setup.sh            install what is missing, configure, build
#   BUILD_DIR=out scripts/setup.sh    build somewhere else
#   DEEPSEEK_SKIP_APT=1 ...     never call apt-get (fails if something is missing)
set -euo pipefail

root=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
build_dir=${BUILD_DIR:-$root/build}

# Everything the build and the default test run use. Keep in step with DESIGN.md.
packages=(
  cmake ninja-build ccache
  llvm-22-dev libmlir-22-dev mlir-22-tools llvm-22-tools clang-22 lld-22
  libgtest-dev
  libonnx-dev protobuf-compiler libprotobuf-dev libcli11-dev libonnx-testdata
  python3 python3-onnx python3-numpy python3-torch python3-torchvision
)

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
  sudo=""
  if ((EUID != 0)); then
    command -v sudo >/dev/null || { echo "setup: need root or sudo to install: ${missing[*]}" >&2; exit 1; }
    sudo=sudo
  fi
  echo "setup: installing ${missing[*]}"
  $sudo apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq --no-install-recommends "${missing[@]}"
else
  echo "setup: all ${#packages[@]} Debian packages present"
fi

if [[ ! -f $build_dir/build.ninja ]]; then
  cmake -G Ninja -S "$root" -B "$build_dir" \
    -DCMAKE_BUILD_TYPE=Release \
    -DMLIR_DIR=/usr/lib/llvm-22/lib/cmake/mlir
fi
cmake --build "$build_dir"
echo "setup: built into $build_dir"
