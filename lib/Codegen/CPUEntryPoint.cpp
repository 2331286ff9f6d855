//===- CPUEntryPoint.cpp - the ds-cpu-entry-point pass ---------------------===//
//
// Generated models are called through one C signature,
//   void <symbol>_run(void **buffers, void *arena),
// so the runtime's descriptor and the JIT need no per-model glue. The model
// function (bare-pointer convention: one `ptr` per input and output) is renamed
// and made internal; the wrapper unpacks the pointer array and calls it.
//
//===----------------------------------------------------------------------===//

#include "deepseek/Passes.h"
#include "PipelineStages.h"

#include "mlir/Dialect/LLVMIR/LLVMDialect.h"
#include "mlir/IR/SymbolTable.h"

namespace mlir::ds {
#define GEN_PASS_DEF_DSCPUENTRYPOINT
#include "ds/Passes.h.inc"
} // namespace mlir::ds

using namespace mlir;

namespace {

struct DSCPUEntryPointPass : public ds::impl::DSCPUEntryPointBase<DSCPUEntryPointPass> {
  using Base::Base;

  void runOnOperation() override {
    ModuleOp module = getOperation();
    auto model = module.lookupSymbol<LLVM::LLVMFuncOp>(modelFunction);
    if (!model) {
      module.emitError("no lowered model function '@") << modelFunction << "' to wrap";
      return signalPassFailure();
    }
    auto ptrType = LLVM::LLVMPointerType::get(&getContext());
    LLVM::LLVMFunctionType modelType = model.getFunctionType();
    if (!isa<LLVM::LLVMVoidType>(modelType.getReturnType()) ||
        llvm::any_of(modelType.getParams(), [&](Type t) { return t != ptrType; })) {
      model.emitOpError("must take only pointers and return nothing (bare-pointer "
                        "convention after buffer-results-to-out-params)");
      return signalPassFailure();
    }
    std::string internalName = symbol + "_main";
    if (failed(SymbolTable::replaceAllSymbolUses(model, StringAttr::get(&getContext(), internalName),
                                                 module))) {
      model.emitOpError("could not be renamed");
      return signalPassFailure();
    }
    model.setSymName(internalName);
    model.setLinkage(LLVM::Linkage::Internal);

    OpBuilder b = OpBuilder::atBlockEnd(module.getBody());
    Location loc = model.getLoc();
    auto entryType = LLVM::LLVMFunctionType::get(LLVM::LLVMVoidType::get(&getContext()),
                                                 {ptrType, ptrType});
    auto entry = LLVM::LLVMFuncOp::create(b, loc, symbol + "_run", entryType);
    Block *body = entry.addEntryBlock(b);
    b.setInsertionPointToStart(body);
    Value buffers = body->getArgument(0);
    // With a planned arena (ds-cpu-plan-memory), the last parameter is it.
    bool hasArena = ds::hasArenaArgument(module);
    unsigned bufferCount = modelType.getNumParams() - (hasArena ? 1 : 0);
    SmallVector<Value> args;
    for (unsigned i = 0; i < bufferCount; ++i) {
      Value slot = LLVM::GEPOp::create(b, loc, ptrType, ptrType, buffers,
                                       ArrayRef<LLVM::GEPArg>{static_cast<int32_t>(i)});
      args.push_back(LLVM::LoadOp::create(b, loc, ptrType, slot));
    }
    if (hasArena)
      args.push_back(body->getArgument(1));
    LLVM::CallOp::create(b, loc, model, args);
    LLVM::ReturnOp::create(b, loc, ValueRange{});
  }
};

} // namespace
