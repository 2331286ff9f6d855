//===- TorchScriptToONNX.cpp - load, freeze and convert a TorchScript model -===//
//
// torch::jit::load, then freeze (parameters become constants, submodule calls
// are inlined, BatchNorm folds into the convolution before it, as
// torch.jit.freeze does), then libtorch's shape propagation from the input
// shapes, then one converter per node (AtenOps.cpp). Every libtorch and
// converter exception is caught here.
//
//===----------------------------------------------------------------------===//

#include "deepseek/Import/TorchScript/TorchScriptToONNX.h"

#include "GraphWriter.h"

#include <torch/csrc/jit/api/module.h>
#include <torch/csrc/jit/passes/constant_propagation.h>
#include <torch/csrc/jit/passes/dead_code_elimination.h>
#include <torch/csrc/jit/passes/inliner.h>
#include <torch/csrc/jit/passes/shape_analysis.h>
#include <torch/csrc/jit/serialization/import.h>

#include <set>
#include <sstream>

namespace deepseek::torchscript_import {
namespace {

using torch::jit::Node;
using torch::jit::Value;

std::string joinDims(const std::vector<int64_t> &dims) {
  std::string s;
  for (size_t i = 0; i < dims.size(); ++i)
    s += (i ? "x" : "") + std::to_string(dims[i]);
  return s;
}

/// "x.1" -> "x": TorchScript's debug names carry a uniquing suffix.
std::string inputName(Value *value, const std::set<std::string> &taken) {
  std::string name = value->debugName();
  size_t dot = name.rfind('.');
  if (dot != std::string::npos && dot + 1 < name.size() &&
      name.find_first_not_of("0123456789", dot + 1) == std::string::npos)
    name = name.substr(0, dot);
  if (name.empty() || std::isdigit(static_cast<unsigned char>(name[0])))
    name = "input";
  return taken.count(name) ? value->debugName() : name;
}

/// Where a TorchScript node came from: "torchvision/models/resnet.py:150".
std::string sourceOf(Node *node) {
  if (auto range = node->sourceRange().findSourceRangeThatGenerated())
    if (auto where = range->file_line_col())
      return std::get<0>(*where) + ":" + std::to_string(std::get<1>(*where));
  if (auto where = node->sourceRange().file_line_col())
    return std::get<0>(*where) + ":" + std::to_string(std::get<1>(*where));
  return "";
}

/// The shape the weights of |input|'s first consumer imply, with the notice
/// that says what was assumed; empty when nothing can be inferred.
std::vector<int64_t> inferShape(Value *input, const std::string &name, GraphWriter &writer,
                                std::vector<std::string> &notices) {
  for (const torch::jit::Use &use : input->uses()) {
    Node *user = use.user;
    std::string kind = user->kind().toQualString();
    if (use.offset != 0 || user->inputs().size() < 2)
      continue;
    std::optional<std::vector<int64_t>> weight;
    if (const c10::IValue *k = writer.known(user->input(1)); k && k->isTensor())
      weight = k->toTensor().sizes().vec();
    if (!weight)
      continue;
    bool conv = kind == "aten::_convolution" || kind == "aten::conv2d";
    if (conv && weight->size() == 4) try {
      bool transposed = kind == "aten::_convolution" && writer.toBool(user->input(6));
      int64_t groups = writer.toInt(user->input(kind == "aten::_convolution" ? 8 : 6));
      int64_t channels = transposed ? (*weight)[0] : (*weight)[1] * groups;
      std::vector<int64_t> shape = {1, channels, 224, 224};
      notices.push_back("input '" + name + "' has no shape in a TorchScript model; assuming " +
                        joinDims(shape) + " (batch 1 and " + std::to_string(channels) +
                        " channels from the first convolution's weights, 224x224 assumed); "
                        "pass --input-shape " + name + "=DIMS to change it");
      return shape;
    } catch (const ConversionError &) {
      continue; // a convolution whose arguments are computed: no guess
    }
    if (kind == "aten::linear" && weight->size() == 2) {
      std::vector<int64_t> shape = {1, (*weight)[1]};
      notices.push_back("input '" + name + "' has no shape in a TorchScript model; assuming " +
                        joinDims(shape) + " (batch 1, features from the first linear "
                        "layer's weights); pass --input-shape " + name + "=DIMS to change it");
      return shape;
    }
  }
  return {};
}

onnx::TensorProto::DataType onnxType(at::ScalarType type) {
  switch (type) {
  case at::kDouble: return onnx::TensorProto::DOUBLE;
  case at::kHalf: return onnx::TensorProto::FLOAT16;
  case at::kLong: return onnx::TensorProto::INT64;
  case at::kInt: return onnx::TensorProto::INT32;
  case at::kBool: return onnx::TensorProto::BOOL;
  default: return onnx::TensorProto::FLOAT;
  }
}

void setValueInfo(onnx::ValueInfoProto &info, const std::string &name, at::ScalarType type,
                  const std::optional<std::vector<int64_t>> &shape) {
  info.set_name(name);
  onnx::TypeProto_Tensor &tensor = *info.mutable_type()->mutable_tensor_type();
  tensor.set_elem_type(onnxType(type));
  if (shape)
    for (int64_t d : *shape)
      tensor.mutable_shape()->add_dim()->set_dim_value(d);
}

bool convertGraph(const std::string &path, const std::shared_ptr<torch::jit::Graph> &graphPtr,
                  const InputShapes &shapes,
                  onnx::ModelProto &model, std::string &error,
                  std::vector<std::string> &notices) {
  torch::jit::Graph &graph = *graphPtr;
  onnx::GraphProto &out = *model.mutable_graph();
  // The model's name (symbol prefixes, messages): the file's stem.
  std::string stem = path.substr(path.find_last_of('/') + 1);
  stem = stem.substr(0, stem.find('.'));
  out.set_name(stem.empty() ? "main" : stem);
  GraphWriter writer(model);

  // Every unsupported operator is reported at once, with where it came from.
  std::map<std::string, std::vector<std::string>> unsupported;
  for (Node *node : graph.nodes()) {
    std::string kind = node->kind().toQualString();
    if (!nodeConverters().count(kind)) {
      std::vector<std::string> &where = unsupported[kind];
      if (where.size() < 3)
        where.push_back(sourceOf(node));
    }
  }
  if (!unsupported.empty()) {
    error = path + ": unsupported TorchScript operator" + (unsupported.size() > 1 ? "s" : "") +
            ":";
    for (const auto &[kind, where] : unsupported) {
      error += "\n  " + kind;
      std::string places;
      for (const std::string &w : where)
        if (!w.empty())
          places += (places.empty() ? "" : ", ") + w;
      if (!places.empty())
        error += " (at " + places + ")";
    }
    return false;
  }

  // Constants first: input shape inference reads the first layer's weights.
  for (Node *node : graph.nodes())
    if (node->kind() == c10::prim::Constant)
      nodeConverters().at("prim::Constant")(writer, node);

  // Tensor inputs (the first input is the module itself).
  std::vector<Value *> inputs;
  for (Value *input : graph.inputs()) {
    if (input->type()->cast<c10::TensorType>()) {
      inputs.push_back(input);
      continue;
    }
    if (input->uses().empty() || input->type()->kind() == c10::TypeKind::ClassType)
      continue;
    error = path + ": input '" + input->debugName() + "' is a " + input->type()->str() +
            "; only tensor inputs are supported";
    return false;
  }
  if (shapes.positional.size() > inputs.size()) {
    error = path + ": " + std::to_string(shapes.positional.size()) +
            " --input-shape values given by position, but the model has " +
            std::to_string(inputs.size()) + " tensor inputs";
    return false;
  }
  std::set<std::string> names;
  std::vector<std::string> inputNames;
  for (Value *input : inputs) {
    inputNames.push_back(inputName(input, names));
    names.insert(inputNames.back());
  }
  for (const auto &[name, shape] : shapes.named)
    if (!names.count(name)) {
      error = path + ": --input-shape names '" + name + "', which is not an input; the inputs are:";
      for (const std::string &n : inputNames)
        error += " '" + n + "'";
      return false;
    }
  for (size_t i = 0; i < inputs.size(); ++i) {
    const std::string &name = inputNames[i];
    std::vector<int64_t> shape;
    if (auto it = shapes.named.find(name); it != shapes.named.end()) {
      shape = it->second;
    } else if (i < shapes.positional.size()) {
      shape = shapes.positional[i];
    } else {
      shape = inferShape(inputs[i], name, writer, notices);
    }
    if (shape.empty()) {
      error = path + ": the shape of input '" + name +
              "' cannot be inferred from the model (TorchScript records no input shapes); "
              "give it with --input-shape " + name + "=DIMS or --input-shape DIMS (by "
              "position), e.g. --input-shape 1x3x224x224";
      return false;
    }
    for (int64_t d : shape)
      if (d < 0) {
        error = path + ": --input-shape for '" + name + "' must be static (got " +
                joinDims(shape) + ")";
        return false;
      }
    inputs[i]->setType(c10::TensorType::createContiguous(at::kFloat, at::kCPU, shape));
    writer.bind(inputs[i], name);
    setValueInfo(*out.add_input(), name, at::kFloat, shape);
  }
  torch::jit::PropagateInputShapes(graphPtr);

  for (Node *node : graph.nodes()) {
    if (node->kind() == c10::prim::Constant)
      continue;
    try {
      nodeConverters().at(node->kind().toQualString())(writer, node);
    } catch (const ConversionError &e) {
      std::string where = sourceOf(node);
      error = path + ": " + node->kind().toQualString() + " (%" + node->output(0)->debugName() +
              (where.empty() ? "" : ", at " + where) + "): " + e.what();
      return false;
    }
  }

  // Outputs, a tuple flattened. An output that is an input or a constant, or
  // repeated, gets an Identity node (an ONNX graph output must be a node's).
  std::vector<Value *> outputs;
  for (Value *output : graph.outputs()) {
    if (output->node()->kind() == c10::prim::TupleConstruct) {
      for (Value *v : output->node()->inputs())
        outputs.push_back(v);
    } else {
      outputs.push_back(output);
    }
  }
  std::set<std::string> produced, used;
  for (const onnx::NodeProto &node : out.node())
    produced.insert(node.output().begin(), node.output().end());
  for (size_t i = 0; i < outputs.size(); ++i) {
    std::string name;
    try {
      name = writer.tensor(outputs[i]);
    } catch (const ConversionError &e) {
      error = path + ": output " + std::to_string(i) + ": " + e.what();
      return false;
    }
    std::optional<std::vector<int64_t>> shape = writer.shape(outputs[i]); // before renaming
    std::string outName = outputs.size() == 1 ? "output" : "output_" + std::to_string(i);
    // Rename the producing node's output to the graph output's name.
    bool renamed = false;
    if (produced.count(name) && !used.count(name))
      for (onnx::NodeProto &node : *out.mutable_node())
        for (int o = 0; o < node.output_size(); ++o)
          if (node.output(o) == name) {
            node.set_output(o, outName);
            renamed = true;
          }
    if (renamed) {
      for (onnx::NodeProto &node : *out.mutable_node())
        for (int k = 0; k < node.input_size(); ++k)
          if (node.input(k) == name)
            node.set_input(k, outName);
    } else {
      onnx::NodeProto &identity = *out.add_node();
      identity.set_op_type("Identity");
      identity.add_input(name);
      identity.add_output(outName);
      identity.set_name(outName);
    }
    used.insert(name);
    setValueInfo(*out.add_output(), outName, writer.scalarType(outputs[i]), shape);
  }
  return true;
}

} // namespace

bool convertTorchScriptInProcess(const std::string &path, const InputShapes &shapes,
                                 onnx::ModelProto &model, std::string &error,
                                 std::vector<std::string> &notices) {
  try {
    torch::jit::Module module = torch::jit::load(path);
    module.eval();
    torch::jit::Module frozen = torch::jit::freeze(module);
    std::shared_ptr<torch::jit::Graph> graph = frozen.get_method("forward").graph()->copy();
    torch::jit::Inline(*graph);
    torch::jit::ConstantPropagation(graph);
    torch::jit::EliminateDeadCode(graph);
    model.set_ir_version(8);
    model.set_producer_name("deepseek TorchScript importer");
    model.set_doc_string("converted from " + path);
    onnx::OperatorSetIdProto &opset = *model.add_opset_import();
    opset.set_domain("");
    opset.set_version(17);
    return convertGraph(path, graph, shapes, model, error, notices);
  } catch (const ConversionError &e) {
    error = path + ": " + e.what();
  } catch (const c10::Error &e) {
    error = path + ": libtorch could not load the TorchScript model: " + e.what_without_backtrace();
  } catch (const std::exception &e) {
    error = path + ": libtorch could not load the TorchScript model: " + e.what();
  }
  return false;
}

} // namespace deepseek::torchscript_import
