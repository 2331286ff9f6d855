//===- ModelLoader.cpp - read, check and normalize an ONNX model ----------===//
//
// Everything here calls libonnx, which reports problems by throwing; each call is
// wrapped so that a malformed model becomes an llvm::Error, never an abort.
//
//===----------------------------------------------------------------------===//

#include "deepseek/Import/ONNX/ModelLoader.h"
#include "deepseek/Import/ONNX/InferencePrechecks.h"
#include "deepseek/Import/IsolatedProcess.h"
#include "deepseek/Import/ModelFormat.h"
#ifdef DEEPSEEK_HAVE_TORCHSCRIPT
#include "deepseek/Import/TorchScript/TorchScriptToONNX.h"
#endif

#include "google/protobuf/io/coded_stream.h"
#include "google/protobuf/io/zero_copy_stream_impl.h"
#include "onnx/checker.h"
#include "onnx/defs/parser.h"
#include "onnx/defs/schema.h"
#include "onnx/shape_inference/implementation.h"
#include "onnx/version_converter/convert.h"
#include "llvm/ADT/SmallString.h"
#include "llvm/Support/FileSystem.h"
#include "llvm/Support/MemoryBuffer.h"
#include "llvm/Support/Path.h"
#include "llvm/Support/raw_ostream.h"

#include <exception>
#include <limits>
#include <map>
#include <optional>
#include <set>
#include <string>
#include <unistd.h>

using llvm::Expected;

