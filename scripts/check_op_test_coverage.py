#!/usr/bin/env python3
"""Checks that every ds op has a round-trip test and an expected-error test.

Usage: check_op_test_coverage.py BUILD/dialects/ds/DSOps.h.inc TEST_DIR

Op names come from the generated op declarations, so a new op without tests
fails the build's test run instead of slipping through.
"""
import pathlib
import re
import sys


def main() -> int:
    ops_inc, test_dir = pathlib.Path(sys.argv[1]), pathlib.Path(sys.argv[2])
    ops = sorted(set(re.findall(r'StringLiteral\("ds\.([a-z0-9_]+)"\)', ops_inc.read_text())))
    if not ops:
        print(f"no ds ops found in {ops_inc}")
        return 1
    files = list(test_dir.rglob("*.mlir"))
    invalid = "".join(f.read_text() for f in files if f.stem.endswith("-invalid"))
    roundtrip = "".join(
        f.read_text() for f in files
        if not f.stem.endswith("-invalid") and "deepseek-opt %s | deepseek-opt" in f.read_text())
    missing = []
    for op in ops:
        if not re.search(rf"expected-error[^\n]*'ds\.{op}' op", invalid):
            missing.append(f"ds.{op}: no expected-error test in a *-invalid.mlir file")
        if not re.search(rf"CHECK[^\n]*ds\.{op}\b", roundtrip):
            missing.append(f"ds.{op}: no round-trip CHECK in a parse-print-parse test")
    for line in missing:
        print(line)
    print(f"{len(ops)} ops, {len(missing)} gaps")
    return 1 if missing else 0


if __name__ == "__main__":
    sys.exit(main())
