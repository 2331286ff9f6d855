//===- GraphEditing.h - small edits of an ONNX graph -----------*- C++ -*-===//
//
// The pieces every rewrite of deepseek-optimize needs: reading an
// initializer's floats, adding initializers and nodes under names no other
// value has, and pointing a value's consumers at another value.
//
//===----------------------------------------------------------------------===//
#ifndef DEEPSEEK_LIB_OPTIMIZE_GRAPHEDITING_H
#define DEEPSEEK_LIB_OPTIMIZE_GRAPHEDITING_H

#include "onnx/onnx_pb.h"

#include <map>
#include <optional>
#include <set>
#include <string>
#include <vector>

namespace deepseek::optimize {

class GraphEditor {
public:
  explicit GraphEditor(onnx::GraphProto &graph);

  onnx::GraphProto &graph() { return g; }

  /// The initializer named |name|, or null.
  const onnx::TensorProto *initializer(const std::string &name) const;
  /// Its float values (raw or typed storage), or nothing when it is not an
  /// initializer of type FLOAT.
  std::optional<std::vector<float>> floats(const std::string &name) const;

  /// |base| when no value, node or initializer has that name yet, else
  /// |base| with a number appended; the name is reserved.
  std::string uniqueName(const std::string &base);

  /// New initializers (the name is made unique and returned).
  std::string addFloats(const std::string &base, const std::vector<int64_t> &dims,
                        const std::vector<float> &values);
  std::string addInt8(const std::string &base, const std::vector<int64_t> &dims,
                      const std::vector<int8_t> &values);
  std::string addUInt8(const std::string &base, const std::vector<int64_t> &dims,
                       const std::vector<uint8_t> &values);
  std::string addInt32(const std::string &base, const std::vector<int64_t> &dims,
                       const std::vector<int32_t> &values);
  std::string addFloat16(const std::string &base, const std::vector<int64_t> &dims,
                         const std::vector<float> &values);
  void removeInitializer(const std::string &name);

  /// A new node, appended; its outputs must be unique names.
  onnx::NodeProto &addNode(const std::string &op, const std::string &name,
                           const std::vector<std::string> &inputs,
                           const std::vector<std::string> &outputs);

  /// Every node input that reads |from| (except in |skip|) reads |to|.
  void redirectConsumers(const std::string &from, const std::string &to,
                         const std::set<const onnx::NodeProto *> &skip = {});

  /// The nodes reading |value|.
  std::vector<onnx::NodeProto *> consumers(const std::string &value);
  /// The node writing |value|, or null (graph input, initializer).
  onnx::NodeProto *producer(const std::string &value);
  bool isGraphOutput(const std::string &value) const;

  /// Puts the nodes back into an order where each follows its inputs'
  /// producers (appended nodes land at the end otherwise).
  void sortTopologically();

private:
  onnx::GraphProto &g;
  std::set<std::string> names;
};

/// Sets integer attribute |name| of |node| (replaced, or appended).
void setIntAttribute(onnx::NodeProto &node, const std::string &name, int64_t value);

/// Weights quantized to int8 symmetrically (zero point 0, range [-127, 127]):
/// one scale per index along |axis| of |dims|, or one for all when |axis| < 0.
struct SymmetricInt8 {
  std::vector<int8_t> values;
  std::vector<float> scales;
};
SymmetricInt8 quantizeSymmetric(const std::vector<float> &values,
                                const std::vector<int64_t> &dims, int64_t axis);

/// An integer attribute of |node|, or |fallback|.
int64_t intAttribute(const onnx::NodeProto &node, const std::string &name, int64_t fallback);
float floatAttribute(const onnx::NodeProto &node, const std::string &name, float fallback);

} // namespace deepseek::optimize

#endif // DEEPSEEK_LIB_OPTIMIZE_GRAPHEDITING_H
