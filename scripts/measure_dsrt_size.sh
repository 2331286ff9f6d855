#!/bin/sh
# measure_dsrt_size.sh BUILD_DIR - the code and data size of libdsrt, the number the
# project reports as "runtime size".
#
# Sums .text*, .data* and .rodata* sections (with -ffunction-sections each function has
# its own .text.NAME section) over every object in BUILD_DIR/lib/libdsrt.a, after
# stripping a copy so that symbol tables and debug info do not count. .bss, .eh_frame
# and relocations are left out: they are not bytes the runtime ships as code or data.
set -eu
if [ $# -ne 1 ]; then
  echo "usage: $0 BUILD_DIR" >&2
  exit 2
fi
lib="$1/lib/libdsrt.a"
if [ ! -f "$lib" ]; then
  echo "error: $lib not found (build it with: ninja -C $1 dsrt)" >&2
  exit 1
fi
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
cp "$lib" "$tmp/libdsrt.a"
strip --strip-unneeded "$tmp/libdsrt.a"
# size -A prints "section size addr" per object; sum by section family.
size -A "$tmp/libdsrt.a" | awk '
  $1 ~ /^\.text/   { text += $2 }
  $1 ~ /^\.data/   { data += $2 }
  $1 ~ /^\.rodata/ { rodata += $2 }
  END { printf "libdsrt.a: text=%d data=%d rodata=%d total=%d bytes\n",
               text, data, rodata, text + data + rodata }'
