//===- ChannelDependencies.cpp - which channels must be pruned together ---===//
//
// Every dimension of every ranked value is a slot. Each op says which of its
// operands' and results' slots index the same channels (a rule per op
// family below); slots joined that way form a group. An op without a rule
// fixes all its slots, as do the model's inputs and outputs: a group with a
// fixed slot keeps every channel. This is conservative by construction: an
// op the analysis does not know can only make less prunable, never wrong.
//
// Joins carry a block factor for Flatten (channel c of [N, C, H, W] is the
// columns [c * H * W, (c + 1) * H * W) of [N, C * H * W]); a group's blocks
// are solved as ratios and normalized to integers. Concat does not join its
// inputs' channel slots with its output's: the output's group is composed of
// its inputs' groups, each pruned on its own.
//
//===----------------------------------------------------------------------===//

#include "PruningInternals.h"

#include "llvm/ADT/TypeSwitch.h"

#include <numeric>

using namespace mlir;
using namespace mlir::ds;
using namespace mlir::ds::pruning;

namespace {

/// block(to) = block(from) * num / den.
struct Edge {
  unsigned to;
  int64_t num, den;
};

struct ConcatJoin {
  unsigned output;
  SmallVector<unsigned> inputs;
  Operation *op;
};

class DependencyBuilder {
public:
  DependencyBuilder(func::FuncOp func, const PruningOptions &options)
      : func(func), options(options) {}

  std::vector<ChannelGroup> build();

private:
  // Slots and joins.
  std::optional<unsigned> slot(Value value, int64_t dim);
  void join(Value a, int64_t da, Value b, int64_t db, int64_t factor = 1);
  void fixDim(Value value, int64_t dim, const std::string &why);
  void fixAll(Value value, const std::string &why);
  void joinAllDims(Value a, Value b);
  void joinBroadcast(Value operand, Value result);

  // Per-op rules.
  void visit(Operation *op);
  void visitConv(ConvOp conv);
  void visitGemm(GemmOp gemm);
  void visitMatMul(MatMulOp matmul);
  void visitFlatten(FlattenOp flatten);
  void visitConcat(ConcatOp concat);
  void visitReshape(Operation *op);
  void fixOperandsAndResults(Operation *op, const std::string &why);

  // Groups from the joins.
  std::vector<ChannelGroup> components();

