//===- GraphEditing.cpp - small edits of an ONNX graph --------------------===//

#include "GraphEditing.h"

#include "llvm/ADT/APFloat.h"

#include <algorithm>
#include <cmath>
#include <cstring>
#include <functional>
#include <map>
#include <set>

namespace deepseek::optimize {

GraphEditor::GraphEditor(onnx::GraphProto &graph) : g(graph) {
  for (const onnx::ValueInfoProto &v : g.input())
    names.insert(v.name());
  for (const onnx::ValueInfoProto &v : g.output())
    names.insert(v.name());
  for (const onnx::TensorProto &t : g.initializer())
    names.insert(t.name());
  for (const onnx::NodeProto &n : g.node()) {
    names.insert(n.name());
    for (const std::string &o : n.output())
      names.insert(o);
  }
}

const onnx::TensorProto *GraphEditor::initializer(const std::string &name) const {
  for (const onnx::TensorProto &t : g.initializer())
    if (t.name() == name)
      return &t;
  return nullptr;
}

std::optional<std::vector<float>> GraphEditor::floats(const std::string &name) const {
  const onnx::TensorProto *t = initializer(name);
  if (!t || t->data_type() != onnx::TensorProto::FLOAT)
    return std::nullopt;
  int64_t count = 1;
  for (int64_t d : t->dims())
    count *= d;
  std::vector<float> values(count);
  if (t->has_raw_data()) {
    if (t->raw_data().size() != count * sizeof(float))
      return std::nullopt;
    std::memcpy(values.data(), t->raw_data().data(), t->raw_data().size());
  } else {
    if (t->float_data_size() != count)
      return std::nullopt;
    std::copy(t->float_data().begin(), t->float_data().end(), values.begin());
  }
  return values;
}

std::string GraphEditor::uniqueName(const std::string &base) {
  std::string name = base;
  for (int i = 1; names.count(name); ++i)
    name = base + "_" + std::to_string(i);
  names.insert(name);
  return name;
}

namespace {
template <typename T>
std::string addRaw(GraphEditor &editor, onnx::GraphProto &g, const std::string &base,
                   int type, const std::vector<int64_t> &dims, const std::vector<T> &values) {
  onnx::TensorProto *t = g.add_initializer();
  t->set_name(editor.uniqueName(base));
  t->set_data_type(type);
  for (int64_t d : dims)
    t->add_dims(d);
  t->set_raw_data(std::string(reinterpret_cast<const char *>(values.data()),
                              values.size() * sizeof(T)));
  return t->name();
}
} // namespace

std::string GraphEditor::addFloats(const std::string &base, const std::vector<int64_t> &dims,
                                   const std::vector<float> &values) {
  return addRaw(*this, g, base, onnx::TensorProto::FLOAT, dims, values);
}

std::string GraphEditor::addInt8(const std::string &base, const std::vector<int64_t> &dims,
                                 const std::vector<int8_t> &values) {
  return addRaw(*this, g, base, onnx::TensorProto::INT8, dims, values);
}

std::string GraphEditor::addUInt8(const std::string &base, const std::vector<int64_t> &dims,
                                  const std::vector<uint8_t> &values) {
  return addRaw(*this, g, base, onnx::TensorProto::UINT8, dims, values);
}

std::string GraphEditor::addInt32(const std::string &base, const std::vector<int64_t> &dims,
                                  const std::vector<int32_t> &values) {
  return addRaw(*this, g, base, onnx::TensorProto::INT32, dims, values);
}

std::string GraphEditor::addFloat16(const std::string &base, const std::vector<int64_t> &dims,
                                    const std::vector<float> &values) {
  std::vector<uint16_t> halves;
  halves.reserve(values.size());
  for (float v : values) {
    llvm::APFloat f(v);
    bool lost;
    f.convert(llvm::APFloat::IEEEhalf(), llvm::APFloat::rmNearestTiesToEven, &lost);
    halves.push_back(static_cast<uint16_t>(f.bitcastToAPInt().getZExtValue()));
  }
  return addRaw(*this, g, base, onnx::TensorProto::FLOAT16, dims, halves);
}

void GraphEditor::removeInitializer(const std::string &name) {
  auto *list = g.mutable_initializer();
  for (int i = 0; i < list->size(); ++i)
    if (list->Get(i).name() == name) {
      list->DeleteSubrange(i, 1);
      return;
    }
}

onnx::NodeProto &GraphEditor::addNode(const std::string &op, const std::string &name,
                                      const std::vector<std::string> &inputs,
                                      const std::vector<std::string> &outputs) {
  onnx::NodeProto *node = g.add_node();
  node->set_op_type(op);
  node->set_name(uniqueName(name));
  for (const std::string &i : inputs)
    node->add_input(i);
  for (const std::string &o : outputs)
    node->add_output(o);
  return *node;
}

void GraphEditor::redirectConsumers(const std::string &from, const std::string &to,
                                    const std::set<const onnx::NodeProto *> &skip) {
  for (onnx::NodeProto &n : *g.mutable_node()) {
    if (skip.count(&n))
      continue;
    for (std::string &input : *n.mutable_input())
      if (input == from)
        input = to;
  }
}

std::vector<onnx::NodeProto *> GraphEditor::consumers(const std::string &value) {
  std::vector<onnx::NodeProto *> result;
  for (onnx::NodeProto &n : *g.mutable_node())
    for (const std::string &input : n.input())
      if (input == value) {
        result.push_back(&n);
        break;
      }
  return result;
}

onnx::NodeProto *GraphEditor::producer(const std::string &value) {
  for (onnx::NodeProto &n : *g.mutable_node())
    for (const std::string &o : n.output())
      if (o == value)
        return &n;
  return nullptr;
}

bool GraphEditor::isGraphOutput(const std::string &value) const {
  for (const onnx::ValueInfoProto &v : g.output())
    if (v.name() == value)
      return true;
  return false;
}

void GraphEditor::sortTopologically() {
  std::set<std::string> available;
  for (const onnx::ValueInfoProto &v : g.input())
    available.insert(v.name());
  for (const onnx::TensorProto &t : g.initializer())
    available.insert(t.name());
  available.insert("");
  std::vector<onnx::NodeProto> pending(g.node().begin(), g.node().end()), sorted;
  while (!pending.empty()) {
    size_t before = pending.size();
    std::vector<onnx::NodeProto> later;
    for (onnx::NodeProto &n : pending) {
      bool ready = true;
      for (const std::string &i : n.input())
        ready &= available.count(i) > 0;
      if (!ready) {
        later.push_back(std::move(n));
        continue;
      }
      for (const std::string &o : n.output())
        available.insert(o);
      sorted.push_back(std::move(n));
    }
    pending = std::move(later);
    if (pending.size() == before) { // a cycle or a missing input: keep the rest as is
      for (onnx::NodeProto &n : pending)
        sorted.push_back(std::move(n));
      break;
    }
  }
  g.clear_node();
  for (onnx::NodeProto &n : sorted)
    *g.add_node() = std::move(n);
}

int initializersFromConstantNodes(onnx::GraphProto &graph) {
  std::map<std::string, const onnx::TensorProto *> initializers;
  for (const onnx::TensorProto &t : graph.initializer())
    initializers[t.name()] = &t;
  std::set<std::string> outputs;
  for (const onnx::ValueInfoProto &v : graph.output())
    outputs.insert(v.name());
  std::vector<onnx::TensorProto> added;
  std::vector<int> removed;
  for (int i = 0; i < graph.node_size(); ++i) {
    const onnx::NodeProto &node = graph.node(i);
    if (node.output_size() != 1 || outputs.count(node.output(0)))
      continue;
    const onnx::TensorProto *source = nullptr;
    if (node.op_type() == "Constant" && node.attribute_size() == 1 &&
        node.attribute(0).name() == "value")
      source = &node.attribute(0).t();
    else if (node.op_type() == "Identity" && node.input_size() == 1 &&
             initializers.count(node.input(0)))
      source = initializers.at(node.input(0));
    if (!source)
      continue;
    onnx::TensorProto &t = added.emplace_back(*source);
    t.set_name(node.output(0));
    removed.push_back(i);
  }
  for (auto it = removed.rbegin(); it != removed.rend(); ++it)
    graph.mutable_node()->DeleteSubrange(*it, 1);
  for (onnx::TensorProto &t : added)
    *graph.add_initializer() = std::move(t);
  return static_cast<int>(removed.size());
}

void declareInitializersAsInputs(onnx::ModelProto &model) {
  if (model.ir_version() > 3)
    return;
  onnx::GraphProto &graph = *model.mutable_graph();
  std::map<std::string, onnx::ValueInfoProto *> inputs;
  for (onnx::ValueInfoProto &v : *graph.mutable_input())
    inputs[v.name()] = &v;
  for (const onnx::TensorProto &t : graph.initializer()) {
    onnx::ValueInfoProto *v = inputs.count(t.name()) ? inputs[t.name()] : graph.add_input();
    v->set_name(t.name());
    auto *type = v->mutable_type()->mutable_tensor_type();
    type->set_elem_type(t.data_type());
    type->mutable_shape()->clear_dim();
    for (int64_t d : t.dims())
      type->mutable_shape()->add_dim()->set_dim_value(d);
  }
}

void setIntAttribute(onnx::NodeProto &node, const std::string &name, int64_t value) {
  onnx::AttributeProto *attr = nullptr;
  for (onnx::AttributeProto &existing : *node.mutable_attribute())
    if (existing.name() == name)
      attr = &existing;
  if (!attr)
    attr = node.add_attribute();
  attr->Clear();
  attr->set_name(name);
  attr->set_type(onnx::AttributeProto::INT);
  attr->set_i(value);
}

SymmetricInt8 quantizeSymmetric(const std::vector<float> &values,
                                const std::vector<int64_t> &dims, int64_t axis) {
  int64_t channels = axis < 0 ? 1 : dims[axis], inner = 1;
  for (size_t d = axis < 0 ? dims.size() : axis + 1; d < dims.size(); ++d)
    inner *= dims[d];
  auto channel = [&](size_t i) { return axis < 0 ? 0 : (static_cast<int64_t>(i) / inner) % channels; };
  std::vector<float> absMax(channels, 0.0f);
  for (size_t i = 0; i < values.size(); ++i)
    absMax[channel(i)] = std::max(absMax[channel(i)], std::fabs(values[i]));
  SymmetricInt8 result;
  result.scales.resize(channels);
  for (int64_t c = 0; c < channels; ++c)
    result.scales[c] = absMax[c] > 0 ? absMax[c] / 127.0f : 1.0f;
  result.values.resize(values.size());
  for (size_t i = 0; i < values.size(); ++i) {
    float v = std::nearbyint(values[i] / result.scales[channel(i)]);
    result.values[i] = static_cast<int8_t>(std::clamp(v, -127.0f, 127.0f));
  }
  return result;
}

int64_t intAttribute(const onnx::NodeProto &node, const std::string &name, int64_t fallback) {
  for (const onnx::AttributeProto &a : node.attribute())
    if (a.name() == name)
      return a.i();
  return fallback;
}

float floatAttribute(const onnx::NodeProto &node, const std::string &name, float fallback) {
  for (const onnx::AttributeProto &a : node.attribute())
    if (a.name() == name)
      return a.f();
  return fallback;
}

} // namespace deepseek::optimize
