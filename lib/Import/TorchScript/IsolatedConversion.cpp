//===- IsolatedConversion.cpp - TorchScript conversion in a child process --===//
//
// convertTorchScript runs the conversion through runIsolated: the child loads
// and converts the archive with libtorch and sends the outcome back. Whatever
// libtorch does with a malformed file (SIGSEGV, abort, an out-of-memory kill)
// ends the child only, and the parent reports it.
//
// Reply: a status byte (1: converted), then three fields (IsolatedProcess.h):
// the notices joined by '\n', the error, the serialized onnx::ModelProto.
//
//===----------------------------------------------------------------------===//

#include "deepseek/Import/IsolatedProcess.h"
#include "deepseek/Import/TorchScript/TorchScriptToONNX.h"

#include "onnx/onnx_pb.h"

#include <sstream>
#include <sys/stat.h>
#include <string>

namespace deepseek::torchscript_import {
namespace {

/// The child's work: convert, and encode the outcome as the reply.
std::string convertAndEncode(const std::string &path, const InputShapes &shapes) {
  onnx::ModelProto model;
  std::string error;
  std::vector<std::string> notices;
  bool converted = convertTorchScriptInProcess(path, shapes, model, error, notices);
  std::string joined;
  for (const std::string &notice : notices)
    joined += (joined.empty() ? "" : "\n") + notice;
  std::string bytes;
  if (converted && !model.SerializeToString(&bytes)) {
    converted = false;
    error = path + ": the converted model is over protobuf's 2 GB limit";
  }
  std::string out(1, converted ? '\1' : '\0');
  appendField(out, joined);
  appendField(out, error);
  appendField(out, bytes);
  return out;
}

} // namespace

bool convertTorchScript(const std::string &path, const InputShapes &shapes,
                        onnx::ModelProto &model, std::string &error,
                        std::vector<std::string> &notices) {
  // An archive holds its weights uncompressed: loading and converting it
  // needs a few times its size.
  struct stat info;
  size_t archiveBytes = ::stat(path.c_str(), &info) == 0 ? static_cast<size_t>(info.st_size) : 0;
  IsolatedOutcome outcome =
      runIsolated([&] { return convertAndEncode(path, shapes); }, memoryBudgetFor(archiveBytes));
  if (!outcome.started) {
    error = path + ": cannot start the TorchScript loader: " + outcome.failure;
    return false;
  }
  const std::string &reply = outcome.reply;
  size_t at = 1;
  std::string joined, bytes;
  if (!outcome.finished || reply.empty() || !readField(reply, at, joined) ||
      !readField(reply, at, error) || !readField(reply, at, bytes)) {
    error = path + ": libtorch failed reading this file: its loader " + outcome.failure +
            " (a malformed or truncated TorchScript archive, or one too large for memory)";
    return false;
  }
  std::istringstream lines(joined);
  for (std::string line; std::getline(lines, line);)
    notices.push_back(line);
  if (reply[0] != '\1')
    return false;
  if (!model.ParseFromString(bytes)) {
    error = path + ": the converted model did not come back whole from the TorchScript loader";
    return false;
  }
  return true;
}

} // namespace deepseek::torchscript_import
