//===- InferencePrechecks.cpp - what libonnx assumes of a model -----------===//
//
// One walk over the graph and its subgraphs; each node gets the checks its op
// needs (InferencePrechecks.h says which crash each one prevents).
//
//===----------------------------------------------------------------------===//

#include "deepseek/Import/ONNX/InferencePrechecks.h"

#include "NodeName.h"

#include "llvm/ADT/StringMap.h"
#include "llvm/ADT/Twine.h"

#include <map>
#include <optional>
#include <set>
#include <string>
#include <vector>

namespace deepseek::onnx_import {
namespace {

/// Ops with a sliding window: libonnx's inference divides by their strides and
/// sizes outputs with their kernels and dilations.
struct WindowedOp {
  /// Operand index of the weight, whose rank must equal the input's; -1: none.
  int weightOperand;
  /// The input is (batch, channels, spatial...) and kernel_shape, strides,
  /// dilations, pads, output_padding have one entry per spatial dim (pads two).
  /// Col2Im's attributes count the output's dims instead.
  bool channelsFirst;
};

const llvm::StringMap<WindowedOp> &windowedOps() {
  static const llvm::StringMap<WindowedOp> ops = {
      {"Conv", {1, true}},         {"ConvTranspose", {1, true}}, {"ConvInteger", {1, true}},
      {"DeformConv", {1, true}},   {"QLinearConv", {3, true}},   {"MaxPool", {-1, true}},
      {"AveragePool", {-1, true}}, {"LpPool", {-1, true}},       {"MaxUnpool", {-1, true}},
      {"MaxRoiPool", {-1, true}},  {"Col2Im", {-1, false}}};
  return ops;
}

/// Ops whose `axis`/`axes`/`perm` index the first input's dims (Flatten's
/// axis may also equal the rank). libonnx indexes with them unchecked
/// (LayerNormalization's axis -134217732 read far out of bounds).
const std::set<std::string> &axisOfInputOps() {
  static const std::set<std::string> ops = {
      "LayerNormalization", "Softmax",        "LogSoftmax",      "Hardmax",
      "Gather",             "GatherElements", "ScatterElements", "Concat",
      "Split",              "ArgMax",         "ArgMin",          "QuantizeLinear",
      "DequantizeLinear",   "Compress",       "Flatten",         "ReduceMax",
      "ReduceMin",          "ReduceMean",     "ReduceSum",       "ReduceProd",
      "ReduceL1",           "ReduceL2",       "ReduceLogSum",    "ReduceLogSumExp",
      "ReduceSumSquare",    "Squeeze",        "Transpose"};
  return ops;
}

/// Beyond this, an axis is refused whatever the rank: no tensor has 65536 dims.
constexpr int64_t kAxisBound = int64_t(1) << 16;

/// What a value's declaration says before inference.
struct Declared {
  std::optional<int> rank;
  /// "a sequence", "a map", ...: set for values declared as other than tensors.
  const char *nonTensor = nullptr;
};
/// The declarations of one graph, chained to those of the graphs around it:
/// a subgraph's scope points at its parent's rather than copying it, so a
/// model with thousands of subgraphs under a graph with thousands of values
/// is checked in linear time, not quadratic.
struct Scope {
  std::map<std::string, Declared> own;
  const Scope *parent = nullptr;

  /// The innermost declaration of |name|, or null.
  const Declared *find(const std::string &name) const {
    for (const Scope *scope = this; scope; scope = scope->parent) {
      auto it = scope->own.find(name);
      if (it != scope->own.end())
        return &it->second;
    }
    return nullptr;
  }
};

class Prechecker {
public:
  explicit Prechecker(llvm::StringRef path) : path(path) {}

  /// |scope|: the values of the enclosing graphs, which a subgraph may use.
  /// |isSubgraph|: errors say which graph the node is in.
  llvm::Error checkGraph(const onnx::GraphProto &graph, const Scope *parent,
                         bool isSubgraph) {
    Scope scope;
    scope.parent = parent;
    addDeclarations(graph, scope.own);
    for (int i = 0; i < graph.node_size(); ++i) {
      const onnx::NodeProto &node = graph.node(i);
      where = "node '" + nodeName(node, i) + "' (" + node.op_type() + ")" +
              (isSubgraph ? " in subgraph '" + graph.name() + "'" : "") + ": ";
      if (llvm::Error e = checkNode(node, scope))
        return e;
      for (const onnx::AttributeProto &attr : node.attribute()) {
        if (attr.has_g())
          if (llvm::Error e = checkGraph(attr.g(), &scope, /*isSubgraph=*/true))
            return e;
        for (const onnx::GraphProto &body : attr.graphs())
          if (llvm::Error e = checkGraph(body, &scope, /*isSubgraph=*/true))
            return e;
      }
    }
    return llvm::Error::success();
  }

