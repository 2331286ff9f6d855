//===- ChannelPruning.cpp - prune an ONNX model's channels ----------------===//
//
// The dependency analysis runs on the ds graph (one set of rules for every
// front end); its plan names ds constants, which the importer located at the
// ONNX initializer they hold. Only constants that are initializers may be
// sliced (a constant the importer made up has nothing to write back to), so
// a group holding another constant keeps its channels.
//
//===----------------------------------------------------------------------===//

#include "GraphEditing.h"
#include "InMemoryModel.h"

#include "deepseek/Driver/Compiler.h"
#include "deepseek/Import/ONNX/ModelLoader.h"
#include "deepseek/Import/ONNX/ONNXImporter.h"
#include "deepseek/Optimize/Pruning.h"
#include "deepseek/Transforms/ChannelPruning.h"

#include "mlir/IR/Diagnostics.h"

#include <algorithm>
#include <cstring>
#include <map>
#include <set>

using namespace mlir;
using namespace mlir::ds;

namespace deepseek::optimize {

namespace {


/// The initializer a constant was imported from: its location is the
/// initializer's name over the file (node constants have the op type there).
std::string initializerName(ConstantOp constant) {
  auto name = dyn_cast<NameLoc>(constant.getLoc());
  if (!name || !isa<FileLineColLoc>(name.getChildLoc()))
    return "";
  return name.getName().str();
}

/// Exporters store identical initializers once (torch.onnx shares the zero
/// biases and the gamma = 1 / beta = 0 BatchNorm parameters of freshly
/// initialized layers). A shared tensor would join the channels of every
/// layer reading it, so each further reader gets its own copy; copies that
/// are still identical after pruning are merged back. Returns copy ->
/// original.
std::map<std::string, std::string> splitSharedInitializers(onnx::GraphProto &graph) {
  std::map<std::string, const onnx::TensorProto *> shareable;
  // Every initializer, even one-element ones: mean compensation edits biases
  // in place.
  for (const onnx::TensorProto &t : graph.initializer())
    shareable[t.name()] = &t;
  GraphEditor editor(graph);
  std::map<std::string, int> uses;
  std::map<std::string, std::string> copies;
  std::vector<onnx::TensorProto> added;
  for (onnx::NodeProto &node : *graph.mutable_node())
    for (std::string &input : *node.mutable_input()) {
      auto it = shareable.find(input);
      if (it == shareable.end() || uses[input]++ == 0)
        continue;
      onnx::TensorProto copy = *it->second;
      copy.set_name(editor.uniqueName(input + "_copy"));
      copies[copy.name()] = input;
      input = copy.name();
      added.push_back(std::move(copy));
    }
  for (onnx::TensorProto &t : added)
    *graph.add_initializer() = std::move(t);
  return copies;
}

void mergeIdenticalCopies(onnx::GraphProto &graph,
                          const std::map<std::string, std::string> &copies) {
  std::map<std::string, const onnx::TensorProto *> byName;
  for (const onnx::TensorProto &t : graph.initializer())
    byName[t.name()] = &t;
  std::set<std::string> merged;
  for (const auto &[copy, original] : copies) {
    onnx::TensorProto x = *byName.at(copy), y = *byName.at(original);
    x.clear_name();
    y.clear_name();
    if (x.SerializeAsString() == y.SerializeAsString()) {
      for (onnx::NodeProto &node : *graph.mutable_node())
        for (std::string &input : *node.mutable_input())
          if (input == copy)
            input = original;
      merged.insert(copy);
    }
  }
  auto *list = graph.mutable_initializer();
  list->erase(std::remove_if(list->begin(), list->end(),
                             [&](const onnx::TensorProto &t) { return merged.count(t.name()); }),
              list->end());
}

/// The node the importer named |name|, or null (also when two nodes share
/// the name: ONNX does not require unique node names, and guessing would
/// edit the wrong layer).
onnx::NodeProto *findNode(onnx::GraphProto &graph, const std::string &name) {
  if (name.size() > 1 && name[0] == '#') { // the importer's name of an unnamed node
    int index = std::atoi(name.c_str() + 1);
    return index >= 0 && index < graph.node_size() ? graph.mutable_node(index) : nullptr;
  }
  onnx::NodeProto *found = nullptr;
  for (onnx::NodeProto &node : *graph.mutable_node())
    if (node.name() == name) {
      if (found)
        return nullptr;
      found = &node;
    }
  return found;
}

struct ImportedModel {
  MLIRContext context;
  OwningOpRef<ModuleOp> module;
  std::string diagnostics;
};

llvm::Error importCopy(const onnx::ModelProto &model, const std::string &path,
                       ImportedModel &imported) {
  registerCompilerDialects(imported.context);
  ScopedDiagnosticHandler handler(&imported.context, [&](Diagnostic &diag) {
    if (diag.getSeverity() == DiagnosticSeverity::Error)
      imported.diagnostics += "  " + onnx_import::describeLocation(diag.getLocation()) + ": " +
                              diag.str() + "\n";
    return success();
  });
  imported.module = onnx_import::importONNXModel(
      imported.context, std::make_shared<onnx::ModelProto>(model), path, {});
  if (!imported.module)
    return optimizeError("cannot import the model:\n" + imported.diagnostics);
  return llvm::Error::success();
}

func::FuncOp mainFunction(ModuleOp module) {
  func::FuncOp main;
  module.walk([&](func::FuncOp f) { main = main ? main : f; });
  return main;
}

/// A layer as the report names it: the node's name, or for an unnamed node
/// (the importer calls it "#index") its op type and output.
std::string describeLayer(onnx::GraphProto &graph, Operation *op) {
  std::string name = pruning::layerName(op);
  onnx::NodeProto *node = name.size() > 1 && name[0] == '#' ? findNode(graph, name) : nullptr;
  if (node && node->output_size() > 0)
    return node->op_type() + " writing '" + node->output(0) + "'";
  return name;
}

std::string layerList(onnx::GraphProto &graph, const pruning::ChannelGroup &group) {
  std::string list;
  for (Operation *op : group.producers)
    list += (list.empty() ? "" : ", ") + describeLayer(graph, op);
  return list;
}

/// A consumer of a pruned group: a layer whose weight reads the group's
/// channels along |axis| (Conv: 1, Gemm: the K dimension of B).
struct Consumer {
  onnx::NodeProto *node;
  int64_t axis;
};

std::optional<Consumer> consumerOf(Operation *user, Value weight, int64_t dim,
                                   onnx::GraphProto &graph) {
  if (auto conv = dyn_cast<ConvOp>(user)) {
    if (conv.getWeight() != weight || dim != 1 || conv.getGroup() != 1)
      return std::nullopt;
  } else if (auto gemm = dyn_cast<GemmOp>(user)) {
    // alpha scales the product and beta the bias: only alpha = beta = 1 is
    // folded as written.
    if (gemm.getB() != weight || gemm.getTransA() || dim != (gemm.getTransB() ? 1 : 0) ||
        gemm.getAlpha().convertToFloat() != 1.0f || gemm.getBeta().convertToFloat() != 1.0f)
      return std::nullopt;
  } else {
    return std::nullopt;
  }
  onnx::NodeProto *node = findNode(graph, pruning::layerName(user));
  if (!node || node->input_size() < 2)
    return std::nullopt;
  return Consumer{node, dim};
}

/// Folds the mean of each removed channel into the bias of every layer that
/// reads it: bias[o] += sum over the removed inputs i (and kernel taps k) of
/// W[o, i, k] * mean(x_i). (Zero padding at the borders makes it an
/// approximation for convolutions.) Runs before the initializers are sliced.
void compensateRemovedChannels(const pruning::PruningPlan &plan, onnx::GraphProto &graph,
                               GraphEditor &editor,
                               std::map<std::string, onnx::TensorProto *> &initializers,
                               const std::map<std::string, TensorStats> &stats,
                               PruningReport &report) {
  for (const pruning::ChannelGroup &group : plan.groups) {
    if (!group.removesChannels())
      continue;
    std::vector<bool> keep(group.channels, false);
    for (int64_t c : group.kept)
      keep[c] = true;
    for (const pruning::ChannelSlot &slot : group.slots) {
      if (!slot.value.getDefiningOp<ConstantOp>())
        continue;
      for (Operation *user : slot.value.getUsers()) {
        std::optional<Consumer> consumer = consumerOf(user, slot.value, slot.dim, graph);
        if (!consumer)
          continue;
        onnx::NodeProto &node = *consumer->node;
        auto bias = node.input_size() > 2 ? initializers.find(node.input(2))
                                          : initializers.end();
        auto x = stats.find(node.input(0));
        std::optional<std::vector<float>> w = editor.floats(node.input(1));
        std::optional<std::vector<float>> b;
        if (bias != initializers.end())
          b = editor.floats(bias->first);
        if (!b || x == stats.end() || !w) {
          ++report.uncompensated;
          continue;
        }
        const onnx::TensorProto &wt = *initializers.at(node.input(1));
        int64_t rows = wt.dims(0), cols = wt.dims(1), taps = 1;
        for (int d = 2; d < wt.dims_size(); ++d)
          taps *= wt.dims(d);
        int64_t outputs = consumer->axis == 1 ? rows : cols;
        if (static_cast<int64_t>(b->size()) != outputs ||
            static_cast<int64_t>(x->second.channelSums.size()) !=
                (consumer->axis == 1 ? cols : rows)) {
          ++report.uncompensated;
          continue;
        }
        for (int64_t i = 0; i < (consumer->axis == 1 ? cols : rows); ++i) {
          if (keep[i / slot.block])
            continue;
          double mean = x->second.channelMean(i);
          for (int64_t o = 0; o < outputs; ++o) {
            double sum = 0;
            for (int64_t k = 0; k < taps; ++k)
              sum += consumer->axis == 1 ? (*w)[(o * cols + i) * taps + k]
                                         : (*w)[i * cols + o];
            (*b)[o] += static_cast<float>(sum * mean);
          }
        }
        onnx::TensorProto &bt = *bias->second;
        bt.clear_float_data();
        bt.set_raw_data(std::string(reinterpret_cast<const char *>(b->data()),
                                    b->size() * sizeof(float)));
        ++report.compensated;
      }
    }
  }
}

} // namespace

std::vector<std::string> compensationInputs(const onnx::ModelProto &model) {
  std::vector<std::string> inputs;
  for (const onnx::NodeProto &node : model.graph().node())
    if ((node.op_type() == "Conv" || node.op_type() == "Gemm") && node.input_size() > 0)
      inputs.push_back(node.input(0));
  return inputs;
}

llvm::Error pruneChannels(onnx::ModelProto &model, const std::string &path,
                          const PruneOptions &options, PruningReport &report) {
  onnx::GraphProto &graph = *model.mutable_graph();
  initializersFromConstantNodes(graph);
  std::map<std::string, std::string> copies = splitSharedInitializers(graph);
  std::map<std::string, onnx::TensorProto *> initializers;
  for (onnx::TensorProto &t : *graph.mutable_initializer())
    initializers[t.name()] = &t;

  ImportedModel imported;
  if (llvm::Error e = importCopy(model, path, imported))
    return e;
  func::FuncOp func = mainFunction(*imported.module);

  pruning::PruningOptions planOptions;
  planOptions.ratio = options.ratio;
  planOptions.criterion = options.l2 ? pruning::Criterion::L2 : pruning::Criterion::L1;
  planOptions.granularity = options.granularity;
  planOptions.skip = options.skip;
  planOptions.canSlice = [&](ConstantOp constant) {
    auto it = initializers.find(initializerName(constant));
    if (it == initializers.end())
      return false;
    const onnx::TensorProto &t = *it->second;
    auto type = cast<RankedTensorType>(constant.getType());
    if (t.data_type() != onnx::TensorProto::FLOAT || t.dims_size() != type.getRank() ||
        t.data_location() == onnx::TensorProto::EXTERNAL)
      return false;
    for (int d = 0; d < t.dims_size(); ++d)
      if (t.dims(d) != type.getDimSize(d))
        return false;
    return true;
  };
  planOptions.canReshape = [&](ReshapeOp reshape) {
    onnx::NodeProto *node = findNode(graph, pruning::layerName(reshape));
    if (!node)
      return false;
    if (node->op_type() != "Reshape")
      return true; // Squeeze, Unsqueeze: no sizes written down
    auto it = initializers.find(node->input_size() > 1 ? node->input(1) : "");
    if (it == initializers.end() || it->second->data_type() != onnx::TensorProto::INT64)
      return false; // a computed shape may hold constant sizes anywhere
    const onnx::TensorProto &t = *it->second;
    std::vector<int64_t> shape(t.int64_data().begin(), t.int64_data().end());
    if (t.has_raw_data()) {
      shape.resize(t.raw_data().size() / sizeof(int64_t));
      std::memcpy(shape.data(), t.raw_data().data(), shape.size() * sizeof(int64_t));
    }
    return std::all_of(shape.begin(), shape.end(),
                       [](int64_t d) { return d == -1 || d == 0 || d == 1; });
  };
  for (const std::string &name : options.skip) {
    bool found = false;
    func.walk([&](Operation *op) { found |= pruning::layerName(op) == name; });
    if (!found)
      return optimizeError("--prune-skip " + name + ": no node of that name");
  }
  pruning::PruningPlan plan = pruning::planChannelPruning(func, planOptions);

  // Slices per initializer, and depthwise Conv nodes' new group counts.
  std::map<std::string, std::vector<std::pair<int64_t, SmallVector<int64_t>>>> slices;
  std::map<std::string, int64_t> groupCounts;
  for (const pruning::ChannelGroup &group : plan.groups) {
    if (!group.producers.empty() || !group.sources.empty()) {
      ++report.groups;
      llvm::json::Object entry{{"layers", layerList(graph, group)},
                               {"channels", group.channels},
                               {"kept", static_cast<int64_t>(group.kept.size())}};
      if (!group.sources.empty())
        entry["concatenation"] = describeLayer(graph, group.concat);
      if (!group.reason.empty())
        entry["reason"] = group.reason;
      report.groupList.push_back(std::move(entry));
    }
    if (group.prunable) {
      report.channelsBefore += group.channels;
      report.channelsAfter += group.kept.size();
    }
    if (!group.removesChannels())
      continue;
    report.prunedGroups += group.prunable;
    for (const pruning::ChannelSlot &slot : group.slots) {
      if (auto constant = slot.value.getDefiningOp<ConstantOp>())
        slices[initializerName(constant)].push_back(
            {slot.dim, pruning::keptIndices(group, slot)});
      for (ConvOp conv : group.depthwise)
        if (slot.value == conv.getOutput() && slot.dim == 1)
          groupCounts[pruning::layerName(conv)] = group.kept.size() * slot.block;
    }
  }

  GraphEditor editor(graph);
  if (options.activationStats)
    compensateRemovedChannels(plan, graph, editor, initializers, *options.activationStats,
                              report);
  for (auto &[name, dims] : slices) {
    onnx::TensorProto &t = *initializers.at(name);
    std::optional<std::vector<float>> values = editor.floats(name);
    if (!values)
      return optimizeError("initializer '" + name + "' cannot be read as float");
    SmallVector<int64_t> shape(t.dims().begin(), t.dims().end());
    SmallVector<SmallVector<int64_t>> kept(shape.size());
    for (size_t d = 0; d < shape.size(); ++d)
      for (int64_t i = 0; i < shape[d]; ++i)
        kept[d].push_back(i);
    for (auto &[d, indices] : dims) {
      kept[d] = indices;
      report.mask.push_back(llvm::json::Object{
          {"initializer", name},
          {"axis", d},
          {"kept", llvm::json::Array(llvm::ArrayRef<int64_t>(indices))}});
    }
    SmallVector<float> sliced = pruning::gatherKept(*values, shape, kept);
    t.clear_float_data();
    t.clear_dims();
    for (const SmallVector<int64_t> &k : kept)
      t.add_dims(k.size());
    t.set_raw_data(std::string(reinterpret_cast<const char *>(sliced.data()),
                               sliced.size() * sizeof(float)));
    // Old models also list initializers as graph inputs, with their shape.
    for (onnx::ValueInfoProto &input : *graph.mutable_input())
      if (input.name() == name) {
        auto *shapeProto = input.mutable_type()->mutable_tensor_type()->mutable_shape();
        shapeProto->clear_dim();
        for (const SmallVector<int64_t> &k : kept)
          shapeProto->add_dim()->set_dim_value(k.size());
      }
  }
  for (auto &[name, count] : groupCounts) {
    onnx::NodeProto *node = findNode(graph, name);
    if (!node)
      return optimizeError("depthwise Conv '" + name + "' is not one node of that name in "
                           "the graph (give the model unique node names)");
    setIntAttribute(*node, "group", count);
  }
  mergeIdenticalCopies(graph, copies);
  // The intermediate shapes changed: infer them again.
  graph.clear_value_info();
  if (llvm::Error e = onnx_import::normalizeModel(model, path, {}))
    return optimizeError("the pruned model does not check: " + llvm::toString(std::move(e)));
  return llvm::Error::success();
}

llvm::Expected<ModelCost> measureCost(const onnx::ModelProto &model, const std::string &path) {
  ModelCost cost;
  for (const onnx::TensorProto &t : model.graph().initializer()) {
    int64_t n = 1;
    for (int64_t d : t.dims())
      n *= d;
    cost.parameters += n;
  }
  ImportedModel imported;
  if (llvm::Error e = importCopy(model, path, imported))
    return std::move(e);
  auto elements = [](Value v) {
    int64_t n = 1;
    for (int64_t d : cast<RankedTensorType>(v.getType()).getShape())
      n *= ShapedType::isDynamic(d) ? 1 : d;
    return n;
  };
  imported.module->walk([&](Operation *op) {
    if (auto conv = dyn_cast<ConvOp>(op)) {
      auto w = cast<RankedTensorType>(conv.getWeight().getType());
      cost.flops += 2 * elements(conv.getOutput()) * (w.getNumElements() / w.getDimSize(0));
    } else if (auto gemm = dyn_cast<GemmOp>(op)) {
      auto a = cast<RankedTensorType>(gemm.getA().getType());
      int64_t k = a.getDimSize(gemm.getTransA() ? 0 : 1);
      cost.flops += 2 * elements(gemm.getOutput()) * (ShapedType::isDynamic(k) ? 1 : k);
    } else if (auto matmul = dyn_cast<MatMulOp>(op)) {
      auto a = cast<RankedTensorType>(matmul.getLhs().getType());
      int64_t k = a.getDimSize(a.getRank() - 1);
      cost.flops += 2 * elements(matmul.getOutput()) * (ShapedType::isDynamic(k) ? 1 : k);
    }
  });
  return cost;
}

} // namespace deepseek::optimize
