// Weights stored beside the model (ONNX external data) load, and bad external
// data is refused with an error naming the initializer and the file.
// Inputs: Inputs/external/make_external_data_models.py.

// RUN: deepseek-compile -O0 %S/Inputs/external/tiny_cnn_external.onnx --emit mlir | FileCheck %s
// RUN: deepseek-compile -O0 %deepseek_src_root/examples/tiny_cnn.onnx --emit mlir > %t.inline.mlir
// RUN: deepseek-compile -O0 %S/Inputs/external/tiny_cnn_external.onnx --emit mlir | sed -e 's/tiny_cnn_external/tiny_cnn/' > %t.external.mlir
// RUN: diff %t.inline.mlir %t.external.mlir
// CHECK: ds.constant dense_resource<conv1.weight> : tensor<8x1x3x3xf32>
// CHECK: conv1.weight: "0x04000000

// RUN: not deepseek-compile -O0 %S/Inputs/external/escaping.onnx --emit mlir 2>&1 | FileCheck %s --check-prefix=ESCAPE
// ESCAPE: escaping.onnx: error: initializer 'conv1.weight': external data file '../../secret.bin' is outside the model's folder; refusing to read it

// RUN: not deepseek-compile -O0 %S/Inputs/external/missing_file.onnx --emit mlir 2>&1 | FileCheck %s --check-prefix=MISSING
// MISSING: missing_file.onnx: error: initializer 'conv1.weight': external data file 'no_such.weights' cannot be read: No such file or directory

// RUN: not deepseek-compile -O0 %S/Inputs/external/short_file.onnx --emit mlir 2>&1 | FileCheck %s --check-prefix=SHORT
// SHORT: short_file.onnx: error: initializer 'conv1.weight': external data file 'tiny_cnn.weights' holds 3144 bytes, but the tensor needs bytes 1000000 to 1000288
