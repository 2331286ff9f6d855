//===- NodeContext.cpp - what an op converter sees of one ONNX node -------===//

#include "NodeContext.h"

#include "GraphImporter.h"
#include "TensorConversion.h"

#include "deepseek/Dialect/DS/IR/DSOps.h"
#include "mlir/IR/DialectResourceBlobManager.h"
#include "mlir/IR/Matchers.h"

using namespace mlir;

namespace deepseek::onnx_import {

NodeContext::NodeContext(GraphImporter &importer, const onnx::NodeProto &node,
                         Location loc)
    : importer_(importer), node_(node), loc_(loc) {}

OpBuilder &NodeContext::builder() { return importer_.builder(); }

bool NodeContext::hasInput(unsigned i) const {
  return static_cast<int>(i) < node_.input_size() && !node_.input(i).empty();
}

Value NodeContext::input(unsigned i) const {
  return hasInput(i) ? importer_.lookup(node_.input(i)) : Value();
}

RankedTensorType NodeContext::inputType(unsigned i) const {
  Value value = input(i);
  return value ? dyn_cast<RankedTensorType>(value.getType()) : RankedTensorType();
}

DenseElementsAttr NodeContext::constantInput(unsigned i) const {
  Value v = input(i);
  if (!v)
    return {};
  DenseElementsAttr value;
  if (matchPattern(v, m_Constant(&value)))
    return value;
  // Initializers over the inline limit are dense_resource blobs (per-channel
  // quantization scales, for one): read back as dense values. Bit-packed
  // booleans are not stored that way.
  Attribute attr;
  if (!matchPattern(v, m_Constant(&attr)))
    return {};
  auto resource = dyn_cast<DenseResourceElementsAttr>(attr);
  AsmResourceBlob *blob = resource ? resource.getRawHandle().getBlob() : nullptr;
  auto type = resource ? dyn_cast<RankedTensorType>(resource.getType()) : RankedTensorType();
  if (!blob || !type || type.getElementType().isInteger(1))
    return {};
  ArrayRef<char> data = blob->getData();
  int64_t bits = type.getElementTypeBitWidth();
  if (static_cast<int64_t>(data.size()) * 8 != type.getNumElements() * bits)
    return {};
  return DenseElementsAttr::getFromRawBuffer(type, data);
}

FailureOr<SmallVector<int64_t>> NodeContext::constantInts(unsigned i) const {
  auto value = dyn_cast_if_present<DenseIntElementsAttr>(constantInput(i));
  if (!value || value.getElementType().isInteger(1))
    return error("input " + Twine(i) +
                 " must be a constant integer tensor (an initializer, a Constant node "
                 "or a subgraph of constants); computed values are not supported here "
                 "yet");
  SmallVector<int64_t> values;
  for (const APInt &v : value.getValues<APInt>())
    values.push_back(v.getSExtValue());
  return values;
}

FailureOr<float> NodeContext::constantFloatScalar(unsigned i) const {
  auto value = dyn_cast_if_present<DenseFPElementsAttr>(constantInput(i));
  if (!value || value.getNumElements() != 1)
    return error("input " + Twine(i) +
                 " must be a constant floating-point scalar (an initializer or a "
                 "Constant node)");
  return static_cast<float>((*value.getValues<APFloat>().begin()).convertToDouble());
}

const onnx::AttributeProto *NodeContext::findAttr(llvm::StringRef name) const {
  for (const onnx::AttributeProto &attr : node_.attribute())
    if (attr.name() == name)
      return &attr;
  return nullptr;
}

bool NodeContext::hasAttr(llvm::StringRef name) const { return findAttr(name); }

int64_t NodeContext::attrInt(llvm::StringRef name, int64_t defaultValue) const {
  const onnx::AttributeProto *attr = findAttr(name);
  return attr ? attr->i() : defaultValue;
}

float NodeContext::attrFloat(llvm::StringRef name, float defaultValue) const {
  const onnx::AttributeProto *attr = findAttr(name);
  return attr ? attr->f() : defaultValue;
}

std::string NodeContext::attrString(llvm::StringRef name,
                                    llvm::StringRef defaultValue) const {
  const onnx::AttributeProto *attr = findAttr(name);
  return attr ? attr->s() : defaultValue.str();
}

std::optional<SmallVector<int64_t>> NodeContext::attrInts(llvm::StringRef name) const {
  const onnx::AttributeProto *attr = findAttr(name);
  if (!attr)
    return std::nullopt;
  return SmallVector<int64_t>(attr->ints().begin(), attr->ints().end());
}

std::optional<SmallVector<float>> NodeContext::attrFloats(llvm::StringRef name) const {
  const onnx::AttributeProto *attr = findAttr(name);
  if (!attr)
    return std::nullopt;
  return SmallVector<float>(attr->floats().begin(), attr->floats().end());
}

std::optional<SmallVector<std::string>>
NodeContext::attrStrings(llvm::StringRef name) const {
  const onnx::AttributeProto *attr = findAttr(name);
  if (!attr)
    return std::nullopt;
  return SmallVector<std::string>(attr->strings().begin(), attr->strings().end());
}

const onnx::TensorProto *NodeContext::attrTensor(llvm::StringRef name) const {
  const onnx::AttributeProto *attr = findAttr(name);
  return attr && attr->has_t() ? &attr->t() : nullptr;
}

RankedTensorType NodeContext::outputType(unsigned i) const {
  if (static_cast<int>(i) >= node_.output_size())
    return {};
  return importer_.recordedType(node_.output(i));
}

bool NodeContext::isOutputUsed(unsigned i) const {
  return static_cast<int>(i) < node_.output_size() && !node_.output(i).empty() &&
         importer_.isUsed(node_.output(i));
}

void NodeContext::setOutput(unsigned i, Value value) {
  if (static_cast<int>(i) < node_.output_size() && !node_.output(i).empty())
    importer_.define(node_.output(i), value);
}

Value NodeContext::output(unsigned i) const {
  if (static_cast<int>(i) >= node_.output_size() || node_.output(i).empty())
    return {};
  return importer_.lookup(node_.output(i));
}

LogicalResult NodeContext::setConstantOutput(unsigned i,
                                             const onnx::TensorProto &tensor) {
  llvm::Expected<ElementsAttr> value =
      convertTensor(context(), tensor, importer_.model(), importer_.inlineElementLimit());
  if (!value)
    return error(llvm::toString(value.takeError()));
  setConstantOutput(i, *value);
  return success();
}

void NodeContext::setConstantOutput(unsigned i, ElementsAttr value) {
  setOutput(i, ds::ConstantOp::create(builder(), loc_, value.getType(), value));
}

Value NodeContext::floatConstant(Type elementType, double value,
                                 ArrayRef<int64_t> shape) {
  auto type = RankedTensorType::get(shape, elementType);
  return ds::ConstantOp::create(
      builder(), loc_, type,
      DenseElementsAttr::get(type, FloatAttr::get(elementType, value)));
}

Value NodeContext::castTo(Value value, Type elementType) {
  auto type = cast<RankedTensorType>(value.getType());
  if (type.getElementType() == elementType)
    return value;
  return fold(ds::CastOp::create(builder(), loc_, type.clone(elementType), value));
}

Value NodeContext::fold(Operation *op) {
  SmallVector<Value> folded;
  if (succeeded(builder().tryFold(op, folded)) && !folded.empty()) {
    op->erase();
    return folded.front();
  }
  return op->getResult(0);
}

LogicalResult NodeContext::error(const Twine &message) const {
  return emitError(loc_) << message;
}

FailureOr<int64_t> NodeContext::normalizeAxis(int64_t axis, int64_t rank) const {
  int64_t normalized = axis < 0 ? axis + rank : axis;
  if (normalized < 0 || normalized >= rank)
    return error("axis " + Twine(axis) + " is out of range for rank " + Twine(rank));
  return normalized;
}

const ConverterTable &converters() {
  static const ConverterTable table = [] {
    ConverterTable t;
    registerElementwiseConverters(t);
    registerNeuralNetworkConverters(t);
    registerShapeConverters(t);
    registerReductionConverters(t);
    registerQuantizationConverters(t);
    registerEinsumConverter(t);
    registerRecurrentConverters(t);
    return t;
  }();
  return table;
}

} // namespace deepseek::onnx_import
