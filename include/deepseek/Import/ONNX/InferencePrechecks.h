//===- InferencePrechecks.h - what libonnx assumes of a model -------*- C++ -*-===//
//
// libonnx 1.12's version converter and shape inference trust attributes and
// ranks they never check: a stride of 0 divides by zero, an axis of -2^27
// indexes far out of bounds, a convolution whose weight rank differs from its
// input's reads past the dims, a graph output nothing produces or Shape of a
// map, sequence or opaque value is a null dereference. Each of these was found
// by fuzz/onnx_import_fuzzer. The checks here run before libonnx sees a model,
// so such a model is an error naming the file, node and op. (libonnx also runs
// in a child process, IsolatedProcess.h: a crash these checks miss is an error
// too, one that cannot name the node.)
//
//===----------------------------------------------------------------------===//
#ifndef DEEPSEEK_IMPORT_ONNX_INFERENCEPRECHECKS_H
#define DEEPSEEK_IMPORT_ONNX_INFERENCEPRECHECKS_H

#include "onnx/onnx_pb.h"
#include "llvm/Support/Error.h"

namespace deepseek::onnx_import {

/// Checks |graph| and every subgraph (If/Loop/Scan bodies are inferred too)
/// for what libonnx's converter and shape inference assume: window attributes
/// of at least 1, axes within the data's rank, convolution and pooling inputs
/// of rank >= 3 with weights of the same rank and one attribute entry per
/// spatial dim, tensors (not maps, sequences ...) as Shape's input, and main-graph outputs that
/// something produces. Ranks are those known before inference (declared
/// inputs, initializers, annotated values, with a subgraph seeing its
/// enclosing graphs' values).
llvm::Error checkBeforeInference(const onnx::GraphProto &graph, llvm::StringRef path);

} // namespace deepseek::onnx_import

#endif // DEEPSEEK_IMPORT_ONNX_INFERENCEPRECHECKS_H
