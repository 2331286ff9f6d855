#!/usr/bin/env bash
# Runs the libFuzzer targets (fuzz/, built by the default build into
# BUILD/fuzz) for a set time each, from seed corpora made of the project's
# test data, and prints one line per target: executions, coverage, new
# corpus entries, and any crash (with the input that caused it).
#
#   scripts/fuzz.sh [SECONDS] [TARGET...]     (default 60 s, every target)
#   BUILD_DIR=build  WORK=BUILD/fuzz-work      where the corpora grow (kept
#                                              between runs) and results go
#   FUZZ_SEED=1                                libFuzzer's random seed (CI)
#   FUZZ_FRESH=1                               start from the seeds alone (CI)
#   FUZZ_SKIP="T..."                           targets left out of the default list
#
# Exits 1 if a target crashed, leaked, timed out on an input or ran out of
# memory; the input is in WORK/TARGET/crashes/. Results are appended to
# WORK/results.tsv (date, target, seconds, executions, coverage, corpus, status).
set -uo pipefail
root=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
build=${BUILD_DIR:-$root/build}
work=${WORK:-$build/fuzz-work}
seconds=${1:-60}
shift || true
targets=("$@")
if ((${#targets[@]} == 0)); then
  targets=(npy_fuzzer pb_fuzzer image_fuzzer onnx_import_fuzzer ds_ir_fuzzer)
  # Built where libtorch is (DEEPSEEK_ENABLE_TORCHSCRIPT).
  [[ ! -x $build/fuzz/torchscript_import_fuzzer ]] || targets+=(torchscript_import_fuzzer)
  # FUZZ_SKIP: targets left out of the default list (for CI's smoke run, a
  # target whose open crash is kept in fuzz/open/TARGET until it is guarded).
  kept=()
  for target in "${targets[@]}"; do
    [[ " ${FUZZ_SKIP:-} " == *" $target "* ]] || kept+=("$target")
  done
  targets=("${kept[@]}")
fi
node=/usr/share/libonnx-testdata/data/node

seed() { # TARGET DIR: the seed corpus
  local dir=$2
  mkdir -p "$dir"
  case $1 in
  npy_fuzzer)
    cp "$root"/examples/*.npy "$dir"/
    /usr/bin/python3 - "$dir" <<'PY'
import sys, numpy as np
d = sys.argv[1]
for i, (dtype, shape) in enumerate([("<f4", (2, 3)), ("<f8", ()), ("<i8", (4,)), ("|b1", (2, 2)),
                                    ("<f2", (1, 1, 2)), ("<i4", (0, 3)), ("|u1", (5,))]):
    np.save(f"{d}/seed{i}.npy", np.ones(shape, dtype=dtype))
np.save(f"{d}/fortran.npy", np.asfortranarray(np.arange(6, dtype=np.float32).reshape(2, 3)))
PY
    ;;
  pb_fuzzer)
    ls "$node"/*/test_data_set_0/input_0.pb | sed -n '1~5p' | head -200 |
      while read -r f; do cp "$f" "$dir/$(basename "$(dirname "$(dirname "$f")")").pb"; done ;;
  image_fuzzer)
    /usr/bin/python3 - "$dir" <<'PY'
import sys
from PIL import Image
d = sys.argv[1]
for i, (mode, size) in enumerate([("RGB", (8, 8)), ("L", (5, 3)), ("RGBA", (4, 4)), ("P", (6, 2))]):
    img = Image.new(mode, size, color=i * 40)
    img.save(f"{d}/seed{i}.png")
    if mode in ("RGB", "L"):
        img.save(f"{d}/seed{i}.jpg", quality=50)
PY
    ;;
  onnx_import_fuzzer)
    cp "$root/examples/tiny_cnn.onnx" "$dir"/
    ls "$node"/*/model.onnx | sed -n '1~3p' | head -300 |
      while read -r f; do cp "$f" "$dir/$(basename "$(dirname "$f")").onnx"; done ;;
  torchscript_import_fuzzer)
    # Small scripted and traced modules (the real models are far over -max_len).
    # torch.jit.script reads the module's source: the generator is a file.
    local gen=$dir/make_seeds.py
    cat > "$gen" <<'PY'
import sys, torch
d = sys.argv[1]
torch.manual_seed(0)
class Cnn(torch.nn.Module):
    def __init__(self):
        super().__init__()
        self.conv = torch.nn.Conv2d(1, 4, 3, padding=1)
        self.bn = torch.nn.BatchNorm2d(4)
        self.fc = torch.nn.Linear(4 * 4 * 4, 10)
    def forward(self, x):
        x = torch.nn.functional.max_pool2d(torch.relu(self.bn(self.conv(x))), 2)
        return torch.softmax(self.fc(torch.flatten(x, 1)), dim=1)
class Mlp(torch.nn.Module):
    def __init__(self):
        super().__init__()
        self.a = torch.nn.Linear(8, 16)
        self.b = torch.nn.Linear(16, 4)
    def forward(self, x, y):
        h = torch.nn.functional.gelu(self.a(x)) + y
        return self.b(torch.layer_norm(h, [16])).transpose(0, 1).reshape(-1)
class Cat(torch.nn.Module):
    def forward(self, x):
        return torch.cat([x, x * 2.0, torch.sigmoid(x)], dim=1).mean(dim=[2, 3], keepdim=True)
class Loop(torch.nn.Module):  # control flow: refused with a message
    def forward(self, x):
        for _ in range(int(x.shape[0])):
            x = x + 1
        return x
cnn = Cnn().eval()
torch.jit.save(torch.jit.trace(cnn, torch.randn(1, 1, 8, 8)), f"{d}/cnn_traced.pt")
torch.jit.save(torch.jit.script(cnn), f"{d}/cnn_scripted.pt")
torch.jit.save(torch.jit.trace(Mlp().eval(), (torch.randn(2, 8), torch.randn(2, 16))), f"{d}/mlp.pt")
torch.jit.save(torch.jit.trace(Cat().eval(), torch.randn(1, 2, 4, 4)), f"{d}/cat.pt")
torch.jit.save(torch.jit.script(Loop()), f"{d}/loop.pt")
PY
    /usr/bin/python3 "$gen" "$dir"
    rm -f "$gen" ;;
  ds_ir_fuzzer)
    for f in "$root"/test/Dialect/DS/*.mlir; do
      # Split at lit's `// -----` markers: one module per seed, RUN lines gone.
      awk -v out="$dir/$(basename "$f" .mlir)" '
        /^\/\/ -----/ { n++; next } !/^\/\/ *(RUN|CHECK)/ { print > (out "." n ".mlir") }' "$f"
    done ;;
  esac
}

# LeakSanitizer suppressions for leaks inside libraries we cannot fix.
lsan_options_for() {
  case $1 in
  torchscript_import_fuzzer) echo "suppressions=$root/fuzz/libtorch.lsan.supp" ;;
  esac
}

# Options only some targets need.
options_for() {
  case $1 in
  # libtorch's loader runs in a child process (IsolatedConversion.cpp) whose
  # huge allocations are its own business: the parent reports the child's
  # failure. libFuzzer's malloc limit would fire inside the child.
  torchscript_import_fuzzer) echo "-malloc_limit_mb=65536" ;;
  esac
}

dict_for() {
  case $1 in
  npy_fuzzer) echo "-dict=$root/fuzz/npy.dict" ;;
  ds_ir_fuzzer) echo "-dict=$root/fuzz/ds_ir.dict" ;;
  esac
}

status=0
[[ -z ${FUZZ_FRESH:-} ]] || rm -rf "$work"
mkdir -p "$work"
printf '%-26s %8s %12s %8s %8s  %s\n' target seconds executions cov corpus status
for target in "${targets[@]}"; do
  exe=$build/fuzz/$target
  if [[ ! -x $exe ]]; then
    echo "fuzz: $exe missing (build with clang; ninja -C $build fuzzers)" >&2
    status=1
    continue
  fi
  dir=$work/$target
  mkdir -p "$dir/corpus" "$dir/crashes"
  [[ -d $dir/seeds ]] || seed "$target" "$dir/seeds"
  log=$dir/last.log
  # -rss_limit_mb: an input that makes a reader allocate more is a bug (images
  # are capped at 8192 pixels a side, whose decoding may take ~2 GB).
  # fuzz/regressions/TARGET: inputs that once crashed it, run first.
  regressions=$root/fuzz/regressions/$target
  [[ -d $regressions ]] || regressions=
  started=$(date +%s)
  # Inputs that crashed libonnx or libtorch in their child process: errors to
  # users, kept as material for better checks (fuzz/onnx_import_fuzzer.cpp).
  mkdir -p "$dir/contained"
  DEEPSEEK_FUZZ_CONTAINED=$dir/contained LSAN_OPTIONS=$(lsan_options_for "$target") \
  "$exe" "$dir/corpus" "$dir/seeds" $regressions $(dict_for "$target") $(options_for "$target") -max_total_time="$seconds" \
    ${FUZZ_SEED:+-seed=$FUZZ_SEED} \
    -timeout=20 -rss_limit_mb=3072 -max_len=262144 -print_final_stats=1 \
    -artifact_prefix="$dir/crashes/" >"$log" 2>&1
  rc=$?
  elapsed=$(($(date +%s) - started)) # less than asked when it stopped on a crash
  execs=$(grep -o 'stat::number_of_executed_units: *[0-9]*' "$log" | grep -o '[0-9]*$' | tail -1)
  cov=$(grep -oE 'cov: [0-9]+' "$log" | tail -1 | grep -oE '[0-9]+')
  corpus=$(ls "$dir/corpus" | wc -l)
  if ((rc == 0)); then
    # libFuzzer's handlers still run in a child process: an allocation over
    # its malloc limit there writes an oom-* artifact before the child ends.
    # With the target itself fine, such artifacts are children's: contained.
    find "$dir/crashes" -newermt "@$started" -type f -exec mv {} "$dir/contained/" \;
  fi
  contained=$(find "$dir/contained" -newermt "@$started" -type f | wc -l)
  if ((rc == 0)); then
    result=ok
    ((contained == 0)) || result="ok ($contained inputs crashed libonnx/libtorch in a child process: contained, kept in $dir/contained)"
  else
    result="FAILED (exit $rc): $(grep -m1 -E 'ERROR: (libFuzzer|AddressSanitizer|LeakSanitizer)|runtime error' "$log" | cut -c1-160); input: $(ls -t "$dir/crashes" | head -1)"
    status=1
  fi
  printf '%-26s %8s %12s %8s %8s  %s\n' "$target" "$elapsed" "${execs:-?}" "${cov:-?}" "$corpus" "$result"
  printf '%s\t%s\t%s\t%s\t%s\t%s\t%s\n' "$(date -u +%FT%TZ)" "$target" "$elapsed" "${execs:-}" \
    "${cov:-}" "$corpus" "$result" >> "$work/results.tsv"
done
exit $status
