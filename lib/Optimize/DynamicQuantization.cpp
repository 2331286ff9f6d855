//===- DynamicQuantization.cpp - INT8 with activation ranges at run time ===//
//
// The format ONNX Runtime's dynamic quantizer writes: an activation A read by
// products with constant weights is quantized once per run by
// DynamicQuantizeLinear (u8, its own scale and zero point); each product
// becomes MatMulInteger/ConvInteger against int8 weights (symmetric, one
// scale per output channel), its int32 result cast to float and scaled by
// A's scale times the weight's; a Gemm's bias or a Conv's is added after.
// Nothing needs calibration data, and transformer MatMuls, whose activation
// ranges vary from input to input, keep their resolution.
//
//===----------------------------------------------------------------------===//

#include "deepseek/Optimize/Quantization.h"

#include "GraphEditing.h"

#include <algorithm>
#include <cmath>

namespace deepseek::optimize {
namespace {

struct QuantizedActivation {
  std::string value, scale, zeroPoint;
};

} // namespace

llvm::Error quantizeDynamic(onnx::ModelProto &model, const QuantizeOptions &options,
                            QuantizationReport &report) {
  report.mode = "int8-dynamic";
  onnx::GraphProto &g = *model.mutable_graph();
  GraphEditor editor(g);
  std::map<std::string, QuantizedActivation> quantized;
  auto quantizeActivation = [&](const std::string &a) -> QuantizedActivation & {
    auto it = quantized.find(a);
    if (it != quantized.end())
      return it->second;
    QuantizedActivation q{editor.uniqueName(a + "_quantized"), editor.uniqueName(a + "_scale"),
                          editor.uniqueName(a + "_zero_point")};
    editor.addNode("DynamicQuantizeLinear", a + "_DynamicQuantizeLinear", {a},
                   {q.value, q.scale, q.zeroPoint});
    return quantized.emplace(a, q).first->second;
  };

  std::vector<onnx::NodeProto *> products;
  for (onnx::NodeProto &n : *g.mutable_node())
    if (n.op_type() == "MatMul" || n.op_type() == "Gemm" || n.op_type() == "Conv")
      products.push_back(&n);
  std::vector<onnx::NodeProto *> replaced;
  std::set<std::string> replacedInitializers;
  for (onnx::NodeProto *n : products) {
    const std::string nodeName = n->name().empty() ? n->output(0) : n->name();
    const onnx::TensorProto *weight =
        n->input_size() >= 2 ? editor.initializer(n->input(1)) : nullptr;
    std::optional<std::vector<float>> values =
        weight ? editor.floats(n->input(1)) : std::nullopt;
    if (!values) {
      report.keptFloat.push_back(
          {nodeName, n->op_type() + (weight ? ": the weight is not float32"
                                            : ": both operands are computed at run time "
                                              "(attention scores)")});
      continue;
    }
    std::vector<int64_t> dims(weight->dims().begin(), weight->dims().end());
    const std::string output = n->output(0), weightName = n->input(1);
    std::string bias = n->input_size() >= 3 ? n->input(2) : "";
    if (n->op_type() == "Gemm" &&
        (intAttribute(*n, "transA", 0) != 0 || floatAttribute(*n, "alpha", 1.0f) != 1.0f ||
         floatAttribute(*n, "beta", 1.0f) != 1.0f || dims.size() != 2)) {
      report.keptFloat.push_back({nodeName, "Gemm with transA, alpha or beta"});
      continue;
    }
    if (n->op_type() == "MatMul" && dims.size() != 2) {
      report.keptFloat.push_back({nodeName, "MatMul weight of rank other than 2"});
      continue;
    }
    if (n->op_type() == "Conv" && intAttribute(*n, "group", 1) != 1) {
      report.keptFloat.push_back({nodeName, "grouped convolution (no integer kernel gain)"});
      continue;
    }
    QuantizedActivation a = quantizeActivation(n->input(0));
    std::string product = editor.uniqueName(output + "_int32");
    std::string weightQ, weightZ, weightScale;
    std::vector<int64_t> scaleShape;
    if (n->op_type() == "Conv") {
      auto [q, scales] = quantizeSymmetric(*values, dims, options.perTensor ? -1 : 0);
      int64_t channels = scales.size();
      weightQ = editor.addInt8(weightName + "_quantized", dims, q);
      // Symmetric: one zero point, 0, for all channels (ONNX Runtime's
      // ConvInteger takes no other); the per-channel scales apply after.
      weightZ = editor.addInt8(weightName + "_zero_point", {}, {0});
      scaleShape = {1, channels, 1, 1};
      weightScale = editor.addFloats(weightName + "_scale", scaleShape, scales);
      onnx::NodeProto &conv = editor.addNode("ConvInteger", nodeName + "_ConvInteger",
                                             {a.value, weightQ, a.zeroPoint, weightZ}, {product});
      for (const onnx::AttributeProto &attr : n->attribute())
        *conv.add_attribute() = attr;
    } else {
      // B as [K, N] (a Gemm with transB stores [N, K]).
      int64_t k = dims[0], cols = dims[1];
      std::vector<float> b = *values;
      if (n->op_type() == "Gemm" && intAttribute(*n, "transB", 0)) {
        std::swap(k, cols);
        for (int64_t r = 0; r < k; ++r)
          for (int64_t c = 0; c < cols; ++c)
            b[r * cols + c] = (*values)[c * k + r];
      }
      auto [q, scales] = quantizeSymmetric(b, {k, cols}, options.perTensor ? -1 : 1);
      int64_t channels = scales.size();
      weightQ = editor.addInt8(weightName + "_quantized", {k, cols}, q);
      weightZ = editor.addInt8(weightName + "_zero_point", {}, {0});
      scaleShape = {channels};
      weightScale = editor.addFloats(weightName + "_scale", scaleShape, scales);
      editor.addNode("MatMulInteger", nodeName + "_MatMulInteger",
                     {a.value, weightQ, a.zeroPoint, weightZ}, {product});
    }
    std::string asFloat = editor.uniqueName(output + "_float");
    onnx::NodeProto &cast = editor.addNode("Cast", nodeName + "_Cast", {product}, {asFloat});
    setIntAttribute(cast, "to", onnx::TensorProto::FLOAT);
    std::string scale = editor.uniqueName(output + "_scale");
    editor.addNode("Mul", nodeName + "_Scale", {a.scale, weightScale}, {scale});
    if (bias.empty()) {
      editor.addNode("Mul", nodeName + "_Rescale", {asFloat, scale}, {output});
    } else {
      std::string scaled = editor.uniqueName(output + "_scaled");
      editor.addNode("Mul", nodeName + "_Rescale", {asFloat, scale}, {scaled});
      std::string biasInput = bias;
      if (n->op_type() == "Conv") { // [F] -> [1, F, 1, 1]
        std::optional<std::vector<float>> biasValues = editor.floats(bias);
        if (!biasValues)
          return llvm::createStringError(llvm::inconvertibleErrorCode(),
                                         "node '" + nodeName + "': the bias is not a float32 "
                                                               "initializer");
        biasInput = editor.addFloats(bias + "_broadcast",
                                     {1, static_cast<int64_t>(biasValues->size()), 1, 1},
                                     *biasValues);
        replacedInitializers.insert(bias);
      }
      editor.addNode("Add", nodeName + "_Bias", {scaled, biasInput}, {output});
    }
    replaced.push_back(n);
    replacedInitializers.insert(weightName);
    ++report.quantizedOps;
    report.weights.push_back(llvm::json::Object{{"tensor", weightName},
                                                {"node", nodeName},
                                                {"channels", static_cast<int64_t>(
                                                                 scaleShape.size() == 4
                                                                     ? scaleShape[1]
                                                                     : scaleShape[0])}});
  }
  // The replaced products go; so do weights nothing reads any more.
  auto *nodes = g.mutable_node();
  for (int i = nodes->size() - 1; i >= 0; --i)
    if (std::find(replaced.begin(), replaced.end(), nodes->Mutable(i)) != replaced.end())
      nodes->DeleteSubrange(i, 1);
  for (const std::string &name : replacedInitializers)
    if (editor.consumers(name).empty())
      editor.removeInitializer(name);
  editor.sortTopologically();
  report.notes.push_back("activation ranges are computed at run time (DynamicQuantizeLinear); "
                         "static quantization with --calibration is faster and usually more "
                         "accurate");
  return llvm::Error::success();
}

} // namespace deepseek::optimize