  /// libonnx's converter dereferences the producer of every main-graph output.
  llvm::Error checkOutputsProduced(const onnx::GraphProto &graph) {
    std::set<std::string> defined;
    for (const onnx::ValueInfoProto &input : graph.input())
      defined.insert(input.name());
    for (const onnx::TensorProto &tensor : graph.initializer())
      defined.insert(tensor.name());
    for (const onnx::NodeProto &node : graph.node())
      defined.insert(node.output().begin(), node.output().end());
    for (const onnx::ValueInfoProto &output : graph.output())
      if (!defined.count(output.name()))
        return fail("graph output '" + output.name() +
                    "' is not produced by any node, input or initializer");
    return llvm::Error::success();
  }

private:
  llvm::Error fail(const llvm::Twine &message) const {
    return llvm::createStringError(llvm::inconvertibleErrorCode(),
                                   (path + ": " + message).str());
  }
  /// An error about the node being checked.
  llvm::Error failAt(const llvm::Twine &message) const {
    return fail(where + message);
  }

  /// What declared inputs, annotated values and initializers say before
  /// inference. Values of |graph| hide same-named outer ones.
  static void addDeclarations(const onnx::GraphProto &graph,
                              std::map<std::string, Declared> &scope) {
    auto record = [&](const onnx::ValueInfoProto &info) {
      const onnx::TypeProto &type = info.type();
      Declared &declared = scope[info.name()];
      declared = Declared();
      switch (type.value_case()) {
      case onnx::TypeProto::kTensorType:
        if (type.tensor_type().has_shape())
          declared.rank = type.tensor_type().shape().dim_size();
        break;
      case onnx::TypeProto::kSequenceType:
        declared.nonTensor = "a sequence";
        break;
      case onnx::TypeProto::kMapType:
        declared.nonTensor = "a map";
        break;
      case onnx::TypeProto::kOptionalType:
        declared.nonTensor = "an optional";
        break;
      case onnx::TypeProto::kOpaqueType:
        declared.nonTensor = "of an opaque type";
        break;
      default:
        break;
      }
    };
    for (const onnx::ValueInfoProto &info : graph.input())
      record(info);
    for (const onnx::ValueInfoProto &info : graph.value_info())
      record(info);
    for (const onnx::TensorProto &tensor : graph.initializer())
      scope[tensor.name()] = Declared{tensor.dims_size(), nullptr};
  }

  static const Declared *declarationOf(const onnx::NodeProto &node, int operand,
                                       const Scope &scope) {
    if (operand < 0 || operand >= node.input_size())
      return nullptr;
    return scope.find(node.input(operand));
  }

  static std::optional<int> rankOf(const onnx::NodeProto &node, int operand,
                                   const Scope &scope) {
    const Declared *declared = declarationOf(node, operand, scope);
    return declared ? declared->rank : std::nullopt;
  }

  /// Shape's inference in libonnx 1.12 dereferences null when its input is
  /// not a tensor (found by onnx_import_fuzzer with opaque, map, sequence and
  /// optional inputs); the other ops tried report a type error.
  llvm::Error checkShapeInput(const onnx::NodeProto &node, const Scope &scope) {
    const Declared *input = declarationOf(node, 0, scope);
    if (!input || !input->nonTensor)
      return llvm::Error::success();
    return failAt("input '" + node.input(0) + "' is " + input->nonTensor +
                  "; Shape takes a tensor");
  }

  llvm::Error checkNode(const onnx::NodeProto &node, const Scope &scope) {
    if (!node.domain().empty() && node.domain() != "ai.onnx")
      return llvm::Error::success();
    if (node.op_type() == "Shape")
      return checkShapeInput(node, scope);
    if (llvm::Error e = checkAxes(node, scope))
      return e;
    auto windowed = windowedOps().find(node.op_type());
    if (windowed == windowedOps().end())
      return llvm::Error::success();
    if (llvm::Error e = checkWindowValues(node))
      return e;
    if (windowed->second.channelsFirst)
      return checkWindowRanks(node, windowed->second, scope);
    return llvm::Error::success();
  }

