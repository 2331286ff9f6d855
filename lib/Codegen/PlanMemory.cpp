//===- PlanMemory.cpp - the ds-cpu-plan-memory pass -----------------------===//
//
// Lifetimes are positions in the model function's top-level op list: a
// buffer is live from its alloc to the last top-level op that uses it, a view
// of it, or (through nested regions) anything inside. The offsets come from
// planGreedyBySize; the allocs become views of one arena argument.
//
// For AddressSanitizer builds (poison-lifetimes) every buffer gets its own
// offset and the arena is poisoned outside the lifetimes instead: an access
// the liveness analysis did not see (the only way two buffers of the real plan
// could collide, since isValidPlan checks the offsets) becomes an ASan report
// rather than silent corruption.
//
//===----------------------------------------------------------------------===//

#include "deepseek/Codegen/MemoryPlanner.h"
#include "deepseek/Passes.h"
#include "PipelineStages.h"

#include "mlir/Dialect/Arith/IR/Arith.h"
#include "mlir/Dialect/Func/IR/FuncOps.h"
#include "mlir/Dialect/MemRef/IR/MemRef.h"
#include "mlir/Interfaces/ViewLikeInterface.h"

#include <optional>

namespace mlir::ds {
#define GEN_PASS_DEF_DSCPUPLANMEMORY
#include "ds/Passes.h.inc"
} // namespace mlir::ds

using namespace mlir;
using namespace mlir::ds;

namespace {

/// The position of |op|'s ancestor in |block|, or -1 when it is not inside.
int64_t topLevelIndex(Operation *op, Block &block, const DenseMap<Operation *, int64_t> &index) {
  Operation *ancestor = block.findAncestorOpInBlock(*op);
  if (!ancestor)
    return -1;
  auto it = index.find(ancestor);
  return it == index.end() ? -1 : it->second;
}

/// The last top-level position at which |value| or any view of it is used;
/// nullopt when a use cannot be placed (the buffer is then left alone).
std::optional<int64_t> lastUse(Value value, Block &block,
                               const DenseMap<Operation *, int64_t> &index) {
  int64_t last = -1;
  SmallVector<Value> pending{value};
  while (!pending.empty()) {
    Value v = pending.pop_back_val();
    for (Operation *user : v.getUsers()) {
      if (isa<memref::DeallocOp>(user))
        continue;
      int64_t position = topLevelIndex(user, block, index);
      if (position < 0 || isa<func::ReturnOp>(user))
        return std::nullopt;
      last = std::max(last, position);
      if (auto view = dyn_cast<ViewLikeOpInterface>(user))
        if (view.getViewSource() == v)
          for (Value result : user->getResults())
            pending.push_back(result);
    }
  }
  return last;
}

/// Emits the ASan calls of poison-lifetimes: `name(arena + offset, bytes)`,
/// with the pointer as an i64 (the C signature is (const void *, size_t); both
/// travel in integer registers).
class ArenaPoisoner {
public:
  ArenaPoisoner(ModuleOp module, Value arena) : arena(arena) {
    OpBuilder b(module.getBodyRegion());
    Type i64 = b.getI64Type();
    auto type = b.getFunctionType({i64, i64}, {});
    for (StringRef name : {kPoison, kUnpoison})
      if (!module.lookupSymbol(name))
        func::FuncOp::create(b, module.getLoc(), name, type).setPrivate();
  }
  void poison(OpBuilder &b, Location loc, int64_t offset, int64_t bytes) {
    call(b, loc, kPoison, offset, bytes);
  }
  void unpoison(OpBuilder &b, Location loc, int64_t offset, int64_t bytes) {
    call(b, loc, kUnpoison, offset, bytes);
  }

private:
  static constexpr StringLiteral kPoison = "__asan_poison_memory_region";
  static constexpr StringLiteral kUnpoison = "__asan_unpoison_memory_region";

  void call(OpBuilder &b, Location loc, StringRef name, int64_t offset, int64_t bytes) {
    Value base = memref::ExtractAlignedPointerAsIndexOp::create(b, loc, arena);
    Value address = arith::AddIOp::create(b, loc, base,
                                          arith::ConstantIndexOp::create(b, loc, offset));
    Value pointer = arith::IndexCastOp::create(b, loc, b.getI64Type(), address);
    Value size = arith::ConstantIntOp::create(b, loc, bytes, 64);
    func::CallOp::create(b, loc, name, TypeRange{}, ValueRange{pointer, size});
  }
  Value arena;
};

struct DSCPUPlanMemoryPass : public ds::impl::DSCPUPlanMemoryBase<DSCPUPlanMemoryPass> {
  using Base::Base;

