//===- GraphWriter.h - one TorchScript graph written as ONNX --------*- C++ -*-===//
//
// The state of one conversion: which ONNX tensor holds each TorchScript value,
// the values known at conversion time (ints, floats, bools, lists, None: the
// arguments TorchScript passes around as values, ONNX as attributes) and the
// shapes libtorch's shape propagation found. The per-operator converters
// (AtenOps.cpp) read their operands and write nodes through it.
//
//===----------------------------------------------------------------------===//
#ifndef DEEPSEEK_LIB_IMPORT_TORCHSCRIPT_GRAPHWRITER_H
#define DEEPSEEK_LIB_IMPORT_TORCHSCRIPT_GRAPHWRITER_H

#include <ATen/ATen.h>
#include <torch/csrc/jit/ir/ir.h>

#include "onnx/onnx_pb.h"

#include <map>
#include <optional>
#include <set>
#include <stdexcept>
#include <string>
#include <unordered_map>
#include <vector>

namespace deepseek::torchscript_import {

/// Thrown by a converter for a node it cannot write; the message says why.
struct ConversionError : std::runtime_error {
  using std::runtime_error::runtime_error;
};

class GraphWriter {
public:
  explicit GraphWriter(onnx::ModelProto &model) : model_(model), graph_(*model.mutable_graph()) {}

  // Values known at conversion time.
  void setKnown(torch::jit::Value *value, c10::IValue known) { known_[value] = std::move(known); }
  const c10::IValue *known(torch::jit::Value *value) const;
  bool isNone(torch::jit::Value *value) const;
  /// A number, or a 0-d constant tensor (how torch.jit.trace records one).
  bool isScalar(torch::jit::Value *value) const;
  int64_t toInt(torch::jit::Value *value) const;
  double toDouble(torch::jit::Value *value) const;
  bool toBool(torch::jit::Value *value) const;
  /// An int list, or one int repeated |repeat| times (`stride=2`).
  std::vector<int64_t> toInts(torch::jit::Value *value, size_t repeat = 0) const;
  std::string toString(torch::jit::Value *value) const;

  /// The ONNX tensor holding |value|: what a node wrote, or an initializer for
  /// a constant tensor or number (numbers and 0-d constants take |scalarType|).
  std::string tensor(torch::jit::Value *value, at::ScalarType scalarType = at::kFloat);
  /// The tensors of a list value (aten::cat's operand).
  std::vector<std::string> tensorList(torch::jit::Value *value);
  void setTensorList(torch::jit::Value *value, std::vector<std::string> names) {
    lists_[value] = std::move(names);
  }
  /// |value| is held by the ONNX tensor |name| (aliases: dropout, contiguous).
  void bind(torch::jit::Value *value, const std::string &name) { names_[value] = name; }
  bool hasTensor(torch::jit::Value *value) const { return names_.count(value) != 0; }

  /// The static shape of |value|: from libtorch's shape propagation, else
  /// from ONNX shape inference on the nodes written so far.
  std::optional<std::vector<int64_t>> shape(torch::jit::Value *value);
  std::vector<int64_t> requireShape(torch::jit::Value *value, const char *why);
  at::ScalarType scalarType(torch::jit::Value *value) const;

  /// A node of |opType| whose outputs are |node|'s outputs (bound here), named
  /// after the TorchScript value it computes.
  onnx::NodeProto &emit(const std::string &opType, const std::vector<std::string> &inputs,
                        torch::jit::Node *node);
  /// A node with one fresh output, for the inner steps of a decomposition.
  onnx::NodeProto &emitTemp(const std::string &opType, const std::vector<std::string> &inputs,
                            std::string &output);
  std::string freshName(const std::string &hint);
  std::string initializer(const at::Tensor &tensor, const std::string &hint);
  std::string int64s(const std::vector<int64_t> &values, const std::string &hint);
  std::string scalar(double value, at::ScalarType scalarType, const std::string &hint);

  static void setInt(onnx::NodeProto &node, const char *name, int64_t value);
  static void setInts(onnx::NodeProto &node, const char *name, const std::vector<int64_t> &values);
  static void setFloat(onnx::NodeProto &node, const char *name, double value);
  static void setString(onnx::NodeProto &node, const char *name, const std::string &value);

private:
  std::optional<std::vector<int64_t>> inferredShape(const std::string &name);

  onnx::ModelProto &model_;
  onnx::GraphProto &graph_;
  std::map<std::string, std::vector<int64_t>> inferred_;
  std::unordered_map<torch::jit::Value *, std::string> names_;
  std::unordered_map<torch::jit::Value *, c10::IValue> known_;
  std::unordered_map<torch::jit::Value *, std::vector<std::string>> lists_;
  std::set<std::string> used_;
  std::map<std::string, int> suffixes_;
};

using NodeConverter = void (*)(GraphWriter &, torch::jit::Node *);
/// The converters by TorchScript kind ("aten::relu_").
const std::map<std::string, NodeConverter> &nodeConverters();

} // namespace deepseek::torchscript_import

#endif // DEEPSEEK_LIB_IMPORT_TORCHSCRIPT_GRAPHWRITER_H
