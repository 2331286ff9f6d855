//===- GPUHostBuffers.cpp - the ds-gpu-host-buffers pass ------------------===//
//
// After kernel outlining the model function still hands the kernels host
// memory: its input, output and arena arguments and the weights' globals.
// This pass gives each one a device buffer the kernels use instead. The
// buffers belong to the model instance, not to the run: each is one call
//
//   dsrt_cuda_buffer(slot, slots, bytes, host)
//
// into libdsrt_cuda, which allocates slot |slot| of the running instance on
// its first run and returns the same device pointer on every later one. A
// weight passes its host copy and is uploaded on that first run only, so a
// steady-state run allocates nothing and copies only its inputs in and its
// outputs out (gpu.memcpy, on the run's stream); the instance's buffers are
// freed when it is closed. The device arena is one such buffer: the memory
// plan holds on the device as it does on the CPU.
//
// The host code must not touch those buffers itself (only launches, copies
// and views may use them), which the pass checks.
//
//===----------------------------------------------------------------------===//

#include "deepseek/Passes.h"
#include "PipelineStages.h"

#include "mlir/Conversion/LLVMCommon/MemRefBuilder.h"
#include "mlir/Conversion/LLVMCommon/TypeConverter.h"
#include "mlir/Dialect/LLVMIR/LLVMDialect.h"
#include "mlir/Interfaces/DataLayoutInterfaces.h"
#include "mlir/Interfaces/ViewLikeInterface.h"

namespace mlir::ds {
#define GEN_PASS_DEF_DSGPUHOSTBUFFERS
#include "ds/Passes.h.inc"
} // namespace mlir::ds

using namespace mlir;

namespace {

/// libdsrt_cuda's entry point (include/dsrt/dsrt_cuda.h).
constexpr llvm::StringLiteral kBufferFn = "dsrt_cuda_buffer";

/// One host buffer that gets a device twin.
struct HostBuffer {
  Value host;
  bool copyIn;  // an input: copied in every run
  bool copyOut; // an output: copied out before every return
  bool weight;  // a global: uploaded on the instance's first run
};

struct DSGPUHostBuffersPass : public ds::impl::DSGPUHostBuffersBase<DSGPUHostBuffersPass> {
  using Base::Base;

  void runOnOperation() override {
    ModuleOp module = getOperation();
    bool hasArena = ds::hasArenaArgument(module);
    // Slots are numbered across the module so that one instance table holds
    // every function's buffers.
    SmallVector<std::pair<func::FuncOp, SmallVector<HostBuffer>>> work;
    int64_t slots = 0;
    for (func::FuncOp fn : module.getOps<func::FuncOp>()) {
      if (fn.isExternal())
        continue;
      FailureOr<SmallVector<HostBuffer>> buffers = collect(fn, hasArena);
      if (failed(buffers))
        return signalPassFailure();
      slots += buffers->size();
      work.push_back({fn, std::move(*buffers)});
    }
    if (slots == 0)
      return;
    LLVM::LLVMFuncOp bufferFn = declareBufferFn(module);
    LLVMTypeConverter converter(&getContext());
    int64_t slot = 0;
    for (auto &[fn, buffers] : work) {
      SmallVector<Value> device = twin(fn, buffers, bufferFn, converter, slot, slots);
      if (failed(checkHostUses(device)))
        return signalPassFailure();
    }
  }

  /// The arguments (inputs, outputs, arena) and weights of |fn| in slot
  /// order. Every memref.get_global moves to the top of the function, the
  /// same global's read once: the twins are all made before the first copy
  /// or launch, so that gpu-async-region chains the whole run on one stream
  /// (a call between two launches would end one stream and start another).
  FailureOr<SmallVector<HostBuffer>> collect(func::FuncOp fn, bool hasArena) {
    int64_t buffers = fn.getNumArguments() - (hasArena ? 1 : 0);
    if (numInputs < 0 || numInputs > buffers) {
      fn.emitOpError("has ") << buffers << " input and output buffers, fewer than num-inputs="
                             << static_cast<int64_t>(numInputs);
      return failure();
    }
    SmallVector<HostBuffer> result;
    for (BlockArgument arg : fn.getArguments()) {
      auto type = dyn_cast<MemRefType>(arg.getType());
      if (!type)
        continue;
      if (!type.hasStaticShape() || !type.getLayout().isIdentity()) {
        fn.emitOpError("argument ") << arg.getArgNumber() << " has type " << type
                                    << "; a device buffer needs a static, dense memref";
        return failure();
      }
      bool input = arg.getArgNumber() < numInputs;
      bool output = !input && static_cast<int64_t>(arg.getArgNumber()) < buffers;
      result.push_back({arg, input, output, /*weight=*/false});
    }
    SmallVector<memref::GetGlobalOp> reads;
    fn.walk([&](memref::GetGlobalOp op) { reads.push_back(op); });
    llvm::StringMap<memref::GetGlobalOp> first;
    Block &entry = fn.front();
    for (memref::GetGlobalOp read : reads) {
      auto [it, inserted] = first.try_emplace(read.getName(), read);
      if (!inserted && it->second.getType() == read.getType()) {
        read.replaceAllUsesWith(it->second.getResult());
        read.erase();
        continue;
      }
      read->moveBefore(&entry, entry.begin());
      result.push_back({read.getResult(), false, false, /*weight=*/true});
    }
    return result;
  }

