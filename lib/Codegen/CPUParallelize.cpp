//===- CPUParallelize.cpp - ds-cpu-parallelize and its trampolines --------===//
//
// Generated code runs parallel loops on libdsrt's thread pool through one C
// entry point, dsrt_parallel_for(n, fn, ctx), which calls fn(ctx, begin, end)
// on contiguous chunks of [0, n). At the memref level a loop is outlined into
// @body(memrefs..., begin, end); the call site packs the memrefs' aligned
// pointers into a stack array `ctx`. The function fn is a trampoline that
// unpacks ctx and calls @body; it can only be written once memrefs are bare
// pointers, so it is declared here and defined after the LLVM lowering.
//
//===----------------------------------------------------------------------===//

#include "deepseek/Passes.h"

#include "mlir/Dialect/LLVMIR/LLVMDialect.h"
#include "mlir/IR/IRMapping.h"
#include "mlir/IR/SymbolTable.h"
#include "mlir/Interfaces/ViewLikeInterface.h"
#include "mlir/Transforms/RegionUtils.h"

namespace mlir::ds {
#define GEN_PASS_DEF_DSCPUPARALLELIZE
#define GEN_PASS_DEF_DSCPUPARALLELTRAMPOLINES
#include "ds/Passes.h.inc"
} // namespace mlir::ds

using namespace mlir;

