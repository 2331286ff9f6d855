// --constant-input turns a graph input into a constant from a TensorProto file,
// so shape/axis inputs a model takes at run time become compile-time values.
// Inputs: the ONNX backend test data (Debian libonnx-testdata).
// DEFINE: %{t} = /usr/share/libonnx-testdata/data/node/test_reshape_reordered_all_dims

// RUN: deepseek-compile -O0 %{t}/model.onnx --emit mlir --constant-input shape=%{t}/test_data_set_0/input_1.pb | FileCheck %s
// CHECK: func.func @main(%[[X:.*]]: tensor<2x3x4xf32> {ds.name = "data"}) -> (tensor<4x2x3xf32> {ds.name = "reshaped"})
// CHECK-NEXT: ds.reshape %[[X]] : tensor<2x3x4xf32> -> tensor<4x2x3xf32>

// Without it the reshape target is unknown at compile time.
// RUN: not deepseek-compile -O0 %{t}/model.onnx --emit mlir 2>&1 | FileCheck %s --check-prefix=NEEDED
// NEEDED: node '{{.*}}' (Reshape): error: input 1 must be a constant integer tensor

// RUN: not deepseek-compile -O0 %{t}/model.onnx --emit mlir --constant-input shap=%{t}/test_data_set_0/input_1.pb 2>&1 | FileCheck %s --check-prefix=NAME
// NAME: error: --constant-input names 'shap', which is not a graph input; the inputs are: 'data' 'shape'

// RUN: not deepseek-compile -O0 %{t}/model.onnx --emit mlir --constant-input shape=%{t}/test_data_set_0/input_0.pb 2>&1 | FileCheck %s --check-prefix=TYPE
// TYPE: input_0.pb: holds FLOAT data, but input 'shape' is declared INT64

// RUN: not deepseek-compile -O0 %{t}/model.onnx --emit mlir --constant-input shape=%t.missing.pb 2>&1 | FileCheck %s --check-prefix=MISSING
// MISSING: missing.pb: cannot open: No such file or directory

// RUN: not deepseek-compile -O0 %{t}/model.onnx --emit mlir --constant-input shape 2>&1 | FileCheck %s --check-prefix=SYNTAX
// SYNTAX: error: --constant-input expects NAME=FILE.pb, got 'shape'
