//===- BatchNormFolding.cpp - Conv + BatchNormalization -> Conv ----------===//
//
// Exporters in eval mode usually fold BatchNorm already (torch.onnx does);
// models exported otherwise keep Conv -> BatchNormalization pairs, which the
// quantizer must see as one Conv: the scale gamma / sqrt(var + eps) goes into
// each output channel's weights, the shift into the bias.
//
//===----------------------------------------------------------------------===//

#include "deepseek/Optimize/Quantization.h"

#include "GraphEditing.h"

#include <cmath>

namespace deepseek::optimize {

int foldBatchNormsIntoConvs(onnx::ModelProto &model) {
  onnx::GraphProto &g = *model.mutable_graph();
  GraphEditor editor(g);
  std::vector<onnx::NodeProto *> folded;
  for (onnx::NodeProto &bn : *g.mutable_node()) {
    if (bn.op_type() != "BatchNormalization" || bn.input_size() != 5 || bn.output_size() != 1)
      continue;
    onnx::NodeProto *conv = editor.producer(bn.input(0));
    if (!conv || conv->op_type() != "Conv" || conv->input_size() < 2 ||
        editor.consumers(conv->output(0)).size() != 1 || editor.isGraphOutput(conv->output(0)))
      continue;
    const onnx::TensorProto *w = editor.initializer(conv->input(1));
    std::optional<std::vector<float>> weight = editor.floats(conv->input(1));
    std::optional<std::vector<float>> gamma = editor.floats(bn.input(1)),
                                      beta = editor.floats(bn.input(2)),
                                      mean = editor.floats(bn.input(3)),
                                      var = editor.floats(bn.input(4));
    if (!w || !weight || !gamma || !beta || !mean || !var || w->dims_size() < 1)
      continue;
    int64_t channels = w->dims(0);
    if (static_cast<int64_t>(gamma->size()) != channels || beta->size() != gamma->size() ||
        mean->size() != gamma->size() || var->size() != gamma->size())
      continue;
    std::vector<float> bias(channels, 0.0f);
    if (conv->input_size() >= 3 && !conv->input(2).empty()) {
      std::optional<std::vector<float>> b = editor.floats(conv->input(2));
      if (!b || static_cast<int64_t>(b->size()) != channels)
        continue;
      bias = *b;
    }
    float epsilon = floatAttribute(bn, "epsilon", 1e-5f);
    int64_t inner = static_cast<int64_t>(weight->size()) / channels;
    for (int64_t c = 0; c < channels; ++c) {
      float scale = (*gamma)[c] / std::sqrt((*var)[c] + epsilon);
      for (int64_t i = 0; i < inner; ++i)
        (*weight)[c * inner + i] *= scale;
      bias[c] = ((bias[c] - (*mean)[c]) * scale) + (*beta)[c];
    }
    std::vector<int64_t> dims(w->dims().begin(), w->dims().end());
    std::string weightName = editor.addFloats(conv->input(1) + "_bn_folded", dims, *weight);
    std::string biasName = editor.addFloats(conv->output(0) + "_bn_folded_bias", {channels}, bias);
    conv->set_input(1, weightName);
    if (conv->input_size() >= 3)
      conv->set_input(2, biasName);
    else
      conv->add_input(biasName);
    conv->set_output(0, bn.output(0));
    folded.push_back(&bn);
  }
  auto *nodes = g.mutable_node();
  for (int i = nodes->size() - 1; i >= 0; --i)
    if (std::find(folded.begin(), folded.end(), nodes->Mutable(i)) != folded.end())
      nodes->DeleteSubrange(i, 1);
  // Initializers nothing reads any more (the old weights, the BN parameters).
  std::vector<std::string> unused;
  for (const onnx::TensorProto &t : g.initializer())
    if (editor.consumers(t.name()).empty())
      unused.push_back(t.name());
  bool isInput = false;
  for (const std::string &name : unused) {
    isInput = false;
    for (const onnx::ValueInfoProto &v : g.input())
      isInput |= v.name() == name;
    if (!isInput)
      editor.removeInitializer(name);
  }
  return static_cast<int>(folded.size());
}

} // namespace deepseek::optimize
