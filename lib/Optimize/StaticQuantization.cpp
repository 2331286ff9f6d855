//===- StaticQuantization.cpp - INT8 in QDQ format from calibrated ranges ===//
//
// The layout ONNX Runtime's own static quantizer writes, so that runtimes
// which fuse QDQ groups into integer kernels (ONNX Runtime, deepseek) find
// them: each quantized activation T becomes QuantizeLinear(T) ->
// DequantizeLinear, and every consumer of T reads the dequantized value;
// weights are int8 initializers (symmetric, one scale per output channel)
// behind a DequantizeLinear; biases are int32 with scale x_scale * w_scale,
// zero point 0. A Relu or Clip that alone follows a Conv/Gemm/MatMul/Add is
// quantized after it (a u8 range that starts at 0 does the clipping).
//
//===----------------------------------------------------------------------===//

#include "deepseek/Optimize/Quantization.h"

#include "GraphEditing.h"

#include <algorithm>
#include <cmath>
#include <limits>
#include <set>

namespace deepseek::optimize {
namespace {

const std::set<std::string> kProducts = {"Conv", "Gemm", "MatMul"};
/// Ops whose float inputs get QDQ pairs too (ONNX Runtime has integer
/// kernels for them, so their neighbours' Q/DQ pairs fuse).
const std::set<std::string> kQuantizedInputs = {"Conv",        "Gemm",     "MatMul",
                                                "Add",         "MaxPool",  "AveragePool",
                                                "GlobalAveragePool", "Concat"};

struct Graph {
  std::set<std::string> initializers, outputs;
  std::map<std::string, int> elemTypes;
  std::map<std::string, std::vector<const onnx::NodeProto *>> consumers;

  explicit Graph(const onnx::GraphProto &g) {
    for (const onnx::TensorProto &t : g.initializer())
      initializers.insert(t.name());
    for (const onnx::ValueInfoProto &v : g.output())
      outputs.insert(v.name());
    for (const auto *list : {&g.input(), &g.value_info(), &g.output()})
      for (const onnx::ValueInfoProto &v : *list)
        elemTypes[v.name()] = v.type().tensor_type().elem_type();
    for (const onnx::NodeProto &n : g.node())
      for (const std::string &i : n.input())
        if (!i.empty())
          consumers[i].push_back(&n);
  }

  bool isFloatActivation(const std::string &name) const {
    auto it = elemTypes.find(name);
    return !name.empty() && !initializers.count(name) && it != elemTypes.end() &&
           it->second == onnx::TensorProto::FLOAT;
  }