namespace deepseek::onnx_import {
namespace {

llvm::Error fail(llvm::StringRef path, const llvm::Twine &message) {
  return llvm::createStringError(llvm::inconvertibleErrorCode(),
                                 (path + ": " + message).str());
}

int64_t defaultDomainOpset(const onnx::ModelProto &model) {
  for (const onnx::OperatorSetIdProto &opset : model.opset_import())
    if (opset.domain().empty() || opset.domain() == "ai.onnx")
      return opset.version();
  return -1;
}

/// Initializers at least this large (bytes) and of rank 2 or more travel
/// through the version converter and shape inference without their data.
/// Adapters and inference's data propagation read the small ones and those
/// of rank 0 or 1 (shapes, axes, scales; a 600-entry int64 vector of
/// position ids fed to Cast is propagated too, and refused if its data is gone).
constexpr size_t kDetachBytes = 4096;

std::map<std::string, std::string> detachLargeInitializers(onnx::ModelProto &model) {
  std::map<std::string, std::string> detached;
  for (onnx::TensorProto &tensor : *model.mutable_graph()->mutable_initializer()) {
    if (!tensor.has_raw_data() || tensor.raw_data().size() < kDetachBytes ||
        tensor.dims_size() < 2)
      continue;
    std::string &slot = detached[tensor.name()];
    slot.swap(*tensor.mutable_raw_data());
    tensor.clear_raw_data();
  }
  return detached;
}

llvm::Error reattachInitializers(onnx::ModelProto &model,
                                 std::map<std::string, std::string> &detached,
                                 llvm::StringRef path) {
  for (onnx::TensorProto &tensor : *model.mutable_graph()->mutable_initializer()) {
    auto it = detached.find(tensor.name());
    if (it == detached.end())
      continue;
    tensor.mutable_raw_data()->swap(it->second);
    detached.erase(it);
  }
  if (!detached.empty())
    return fail(path, "the ONNX version converter dropped initializer '" +
                          detached.begin()->first + "'");
  return llvm::Error::success();
}

/// Reads the bytes of initializers stored in external files (ONNX external
/// data: location, offset, length relative to the model's folder) into the
/// model, so every later stage sees one self-contained model. Locations that
/// leave the model's folder are refused.
llvm::Error loadExternalData(onnx::ModelProto &model, llvm::StringRef modelPath) {
  llvm::SmallString<256> dir = llvm::sys::path::parent_path(modelPath);
  if (dir.empty())
    dir = ".";
  for (onnx::TensorProto &tensor : *model.mutable_graph()->mutable_initializer()) {
    if (tensor.data_location() != onnx::TensorProto::EXTERNAL)
      continue;
    std::string location;
    uint64_t offset = 0;
    std::optional<uint64_t> length;
    for (const onnx::StringStringEntryProto &entry : tensor.external_data()) {
      unsigned long long value = 0;
      bool isNumber = !llvm::StringRef(entry.value()).getAsInteger(10, value);
      if (entry.key() == "location")
        location = entry.value();
      else if (entry.key() == "offset" && isNumber)
        offset = value;
      else if (entry.key() == "length" && isNumber)
        length = value;
      else if (entry.key() == "offset" || entry.key() == "length")
        return fail(modelPath, "initializer '" + tensor.name() + "': external data " +
                                   entry.key() + " '" + entry.value() +
                                   "' is not a number");
    }
    std::string what =
        "initializer '" + tensor.name() + "': external data file '" + location + "'";
    if (location.empty())
      return fail(modelPath, "initializer '" + tensor.name() +
                                 "' has external data without a location");
    bool escapes = llvm::sys::path::is_absolute(location);
    for (auto it = llvm::sys::path::begin(location), e = llvm::sys::path::end(location);
         it != e; ++it)
      escapes |= *it == "..";
    if (escapes)
      return fail(modelPath,
                  what + " is outside the model's folder; refusing to read it");
    llvm::SmallString<256> file = dir;
    llvm::sys::path::append(file, location);
    uint64_t fileSize = 0;
    if (std::error_code ec = llvm::sys::fs::file_size(file, fileSize))
      return fail(modelPath, what + " cannot be read: " + ec.message());
    uint64_t size = length.value_or(fileSize > offset ? fileSize - offset : 0);
    if (offset > fileSize || size > fileSize - offset)
      return fail(modelPath, what + " holds " + llvm::Twine(fileSize) +
                                 " bytes, but the tensor needs bytes " +
                                 llvm::Twine(offset) + " to " +
                                 llvm::Twine(offset + size));
    int fd;
    if (std::error_code ec = llvm::sys::fs::openFileForRead(file, fd))
      return fail(modelPath, what + " cannot be opened: " + ec.message());
    std::string &bytes = *tensor.mutable_raw_data();
    bytes.resize(size);
    uint64_t done = 0;
    while (done < size) {
      ssize_t got = ::pread(fd, bytes.data() + done, size - done, offset + done);
      if (got <= 0)
        break;
      done += got;
    }
    ::close(fd);
    if (done != size)
      return fail(modelPath, what + " could not be read completely");
    tensor.clear_external_data();
    tensor.set_data_location(onnx::TensorProto::DEFAULT);
  }
  return llvm::Error::success();
}

} // namespace

/// Upsample and Resize before opset 11 map output pixels to input pixels
/// "asymmetrically" and round nearest neighbours down; the converter's
/// Resize 10 -> 11 adapter does not say so, and opset 11's defaults
/// (half_pixel, round_prefer_floor) would change the results. These collect
/// such nodes (by output) before conversion and restore their semantics after.
std::set<std::string> legacyResizeOutputs(const onnx::ModelProto &model) {
  std::set<std::string> outputs;
  if (defaultDomainOpset(model) >= 11)
    return outputs;
  for (const onnx::NodeProto &node : model.graph().node())
    if ((node.op_type() == "Upsample" || node.op_type() == "Resize") &&
        node.output_size() > 0)
      outputs.insert(node.output(0));
  return outputs;
}

void keepLegacyResizeSemantics(onnx::ModelProto &model,
                               const std::set<std::string> &outputs) {
  for (onnx::NodeProto &node : *model.mutable_graph()->mutable_node()) {
    if (node.op_type() != "Resize" || node.output_size() == 0 ||
        !outputs.count(node.output(0)))
      continue;
    auto setIfMissing = [&](const char *name, const char *value) {
      for (const onnx::AttributeProto &attr : node.attribute())
        if (attr.name() == name)
          return;
      onnx::AttributeProto *attr = node.add_attribute();
      attr->set_name(name);
      attr->set_type(onnx::AttributeProto::STRING);
      attr->set_s(value);
    };
    setIfMissing("coordinate_transformation_mode", "asymmetric");
    setIfMissing("nearest_mode", "floor");
  }
}

/// A TorchScript archive written as an ONNX model (TorchScriptToONNX.h).
static llvm::Error readTorchScript(llvm::StringRef path, const ImportOptions &options,
                                   onnx::ModelProto &model) {
#ifdef DEEPSEEK_HAVE_TORCHSCRIPT
  torchscript_import::InputShapes shapes;
  for (const auto &entry : options.inputShapes)
    shapes.named[entry.getKey().str()] =
        std::vector<int64_t>(entry.getValue().begin(), entry.getValue().end());
  for (const llvm::SmallVector<int64_t> &shape : options.positionalInputShapes)
    shapes.positional.emplace_back(shape.begin(), shape.end());
  std::string error;
  std::vector<std::string> notices;
  bool converted = torchscript_import::convertTorchScript(path.str(), shapes, model, error,
                                                          notices);
  for (const std::string &notice : notices)
    llvm::errs() << path << ": note: " << notice << "\n";
  if (!converted)
    return llvm::createStringError(llvm::inconvertibleErrorCode(), error);
  return llvm::Error::success();
#else
  (void)options;
  (void)model;
  return fail(path, "is a TorchScript model, and this build of deepseek has no TorchScript "
                    "importer (it was built without libtorch: install libtorch-dev and "
                    "rebuild, or export the model to ONNX)");
#endif
}

Expected<std::shared_ptr<onnx::ModelProto>> readModel(llvm::StringRef path,
                                                      const ImportOptions &options) {
  auto model = std::make_shared<onnx::ModelProto>();
  ModelFormat format = detectModelFormat(path);
  if (format == ModelFormat::MLIRText || format == ModelFormat::MLIRBytecode)
    return fail(path, llvm::Twine("holds ") + modelFormatName(format) +
                          ", not an ONNX or TorchScript model (ds IR is already imported: "
                          "give it to deepseek-compile, deepseek-run or deepseek-cross-compile)");
  if (llvm::sys::fs::is_directory(path))
    return fail(path, "is a folder, not a model file");
  if (format == ModelFormat::TorchScript) {
    if (llvm::Error e = readTorchScript(path, options, *model))
      return std::move(e);
  } else if (llvm::sys::path::extension(path) == ".onnxtxt") {
    llvm::ErrorOr<std::unique_ptr<llvm::MemoryBuffer>> file =
        llvm::MemoryBuffer::getFile(path, /*IsText=*/true);
    if (!file)
      return fail(path, "cannot open: " + file.getError().message());
    onnx::Status status = onnx::OnnxParser::Parse(*model, (*file)->getBufferStart());
    if (!status.IsOK())
      return fail(path, "not valid ONNX textual syntax: " + status.ErrorMessage());
  } else {
    // Parsed from a stream, not a buffer holding the whole file: peak memory is
    // the parsed model, not the model plus the file.
    int fd;
    if (std::error_code ec = llvm::sys::fs::openFileForRead(path, fd))
      return fail(path, "cannot open: " + ec.message());
    google::protobuf::io::FileInputStream stream(fd);
    stream.SetCloseOnDelete(true);
    uint64_t size = 0;
    if (!llvm::sys::fs::file_size(path, size) &&
        size > static_cast<uint64_t>(std::numeric_limits<int>::max()))
      return fail(path, "models over 2 GB must keep their weights as external data");
    google::protobuf::io::CodedInputStream coded(&stream);
    coded.SetTotalBytesLimit(std::numeric_limits<int>::max());
    if (!model->ParseFromCodedStream(&coded) || !coded.ConsumedEntireMessage())
      return fail(path, "not a valid ONNX model (the protobuf does not parse; is the file "
                        "truncated, or not a model? deepseek reads ONNX, TorchScript and ds IR)");
  }
  if (!model->has_graph())
    return fail(path, "the model has no graph");
  if (llvm::Error e = loadExternalData(*model, path))
    return std::move(e);

  try {
    onnx::checker::check_model(*model);
  } catch (const std::exception &e) {
    return fail(path, llvm::Twine("the ONNX checker rejected the model: ") + e.what());
  }
  if (llvm::Error e = checkBeforeInference(model->graph(), path))
    return std::move(e);
  return model;
}

llvm::Error nameInputShapes(const onnx::ModelProto &model, llvm::StringRef path,
                            ImportOptions &options) {
  if (options.positionalInputShapes.empty())
    return llvm::Error::success();
  std::set<std::string> initializers;
  for (const onnx::TensorProto &tensor : model.graph().initializer())
    initializers.insert(tensor.name());
  std::vector<std::string> inputs;
  for (const onnx::ValueInfoProto &input : model.graph().input())
    if (!initializers.count(input.name()))
      inputs.push_back(input.name());
  if (options.positionalInputShapes.size() > inputs.size())
    return fail(path, llvm::Twine(options.positionalInputShapes.size()) +
                          " --input-shape values given by position, but the model has " +
                          llvm::Twine(inputs.size()) + " inputs");
  for (size_t i = 0; i < options.positionalInputShapes.size(); ++i)
    if (!options.inputShapes.count(inputs[i]))
      options.inputShapes[inputs[i]] = options.positionalInputShapes[i];
  options.positionalInputShapes.clear();
  return llvm::Error::success();
}

llvm::Error bindConstantInputs(onnx::ModelProto &model, llvm::StringRef path,
                               const ImportOptions &options) {
  onnx::GraphProto &graph = *model.mutable_graph();
  for (const auto &entry : options.constantInputs) {
    llvm::StringRef name = entry.getKey(), file = entry.getValue();
    auto input = llvm::find_if(graph.input(), [&](const onnx::ValueInfoProto &info) {
      return info.name() == name;
    });
    if (input == graph.input().end()) {
      std::string names;
      for (const onnx::ValueInfoProto &info : graph.input())
        names += " '" + info.name() + "'";
      return fail(path, "--constant-input names '" + name +
                            "', which is not a graph input; the inputs are:" + names);
    }
    auto buffer = llvm::MemoryBuffer::getFile(file);
    onnx::TensorProto tensor;
    if (!buffer)
      return fail(file, "cannot open: " + buffer.getError().message());
    if (!tensor.ParseFromArray((*buffer)->getBufferStart(),
                               static_cast<int>((*buffer)->getBufferSize())))
      return fail(file, "not an ONNX TensorProto file");
    const onnx::TypeProto::Tensor &declared = input->type().tensor_type();
    if (tensor.data_type() != declared.elem_type())
      return fail(
          file, "holds " +
                    onnx::TensorProto::DataType_Name(
                        static_cast<onnx::TensorProto::DataType>(tensor.data_type())) +
                    " data, but input '" + name + "' is declared " +
                    onnx::TensorProto::DataType_Name(
                        static_cast<onnx::TensorProto::DataType>(declared.elem_type())));
    bool fits =
        !declared.has_shape() || declared.shape().dim_size() == tensor.dims_size();
    for (int d = 0; fits && declared.has_shape() && d < tensor.dims_size(); ++d) {
      const auto &dim = declared.shape().dim(d);
      fits = !dim.has_dim_value() || dim.dim_value() == tensor.dims(d);
    }
    if (!fits)
      return fail(file, "its shape does not fit the declaration of input '" + name + "'");
    tensor.set_name(name.str());
    tensor.clear_doc_string();
    *graph.add_initializer() = std::move(tensor);
    graph.mutable_input()->erase(input);
  }
  return llvm::Error::success();
}

/// The child's work in normalizeModel: convert |model| to the target opset,
/// infer shapes, and reply a status byte (1: done) then two fields: the error
/// and the serialized model.
static std::string convertAndInfer(onnx::ModelProto &model, const ImportOptions &options) {
  const char *stage = "version converter";
  std::string error, bytes;
  try {
    if (defaultDomainOpset(model) != options.targetOpset) {
      // Some adapters (old Add/Gemm broadcasting) need the shapes of their
      // inputs, including Constant outputs: infer them first, leniently.
      onnx::shape_inference::InferShapes(model);
      std::set<std::string> legacyResizes = legacyResizeOutputs(model);
      model = onnx::version_conversion::ConvertVersion(model, options.targetOpset);
      keepLegacyResizeSemantics(model, legacyResizes);
    }
    stage = "shape inference";
    onnx::ShapeInferenceOptions inference(/*check_type=*/true, /*strict_mode=*/1,
                                          /*data_prop=*/true);
    onnx::shape_inference::InferShapes(model, onnx::OpSchemaRegistry::Instance(), inference);
    if (!model.SerializeToString(&bytes))
      error = "the normalized model is over protobuf's 2 GB limit";
  } catch (const std::exception &e) {
    error = std::string("ONNX ") + stage + " rejected the model: " + e.what();
  }
  std::string reply(1, error.empty() ? '\1' : '\0');
  appendField(reply, error);
  appendField(reply, bytes);
  return reply;
}

llvm::Error normalizeModel(onnx::ModelProto &model, llvm::StringRef path,
                           const ImportOptions &options) {
  if (defaultDomainOpset(model) < 0)
    return fail(path, "the model imports no default-domain (ai.onnx) opset");
  // The converter asserts (in its message) on opsets it does not know.
  const auto &known = onnx::OpSchemaRegistry::DomainToVersionRange::Instance().Map();
  if (auto range = known.find(""); range != known.end() &&
                                   defaultDomainOpset(model) > range->second.second)
    return fail(path, "the model uses default-domain opset " +
                          llvm::Twine(defaultDomainOpset(model)) + "; this build's ONNX library "
                          "knows opsets up to " + llvm::Twine(range->second.second));
  // libonnx crashes on some models the checks before it do not catch yet
  // (InferencePrechecks.h): it runs in a child process. Weight matrices affect
  // neither conversion nor inference, so the large ones stay here and the
  // child's reply is the graph without them; the converter, which copies the
  // model twice, also sees it that small. (Weights stored as float_data and
  // subgraph initializers still make the round trip.)
  bool converts = defaultDomainOpset(model) != options.targetOpset;
  // The schema registry is built on first use: here, once per process, not in
  // every child (models built in memory have not been through the checker).
  (void)onnx::OpSchemaRegistry::Schema("Identity", options.targetOpset, "");
  std::map<std::string, std::string> weights = detachLargeInitializers(model);
  IsolatedOutcome outcome = runIsolated([&] { return convertAndInfer(model, options); },
                                        memoryBudgetFor(model.ByteSizeLong()));
  const std::string &reply = outcome.reply;
  size_t at = 1;
  std::string error, bytes;
  llvm::Error result = llvm::Error::success();
  if (!outcome.started)
    result = fail(path, "cannot run libonnx in a child process: " + outcome.failure);
  else if (!outcome.finished || reply.empty() || !readField(reply, at, error) ||
           !readField(reply, at, bytes))
    result = fail(path, llvm::Twine("libonnx failed on this model: its ") +
                            (converts ? "version converter or shape inference"
                                      : "shape inference") +
                            " " + outcome.failure +
                            (outcome.outOfMemory
                                 ? " (out of memory?)"
                                 : " (a malformed model; please report it to deepseek with "
                                   "the file)"));
  else if (reply[0] != '\1')
    result = fail(path, error);
  else if (!model.ParseFromString(bytes))
    result = fail(path, "the normalized model did not come back whole from libonnx's process");
  // The weights go back on failure too: the model stays whole for the caller.
  if (result) {
    llvm::consumeError(reattachInitializers(model, weights, path));
    return result;
  }
  return reattachInitializers(model, weights, path);
}

} // namespace deepseek::onnx_import
