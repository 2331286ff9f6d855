//===- GraphWriter.cpp - one TorchScript graph written as ONNX ------------===//

#include "GraphWriter.h"

#include "onnx/shape_inference/implementation.h"

#include <cctype>

namespace deepseek::torchscript_import {

using torch::jit::Node;
using torch::jit::Value;

static std::string describe(Value *value) { return "%" + value->debugName(); }

const c10::IValue *GraphWriter::known(Value *value) const {
  auto it = known_.find(value);
  return it == known_.end() ? nullptr : &it->second;
}

bool GraphWriter::isNone(Value *value) const {
  const c10::IValue *v = known(value);
  return v && v->isNone();
}

bool GraphWriter::isScalar(Value *value) const {
  const c10::IValue *v = known(value);
  return v && (v->isDouble() || v->isInt() || v->isBool() ||
               (v->isTensor() && v->toTensor().dim() == 0));
}

int64_t GraphWriter::toInt(Value *value) const {
  const c10::IValue *v = known(value);
  if (v && v->isInt())
    return v->toInt();
  if (v && v->isBool())
    return v->toBool();
  throw ConversionError(describe(value) + " must be an int known when the model is compiled");
}

double GraphWriter::toDouble(Value *value) const {
  const c10::IValue *v = known(value);
  if (v && v->isDouble())
    return v->toDouble();
  if (v && v->isInt())
    return static_cast<double>(v->toInt());
  throw ConversionError(describe(value) + " must be a number known when the model is compiled");
}

bool GraphWriter::toBool(Value *value) const {
  const c10::IValue *v = known(value);
  if (v && v->isBool())
    return v->toBool();
  if (v && v->isInt())
    return v->toInt() != 0;
  throw ConversionError(describe(value) + " must be a bool known when the model is compiled");
}

std::vector<int64_t> GraphWriter::toInts(Value *value, size_t repeat) const {
  const c10::IValue *v = known(value);
  if (v && v->isIntList())
    return v->toIntVector();
  if (v && v->isInt() && repeat)
    return std::vector<int64_t>(repeat, v->toInt());
  throw ConversionError(describe(value) +
                        " must be a list of ints known when the model is compiled");
}

std::string GraphWriter::toString(Value *value) const {
  const c10::IValue *v = known(value);
  if (v && v->isString())
    return v->toStringRef();
  throw ConversionError(describe(value) + " must be a string known when the model is compiled");
}

std::string GraphWriter::tensor(Value *value, at::ScalarType scalarType) {
  auto it = names_.find(value);
  if (it != names_.end())
    return it->second;
  const c10::IValue *v = known(value);
  if (v && v->isTensor() && v->toTensor().dim() == 0 &&
      v->toTensor().scalar_type() != scalarType)
    return initializer(v->toTensor().to(scalarType), value->debugName());
  if (v && v->isTensor()) {
    std::string name = initializer(v->toTensor(), value->debugName());
    names_[value] = name;
    return name;
  }
  if (v && (v->isDouble() || v->isInt() || v->isBool()))
    return scalar(v->isDouble() ? v->toDouble() : static_cast<double>(v->toInt()), scalarType,
                  "scalar");
  throw ConversionError(describe(value) + " is not a tensor this converter has seen (" +
                        (value->node()->kind().toQualString()) + " output)");
}

std::vector<std::string> GraphWriter::tensorList(Value *value) {
  auto it = lists_.find(value);
  if (it != lists_.end())
    return it->second;
  throw ConversionError(describe(value) + " must be a list of tensors built in the graph");
}

std::optional<std::vector<int64_t>> GraphWriter::shape(Value *value) {
  if (const c10::IValue *v = known(value); v && v->isTensor())
    return v->toTensor().sizes().vec();
  if (auto type = value->type()->cast<c10::TensorType>())
    if (auto sizes = type->sizes().concrete_sizes()) // c10::optional in libtorch 1.13
      return std::vector<int64_t>(sizes->begin(), sizes->end());
  auto name = names_.find(value);
  if (name == names_.end())
    return std::nullopt;
  return inferredShape(name->second);
}

std::optional<std::vector<int64_t>> GraphWriter::inferredShape(const std::string &name) {
  auto known = inferred_.find(name);
  if (known != inferred_.end())
    return known->second;
  // libtorch's (legacy) shape propagation stops at some operators; ONNX's
  // inference over what is written so far continues from there.
  try {
    onnx::shape_inference::InferShapes(model_);
  } catch (const std::exception &) {
    graph_.clear_value_info();
    return std::nullopt;
  }
  for (const onnx::ValueInfoProto &info : graph_.value_info()) {
    const onnx::TypeProto_Tensor &tensor = info.type().tensor_type();
    if (!tensor.has_shape())
      continue;
    std::vector<int64_t> dims;
    for (const onnx::TensorShapeProto_Dimension &d : tensor.shape().dim())
      if (d.has_dim_value())
        dims.push_back(d.dim_value());
    if (static_cast<int>(dims.size()) == tensor.shape().dim_size())
      inferred_[info.name()] = dims;
  }
  graph_.clear_value_info();
  known = inferred_.find(name);
  if (known == inferred_.end())
    return std::nullopt;
  return known->second;
}

std::vector<int64_t> GraphWriter::requireShape(Value *value, const char *why) {
  std::optional<std::vector<int64_t>> s = shape(value);
  if (!s)
    throw ConversionError(std::string("the shape of ") + describe(value) +
                          " is not known, and is needed " + why);
  return *s;
}

at::ScalarType GraphWriter::scalarType(Value *value) const {
  if (const c10::IValue *v = known(value); v && v->isTensor())
    return v->toTensor().scalar_type();
  if (auto type = value->type()->cast<c10::TensorType>())
    if (auto s = type->scalarType())
      return *s;
  return at::kFloat;
}

std::string GraphWriter::freshName(const std::string &hint) {
  std::string base;
  for (char c : hint)
    base += std::isalnum(static_cast<unsigned char>(c)) || c == '.' || c == '_' ? c : '_';
  if (base.empty())
    base = "v";
  std::string name = base;
  while (used_.count(name))
    name = base + "_" + std::to_string(++suffixes_[base]);
  used_.insert(name);
  return name;
}

onnx::NodeProto &GraphWriter::emit(const std::string &opType,
                                   const std::vector<std::string> &inputs, Node *node) {
  onnx::NodeProto &out = *graph_.add_node();
  out.set_op_type(opType);
  for (const std::string &input : inputs)
    out.add_input(input);
  for (Value *result : node->outputs()) {
    std::string name = freshName(result->debugName());
    out.add_output(name);
    names_[result] = name;
  }
  out.set_name(out.output(0));
  // Where the TorchScript node came from, for messages about the ONNX node.
  if (auto range = node->sourceRange().findSourceRangeThatGenerated())
    if (auto where = range->file_line_col())
      out.set_doc_string(std::get<0>(*where) + ":" + std::to_string(std::get<1>(*where)));
  return out;
}

onnx::NodeProto &GraphWriter::emitTemp(const std::string &opType,
                                       const std::vector<std::string> &inputs,
                                       std::string &output) {
  onnx::NodeProto &out = *graph_.add_node();
  out.set_op_type(opType);
  for (const std::string &input : inputs)
    out.add_input(input);
  output = freshName(inputs.empty() ? opType : inputs.front() + "." + opType);
  out.add_output(output);
  out.set_name(output);
  return out;
}

std::string GraphWriter::initializer(const at::Tensor &value, const std::string &hint) {
  at::Tensor t = value.contiguous().cpu();
  onnx::TensorProto &proto = *graph_.add_initializer();
  proto.set_name(freshName(hint));
  for (int64_t d : t.sizes())
    proto.add_dims(d);
  switch (t.scalar_type()) {
  case at::kFloat: proto.set_data_type(onnx::TensorProto::FLOAT); break;
  case at::kDouble: proto.set_data_type(onnx::TensorProto::DOUBLE); break;
  case at::kHalf: proto.set_data_type(onnx::TensorProto::FLOAT16); break;
  case at::kLong: proto.set_data_type(onnx::TensorProto::INT64); break;
  case at::kInt: proto.set_data_type(onnx::TensorProto::INT32); break;
  case at::kBool: proto.set_data_type(onnx::TensorProto::BOOL); break;
  case at::kChar: proto.set_data_type(onnx::TensorProto::INT8); break;
  case at::kByte: proto.set_data_type(onnx::TensorProto::UINT8); break;
  default:
    throw ConversionError("constant '" + hint + "' has element type " +
                          std::string(c10::toString(t.scalar_type())) +
                          ", which ONNX models here cannot hold");
  }
  proto.set_raw_data(t.data_ptr(), t.numel() * t.element_size());
  return proto.name();
}

std::string GraphWriter::int64s(const std::vector<int64_t> &values, const std::string &hint) {
  return initializer(at::tensor(values, at::kLong), hint);
}

std::string GraphWriter::scalar(double value, at::ScalarType scalarType,
                                const std::string &hint) {
  return initializer(at::scalar_tensor(value, at::TensorOptions().dtype(scalarType)), hint);
}

void GraphWriter::setInt(onnx::NodeProto &node, const char *name, int64_t value) {
  onnx::AttributeProto &a = *node.add_attribute();
  a.set_name(name);
  a.set_type(onnx::AttributeProto::INT);
  a.set_i(value);
}

void GraphWriter::setInts(onnx::NodeProto &node, const char *name,
                          const std::vector<int64_t> &values) {
  onnx::AttributeProto &a = *node.add_attribute();
  a.set_name(name);
  a.set_type(onnx::AttributeProto::INTS);
  for (int64_t v : values)
    a.add_ints(v);
}

void GraphWriter::setFloat(onnx::NodeProto &node, const char *name, double value) {
  onnx::AttributeProto &a = *node.add_attribute();
  a.set_name(name);
  a.set_type(onnx::AttributeProto::FLOAT);
  a.set_f(static_cast<float>(value));
}

void GraphWriter::setString(onnx::NodeProto &node, const char *name, const std::string &value) {
  onnx::AttributeProto &a = *node.add_attribute();
  a.set_name(name);
  a.set_type(onnx::AttributeProto::STRING);
  a.set_s(value);
}

} // namespace deepseek::torchscript_import
