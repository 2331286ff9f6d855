#!/bin/bash
# kernel_profile.sh EXE RUNS [INPUT.npy ...] - per-kernel time of a compiled
# deepseek executable on one thread: `perf record` (cpu-clock sampling) over
# EXE --bench RUNS, each kernel's share of the samples times the median run
# time, summed per ONNX node (kernels are named main_parN_<node>_tramp).
# Prints the bench line, then "ms node" lines, largest first.
set -eu
exe=$1; runs=$2; shift 2
inputs=()
for f in "$@"; do inputs+=(--input "$f"); done
data=$(mktemp)
line=$(perf record -q -o "$data" "$exe" "${inputs[@]}" --bench "$runs" --threads 1 2>&1 | grep bench)
echo "$line"
median=$(echo "$line" | sed 's/.*median=\([0-9.]*\).*/\1/')
perf report -i "$data" --no-children --sort symbol 2>/dev/null | grep -v '^#' | grep -v '^$' |
  awk -v med="$median" '{p=$1; sub("%","",p); s=$3; sub(/^main_par[0-9]+_/,"",s); sub(/_tramp$/,"",s); t[s]+=p}
       END {for (k in t) printf "%.3f %s\n", t[k]*med/100, k}' | sort -rn
rm -f "$data"
