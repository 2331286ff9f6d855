//===- TorchScriptToONNX.h - TorchScript module -> ONNX graph -------*- C++ -*-===//
//
// The TorchScript importer writes a frozen TorchScript graph as an in-memory
// ONNX model (opset 17), which the ONNX importer then maps to ds ops: a `.pt`
// model reaches the same ds ops, the same shape inference and checks, and
// deepseek-optimize's graph rewrites (which work on ONNX graphs) without a
// second importer behind them. This header is free of libtorch, LLVM and MLIR
// types: the converter is built with RTTI and exceptions (libtorch needs
// both), its callers without.
//
//===----------------------------------------------------------------------===//
#ifndef DEEPSEEK_IMPORT_TORCHSCRIPT_TORCHSCRIPTTOONNX_H
#define DEEPSEEK_IMPORT_TORCHSCRIPT_TORCHSCRIPTTOONNX_H

#include <cstdint>
#include <map>
#include <string>
#include <vector>

namespace onnx {
class ModelProto;
} // namespace onnx

namespace deepseek::torchscript_import {

struct InputShapes {
  /// `--input-shape NAME=DIMS`, by the input's name in the converted graph.
  std::map<std::string, std::vector<int64_t>> named;
  /// `--input-shape DIMS`, the graph's tensor inputs in order.
  std::vector<std::vector<int64_t>> positional;
};

/// Loads the TorchScript archive at |path| with libtorch, freezes it and writes
/// its forward graph into |model|. Inputs without a given shape get one from
/// the weights of their first consumer where possible, each such guess added to
/// |notices|. On failure returns false with |error| saying why; unsupported
/// operators are listed all at once with their TorchScript source locations.
///
/// libtorch's loader is not hardened against malformed archives (a lying zip
/// entry size makes it allocate gigabytes, a corrupt debug-info pickle makes
/// it dereference null), so the conversion runs in a forked child process
/// and comes back serialized: a crash or an exhausted child is an error
/// naming the file, never the caller's crash.
bool convertTorchScript(const std::string &path, const InputShapes &shapes,
                        onnx::ModelProto &model, std::string &error,
                        std::vector<std::string> &notices);

/// The conversion itself, in the calling process (what the child runs).
bool convertTorchScriptInProcess(const std::string &path, const InputShapes &shapes,
                                 onnx::ModelProto &model, std::string &error,
                                 std::vector<std::string> &notices);

} // namespace deepseek::torchscript_import

#endif // DEEPSEEK_IMPORT_TORCHSCRIPT_TORCHSCRIPTTOONNX_H