namespace {

/// The first NameLoc in |loc|, pre-order: a node's NameLoc wraps its op
/// type's NameLoc, and the outer one names the node.
std::optional<StringRef> firstName(Location loc) {
  if (auto named = dyn_cast<NameLoc>(loc))
    return named.getName().getValue();
  if (auto fused = dyn_cast<FusedLoc>(loc))
    for (Location part : fused.getLocations())
      if (std::optional<StringRef> name = firstName(part))
        return name;
  if (auto call = dyn_cast<CallSiteLoc>(loc))
    return firstName(call.getCallee());
  return std::nullopt;
}

/// "_<name>" from the first named location in |loc| (the importer names each
/// op after its ONNX node), keeping the last 40 identifier characters, so that
/// profiles show which node a parallel kernel came from; "" when unnamed.
std::string kernelLabel(Location loc) {
  std::string label;
  if (std::optional<StringRef> name = firstName(loc))
    for (char c : *name)
      label.push_back(llvm::isAlnum(c) ? c : '_');
  if (label.size() > 40)
    label = label.substr(label.size() - 40);
  return label.empty() ? label : "_" + label;
}

/// Captured memrefs travel as pointers in a fixed-size array, so every
/// trampoline and the runtime entry point share one type.
constexpr int64_t kMaxCaptures = 64;
constexpr const char kRuntimeEntry[] = "dsrt_parallel_for";

std::optional<int64_t> constantIndex(Value v) {
  if (auto c = v.getDefiningOp<arith::ConstantIndexOp>())
    return c.value();
  return std::nullopt;
}

/// Scalar iterations of the loop nest under |op| (constant bounds only).
std::optional<int64_t> nestIterations(Operation *op) {
  int64_t trips = 1;
  if (auto par = dyn_cast<scf::ParallelOp>(op)) {
    for (auto [lb, ub, st] :
         llvm::zip(par.getLowerBound(), par.getUpperBound(), par.getStep())) {
      auto l = constantIndex(lb), u = constantIndex(ub), s = constantIndex(st);
      if (!l || !u || !s || *s <= 0)
        return std::nullopt;
      trips *= (*u - *l + *s - 1) / *s;
    }
  } else if (auto loop = dyn_cast<scf::ForOp>(op)) {
    auto l = constantIndex(loop.getLowerBound()), u = constantIndex(loop.getUpperBound()),
         s = constantIndex(loop.getStep());
    if (!l || !u || !s || *s <= 0)
      return std::nullopt;
    trips = (*u - *l + *s - 1) / *s;
  }
  int64_t inner = 1;
  for (Region &region : op->getRegions())
    for (Operation &nested : region.getOps())
      if (isa<scf::ParallelOp, scf::ForOp>(nested)) {
        auto n = nestIterations(&nested);
        if (!n)
          return std::nullopt;
        inner = std::max(inner, *n);
      }
  return trips * inner;
}

/// An arena buffer: a memref.view of a function argument (the arena) at a
/// constant byte offset.
memref::ViewOp arenaView(Value v) {
  auto view = v.getDefiningOp<memref::ViewOp>();
  if (!view || !isa<BlockArgument>(view.getSource()) || !view.getSizes().empty() ||
      !constantIndex(view.getByteShift()))
    return nullptr;
  return view;
}

bool isPassableRoot(Value v) {
  auto type = dyn_cast<MemRefType>(v.getType());
  if (!type || !type.hasStaticShape() || !type.getLayout().isIdentity())
    return false;
  Operation *def = v.getDefiningOp();
  return !def || isa<memref::AllocOp, memref::AllocaOp>(def) || arenaView(v);
}

/// The bytes a root memref covers: [begin, end) of its arena for arena
/// views, of itself otherwise.
struct ByteRange {
  Value base;
  int64_t begin, end;
};

ByteRange byteRange(Value root) {
  auto type = cast<MemRefType>(root.getType());
  int64_t bytes = type.getNumElements() * ((type.getElementTypeBitWidth() + 7) / 8);
  if (memref::ViewOp view = arenaView(root)) {
    int64_t shift = *constantIndex(view.getByteShift());
    return {view.getSource(), shift, shift + bytes};
  }
  return {root, 0, bytes};
}

/// Marks the body's memref arguments `llvm.noalias` where no other argument
/// reaches the same bytes: distinct buffers, or arena buffers the planner
/// placed apart (every buffer a kernel touches is live at that kernel, so
/// they never overlap). LLVM can then keep a reduction's accumulator in a
/// register and vectorize loops over arena buffers without run-time checks
/// (BERT-base's softmax reductions stored their accumulator to memory every
/// element and ran scalar).
void markDisjointArguments(func::FuncOp body, ArrayRef<Value> roots) {
  SmallVector<ByteRange> ranges = llvm::map_to_vector(roots, byteRange);
  for (size_t i = 0; i < ranges.size(); ++i) {
    bool disjoint = llvm::all_of(llvm::seq<size_t>(0, ranges.size()), [&](size_t j) {
      return i == j || ranges[i].base != ranges[j].base ||
             ranges[i].end <= ranges[j].begin || ranges[j].end <= ranges[i].begin;
    });
    if (disjoint)
      body.setArgAttr(i, LLVM::LLVMDialect::getNoAliasAttrName(),
                      UnitAttr::get(body.getContext()));
  }
}

/// Sorts what |par| uses from above into values to clone (constants, views,
/// globals) and root memrefs to pass. Fails on anything else.
LogicalResult classifyCaptures(scf::ParallelOp par, SetVector<Value> &roots,
                               SmallVector<Operation *> &toClone) {
  SetVector<Value> used;
  getUsedValuesDefinedAbove(par.getRegion(), used);
  SmallVector<Value> worklist(used.begin(), used.end());
  DenseSet<Operation *> cloned;
  while (!worklist.empty()) {
    Value v = worklist.pop_back_val();
    if (isPassableRoot(v)) {
      roots.insert(v);
      continue;
    }
    Operation *def = v.getDefiningOp();
    if (!def)
      return failure();
    bool cloneable = def->hasTrait<OpTrait::ConstantLike>() || isa<memref::GetGlobalOp>(def) ||
                     isa<ViewLikeOpInterface>(def);
    if (!cloneable || def->getNumRegions() != 0)
      return failure();
    if (cloned.insert(def).second) {
      toClone.push_back(def);
      for (Value operand : def->getOperands())
        worklist.push_back(operand);
    }
  }
  if (roots.size() > kMaxCaptures)
    return failure();
  // Clone in dominance order: operands before users.
  llvm::sort(toClone, [](Operation *a, Operation *b) {
    if (a->getBlock() == b->getBlock())
      return a->isBeforeInBlock(b);
    return a->getBlock()->getParentOp()->isAncestor(b);
  });
  return success();
}

struct DSCPUParallelizePass : public ds::impl::DSCPUParallelizeBase<DSCPUParallelizePass> {
  using Base::Base;

