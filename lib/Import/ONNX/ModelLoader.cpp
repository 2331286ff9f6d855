//===- ModelLoader.cpp - read, check and normalize an ONNX model ----------===//
//
// Everything here calls libonnx, which reports problems by throwing; each call is
// wrapped so that a malformed model becomes an llvm::Error, never an abort.
//
//===----------------------------------------------------------------------===//

#include "ModelLoader.h"

#include "onnx/checker.h"
#include "onnx/defs/parser.h"
#include "onnx/shape_inference/implementation.h"
#include "onnx/version_converter/convert.h"
#include "llvm/Support/MemoryBuffer.h"
#include "llvm/Support/Path.h"

#include <exception>
#include <limits>

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

} // namespace

Expected<std::shared_ptr<onnx::ModelProto>> readModel(llvm::StringRef path) {
  llvm::ErrorOr<std::unique_ptr<llvm::MemoryBuffer>> file = llvm::MemoryBuffer::getFile(
      path, /*IsText=*/false, /*RequiresNullTerminator=*/true);
  if (!file)
    return fail(path, "cannot open: " + file.getError().message());
  llvm::StringRef bytes = (*file)->getBuffer();

  auto model = std::make_shared<onnx::ModelProto>();
  if (llvm::sys::path::extension(path) == ".onnxtxt") {
    onnx::Status status = onnx::OnnxParser::Parse(*model, bytes.data());
    if (!status.IsOK())
      return fail(path, "not valid ONNX textual syntax: " + status.ErrorMessage());
  } else {
    if (bytes.size() > static_cast<size_t>(std::numeric_limits<int>::max()))
      return fail(path, "models over 2 GB must keep their weights as external data");
    if (!model->ParseFromArray(bytes.data(), static_cast<int>(bytes.size())))
      return fail(path, "not a valid ONNX model (the protobuf does not parse; is the "
                        "file truncated or not an .onnx file?)");
  }
  if (!model->has_graph())
    return fail(path, "the model has no graph");

  try {
    onnx::checker::check_model(*model);
  } catch (const std::exception &e) {
    return fail(path, llvm::Twine("the ONNX checker rejected the model: ") + e.what());
  }
  return model;
}

llvm::Error normalizeModel(onnx::ModelProto &model, llvm::StringRef path,
                           const ImportOptions &options) {
  if (defaultDomainOpset(model) < 0)
    return fail(path, "the model imports no default-domain (ai.onnx) opset");
  const char *stage = "version converter";
  try {
    if (defaultDomainOpset(model) != options.targetOpset)
      model = onnx::version_conversion::ConvertVersion(model, options.targetOpset);
    stage = "shape inference";
    onnx::ShapeInferenceOptions inference(/*check_type=*/true, /*strict_mode=*/1,
                                          /*data_prop=*/true);
    onnx::shape_inference::InferShapes(model, onnx::OpSchemaRegistry::Instance(),
                                       inference);
  } catch (const std::exception &e) {
    return fail(path, llvm::Twine("ONNX ") + stage + " rejected the model: " + e.what());
  }
  return llvm::Error::success();
}

} // namespace deepseek::onnx_import