  static LLVM::LLVMFuncOp declareBufferFn(ModuleOp module) {
    if (auto fn = module.lookupSymbol<LLVM::LLVMFuncOp>(kBufferFn))
      return fn;
    MLIRContext *ctx = module.getContext();
    auto i64 = IntegerType::get(ctx, 64);
    auto ptr = LLVM::LLVMPointerType::get(ctx);
    OpBuilder b = OpBuilder::atBlockEnd(module.getBody());
    return LLVM::LLVMFuncOp::create(b, module.getLoc(), kBufferFn,
                                    LLVM::LLVMFunctionType::get(ptr, {i64, i64, i64, ptr}));
  }

  /// Replaces each host buffer of |fn| by its instance's device buffer;
  /// returns the device buffers.
  SmallVector<Value> twin(func::FuncOp fn, ArrayRef<HostBuffer> buffers,
                          LLVM::LLVMFuncOp bufferFn, const LLVMTypeConverter &converter,
                          int64_t &slot, int64_t slots) {
    Block &entry = fn.front();
    // After the hoisted global reads, in slot order.
    auto firstOther = llvm::find_if(entry, [](Operation &op) { return !isa<memref::GetGlobalOp>(op); });
    OpBuilder b(&entry, firstOther);
    DataLayout layout = DataLayout::closest(fn);
    auto i64 = b.getI64Type();
    auto ptr = LLVM::LLVMPointerType::get(b.getContext());
    auto constant = [&](Location loc, int64_t value) -> Value {
      return LLVM::ConstantOp::create(b, loc, i64, value);
    };
    SmallVector<Value> device;
    SmallVector<std::pair<Value, Value>> inputs, outputs; // host, device
    SmallVector<std::pair<Value, Operation *>> replace;   // host, the op that keeps it
    for (const HostBuffer &buffer : buffers) {
      Value host = buffer.host;
      auto type = cast<MemRefType>(host.getType());
      Location loc = host.getLoc();
      Operation *keep = nullptr;
      Value source;
      if (buffer.weight) {
        auto address = memref::ExtractAlignedPointerAsIndexOp::create(b, loc, host);
        keep = address;
        Value integer = arith::IndexCastOp::create(b, loc, i64, address);
        source = LLVM::IntToPtrOp::create(b, loc, ptr, integer);
      } else {
        source = LLVM::ZeroOp::create(b, loc, ptr);
      }
      int64_t bytes = type.getNumElements() *
                      static_cast<int64_t>(layout.getTypeSize(type.getElementType()));
      Value pointer =
          LLVM::CallOp::create(b, loc, bufferFn,
                               ValueRange{constant(loc, slot++), constant(loc, slots),
                                          constant(loc, bytes), source})
              .getResult();
      Value descriptor = MemRefDescriptor::fromStaticShape(b, loc, converter, type, pointer);
      Value twin = UnrealizedConversionCastOp::create(b, loc, type, descriptor).getResult(0);
      replace.push_back({host, keep});
      device.push_back(twin);
      if (buffer.copyIn)
        inputs.push_back({host, twin});
      if (buffer.copyOut)
        outputs.push_back({host, twin});
    }
    for (auto [index, entryAndKeep] : llvm::enumerate(replace)) {
      auto [host, keep] = entryAndKeep;
      SmallPtrSet<Operation *, 2> kept;
      if (keep)
        kept.insert(keep);
      host.replaceAllUsesExcept(device[index], kept);
    }
    // The inputs' copies after every twin (see collect).
    for (auto [host, twin] : inputs)
      gpu::MemcpyOp::create(b, host.getLoc(), Type(), ValueRange{}, twin, host);
    fn.walk([&](func::ReturnOp ret) {
      b.setInsertionPoint(ret);
      for (auto [host, twin] : outputs)
        gpu::MemcpyOp::create(b, ret.getLoc(), Type(), ValueRange{}, host, twin);
    });
    return device;
  }

  /// Host code may only launch kernels on, copy, fill or take views of the
  /// device buffers: anything else would dereference a device address.
  LogicalResult checkHostUses(ArrayRef<Value> device) {
    SmallVector<Value> pending(device.begin(), device.end());
    while (!pending.empty()) {
      Value value = pending.pop_back_val();
      for (Operation *user : value.getUsers()) {
        if (isa<gpu::LaunchFuncOp, gpu::MemcpyOp, gpu::MemsetOp>(user))
          continue;
        if (isa<ViewLikeOpInterface, memref::CastOp>(user)) {
          llvm::append_range(pending, user->getResults());
          continue;
        }
        return user->emitOpError("uses a buffer the GPU holds in host code; only kernels may "
                                 "read or write it");
      }
    }
    return success();
  }
};

} // namespace