  void runOnOperation() override {
    ModuleOp module = getOperation();
    MLIRContext *ctx = &getContext();
    SmallVector<scf::ParallelOp> loops;
    module.walk([&](scf::ParallelOp par) {
      if (!par->getParentOfType<scf::ParallelOp>() && !par->getParentOfType<scf::ForOp>() &&
          par.getNumReductions() == 0)
        loops.push_back(par);
    });
    if (loops.empty())
      return;
    auto ctxType = MemRefType::get({kMaxCaptures}, IndexType::get(ctx));
    auto i64 = IntegerType::get(ctx, 64);
    auto bodyFnType = FunctionType::get(ctx, {ctxType, i64, i64}, {});
    OpBuilder top = OpBuilder::atBlockBegin(module.getBody());
    auto declareRuntimeEntry = [&] {
      if (module.lookupSymbol(kRuntimeEntry))
        return;
      OpBuilder::InsertionGuard guard(top);
      top.setInsertionPointToStart(module.getBody());
      auto decl = func::FuncOp::create(top, module.getLoc(), kRuntimeEntry,
                                       FunctionType::get(ctx, {i64, bodyFnType, ctxType}, {}));
      decl.setPrivate();
    };
    unsigned counter = 0;
    for (scf::ParallelOp par : loops) {
      std::optional<int64_t> work = nestIterations(par);
      if (!work)
        continue;
      // A vectorized body does a vector's worth of scalar work per iteration.
      int64_t lanes = 1;
      par.walk([&](Operation *inner) {
        for (Type t : inner->getResultTypes())
          if (auto v = dyn_cast<VectorType>(t))
            lanes = std::max(lanes, v.getNumElements());
      });
      if (*work * lanes < minIterations)
        continue;
      // The dim to split: the first with more than one iteration. Chunk
      // [begin, end) of its iterations runs lb + begin * step up to
      // min(lb + end * step, ub).
      std::optional<unsigned> dim;
      int64_t trips = 0, lower = 0, upper = 0, stride = 1;
      for (unsigned d = 0; d < par.getNumLoops(); ++d) {
        auto lb = constantIndex(par.getLowerBound()[d]), ub = constantIndex(par.getUpperBound()[d]),
             st = constantIndex(par.getStep()[d]);
        if (lb && ub && st && *st > 0 && (*ub - *lb + *st - 1) / *st > 1) {
          dim = d;
          trips = (*ub - *lb + *st - 1) / *st;
          lower = *lb;
          upper = *ub;
          stride = *st;
          break;
        }
      }
      if (!dim)
        continue;
      SetVector<Value> roots;
      SmallVector<Operation *> toClone;
      if (failed(classifyCaptures(par, roots, toClone)))
        continue;
      declareRuntimeEntry();
      auto parentFn = par->getParentOfType<func::FuncOp>();
      std::string name =
          (parentFn.getSymName() + "_par" + Twine(counter++) + kernelLabel(par.getLoc())).str();

      // 1. @body(roots..., begin, end): clones, then the loop over [begin, end).
      SmallVector<Type> argTypes;
      for (Value root : roots)
        argTypes.push_back(root.getType());
      argTypes.push_back(IndexType::get(ctx));
      argTypes.push_back(IndexType::get(ctx));
      top.setInsertionPoint(parentFn);
      auto body = func::FuncOp::create(top, par.getLoc(), name,
                                       FunctionType::get(ctx, argTypes, {}));
      body.setPrivate();
      markDisjointArguments(body, roots.getArrayRef());
      Block *entry = body.addEntryBlock();
      OpBuilder b = OpBuilder::atBlockBegin(entry);
      IRMapping map;
      for (auto [i, root] : llvm::enumerate(roots))
        map.map(root, entry->getArgument(i));
      for (Operation *op : toClone)
        b.clone(*op, map);
      Value begin = entry->getArgument(roots.size()), end = entry->getArgument(roots.size() + 1);
      if (lower != 0 || stride != 1) {
        Location l = par.getLoc();
        auto c = [&](int64_t v) { return arith::ConstantIndexOp::create(b, l, v); };
        begin = arith::AddIOp::create(b, l, c(lower), arith::MulIOp::create(b, l, begin, c(stride)));
        end = arith::MinSIOp::create(
            b, l, arith::AddIOp::create(b, l, c(lower), arith::MulIOp::create(b, l, end, c(stride))),
            c(upper));
      }
      SmallVector<Value> lbs, ubs;
      for (unsigned d = 0; d < par.getNumLoops(); ++d) {
        lbs.push_back(d == *dim ? begin : map.lookupOrDefault(par.getLowerBound()[d]));
        ubs.push_back(d == *dim ? end : map.lookupOrDefault(par.getUpperBound()[d]));
      }
      // Bounds and steps defined above the loop are constants: clone them too.
      auto materialize = [&](Value v) -> Value {
        if (v.getParentBlock() == entry)
          return v;
        if (auto c = constantIndex(v))
          return arith::ConstantIndexOp::create(b, par.getLoc(), *c);
        return map.lookupOrDefault(v);
      };
      for (Value &v : lbs)
        v = materialize(v);
      for (Value &v : ubs)
        v = materialize(v);
      SmallVector<Value> steps;
      for (Value s : par.getStep())
        steps.push_back(materialize(s));
      auto clone = scf::ParallelOp::create(b, par.getLoc(), lbs, ubs, steps);
      IRMapping inner = map;
      for (auto [from, to] : llvm::zip(par.getInductionVars(), clone.getInductionVars()))
        inner.map(from, to);
      // Everything but the implicit terminator (the clone has its own).
      OpBuilder bodyBuilder = OpBuilder::atBlockBegin(clone.getBody());
      for (Operation &op : par.getBody()->without_terminator())
        bodyBuilder.clone(op, inner);
      func::ReturnOp::create(b, par.getLoc());

      // 2. The trampoline, declared; defined after the LLVM lowering.
      auto tramp = func::FuncOp::create(top, par.getLoc(), name + "_tramp", bodyFnType);
      tramp.setPrivate();

      // 3. The call site.
      OpBuilder site(par);
      Location loc = par.getLoc();
      Value ctxBuffer = memref::AllocaOp::create(site, loc, ctxType);
      for (auto [i, root] : llvm::enumerate(roots)) {
        Value pointer = memref::ExtractAlignedPointerAsIndexOp::create(site, loc, root);
        memref::StoreOp::create(site, loc, pointer, ctxBuffer,
                                ValueRange{arith::ConstantIndexOp::create(site, loc, i)});
      }
      Value fn = func::ConstantOp::create(site, loc, bodyFnType,
                                          FlatSymbolRefAttr::get(tramp.getSymNameAttr()));
      Value n = arith::ConstantIntOp::create(site, loc, trips, 64);
      func::CallOp::create(site, loc, kRuntimeEntry, TypeRange{}, ValueRange{n, fn, ctxBuffer});
      par.erase();
    }
  }
};

struct DSCPUParallelTrampolinesPass
    : public ds::impl::DSCPUParallelTrampolinesBase<DSCPUParallelTrampolinesPass> {
  void runOnOperation() override {
    ModuleOp module = getOperation();
    auto ptr = LLVM::LLVMPointerType::get(&getContext());
    auto i64 = IntegerType::get(&getContext(), 64);
    for (auto tramp : llvm::make_early_inc_range(module.getOps<LLVM::LLVMFuncOp>())) {
      StringRef name = tramp.getSymName();
      if (!tramp.isExternal() || !name.ends_with("_tramp"))
        continue;
      auto body = module.lookupSymbol<LLVM::LLVMFuncOp>(name.drop_back(strlen("_tramp")));
      if (!body || body.isExternal())
        continue;
      LLVM::LLVMFunctionType bodyType = body.getFunctionType();
      unsigned captures = bodyType.getNumParams() - 2;
      OpBuilder declBuilder(tramp);
      Block *entry = tramp.addEntryBlock(declBuilder);
      OpBuilder b = OpBuilder::atBlockBegin(entry);
      Location loc = tramp.getLoc();
      SmallVector<Value> args;
      for (unsigned i = 0; i < captures; ++i) {
        Value slot = LLVM::GEPOp::create(b, loc, ptr, i64, entry->getArgument(0),
                                         ArrayRef<LLVM::GEPArg>{static_cast<int32_t>(i)});
        args.push_back(LLVM::LoadOp::create(b, loc, ptr, slot));
      }
      args.push_back(entry->getArgument(1));
      args.push_back(entry->getArgument(2));
      LLVM::CallOp::create(b, loc, body, args);
      LLVM::ReturnOp::create(b, loc, ValueRange{});
      tramp.setLinkage(LLVM::Linkage::Internal);
      body.setLinkage(LLVM::Linkage::Internal);
    }
  }
};

} // namespace