  llvm::Error checkAxes(const onnx::NodeProto &node, const Scope &scope) {
    std::optional<int> rank;
    if (axisOfInputOps().count(node.op_type()))
      rank = rankOf(node, 0, scope);
    for (const onnx::AttributeProto &attr : node.attribute()) {
      if (attr.name() != "axis" && attr.name() != "axes" && attr.name() != "perm")
        continue;
      std::vector<int64_t> values(attr.ints().begin(), attr.ints().end());
      if (attr.has_i())
        values.push_back(attr.i());
      auto outOfRange = [&](int64_t v, const llvm::Twine &range) {
        return failAt(attr.name() + " " + llvm::Twine(v) + " is out of range (" +
                                range + ")");
      };
      for (int64_t v : values)
        if (v < -kAxisBound || v > kAxisBound)
          return outOfRange(v, "no tensor has 65536 dims");
      if (!rank)
        continue;
      int64_t low = attr.name() == "perm" ? 0 : -*rank;
      int64_t high = node.op_type() == "Flatten" ? *rank : *rank - 1;
      for (int64_t v : values)
        if (v < low || v > high)
          return outOfRange(v, "the input has rank " + llvm::Twine(*rank) + ": from " +
                                   llvm::Twine(low) + " to " + llvm::Twine(high));
    }
    return llvm::Error::success();
  }

  /// A stride of 0 divides by zero; dilations and kernels below 1 make
  /// negative output sizes.
  llvm::Error checkWindowValues(const onnx::NodeProto &node) {
    for (const onnx::AttributeProto &attr : node.attribute()) {
      if (attr.name() != "strides" && attr.name() != "dilations" &&
          attr.name() != "kernel_shape" && attr.name() != "pooled_shape")
        continue;
      for (int64_t v : attr.ints())
        if (v < 1)
          return failAt(attr.name() + " has the value " + llvm::Twine(v) +
                                  "; every entry must be at least 1");
    }
    return llvm::Error::success();
  }

  /// ConvInteger on a rank-2 input read a null dim; ConvTranspose with a
  /// weight of another rank read past the weight's dims.
  llvm::Error checkWindowRanks(const onnx::NodeProto &node, const WindowedOp &op,
                               const Scope &scope) {
    std::optional<int> input = rankOf(node, 0, scope);
    if (!input)
      return llvm::Error::success();
    if (*input < 3)
      return failAt("the input has rank " + llvm::Twine(*input) +
                              "; it must be at least 3 (batch, channels, spatial dims)");
    std::optional<int> weight = rankOf(node, op.weightOperand, scope);
    if (weight && *weight != *input)
      return failAt("the input has rank " + llvm::Twine(*input) +
                              " and the weight rank " + llvm::Twine(*weight) +
                              "; both must be the same");
    int64_t spatial = *input - 2;
    for (const onnx::AttributeProto &attr : node.attribute()) {
      if (attr.name() != "kernel_shape" && attr.name() != "strides" &&
          attr.name() != "dilations" && attr.name() != "pads" &&
          attr.name() != "output_padding")
        continue;
      int64_t expected = attr.name() == "pads" ? 2 * spatial : spatial;
      if (attr.ints_size() != expected)
        return failAt(attr.name() + " has " + llvm::Twine(attr.ints_size()) +
                                " entries; the input's " + llvm::Twine(spatial) +
                                " spatial dims need " + llvm::Twine(expected));
    }
    return llvm::Error::success();
  }

  llvm::StringRef path;
  /// "node 'NAME' (OP)[ in subgraph 'G']: ", for the node being checked.
  std::string where;
};

} // namespace

llvm::Error checkBeforeInference(const onnx::GraphProto &graph, llvm::StringRef path) {
  Prechecker checker(path);
  if (llvm::Error e = checker.checkGraph(graph, /*parent=*/nullptr, /*isSubgraph=*/false))
    return e;
  return checker.checkOutputsProduced(graph);
}

} // namespace deepseek::onnx_import
