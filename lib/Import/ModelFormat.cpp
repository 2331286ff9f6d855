//===- ModelFormat.cpp - what kind of model a file holds ------------------===//

#include "deepseek/Import/ModelFormat.h"

#include "llvm/Support/FileSystem.h"
#include "llvm/Support/Path.h"

#include <cctype>
#include <cstring>

using namespace deepseek;

ModelFormat deepseek::detectModelFormat(llvm::StringRef path) {
  int fd;
  if (llvm::sys::fs::openFileForRead(path, fd))
    return ModelFormat::Unreadable;
  char head[256];
  llvm::Expected<size_t> read =
      llvm::sys::fs::readNativeFileSlice(llvm::sys::fs::convertFDToNativeFile(fd),
                                         llvm::MutableArrayRef<char>(head, sizeof head), 0);
  llvm::sys::fs::closeFile(fd);
  if (!read) {
    llvm::consumeError(read.takeError());
    return ModelFormat::Unreadable;
  }
  llvm::StringRef bytes(head, *read);
  if (bytes.starts_with(llvm::StringRef("ML\xefR", 4)))
    return ModelFormat::MLIRBytecode;
  if (bytes.starts_with(llvm::StringRef("PK\x03\x04", 4)))
    return ModelFormat::TorchScript;
  if (llvm::sys::path::extension(path) == ".onnxtxt")
    return ModelFormat::ONNXText;
  // MLIR text starts (after blank lines and comments) with a module, a
  // function, an attribute/type alias or a generic op name in quotes; a
  // binary ONNX protobuf starts with a field tag byte such as 0x08.
  llvm::StringRef text = bytes;
  while (true) {
    text = text.ltrim();
    if (!text.starts_with("//"))
      break;
    size_t eol = text.find('\n');
    if (eol == llvm::StringRef::npos)
      return ModelFormat::MLIRText; // only comments so far
    text = text.drop_front(eol + 1);
  }
  for (const char *start : {"module", "builtin.module", "func.func", "\"builtin.module\"", "{-#"})
    if (text.starts_with(start))
      return ModelFormat::MLIRText;
  // Attribute and type aliases: `#map = ...`, `!type = ...` (a `# comment`
  // is not one).
  if (text.size() > 1 && (text[0] == '#' || text[0] == '!') &&
      (std::isalpha(static_cast<unsigned char>(text[1])) || text[1] == '_'))
    return ModelFormat::MLIRText;
  return ModelFormat::ONNX;
}

const char *deepseek::modelFormatName(ModelFormat format) {
  switch (format) {
  case ModelFormat::ONNX: return "ONNX";
  case ModelFormat::ONNXText: return "ONNX text";
  case ModelFormat::MLIRText: return "ds IR (MLIR text)";
  case ModelFormat::MLIRBytecode: return "ds IR (MLIR bytecode)";
  case ModelFormat::TorchScript: return "TorchScript";
  case ModelFormat::Unreadable: return "unreadable";
  }
  return "unknown";
}
