//===- GraphImporter.cpp - one ONNX graph -> one func.func ----------------===//

#include "GraphImporter.h"

#include "deepseek/Import/TensorLimits.h"

#include "NodeContext.h"
#include "NodeName.h"
#include "TensorConversion.h"

#include "deepseek/Dialect/DS/IR/DSOps.h"
#include "mlir/Dialect/Func/IR/FuncOps.h"
#include "mlir/Dialect/Quant/IR/Quant.h"
#include "mlir/Dialect/Quant/IR/QuantTypes.h"
#include "mlir/IR/Verifier.h"
#include "llvm/ADT/StringSet.h"

#include <set>

using namespace mlir;

namespace deepseek::onnx_import {
namespace {

bool isDefaultDomain(const std::string &domain) {
  return domain.empty() || domain == "ai.onnx";
}

int64_t opsetOf(const onnx::ModelProto &model, const std::string &domain) {
  for (const onnx::OperatorSetIdProto &opset : model.opset_import())
    if (opset.domain() == domain ||
        (isDefaultDomain(domain) && isDefaultDomain(opset.domain())))
      return opset.version();
  return -1;
}

} // namespace

GraphImporter::GraphImporter(MLIRContext &context,
                             std::shared_ptr<const onnx::ModelProto> model,
                             llvm::StringRef path, const ImportOptions &options)
    : context_(context), model_(std::move(model)), path_(path.str()), options_(options),
      builder_(&context) {}

Location GraphImporter::fileLoc() const {
  return FileLineColLoc::get(&context_, path_, 0, 0);
}

Location GraphImporter::nodeLoc(const onnx::NodeProto &node, size_t index) const {
  Location opType = NameLoc::get(StringAttr::get(&context_, node.op_type()), fileLoc());
  return NameLoc::get(StringAttr::get(&context_, nodeName(node, index)), opType);
}

Value GraphImporter::lookup(const std::string &name) const {
  auto it = values_.find(name);
  return it == values_.end() ? Value() : it->second;
}

RankedTensorType GraphImporter::recordedType(const std::string &name) const {
  auto it = types_.find(name);
  return it == types_.end() ? RankedTensorType() : it->second;
}

LogicalResult GraphImporter::importInitializer(const onnx::TensorProto &tensor) {
  Location loc = NameLoc::get(StringAttr::get(&context_, tensor.name()), fileLoc());
  llvm::Expected<ElementsAttr> value =
      convertTensor(&context_, tensor, model_, options_.inlineElementLimit);
  if (!value)
    return emitError(loc) << llvm::toString(value.takeError());
  values_[tensor.name()] =
      ds::ConstantOp::create(builder_, loc, value->getType(), *value);
  return success();
}

LogicalResult checkAllOpsSupported(const onnx::ModelProto &model, Location fileLoc) {
  const ConverterTable &table = converters();
  // Deprecated operators the ONNX version converter rewrites on the way to the
  // target opset (Upsample becomes Resize at opset 10).
  static const llvm::StringSet<> replacedByConverter = {"Upsample"};
  std::string list;
  llvm::raw_string_ostream os(list);
  unsigned count = 0;
  const onnx::GraphProto &graph = model.graph();
  for (int i = 0; i < graph.node_size(); ++i) {
    const onnx::NodeProto &node = graph.node(i);
    if (isDefaultDomain(node.domain()) &&
        (table.count(node.op_type()) || replacedByConverter.contains(node.op_type())))
      continue;
    ++count;
    os << "\n  node '" << nodeName(node, i) << "': " << node.op_type() << " (domain "
       << (node.domain().empty() ? "ai.onnx" : node.domain()) << ", opset "
       << opsetOf(model, node.domain()) << ")";
  }
  if (count == 0)
    return success();
  return emitError(fileLoc) << count << " node(s) use operators the importer does not "
                            << "support:" << list;
}

LogicalResult GraphImporter::recordValueTypes() {
  const onnx::GraphProto &graph = model_->graph();
  for (const onnx::ValueInfoProto &info : graph.value_info())
    if (llvm::Expected<RankedTensorType> type = convertValueType(&context_, info.type()))
      types_[info.name()] = *type;
    else
      llvm::consumeError(type.takeError()); // Not every intermediate needs a known type.
  for (const auto *list : {&graph.input(), &graph.output()}) {
    for (const onnx::ValueInfoProto &info : *list) {
      llvm::Expected<RankedTensorType> type = convertValueType(&context_, info.type());
      if (!type)
        return emitError(fileLoc()) << "graph input/output '" << info.name()
                                    << "': " << llvm::toString(type.takeError());
      types_[info.name()] = *type;
    }
  }
  return success();
}

LogicalResult GraphImporter::importInitializers() {
  for (const onnx::TensorProto &tensor : model_->graph().initializer()) {
    if (isUsed(tensor.name()) && failed(importInitializer(tensor)))
      return failure();
  }
  return success();
}

LogicalResult GraphImporter::importNodes() {
  const ConverterTable &table = converters();
  const onnx::GraphProto &graph = model_->graph();
  for (int i = 0; i < graph.node_size(); ++i) {
    const onnx::NodeProto &node = graph.node(i);
    NodeContext ctx(*this, node, nodeLoc(node, i));
    for (int in = 0; in < node.input_size(); ++in)
      if (!node.input(in).empty() && !lookup(node.input(in)))
        return ctx.error("input '" + node.input(in) +
                         "' is not defined before this node");
    if (failed(table.lookup(node.op_type())(ctx)))
      return failure();
    for (int out = 0; out < node.output_size(); ++out)
      if (ctx.isOutputUsed(out) && !lookup(node.output(out)))
        return ctx.error("output " + llvm::Twine(out) + " ('" + node.output(out) +
                         "') is used but this importer does not produce it");
  }
  return success();
}

OwningOpRef<ModuleOp> GraphImporter::run() {
  const onnx::GraphProto &graph = model_->graph();
  for (const onnx::NodeProto &node : graph.node())
    for (const std::string &input : node.input())
      ++uses_[input];
  for (const onnx::ValueInfoProto &output : graph.output())
    ++uses_[output.name()];

  // The version converter may have renamed operators: check again.
  if (failed(checkAllOpsSupported(*model_, fileLoc())) || failed(recordValueTypes()))
    return nullptr;

  // Graph inputs that are not initializers become the function's arguments.
  std::set<std::string> initializerNames;
  for (const onnx::TensorProto &tensor : graph.initializer())
    initializerNames.insert(tensor.name());
  SmallVector<Type> argTypes;
  SmallVector<std::string> argNames;
  llvm::StringSet<> seenShapes;
  for (const onnx::ValueInfoProto &input : graph.input()) {
    if (initializerNames.count(input.name()))
      continue;
    RankedTensorType type = types_[input.name()];
    auto fixed = options_.inputShapes.find(input.name());
    if (fixed != options_.inputShapes.end()) {
      seenShapes.insert(input.name());
      ArrayRef<int64_t> shape = fixed->second;
      bool compatible = static_cast<int64_t>(shape.size()) == type.getRank();
      for (size_t d = 0; compatible && d < shape.size(); ++d)
        compatible = type.isDynamicDim(d) || type.getDimSize(d) == shape[d];
      if (!compatible) {
        std::string declared;
        llvm::raw_string_ostream os(declared);
        os << type;
        emitError(fileLoc()) << "--input-shape for '" << input.name()
                             << "' does not fit its declared type " << declared;
        return nullptr;
      }
      type = RankedTensorType::get(shape, type.getElementType());
      types_[input.name()] = type;
    }
    argTypes.push_back(type);
    argNames.push_back(input.name());
  }
  for (const auto &entry : options_.inputShapes)
    if (!seenShapes.contains(entry.getKey())) {
      InFlightDiagnostic diag = emitError(fileLoc());
      diag << "--input-shape names '" << entry.getKey()
           << "', which is not a graph input; the inputs are:";
      for (const std::string &name : argNames)
        diag << " '" << name << "'";
      return nullptr;
    }

  OwningOpRef<ModuleOp> module = ModuleOp::create(fileLoc());
  builder_.setInsertionPointToEnd(module->getBody());
  auto fn = func::FuncOp::create(builder_, fileLoc(), "main",
                                 builder_.getFunctionType(argTypes, {}));
  Block *entry = fn.addEntryBlock();
  for (auto [index, name] : llvm::enumerate(argNames)) {
    values_[name] = entry->getArgument(index);
    fn.setArgAttr(index, "ds.name", builder_.getStringAttr(name));
  }
  builder_.setInsertionPointToStart(entry);

  if (failed(importInitializers()) || failed(importNodes()))
    return nullptr;

  SmallVector<Value> results;
  for (const onnx::ValueInfoProto &output : graph.output()) {
    Value value = lookup(output.name());
    if (!value) {
      emitError(fileLoc()) << "graph output '" << output.name() << "' is never produced";
      return nullptr;
    }
    // A quantized output leaves as its storage, typed as ONNX declares it
    // (uint8/int8/...): the bits do not change.
    if (auto type = dyn_cast<RankedTensorType>(value.getType()))
      if (auto qtype = dyn_cast<quant::QuantizedType>(type.getElementType())) {
        Value storage = quant::StorageCastOp::create(
            builder_, fileLoc(), type.clone(qtype.getStorageType()), value);
        Type declared = IntegerType::get(
            builder_.getContext(), qtype.getStorageTypeIntegralWidth(),
            qtype.isSigned() ? IntegerType::Signless : IntegerType::Unsigned);
        value = storage;
        if (declared != qtype.getStorageType())
          value = ds::CastOp::create(builder_, fileLoc(), type.clone(declared), storage);
      }
    results.push_back(value);
  }
  func::ReturnOp::create(builder_, fileLoc(), results);
  fn.setType(builder_.getFunctionType(argTypes, ValueRange(results).getTypes()));
  for (int i = 0; i < graph.output_size(); ++i)
    fn.setResultAttr(i, "ds.name", builder_.getStringAttr(graph.output(i).name()));
  if (!graph.name().empty())
    (*module)->setAttr("ds.model_name", builder_.getStringAttr(graph.name()));

  // Shape inputs consumed at import (Reshape's target, Slice's bounds, folded
  // shape subgraphs) leave constants nothing reads.
  fn.walk([](ds::ConstantOp op) {
    if (op->use_empty())
      op->erase();
  });
  if (failed(verify(*module)) || failed(deepseek::checkTensorSizes(*module)))
    return nullptr;
  return module;
}

} // namespace deepseek::onnx_import
