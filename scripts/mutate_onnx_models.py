#!/usr/bin/python3
"""Mutation smoke test of the ONNX import path: flips random bytes of the ONNX
backend test models and runs deepseek-compile on each, reporting any run that
dies from a signal or prints an LLVM fatal error. Not a coverage-guided fuzzer
(that is issue 13); a quick way to find crashes in libonnx's or our handling of
malformed models.

    /usr/bin/python3 scripts/mutate_onnx_models.py RUNS [SEED] [DEEPSEEK_COMPILE]
"""
import glob
import os
import random
import subprocess
import sys

random.seed(int(sys.argv[2]) if len(sys.argv) > 2 else 1)
models = sorted(glob.glob('/usr/share/libonnx-testdata/data/*/*/model.onnx'))
crashes = 0; runs = 0
for i in range(int(sys.argv[1])):
    src = random.choice(models)
    data = bytearray(open(src, 'rb').read())
    for _ in range(random.randint(1, 8)):
        pos = random.randrange(len(data))
        data[pos] = random.randrange(256)
    open('/tmp/deepseek-mutated.onnx', 'wb').write(data)
    r = subprocess.run([(sys.argv[3] if len(sys.argv) > 3 else 'build/bin/deepseek-compile'), '/tmp/deepseek-mutated.onnx', '--emit', 'mlirbc', '-o', '/dev/null'], capture_output=True, timeout=60)
    runs += 1
    if r.returncode < 0 or r.returncode >= 128 or b'Stack dump' in r.stderr or b'LLVM ERROR' in r.stderr:
        crashes += 1
        os.makedirs('/tmp/deepseek-crashes', exist_ok=True)
        open(f'/tmp/deepseek-crashes/c{crashes}.onnx', 'wb').write(data)
        print('CRASH', src, r.returncode, r.stderr[-300:].decode(errors='replace'))
print('runs', runs, 'crashes', crashes)
