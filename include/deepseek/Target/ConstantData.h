//===- ConstantData.h - weights into LLVM IR as flat byte arrays -*- C++ -*-===//
//
// The LLVM dialect types a weight global as a nested array
// ([64 x [3 x [7 x [7 x float]]]]); translating its initializer creates one LLVM
// constant per innermost row, which for ResNet-50's 100 MB took about a minute
// and gigabytes of memory. Instead, weight globals are detached before
// translation (declared without a value) and defined afterwards as flat byte
// arrays built from the blob in one copy. Code addresses them through GEPs with
// explicit element types, so the global's own type does not matter.
//
//===----------------------------------------------------------------------===//
#ifndef DEEPSEEK_TARGET_CONSTANTDATA_H
#define DEEPSEEK_TARGET_CONSTANTDATA_H

#include "mlir/IR/BuiltinOps.h"

#include <string>
#include <vector>

namespace llvm {
class Module;
} // namespace llvm

namespace mlir::ds {

struct DetachedConstant {
  std::string name;
  ArrayRef<char> bytes; ///< owned by the MLIR context (resource blob or attribute)
  uint64_t alignment = 0;
  bool isConstant = true;
};

/// Removes the initializers of the LLVM dialect globals in |lowered| that hold
/// dense data of at least |minBytes|, leaving external declarations.
std::vector<DetachedConstant> detachConstantData(ModuleOp lowered, size_t minBytes = 256);

/// Defines each detached global in |module| as an internal [N x i8] array.
void attachConstantData(llvm::Module &module, const std::vector<DetachedConstant> &constants);

} // namespace mlir::ds

#endif // DEEPSEEK_TARGET_CONSTANTDATA_H
