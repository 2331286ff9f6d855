//===- PrefetchWeightPanels.cpp - the ds-cpu-prefetch-weight-panels pass --===//
//
// Packed weights [P, ..., Nr] are read one panel at a time, and a panel is
// read once per row tile: the first row tile pulls it from memory at the
// rate its FMAs consume it (16 bytes a cycle for 8 x 32 tiles, several times
// what one core gets from DRAM), the others find it in L2. Prefetching the
// next panel's row alongside each row read overlaps that transfer with the
// current panel's compute.
//
//===----------------------------------------------------------------------===//

#include "deepseek/Passes.h"

#include "mlir/Dialect/Arith/IR/Arith.h"
#include "mlir/Dialect/MemRef/IR/MemRef.h"
#include "mlir/Dialect/SCF/IR/SCF.h"
#include "mlir/Dialect/Vector/IR/VectorOps.h"

namespace mlir::ds {
#define GEN_PASS_DEF_DSCPUPREFETCHWEIGHTPANELS
#include "ds/Passes.h.inc"
} // namespace mlir::ds

using namespace mlir;

namespace {

constexpr int64_t kCacheLineFloats = 16;

/// The packed weight a load reads a row of: a constant global of rank >= 3
/// whose innermost dim is a 16- or 32-float panel row, at least |minBytes|.
bool isPackedWeight(Value base, int64_t minBytes) {
  auto global = base.getDefiningOp<memref::GetGlobalOp>();
  auto type = dyn_cast<MemRefType>(base.getType());
  if (!global || !type || !type.hasStaticShape() || type.getRank() < 3 ||
      !type.getElementType().isF32() || !type.getLayout().isIdentity())
    return false;
  int64_t nr = type.getShape().back();
  return (nr == 16 || nr == 32) && type.getDimSize(0) > 1 &&
         type.getNumElements() * 4 >= minBytes;
}

struct DSCPUPrefetchWeightPanelsPass
    : public ds::impl::DSCPUPrefetchWeightPanelsBase<DSCPUPrefetchWeightPanelsPass> {
  using Base::Base;
  void runOnOperation() override {
    SmallVector<std::pair<Operation *, Value>> rowReads; // (load, base)
    getOperation().walk([&](Operation *op) {
      Value base;
      if (auto load = dyn_cast<vector::LoadOp>(op))
        base = load.getBase();
      else if (auto read = dyn_cast<vector::TransferReadOp>(op))
        base = read.getBase();
      if (base && op->getParentOfType<scf::ForOp>() && isPackedWeight(base, minBytes))
        rowReads.push_back({op, base});
    });
    OpBuilder b(&getContext());
    for (auto [op, base] : rowReads) {
      auto type = cast<MemRefType>(base.getType());
      ValueRange indices = isa<vector::LoadOp>(op) ? cast<vector::LoadOp>(op).getIndices()
                                                   : cast<vector::TransferReadOp>(op).getIndices();
      // A load of one whole row: every index but the panel's and the row's
      // own (the last, which starts it) is the row's.
      if (!matchPattern(indices.back(), m_Zero()))
        continue;
      b.setInsertionPoint(op);
      Location loc = op->getLoc();
      Value one = arith::ConstantIndexOp::create(b, loc, 1);
      Value last = arith::ConstantIndexOp::create(b, loc, type.getDimSize(0) - 1);
      Value next = arith::MinUIOp::create(
          b, loc, arith::AddIOp::create(b, loc, indices.front(), one), last);
      SmallVector<Value> at(indices.begin(), indices.end());
      at.front() = next;
      for (int64_t line = 0; line < type.getShape().back(); line += kCacheLineFloats) {
        at.back() = arith::ConstantIndexOp::create(b, loc, line);
        memref::PrefetchOp::create(b, loc, base, at, /*isWrite=*/false,
                                   /*localityHint=*/2, /*isDataCache=*/true);
      }
    }
  }
};

} // namespace
