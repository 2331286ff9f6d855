// Bad input ends with a clear error naming the file and a non-zero exit, never a crash.

// A missing file.
// RUN: not deepseek-opt %t.does-not-exist.mlir 2>&1 | FileCheck %s --check-prefix=MISSING
// MISSING: cannot open input file '{{.*}}does-not-exist.mlir': No such file or directory

// A binary that is not MLIR at all.
// RUN: printf '\177ELF\002\001\001\000\000\000' > %t.garbage
// RUN: not deepseek-opt %t.garbage 2>&1 | FileCheck %s --check-prefix=GARBAGE
// GARBAGE: {{.*}}.garbage:1:1: error:

// Truncated bytecode (the magic number, then nothing usable).
// RUN: printf 'ML\357R\000x' > %t.mlirbc
// RUN: not deepseek-opt %t.mlirbc 2>&1 | FileCheck %s --check-prefix=BYTECODE
// BYTECODE: {{.*}}.mlirbc:0:0: error:

// An unknown ds op.
// RUN: not deepseek-opt %S/Inputs/unknown-op.mlir 2>&1 | FileCheck %s --check-prefix=UNKNOWN
// UNKNOWN: unknown-op.mlir:2:8: error: custom op 'ds.frobnicate' is unknown

// A ds op with its operands missing (generic form bypasses the custom parser).
// RUN: not deepseek-opt %S/Inputs/malformed-op.mlir 2>&1 | FileCheck %s --check-prefix=MALFORMED
// MALFORMED: malformed-op.mlir:1:1: error: 'ds.conv' op requires one result
