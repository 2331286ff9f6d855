//===- ConstantData.cpp - weights into LLVM IR as flat byte arrays ---------===//

#include "deepseek/Target/ConstantData.h"

#include "mlir/Dialect/LLVMIR/LLVMDialect.h"
#include "mlir/IR/BuiltinAttributes.h"
#include "mlir/IR/DialectResourceBlobManager.h"
#include "llvm/IR/Constants.h"
#include "llvm/IR/GlobalVariable.h"
#include "llvm/IR/Module.h"

using namespace mlir;
using namespace mlir::ds;

std::vector<DetachedConstant> mlir::ds::detachConstantData(ModuleOp lowered, size_t minBytes) {
  std::vector<DetachedConstant> detached;
  lowered.walk([&](LLVM::GlobalOp global) {
    std::optional<Attribute> value = global.getValue();
    if (!value)
      return;
    ArrayRef<char> bytes;
    if (auto resource = dyn_cast<DenseResourceElementsAttr>(*value)) {
      if (AsmResourceBlob *blob = resource.getRawHandle().getBlob())
        bytes = blob->getData();
    } else if (auto dense = dyn_cast<DenseElementsAttr>(*value)) {
      // Splats store one element; i1 data is bit-packed. Both stay as they are.
      if (!dense.isSplat() && !dense.getElementType().isInteger(1))
        bytes = dense.getRawData();
    }
    if (bytes.empty() || bytes.size() < minBytes)
      return;
    detached.push_back({global.getSymName().str(), bytes,
                        global.getAlignment().value_or(0), global.getConstant()});
    global.removeValueAttr();
    global.setLinkage(LLVM::Linkage::External);
  });
  return detached;
}

void mlir::ds::attachConstantData(llvm::Module &module,
                                  const std::vector<DetachedConstant> &constants) {
  llvm::LLVMContext &ctx = module.getContext();
  for (const DetachedConstant &c : constants) {
    llvm::GlobalVariable *old = module.getNamedGlobal(c.name);
    if (!old)
      continue; // never referenced, so translation dropped it
    llvm::Constant *data = llvm::ConstantDataArray::getRaw(
        llvm::StringRef(c.bytes.data(), c.bytes.size()), c.bytes.size(),
        llvm::Type::getInt8Ty(ctx));
    auto *global = new llvm::GlobalVariable(module, data->getType(), c.isConstant,
                                            llvm::GlobalValue::InternalLinkage, data);
    global->setAlignment(llvm::Align(std::max<uint64_t>(c.alignment, 64)));
    global->setUnnamedAddr(llvm::GlobalValue::UnnamedAddr::Global);
    old->replaceAllUsesWith(global);
    global->takeName(old);
    old->eraseFromParent();
  }
}
