#!/usr/bin/env bash
# Import time and peak memory of deepseek-compile on the real-size test models.
#
#   benchmarks/measure_import.sh [BUILD_DIR] [RUNS]
#
# Models come from scripts/make_test_models.py (made if missing). Each model is
# imported RUNS times (default 5) to ds bytecode; the table shows the median wall
# time, the median peak RSS (GNU time's %M) and peak RSS over the file size.
set -euo pipefail
root=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
build=${1:-$root/build}
runs=${2:-5}
models=$build/models
/usr/bin/python3 "$root/scripts/make_test_models.py" "$models" >/dev/null

median() { sort -n | awk '{a[NR]=$1} END {print a[int((NR+1)/2)]}'; }

echo "| model | file MB | import s (median of $runs) | peak RSS MB | peak / file |"
echo "| --- | --- | --- | --- | --- |"
for model in "$models"/*.onnx; do
  out=$(mktemp)
  times=() rss=()
  for _ in $(seq "$runs"); do
    /usr/bin/time -f "%e %M" -o "$out.t" "$build/bin/deepseek-compile" "$model" \
      --emit mlirbc -o "$out"
    read -r t m < "$out.t"
    times+=("$t") rss+=("$m")
  done
  size=$(stat -c %s "$model")
  t=$(printf '%s\n' "${times[@]}" | median)
  m=$(printf '%s\n' "${rss[@]}" | median)
  awk -v n="$(basename "$model" .onnx)" -v s="$size" -v t="$t" -v m="$m" \
    'BEGIN {printf "| %s | %.1f | %.2f | %.0f | %.2f |\n", n, s/1e6, t, m*1024/1e6, m*1024/s}'
  rm -f "$out" "$out.t"
done