  void runOnOperation() override {
    ModuleOp module = getOperation();
    auto fn = module.lookupSymbol<func::FuncOp>(modelFunction);
    if (!fn || fn.isExternal())
      return;
    Block &body = fn.getBody().front();
    // Positions both ways: op -> step for the lifetimes, step -> op to place
    // the poisoning after a last use.
    DenseMap<Operation *, int64_t> index;
    SmallVector<Operation *> ops;
    for (Operation &op : body) {
      index[&op] = static_cast<int64_t>(ops.size());
      ops.push_back(&op);
    }
    SmallVector<memref::AllocOp> allocs;
    std::vector<BufferLifetime> lifetimes;
    const DataLayout layout = DataLayout::closest(fn);
    for (auto alloc : body.getOps<memref::AllocOp>()) {
      MemRefType type = alloc.getType();
      if (!type.hasStaticShape() || !type.getLayout().isIdentity() ||
          !alloc.getDynamicSizes().empty() || !alloc.getSymbolOperands().empty() ||
          (type.getMemorySpace() && !isa<IntegerAttr>(type.getMemorySpace())))
        continue;
      std::optional<int64_t> last = lastUse(alloc.getResult(), body, index);
      if (!last)
        continue;
      int64_t bytes = type.getNumElements() *
                      static_cast<int64_t>(layout.getTypeSize(type.getElementType()));
      allocs.push_back(alloc);
      lifetimes.push_back({bytes, index[alloc], std::max(*last, index[alloc])});
    }
    Builder attrs(&getContext());
    auto record = [&](StringRef name, int64_t v) {
      module->setAttr(name, attrs.getI64IntegerAttr(v));
    };
    if (allocs.empty()) {
      record("ds.arena_size", 0);
      record("ds.arena_naive_size", 0);
      record("ds.arena_lower_bound", 0);
      return;
    }
    MemoryPlan plan = poisonLifetimes ? planSeparately(lifetimes) : planGreedyBySize(lifetimes);
    if (!isValidPlan(lifetimes, plan)) {
      fn.emitError("internal error: the memory plan overlaps live buffers");
      return signalPassFailure();
    }
    // The arena: a new last argument.
    auto arenaType = MemRefType::get({plan.arenaSize}, IntegerType::get(&getContext(), 8));
    if (failed(fn.insertArgument(fn.getNumArguments(), arenaType, {}, fn.getLoc())))
      return signalPassFailure();
    Value arena = body.getArgument(body.getNumArguments() - 1);
    std::optional<ArenaPoisoner> poisoner;
    if (poisonLifetimes) {
      poisoner.emplace(module, arena);
      OpBuilder b = OpBuilder::atBlockBegin(&body);
      poisoner->poison(b, fn.getLoc(), 0, plan.arenaSize);
      b.setInsertionPoint(body.getTerminator());
      poisoner->unpoison(b, fn.getLoc(), 0, plan.arenaSize);
    }
    for (auto [alloc, offset, lifetime] : llvm::zip_equal(allocs, plan.offsets, lifetimes)) {
      OpBuilder b(alloc);
      if (poisoner) {
        // Exact bytes: ASan also catches a kernel running into the padding.
        poisoner->unpoison(b, alloc.getLoc(), offset, lifetime.size);
        OpBuilder after(ops[lifetime.lastUse]->getBlock(),
                        std::next(ops[lifetime.lastUse]->getIterator()));
        poisoner->poison(after, alloc.getLoc(), offset, alignTo(lifetime.size, 64));
      }
      Value shift = arith::ConstantIndexOp::create(b, alloc.getLoc(), offset);
      Value view = memref::ViewOp::create(b, alloc.getLoc(), alloc.getType(), arena, shift,
                                          ValueRange{});
      for (Operation *user : llvm::make_early_inc_range(alloc->getUsers()))
        if (isa<memref::DeallocOp>(user))
          user->erase();
      alloc.replaceAllUsesWith(view);
      alloc.erase();
    }
    record("ds.arena_size", plan.arenaSize);
    record("ds.arena_naive_size", naiveArenaSize(lifetimes));
    record("ds.arena_lower_bound", liveBytesLowerBound(lifetimes));
  }
};

} // namespace

bool mlir::ds::hasArenaArgument(ModuleOp module) {
  auto size = module->getAttrOfType<IntegerAttr>("ds.arena_size");
  return size && size.getInt() > 0;
}
