#!/usr/bin/python3
"""Static instruction counts of an executable's innermost kernel loops.

For every backward branch whose loop body holds the instruction KEY (e.g.
`sadalp`, `sdot`, `fmla`), counts the body's instructions, KEY, register
moves (`mov`) and q-register stack spills/reloads. How docs/armv8.md
compares the INT8 kernels with the float ones where qemu's timings say
nothing; it reads the disassembly only, nothing is run.

    /usr/bin/python3 benchmarks/inner_loop_stats.py EXECUTABLE KEY [--show 4]
"""
import argparse
import collections
import re
import subprocess


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("executable")
    parser.add_argument("key", help="the kernel instruction that marks a loop, e.g. sadalp")
    parser.add_argument("--show", type=int, default=4, help="loops printed one by one")
    parser.add_argument("--objdump", default="/usr/lib/llvm-22/bin/llvm-objdump")
    args = parser.parse_args()
    text = subprocess.run([args.objdump, "-d", "--no-show-raw-insn", args.executable],
                          capture_output=True, text=True, check=True).stdout
    lines = []
    for line in text.splitlines():
        m = re.match(r"\s*([0-9a-f]+):\s+(\S+)\s*(.*)", line)
        if m:
            lines.append((int(m.group(1), 16), m.group(2), m.group(3)))
    index = {address: i for i, (address, _, _) in enumerate(lines)}
    total = collections.Counter()
    loops = 0
    for i, (address, op, operands) in enumerate(lines):
        if not op.startswith("b") or op in ("bl", "blr", "br"):
            continue
        m = re.search(r"(?:0x)?([0-9a-f]{5,})", operands)
        target = int(m.group(1), 16) if m else None
        if target is None or target > address or target not in index:
            continue
        body = lines[index[target]:i + 1]
        ops = collections.Counter(o for _, o, _ in body)
        if not ops[args.key] or len(body) >= 400:
            continue
        loops += 1
        spills = sum(1 for _, o, g in body
                     if o in ("ldr", "str", "ldp", "stp") and "[sp" in g and re.match(r"\s*q", g))
        if loops <= args.show:
            print(f"loop at {target:#x}: {len(body)} instructions, {ops[args.key]} {args.key}, "
                  f"{ops['mov']} mov, {spills} q spills")
        total.update(ops)
        total["(spills)"] += spills
    instructions = sum(v for k, v in total.items() if k != "(spills)")
    print(f"{loops} loops: {instructions} instructions, {total[args.key]} {args.key}, "
          f"{total['mov']} mov, {total['(spills)']} q spills")


if __name__ == "__main__":
    main()
