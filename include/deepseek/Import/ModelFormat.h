//===- ModelFormat.h - what kind of model a file holds --------------*- C++ -*-===//
//
// Every deepseek tool recognizes its input by content, not by extension: an
// optimized model written as `optimized.pt` holds ds IR, not TorchScript.
//
//===----------------------------------------------------------------------===//
#ifndef DEEPSEEK_IMPORT_MODELFORMAT_H
#define DEEPSEEK_IMPORT_MODELFORMAT_H

#include "llvm/ADT/StringRef.h"

namespace deepseek {

enum class ModelFormat {
  ONNX,         ///< binary protobuf (anything not recognized as another format)
  ONNXText,     ///< ONNX's textual syntax (`.onnxtxt`: no magic to tell it by)
  MLIRText,     ///< ds IR as MLIR text
  MLIRBytecode, ///< ds IR as MLIR bytecode ("ML\xefR")
  TorchScript,  ///< a TorchScript archive (a zip: "PK\3\4")
  Unreadable,   ///< missing or unreadable: the reader reports why
};

/// The format of the model at |path|, from its first bytes.
ModelFormat detectModelFormat(llvm::StringRef path);

/// "TorchScript", "MLIR bytecode", ...: for messages.
const char *modelFormatName(ModelFormat format);

} // namespace deepseek

#endif // DEEPSEEK_IMPORT_MODELFORMAT_H
