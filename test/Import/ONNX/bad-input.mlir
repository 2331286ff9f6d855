// Bad input to deepseek-compile: a clear error naming the file, a non-zero exit,
// and nothing the user had is overwritten.

// A missing file.
// RUN: not deepseek-compile -O0 %t.missing.onnx --emit mlir 2>&1 | FileCheck %s --check-prefix=MISSING
// MISSING: missing.onnx: error: cannot open: No such file or directory

// A truncated model.
// RUN: head -c 1000 %deepseek_src_root/examples/tiny_cnn.onnx > %t.truncated.onnx
// RUN: not deepseek-compile -O0 %t.truncated.onnx --emit mlir 2>&1 | FileCheck %s --check-prefix=TRUNCATED
// TRUNCATED: truncated.onnx: error: not a valid ONNX model (the protobuf does not parse; is the file truncated, or not a model? deepseek reads ONNX, TorchScript and ds IR)

// Text that is not ONNX's textual syntax.
// RUN: not deepseek-compile -O0 %S/Inputs/not-a-model.onnxtxt --emit mlir 2>&1 | FileCheck %s --check-prefix=SYNTAX
// SYNTAX: not-a-model.onnxtxt: error: not valid ONNX textual syntax:

// A model the ONNX checker rejects (an input used but never defined).
// RUN: not deepseek-compile -O0 %S/Inputs/undefined-input.onnxtxt --emit mlir 2>&1 | FileCheck %s --check-prefix=CHECKER
// CHECKER: undefined-input.onnxtxt: error: the ONNX checker rejected the model:

// Formats are told by content, not extension: an ONNX model named .pt is
// imported as ONNX; a file that starts as a zip (a TorchScript archive) but
// is not one is refused by libtorch, by name.
// RUN: cp %deepseek_src_root/examples/tiny_cnn.onnx %t.onnx-named.pt
// RUN: deepseek-compile -O0 %t.onnx-named.pt --emit mlir | FileCheck %s --check-prefix=CONTENT
// CONTENT: func.func @main
// RUN: printf 'PK\003\004not a zip' > %t.broken.pt
// RUN: not deepseek-compile -O0 %t.broken.pt --emit mlir 2>&1 | FileCheck %s --check-prefix=FORMAT
// FORMAT: broken.pt: error: {{.*}}TorchScript{{.*}}

// --input-shape errors.
// RUN: not deepseek-compile -O0 %deepseek_src_root/examples/tiny_cnn.onnx --input-shape img=1x1x8x8 --emit mlir 2>&1 | FileCheck %s --check-prefix=NAME
// NAME: tiny_cnn.onnx: error: --input-shape names 'img', which is not a graph input; the inputs are: 'image'
// RUN: not deepseek-compile -O0 %deepseek_src_root/examples/tiny_cnn.onnx --input-shape image=1x3x8x8 --emit mlir 2>&1 | FileCheck %s --check-prefix=FIT
// FIT: tiny_cnn.onnx: error: --input-shape for 'image' does not fit its declared type tensor<?x1x8x8xf32>
// RUN: not deepseek-compile -O0 %deepseek_src_root/examples/tiny_cnn.onnx --input-shape image=1xAx8 --emit mlir 2>&1 | FileCheck %s --check-prefix=SYNTAXSHAPE
// SYNTAXSHAPE: error: --input-shape 'image=1xAx8': 'A' is not a dimension (a non-negative integer or ?)
// RUN: not deepseek-compile -O0 %deepseek_src_root/examples/tiny_cnn.onnx --input-shape 1x1x8x8 --input-shape 2x2 --emit mlir 2>&1 | FileCheck %s --check-prefix=POSITIONS
// POSITIONS: tiny_cnn.onnx: error: 2 --input-shape values given by position, but the model has 1 inputs

// Code generation needs static shapes, and says how to get them.
// RUN: not deepseek-compile -O0 %deepseek_src_root/examples/tiny_cnn.onnx -o %t.o 2>&1 | FileCheck %s --check-prefix=EMIT
// EMIT: error: input 'image' has type 'tensor<?x1x8x8xf32>'; compiled models need static shapes (fix dynamic dims with --input-shape NAME=DIMS)

// A failed import leaves an existing output file untouched.
// RUN: echo precious > %t.out
// RUN: not deepseek-compile -O0 %t.truncated.onnx --emit mlir -o %t.out
// RUN: FileCheck %s --check-prefix=KEPT < %t.out
// KEPT: precious

// A graph output nothing produces (libonnx's version converter would crash on
// it; found by mutating the ONNX test models).
// RUN: not deepseek-compile -O0 %S/Inputs/dangling-output.onnx --emit mlir 2>&1 | FileCheck %s --check-prefix=DANGLING
// DANGLING: dangling-output.onnx: error: graph output 'nowhere' is not produced by any node, input or initializer