  func::FuncOp func;
  const PruningOptions &options;
  DenseMap<std::pair<Value, int64_t>, unsigned> ids;
  SmallVector<std::pair<Value, int64_t>> slots;
  SmallVector<SmallVector<Edge>> edges;
  DenseMap<unsigned, std::string> fixedWhy;
  SmallVector<std::pair<unsigned, Operation *>> producers;
  SmallVector<std::pair<unsigned, ConvOp>> depthwise;
  SmallVector<ConcatJoin> concats;
};

std::optional<unsigned> DependencyBuilder::slot(Value value, int64_t dim) {
  auto type = dyn_cast<RankedTensorType>(value.getType());
  if (!type || type.getRank() == 0)
    return std::nullopt;
  if (dim < 0)
    dim += type.getRank();
  if (dim < 0 || dim >= type.getRank())
    return std::nullopt;
  auto [it, inserted] = ids.try_emplace({value, dim}, slots.size());
  if (inserted) {
    slots.push_back({value, dim});
    edges.emplace_back();
  }
  return it->second;
}

void DependencyBuilder::join(Value a, int64_t da, Value b, int64_t db, int64_t factor) {
  std::optional<unsigned> sa = slot(a, da), sb = slot(b, db);
  if (!sa || !sb)
    return;
  edges[*sa].push_back({*sb, factor, 1});
  edges[*sb].push_back({*sa, 1, factor});
}

void DependencyBuilder::fixDim(Value value, int64_t dim, const std::string &why) {
  if (std::optional<unsigned> s = slot(value, dim))
    fixedWhy.try_emplace(*s, why);
}

void DependencyBuilder::fixAll(Value value, const std::string &why) {
  if (auto type = dyn_cast<RankedTensorType>(value.getType()))
    for (int64_t d = 0; d < type.getRank(); ++d)
      fixDim(value, d, why);
}

void DependencyBuilder::joinAllDims(Value a, Value b) {
  auto ta = dyn_cast<RankedTensorType>(a.getType());
  auto tb = dyn_cast<RankedTensorType>(b.getType());
  if (!ta || !tb || ta.getRank() != tb.getRank())
    return fixAll(a, "rank changes"), fixAll(b, "rank changes");
  for (int64_t d = 0; d < ta.getRank(); ++d)
    join(a, d, b, d);
}

/// numpy broadcasting: an operand dimension of the result's size (aligned
/// from the right) indexes the same elements; a dimension of 1 repeats.
void DependencyBuilder::joinBroadcast(Value operand, Value result) {
  auto to = dyn_cast<RankedTensorType>(operand.getType());
  auto tr = dyn_cast<RankedTensorType>(result.getType());
  if (!to || !tr)
    return;
  int64_t offset = tr.getRank() - to.getRank();
  for (int64_t d = 0; d < to.getRank(); ++d) {
    int64_t rd = d + offset;
    if (rd < 0)
      continue;
    if (to.getDimSize(d) == tr.getDimSize(rd))
      join(operand, d, result, rd);
  }
}

void DependencyBuilder::fixOperandsAndResults(Operation *op, const std::string &why) {
  for (Value v : op->getOperands())
    fixAll(v, why);
  for (Value v : op->getResults())
    fixAll(v, why);
}

std::string opDescription(Operation *op) {
  std::string name = layerName(op);
  std::string what = op->getName().getStringRef().str();
  return name.empty() ? what : what + " '" + name + "'";
}

bool isConstant(Value v) { return v && v.getDefiningOp<ConstantOp>(); }

void DependencyBuilder::visitConv(ConvOp conv) {
  Value x = conv.getInput(), w = conv.getWeight(), y = conv.getOutput();
  auto xType = cast<RankedTensorType>(x.getType());
  auto wType = cast<RankedTensorType>(w.getType());
  if (!isa<FloatType>(wType.getElementType()) || xType.getRank() < 3)
    return fixOperandsAndResults(conv, "used by integer or 1-D " + opDescription(conv));
  int64_t group = conv.getGroup(), inChannels = xType.getDimSize(1),
          outChannels = wType.getDimSize(0);
  join(x, 0, y, 0);
  if (group == 1) {
    join(x, 1, w, 1);
    join(y, 1, w, 0);
    if (isConstant(w))
      producers.push_back({*slot(w, 0), conv});
  } else if (group == inChannels && outChannels == inChannels && wType.getDimSize(1) == 1) {
    // Depthwise: each channel filtered on its own, so it follows its input.
    join(x, 1, y, 1);
    join(y, 1, w, 0);
    depthwise.push_back({*slot(y, 1), conv});
  } else {
    std::string why = "grouped " + opDescription(conv);
    fixDim(x, 1, why), fixDim(y, 1, why), fixDim(w, 0, why), fixDim(w, 1, why);
  }
  if (Value bias = conv.getBias())
    join(bias, 0, y, 1);
  if (Value residual = conv.getResidual())
    joinBroadcast(residual, y);
}

void DependencyBuilder::visitGemm(GemmOp gemm) {
  Value a = gemm.getA(), b = gemm.getB(), y = gemm.getOutput();
  int64_t aRows = gemm.getTransA() ? 1 : 0, bCols = gemm.getTransB() ? 0 : 1;
  join(a, aRows, y, 0);
  join(a, 1 - aRows, b, 1 - bCols);
  join(b, bCols, y, 1);
  if (isConstant(b))
    producers.push_back({*slot(b, bCols), gemm});
  if (Value c = gemm.getC())
    joinBroadcast(c, y);
  if (Value residual = gemm.getResidual())
    joinBroadcast(residual, y);
}

void DependencyBuilder::visitMatMul(MatMulOp matmul) {
  Value lhs = matmul.getLhs(), rhs = matmul.getRhs(), y = matmul.getOutput();
  auto lt = cast<RankedTensorType>(lhs.getType()), rt = cast<RankedTensorType>(rhs.getType());
  if (lt.getRank() < 2 || rt.getRank() < 2 || !isa<FloatType>(rt.getElementType()))
    return fixOperandsAndResults(matmul, "used by " + opDescription(matmul));
  join(lhs, -1, rhs, -2);
  join(lhs, -2, y, -2);
  join(rhs, -1, y, -1);
  // Batch dimensions are never channels.
  for (int64_t d = 0; d + 2 < lt.getRank(); ++d)
    fixDim(lhs, d, "a batch dimension");
  for (int64_t d = 0; d + 2 < rt.getRank(); ++d)
    fixDim(rhs, d, "a batch dimension");
  auto yt = cast<RankedTensorType>(y.getType());
  for (int64_t d = 0; d + 2 < yt.getRank(); ++d)
    fixDim(y, d, "a batch dimension");
  if (isConstant(rhs) && rt.getRank() == 2)
    producers.push_back({*slot(rhs, 1), matmul});
  if (Value bias = matmul.getBias())
    joinBroadcast(bias, y);
  if (Value residual = matmul.getResidual())
    joinBroadcast(residual, y);
}

void DependencyBuilder::visitFlatten(FlattenOp flatten) {
  Value x = flatten.getInput(), y = flatten.getOutput();
  auto xt = cast<RankedTensorType>(x.getType());
  int64_t spatial = 1;
  for (int64_t d = 2; d < xt.getRank(); ++d)
    spatial = xt.isDynamicDim(d) ? ShapedType::kDynamic : spatial * xt.getDimSize(d);
  if (flatten.getAxis() != 1 || xt.getRank() < 2 || ShapedType::isDynamic(spatial))
    return fixOperandsAndResults(flatten, "used by " + opDescription(flatten));
  join(x, 0, y, 0);
  join(x, 1, y, 1, spatial);
}

void DependencyBuilder::visitConcat(ConcatOp concat) {
  Value y = concat.getOutput();
  int64_t rank = cast<RankedTensorType>(y.getType()).getRank();
  int64_t axis = concat.getAxis() < 0 ? concat.getAxis() + rank : concat.getAxis();
  ConcatJoin record{*slot(y, axis), {}, concat};
  for (Value x : concat.getInputs()) {
    for (int64_t d = 0; d < rank; ++d)
      if (d != axis)
        join(x, d, y, d);
    record.inputs.push_back(*slot(x, axis));
  }
  concats.push_back(std::move(record));
}

/// Reshapes that move no data across channels: dropping or adding unit
/// dimensions (the same sequence of other sizes), or flattening [N, C, ...]
/// into [N, C * ...] (then like ds.flatten).
void DependencyBuilder::visitReshape(Operation *op) {
  Value x = op->getOperand(0), y = op->getResult(0);
  auto xt = cast<RankedTensorType>(x.getType()), yt = cast<RankedTensorType>(y.getType());
  auto reshape = dyn_cast<ReshapeOp>(op);
  if (reshape && options.canReshape && !options.canReshape(reshape))
    return fixOperandsAndResults(op, "used by " + opDescription(op) +
                                         " whose shape names its sizes");
  SmallVector<int64_t> xs, ys;
  for (int64_t d = 0; d < xt.getRank(); ++d)
    if (xt.getDimSize(d) != 1)
      xs.push_back(d);
  for (int64_t d = 0; d < yt.getRank(); ++d)
    if (yt.getDimSize(d) != 1)
      ys.push_back(d);
  bool sameSizes = xs.size() == ys.size();
  for (size_t i = 0; sameSizes && i < xs.size(); ++i)
    sameSizes = xt.getDimSize(xs[i]) == yt.getDimSize(ys[i]) &&
                (!ShapedType::isDynamic(xt.getDimSize(xs[i])) || i == 0);
  if (sameSizes) {
    for (size_t i = 0; i < xs.size(); ++i)
      join(x, xs[i], y, ys[i]);
    return;
  }
  int64_t inner = 1;
  for (int64_t d = 2; d < xt.getRank(); ++d)
    inner = xt.isDynamicDim(d) ? ShapedType::kDynamic : inner * xt.getDimSize(d);
  if (xt.getRank() >= 2 && yt.getRank() == 2 && xt.getDimSize(0) == yt.getDimSize(0) &&
      !ShapedType::isDynamic(inner) && !xt.isDynamicDim(1) &&
      yt.getDimSize(1) == xt.getDimSize(1) * inner) {
    join(x, 0, y, 0);
    join(x, 1, y, 1, inner);
    return;
  }
  fixOperandsAndResults(op, "used by " + opDescription(op));
}

void DependencyBuilder::visit(Operation *op) {
  if (isa<ConstantOp>(op))
    return;
  if (isa<func::ReturnOp>(op)) {
    for (Value v : op->getOperands())
      fixAll(v, "a model output");
    return;
  }
  // Softmax-like ops normalize along one axis: its size must stay.
  if (isa<SoftmaxOp, LogSoftmaxOp, HardmaxOp>(op)) {
    Value x = op->getOperand(0), y = op->getResult(0);
    joinAllDims(x, y);
    int64_t axis = op->getAttrOfType<IntegerAttr>("axis").getInt();
    return fixDim(y, axis, "normalized over by " + opDescription(op));
  }
  // Elementwise unary ops (the ds unary ops keep operand and result types).
  if (op->getDialect() == func->getContext()->getLoadedDialect<DSDialect>() &&
      op->hasTrait<OpTrait::SameOperandsAndResultType>() && op->getNumOperands() == 1 &&
      op->getNumResults() == 1 && !isa<CumSumOp, TriluOp>(op))
    return joinAllDims(op->getOperand(0), op->getResult(0));
  if (isa<CastOp>(op))
    return joinAllDims(op->getOperand(0), op->getResult(0));
  if (isa<AddOp, SubOp, MulOp, DivOp, PowOp, MinOp, MaxOp, PReluOp, WhereOp>(op)) {
    for (Value v : op->getOperands())
      joinBroadcast(v, op->getResult(0));
    return;
  }
  if (auto bn = dyn_cast<BatchNormOp>(op)) {
    joinAllDims(bn.getInput(), bn.getOutput());
    for (Value p : {bn.getScale(), bn.getBias(), bn.getMean(), bn.getVariance()})
      join(p, 0, bn.getOutput(), 1);
    return;
  }
  if (isa<MaxPoolOp, AveragePoolOp, GlobalAveragePoolOp, GlobalMaxPoolOp>(op)) {
    Value x = op->getOperand(0), y = op->getResult(0);
    join(x, 0, y, 0);
    join(x, 1, y, 1);
    return;
  }
  if (auto transpose = dyn_cast<TransposeOp>(op)) {
    for (auto [d, from] : llvm::enumerate(transpose.getPerm()))
      join(transpose.getInput(), from, transpose.getOutput(), d);
    return;
  }
  llvm::TypeSwitch<Operation *>(op)
      .Case<ConvOp>([&](ConvOp conv) { visitConv(conv); })
      .Case<GemmOp>([&](GemmOp gemm) { visitGemm(gemm); })
      .Case<MatMulOp>([&](MatMulOp matmul) { visitMatMul(matmul); })
      .Case<FlattenOp>([&](FlattenOp flatten) { visitFlatten(flatten); })
      .Case<ConcatOp>([&](ConcatOp concat) { visitConcat(concat); })
      .Case<ReshapeOp, SqueezeOp, UnsqueezeOp>([&](Operation *r) { visitReshape(r); })
      .Default([&](Operation *other) {
        fixOperandsAndResults(other, "used by " + opDescription(other));
      });
}

std::vector<ChannelGroup> DependencyBuilder::build() {
  for (BlockArgument arg : func.getArguments())
    fixAll(arg, "a model input");
  func.walk([&](Operation *op) {
    if (op != func.getOperation())
      visit(op);
  });
  return components();
}

/// A ratio num/den in lowest terms.
struct Ratio {
  int64_t num = 1, den = 1;
  Ratio scaled(int64_t n, int64_t d) const {
    int64_t a = num * n, b = den * d, g = std::gcd(a, b);
    return {a / g, b / g};
  }
  bool operator==(const Ratio &o) const { return num == o.num && den == o.den; }
};

std::vector<ChannelGroup> DependencyBuilder::components() {
  std::vector<ChannelGroup> groups;
  SmallVector<int> groupOf(slots.size(), -1);
  SmallVector<Ratio> blockOf(slots.size());
  for (unsigned start = 0; start < slots.size(); ++start) {
    if (groupOf[start] >= 0)
      continue;
    unsigned index = groups.size();
    ChannelGroup &group = groups.emplace_back();
    SmallVector<unsigned> members{start}, stack{start};
    groupOf[start] = index;
    bool consistent = true;
    while (!stack.empty()) {
      unsigned s = stack.pop_back_val();
      for (const Edge &e : edges[s]) {
        Ratio next = blockOf[s].scaled(e.num, e.den);
        if (groupOf[e.to] >= 0) {
          consistent &= blockOf[e.to] == next;
          continue;
        }
        groupOf[e.to] = index;
        blockOf[e.to] = next;
        members.push_back(e.to);
        stack.push_back(e.to);
      }
    }
    // Integer blocks: scale by the denominators' lcm, divide by the gcd.
    int64_t lcm = 1, gcd = 0;
    for (unsigned s : members)
      lcm = std::lcm(lcm, blockOf[s].den);
    for (unsigned s : members)
      gcd = std::gcd(gcd, blockOf[s].num * (lcm / blockOf[s].den));
    int64_t channels = -1;
    for (unsigned s : members) {
      int64_t block = blockOf[s].num * (lcm / blockOf[s].den) / gcd;
      auto [value, dim] = slots[s];
      int64_t size = cast<RankedTensorType>(value.getType()).getDimSize(dim);
      if (ShapedType::isDynamic(size)) {
        consistent = false;
        fixedWhy.try_emplace(s, "a dynamic dimension");
      } else if (size % block != 0 || (channels >= 0 && size / block != channels)) {
        consistent = false;
      } else {
        channels = size / block;
      }
      group.slots.push_back({value, dim, block});
      if (auto it = fixedWhy.find(s); it != fixedWhy.end() && group.reason.empty())
        group.reason = it->second;
    }
    group.channels = std::max<int64_t>(channels, 0);
    if (!consistent && group.reason.empty())
      group.reason = "its dimensions do not line up (reshaped channels)";
  }
  // Producers, depthwise convolutions and concatenations by group.
  for (auto [s, op] : producers)
    groups[groupOf[s]].producers.push_back(op);
  for (auto [s, conv] : depthwise)
    groups[groupOf[s]].depthwise.push_back(conv);
  auto blockIn = [&](unsigned s) {
    for (const ChannelSlot &slot : groups[groupOf[s]].slots)
      if (slot.value == slots[s].first && slot.dim == slots[s].second)
        return slot.block;
    return int64_t(1);
  };
  // A concatenation whose output group cannot be composed of its inputs'
  // groups keeps every channel, and so do its inputs (otherwise they would
  // shrink under an output that does not).
  auto pinInputs = [&](const ConcatJoin &concat, const std::string &why) {
    for (unsigned input : concat.inputs) {
      ChannelGroup &source = groups[groupOf[input]];
      if (source.reason.empty())
        source.reason = "concatenated into channels that stay (" + why + ")";
    }
  };
  for (const ConcatJoin &concat : concats) {
    ChannelGroup &group = groups[groupOf[concat.output]];
    std::string why;
    int64_t composed = 0;
    for (unsigned input : concat.inputs)
      composed += groups[groupOf[input]].channels * blockIn(input);
    if (!group.sources.empty() || !group.producers.empty())
      why = "joins a concatenation with other channels";
    else if (blockIn(concat.output) != 1)
      why = "a concatenation of reshaped channels";
    else if (composed != group.channels)
      why = "its concatenation does not add up";
    if (!why.empty()) {
      if (group.reason.empty())
        group.reason = why;
      pinInputs(concat, group.reason);
      continue;
    }
    group.concat = concat.op;
    for (unsigned input : concat.inputs)
      group.sources.push_back({static_cast<unsigned>(groupOf[input]), blockIn(input)});
  }
  return groups;
}

} // namespace

std::string mlir::ds::pruning::layerName(Operation *op) {
  if (auto name = dyn_cast<NameLoc>(op->getLoc()))
    return name.getName().str();
  return "";
}

std::vector<ChannelGroup>
mlir::ds::pruning::detail::buildChannelGroups(func::FuncOp func, const PruningOptions &options) {
  return DependencyBuilder(func, options).build();
}
