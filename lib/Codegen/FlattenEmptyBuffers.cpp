//===- FlattenEmptyBuffers.cpp - the ds-cpu-flatten-empty-buffers pass ----===//

#include "deepseek/Passes.h"

#include "mlir/Dialect/Func/IR/FuncOps.h"
#include "mlir/Dialect/MemRef/IR/MemRef.h"
#include "mlir/IR/Builders.h"

namespace mlir::ds {
#define GEN_PASS_DEF_DSCPUFLATTENEMPTYBUFFERS
#include "ds/Passes.h.inc"
} // namespace mlir::ds

using namespace mlir;

namespace {

struct DSCPUFlattenEmptyBuffersPass
    : public ds::impl::DSCPUFlattenEmptyBuffersBase<DSCPUFlattenEmptyBuffersPass> {
  void runOnOperation() override {
    for (auto fn : getOperation().getOps<func::FuncOp>()) {
      if (fn.isExternal())
        continue;
      Block &entry = fn.getBody().front();
      SmallVector<Type> argTypes(fn.getArgumentTypes());
      bool changed = false;
      for (BlockArgument arg : entry.getArguments()) {
        auto type = dyn_cast<MemRefType>(arg.getType());
        if (!type || !type.hasStaticShape() || type.getNumElements() != 0 || type.getRank() == 1)
          continue;
        // memref<3x0x5xT> -> memref<0xT>, expanded back for the body.
        auto flat = MemRefType::get({0}, type.getElementType());
        arg.setType(flat);
        OpBuilder b = OpBuilder::atBlockBegin(&entry);
        SmallVector<ReassociationIndices> all(1);
        for (int64_t d = 0; d < type.getRank(); ++d)
          all.front().push_back(d);
        auto expanded = memref::ExpandShapeOp::create(b, fn.getLoc(), type, arg, all);
        arg.replaceAllUsesExcept(expanded.getResult(), expanded);
        argTypes[arg.getArgNumber()] = flat;
        changed = true;
      }
      if (changed)
        fn.setFunctionType(FunctionType::get(&getContext(), argTypes, fn.getResultTypes()));
    }
  }
};

} // namespace
