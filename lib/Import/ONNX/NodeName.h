//===- NodeName.h - how errors and locations name an ONNX node -*- C++ -*-===//
//
// A node's own name, or '#N' (its index in its graph) for an unnamed one:
// the importer's locations and every pre-import check's errors use the same
// name, so a message points at the node a location does.
//
//===----------------------------------------------------------------------===//
#ifndef DEEPSEEK_LIB_IMPORT_ONNX_NODENAME_H
#define DEEPSEEK_LIB_IMPORT_ONNX_NODENAME_H

#include "onnx/onnx_pb.h"

#include <string>

namespace deepseek::onnx_import {

inline std::string nodeName(const onnx::NodeProto &node, size_t index) {
  return node.name().empty() ? "#" + std::to_string(index) : node.name();
}

} // namespace deepseek::onnx_import

#endif // DEEPSEEK_LIB_IMPORT_ONNX_NODENAME_H