  /// The value after a Relu/Clip that is |value|'s only consumer.
  std::string afterActivation(const std::string &value) const {
    auto it = consumers.find(value);
    if (it == consumers.end() || it->second.size() != 1 || outputs.count(value))
      return value;
    const onnx::NodeProto *next = it->second.front();
    if (next->op_type() == "Relu" || next->op_type() == "Clip")
      return next->output(0);
    return value;
  }
};

/// Scale and zero point covering [lo, hi] (which contains 0).
std::pair<float, int> activationParams(float lo, float hi, bool isSigned) {
  if (isSigned) {
    float a = std::max(-lo, hi);
    return {a > 0 ? a / 127.0f : 1.0f, 0};
  }
  float scale = (hi - lo) / 255.0f;
  if (!(scale > 0))
    return {1.0f, 0};
  int zp = static_cast<int>(std::nearbyint(-lo / scale));
  return {scale, std::clamp(zp, 0, 255)};
}

struct WeightQuantization {
  std::string dequantized;
  std::vector<float> scales; // one, or one per channel
};

} // namespace

std::vector<std::string> activationsToQuantize(const onnx::ModelProto &model) {
  const onnx::GraphProto &g = model.graph();
  Graph graph(g);
  std::vector<std::string> result;
  std::set<std::string> seen;
  auto add = [&](const std::string &value) {
    if (graph.isFloatActivation(value) && !graph.outputs.count(value) && seen.insert(value).second)
      result.push_back(value);
  };
  for (const onnx::NodeProto &n : g.node()) {
    if (!kQuantizedInputs.count(n.op_type()))
      continue;
    // Conv/Gemm/MatMul read their weights as initializers; Add, pools and
    // Concat read activations only (a constant addend stays float).
    int inputs = kProducts.count(n.op_type()) ? 2 : n.input_size();
    for (int i = 0; i < std::min(inputs, n.input_size()); ++i)
      add(n.input(i));
    if (kProducts.count(n.op_type()) || n.op_type() == "Add" || n.op_type() == "Concat" ||
        n.op_type() == "MaxPool")
      add(graph.afterActivation(n.output(0)));
  }
  return result;
}

llvm::Error quantizeStatic(onnx::ModelProto &model,
                           const std::map<std::string, TensorStats> &stats,
                           const QuantizeOptions &options, QuantizationReport &report) {
  report.mode = "int8-static";
  onnx::GraphProto &g = *model.mutable_graph();
  std::vector<std::string> activations = activationsToQuantize(model);
  GraphEditor editor(g);

  // 1. Activations: a QDQ pair each, all consumers reading the dequantized value.
  std::map<std::string, float> activationScale; // by the dequantized value's name
  for (const std::string &t : activations) {
    auto it = stats.find(t);
    if (it == stats.end() || !it->second.seen) {
      report.notes.push_back("activation '" + t + "' was not seen in calibration; kept float");
      continue;
    }
    auto [lo, hi] = selectRange(it->second, options.method, options.percentile);
    auto [scale, zp] = activationParams(lo, hi, options.signedActivations);
    std::string scaleName = editor.addFloats(t + "_scale", {}, {scale});
    std::string zpName = options.signedActivations
                             ? editor.addInt8(t + "_zero_point", {}, {static_cast<int8_t>(zp)})
                             : editor.addUInt8(t + "_zero_point", {}, {static_cast<uint8_t>(zp)});
    std::string quantized = editor.uniqueName(t + "_quantized");
    std::string dequantized = editor.uniqueName(t + "_dequantized");
    activationScale[dequantized] = scale;
    editor.redirectConsumers(t, dequantized);
    editor.addNode("QuantizeLinear", t + "_QuantizeLinear", {t, scaleName, zpName}, {quantized});
    editor.addNode("DequantizeLinear", t + "_DequantizeLinear", {quantized, scaleName, zpName},
                   {dequantized});
    report.activations.push_back(llvm::json::Object{{"tensor", t},
                                                    {"min", it->second.min},
                                                    {"max", it->second.max},
                                                    {"range", llvm::json::Array{lo, hi}},
                                                    {"scale", scale},
                                                    {"zero_point", zp}});
  }

  // 2. Weights and biases of the products.
  std::map<std::string, WeightQuantization> quantizedWeights;
  std::set<std::string> replacedInitializers;
  int nodeCount = g.node_size();
  for (int index = 0; index < nodeCount; ++index) {
    onnx::NodeProto &n = *g.mutable_node(index);
    if (!kProducts.count(n.op_type()))
      continue;
    const std::string nodeName = n.name().empty() ? n.output(0) : n.name();
    if (n.input_size() < 2 || !editor.initializer(n.input(1))) {
      if (n.op_type() != "MatMul") // activation x activation MatMuls are quantized as activations
        report.keptFloat.push_back({nodeName, n.op_type() + " weight is computed at run time"});
      continue;
    }
    const std::string weightName = n.input(1);
    const onnx::TensorProto *weight = editor.initializer(weightName);
    std::optional<std::vector<float>> values = editor.floats(weightName);
    if (!values) {
      report.keptFloat.push_back({nodeName, "weight is not a float32 initializer"});
      continue;
    }
    std::vector<int64_t> dims(weight->dims().begin(), weight->dims().end());
    // The output-channel axis: Conv [F, C, kh, kw] -> 0; Gemm B [K, N] -> 1,
    // or [N, K] with transB -> 0; MatMul B [K, N] -> 1 (other ranks: per tensor).
    int64_t axis = -1;
    if (n.op_type() == "Conv")
      axis = 0;
    else if (n.op_type() == "Gemm" && dims.size() == 2)
      axis = intAttribute(n, "transB", 0) ? 0 : 1;
    else if (n.op_type() == "MatMul" && dims.size() == 2)
      axis = 1;
    if (options.perTensor)
      axis = -1;
    auto found = quantizedWeights.find(weightName);
    if (found == quantizedWeights.end()) {
      auto [q, scales] = quantizeSymmetric(*values, dims, axis);
      int64_t channels = static_cast<int64_t>(scales.size());
      std::vector<int64_t> paramDims = axis < 0 ? std::vector<int64_t>{}
                                                : std::vector<int64_t>{channels};
      std::string qName = editor.addInt8(weightName + "_quantized", dims, q);
      std::string sName = editor.addFloats(weightName + "_scale", paramDims, scales);
      std::string zName =
          editor.addInt8(weightName + "_zero_point", paramDims, std::vector<int8_t>(channels, 0));
      std::string dq = editor.uniqueName(weightName + "_dequantized");
      onnx::NodeProto &node = editor.addNode("DequantizeLinear", weightName + "_DequantizeLinear",
                                             {qName, sName, zName}, {dq});
      if (axis >= 0)
        setIntAttribute(node, "axis", axis);
      found = quantizedWeights.emplace(weightName, WeightQuantization{dq, scales}).first;
      auto [minScale, maxScale] = std::minmax_element(scales.begin(), scales.end());
      report.weights.push_back(llvm::json::Object{{"tensor", weightName},
                                                  {"node", nodeName},
                                                  {"channels", channels},
                                                  {"scale_min", *minScale},
                                                  {"scale_max", *maxScale}});
    }
    onnx::NodeProto &node = *g.mutable_node(index); // addNode may have moved the array
    node.set_input(1, found->second.dequantized);
    replacedInitializers.insert(weightName);
    ++report.quantizedOps;

    // The bias as int32 at scale x_scale * w_scale (what integer kernels add
    // to their int32 accumulators).
    bool plainGemm = node.op_type() != "Gemm" ||
                     (intAttribute(node, "transA", 0) == 0 &&
                      floatAttribute(node, "alpha", 1.0f) == 1.0f &&
                      floatAttribute(node, "beta", 1.0f) == 1.0f);
    auto xScale = activationScale.find(node.input(0));
    if (node.op_type() == "MatMul" || node.input_size() < 3 || !plainGemm ||
        xScale == activationScale.end())
      continue;
    const std::string biasName = node.input(2);
    const onnx::TensorProto *bias = editor.initializer(biasName);
    std::optional<std::vector<float>> biasValues = editor.floats(biasName);
    const std::vector<float> &wScales = found->second.scales;
    if (!bias || !biasValues || bias->dims_size() != 1 ||
        (wScales.size() != 1 && static_cast<int64_t>(wScales.size()) != bias->dims(0)))
      continue;
    int64_t channels = bias->dims(0);
    std::vector<float> biasScales(channels);
    std::vector<int32_t> bq(channels);
    for (int64_t c = 0; c < channels; ++c) {
      biasScales[c] = xScale->second * wScales[wScales.size() == 1 ? 0 : c];
      double v = std::nearbyint(static_cast<double>((*biasValues)[c]) / biasScales[c]);
      bq[c] = static_cast<int32_t>(std::clamp<double>(v, std::numeric_limits<int32_t>::min(),
                                                      std::numeric_limits<int32_t>::max()));
    }
    std::string qName = editor.addInt32(biasName + "_quantized", {channels}, bq);
    std::string sName = editor.addFloats(biasName + "_scale", {channels}, biasScales);
    std::string zName =
        editor.addInt32(biasName + "_zero_point", {channels}, std::vector<int32_t>(channels, 0));
    std::string dq = editor.uniqueName(biasName + "_dequantized");
    onnx::NodeProto &biasNode = editor.addNode(
        "DequantizeLinear", biasName + "_DequantizeLinear", {qName, sName, zName}, {dq});
    setIntAttribute(biasNode, "axis", 0);
    g.mutable_node(index)->set_input(2, dq);
    replacedInitializers.insert(biasName);
  }

  // 3. Float initializers nothing reads any more.
  for (const std::string &name : replacedInitializers)
    if (editor.consumers(name).empty())
      editor.removeInitializer(name);
  editor.sortTopologically();

  // What stays float: every op type that is not a quantized product.
  std::map<std::string, int> floatOps;
  for (const onnx::NodeProto &n : g.node())
    if (!kProducts.count(n.op_type()) && n.op_type() != "QuantizeLinear" &&
        n.op_type() != "DequantizeLinear")
      ++floatOps[n.op_type()];
  for (const auto &[op, count] : floatOps)
    report.notes.push_back(op + " x" + std::to_string(count) +
                           ": computed in float between quantized tensors");
  return llvm::Error::success();
}

} // namespace deepseek::optimize
