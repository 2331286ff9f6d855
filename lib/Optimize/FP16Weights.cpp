//===- FP16Weights.cpp - float weights stored as float16 -----------------===//
//
// Each float initializer of more than 16 elements is stored as float16 (half
// the bytes) and read through a Cast back to float, so every runtime computes
// as before, on weights rounded to 11 significant bits. Small initializers
// (shapes, scalars, epsilons) stay float: they cost nothing and some are read
// at compile time.
//
//===----------------------------------------------------------------------===//

#include "deepseek/Optimize/Quantization.h"

#include "GraphEditing.h"

namespace deepseek::optimize {

llvm::Error convertWeightsToFP16(onnx::ModelProto &model, QuantizationReport &report) {
  report.mode = "fp16";
  onnx::GraphProto &g = *model.mutable_graph();
  GraphEditor editor(g);
  std::vector<std::string> names;
  for (const onnx::TensorProto &t : g.initializer()) {
    int64_t count = 1;
    for (int64_t d : t.dims())
      count *= d;
    if (t.data_type() == onnx::TensorProto::FLOAT && count > 16)
      names.push_back(t.name());
  }
  for (const std::string &name : names) {
    const onnx::TensorProto *t = editor.initializer(name);
    std::vector<int64_t> dims(t->dims().begin(), t->dims().end());
    std::optional<std::vector<float>> values = editor.floats(name);
    if (!values)
      continue;
    std::string half = editor.addFloat16(name + "_fp16", dims, *values);
    std::string restored = editor.uniqueName(name + "_fp32");
    editor.redirectConsumers(name, restored);
    onnx::NodeProto &cast = editor.addNode("Cast", name + "_Cast", {half}, {restored});
    setIntAttribute(cast, "to", onnx::TensorProto::FLOAT);
    editor.removeInitializer(name);
    ++report.quantizedOps;
    report.weights.push_back(llvm::json::Object{{"tensor", name}});
  }
  editor.sortTopologically();
  return llvm::Error::success();
}

int64_t initializerBytes(const onnx::ModelProto &model) {
  int64_t bytes = 0;
  for (const onnx::TensorProto &t : model.graph().initializer())
    bytes += t.ByteSizeLong();
  return bytes;
}

} // namespace deepseek::optimize
