//===- Recurrent.cpp - ONNX RNN, GRU and LSTM, unrolled over time ---------===//
//
// The recurrences are imported unrolled over the (static) sequence length: the
// input projection for all steps is one matmul, then each step is a small
// matmul with the recurrent weights plus the gate arithmetic, following the
// equations of the ONNX specification. Unrolling keeps every later stage free
// of loops; its cost is IR that grows with the sequence length, which is why a
// loop-based ds op is the planned replacement for long sequences.
// Supported: forward, reverse and bidirectional; bias, initial states, LSTM
// peepholes, GRU linear_before_reset; the default activations.
//
//===----------------------------------------------------------------------===//

#include "../NodeContext.h"

#include "deepseek/Dialect/DS/IR/DSOps.h"

#include "llvm/ADT/STLExtras.h"
#include "llvm/Support/FormatVariadic.h"
#include "llvm/Support/raw_ostream.h"

using namespace mlir;

namespace deepseek::onnx_import {
namespace {

enum class Cell { Rnn, Gru, Lstm };

/// Gate count and the ONNX default activations of each cell.
unsigned gateCount(Cell cell) {
  return cell == Cell::Lstm ? 4 : cell == Cell::Gru ? 3 : 1;
}
SmallVector<StringRef> defaultActivations(Cell cell) {
  if (cell == Cell::Lstm)
    return {"Sigmoid", "Tanh", "Tanh"};
  if (cell == Cell::Gru)
    return {"Sigmoid", "Tanh"};
  return {"Tanh"};
}

/// Builds the unrolled computation for one node.
class Unroller {
public:
  Unroller(NodeContext &ctx, Cell cell) : ctx(ctx), b(ctx.builder()), cell(cell) {}

  LogicalResult run();

private:
  /// |value|[start : start + size] along |axis|.
  Value slice(Value value, int64_t axis, int64_t start, int64_t size) {
    auto type = cast<RankedTensorType>(value.getType());
    SmallVector<int64_t> starts(type.getRank(), 0), ends(type.getShape()),
        steps(type.getRank(), 1);
    starts[axis] = start;
    ends[axis] = start + size;
    return *ctx.createAndFold<ds::SliceOp>(value, b.getDenseI64ArrayAttr(starts),
                                           b.getDenseI64ArrayAttr(ends),
                                           b.getDenseI64ArrayAttr(steps));
  }
  /// |value| with dimension |axis| (of size 1) removed.
  Value squeeze(Value value, int64_t axis) {
    return *ctx.createAndFold<ds::SqueezeOp>(value, b.getDenseI64ArrayAttr({axis}));
  }
  Value unsqueeze(Value value, int64_t axis) {
    return *ctx.createAndFold<ds::UnsqueezeOp>(value, b.getDenseI64ArrayAttr({axis}));
  }
  /// Parameter |index| of direction |d|: the d-th slice along dimension 0.
  Value perDirection(unsigned index, int64_t d) {
    return squeeze(slice(ctx.input(index), 0, d, 1), 0);
  }
  Value matmul(Value lhs, Value rhs) {
    return *ctx.createAndFold<ds::MatMulOp>(lhs, rhs, Value(), Value(),
                                            ds::ActivationAttr());
  }
  Value transpose2d(Value value) {
    return *ctx.createAndFold<ds::TransposeOp>(value, b.getDenseI64ArrayAttr({1, 0}));
  }
  Value add(Value a, Value c) { return *ctx.createAndFold<ds::AddOp>(a, c); }
  Value mul(Value a, Value c) { return *ctx.createAndFold<ds::MulOp>(a, c); }
  Value sub(Value a, Value c) { return *ctx.createAndFold<ds::SubOp>(a, c); }
  Value sigmoid(Value v) { return ds::SigmoidOp::create(b, ctx.loc(), v); }
  Value tanh(Value v) { return ds::TanhOp::create(b, ctx.loc(), v); }
  Value zeros(ArrayRef<int64_t> shape) { return ctx.floatConstant(element, 0.0, shape); }
  /// Gate |g| (of width hidden) of a [batch, gates * hidden] value.
  Value gate(Value gates, unsigned g) { return slice(gates, 1, g * hidden, hidden); }

  /// Runs direction |d| over the steps in |order|; fills the per-step outputs.
  void runDirection(int64_t d, bool reverse, SmallVectorImpl<Value> &steps, Value &lastH,
                    Value &lastC);

  NodeContext &ctx;
  OpBuilder &b;
  Cell cell;
  Type element;
  int64_t seq = 0, batch = 0, hidden = 0;
  bool linearBeforeReset = false;
};

void Unroller::runDirection(int64_t d, bool reverse, SmallVectorImpl<Value> &steps,
                            Value &lastH, Value &lastC) {
  unsigned gates = gateCount(cell);
  Value w = transpose2d(perDirection(1, d)); // [input, gates * hidden]
  Value r = perDirection(2, d);              // [gates * hidden, hidden]
  Value rT = transpose2d(r);                 // [hidden, gates * hidden]
  Value wBias, rBias;
  if (ctx.hasInput(3)) {
    Value bias = perDirection(3, d); // [2 * gates * hidden]
    wBias = slice(bias, 0, 0, gates * hidden);
    rBias = slice(bias, 0, gates * hidden, gates * hidden);
  }
  // The input projection of every step at once: [seq, batch, gates * hidden].
  Value xw = matmul(ctx.input(0), w);
  if (wBias)
    xw = add(xw, wBias);
  // GRU applies the recurrent bias of the candidate gate inside the reset.
  if (rBias && cell != Cell::Gru)
    xw = add(xw, rBias);
  Value h = ctx.hasInput(5) ? perDirection(5, d) : zeros({batch, hidden});
  Value c;
  if (cell == Cell::Lstm)
    c = ctx.hasInput(6) ? perDirection(6, d) : zeros({batch, hidden});
  Value peepI, peepO, peepF;
  if (cell == Cell::Lstm && ctx.hasInput(7)) {
    Value p = perDirection(7, d); // [3 * hidden]: i, o, f
    peepI = slice(p, 0, 0, hidden);
    peepO = slice(p, 0, hidden, hidden);
    peepF = slice(p, 0, 2 * hidden, hidden);
  }
  steps.assign(seq, Value());
  for (int64_t i = 0; i < seq; ++i) {
    int64_t t = reverse ? seq - 1 - i : i;
    Value x = squeeze(slice(xw, 0, t, 1), 0); // [batch, gates * hidden]
    Value hr = matmul(h, rT);                 // [batch, gates * hidden]
    if (cell == Cell::Rnn) {
      h = tanh(add(x, hr));
    } else if (cell == Cell::Lstm) {
      Value g = add(x, hr);
      Value gi = gate(g, 0), go = gate(g, 1), gf = gate(g, 2), gc = gate(g, 3);
      if (peepI) {
        gi = add(gi, mul(peepI, c));
        gf = add(gf, mul(peepF, c));
      }
      Value cNew = add(mul(sigmoid(gf), c), mul(sigmoid(gi), tanh(gc)));
      if (peepO)
        go = add(go, mul(peepO, cNew));
      c = cNew;
      h = mul(sigmoid(go), tanh(c));
    } else {
      if (rBias)
        hr = add(hr, rBias);
      Value z = sigmoid(add(gate(x, 0), gate(hr, 0)));
      Value rGate = sigmoid(add(gate(x, 1), gate(hr, 1)));
      Value candidate;
      if (linearBeforeReset) {
        candidate = tanh(add(gate(x, 2), mul(rGate, gate(hr, 2))));
      } else {
        Value rh = transpose2d(slice(r, 0, 2 * hidden, hidden)); // [hidden, hidden]
        Value recurrent = matmul(mul(rGate, h), rh);
        if (rBias)
          recurrent = add(recurrent, slice(rBias, 0, 2 * hidden, hidden));
        candidate = tanh(add(gate(x, 2), recurrent));
      }
      Value one = ctx.floatConstant(element, 1.0);
      h = add(mul(sub(one, z), candidate), mul(z, h));
    }
    steps[t] = unsqueeze(h, 0); // [1, batch, hidden]
  }
  lastH = h;
  lastC = c;
}

LogicalResult Unroller::run() {
  RankedTensorType x = ctx.inputType(0), w = ctx.inputType(1);
  if (!x.hasStaticShape() || x.getRank() != 3 || !w.hasStaticShape())
    return ctx.error("expected statically shaped inputs (fix them with --input-shape)");
  element = x.getElementType();
  if (!isa<FloatType>(element))
    return ctx.error("expected floating-point data");
  if (ctx.attrInt("layout", 0) != 0)
    return ctx.error("layout = 1 is not supported");
  if (ctx.hasAttr("clip"))
    return ctx.error("the clip attribute is not supported");
  if (ctx.attrInt("input_forget", 0) != 0)
    return ctx.error("input_forget = 1 is not supported");
  if (ctx.hasInput(4)) {
    DenseElementsAttr lens = ctx.constantInput(4);
    if (!lens || llvm::any_of(lens.getValues<APInt>(), [&](const APInt &v) {
          return v.getSExtValue() != x.getDimSize(0);
        }))
      return ctx.error("sequence_lens must be constant and equal the sequence length");
  }
  std::string direction = ctx.attrString("direction", "forward");
  int64_t directions = direction == "bidirectional" ? 2 : 1;
  if (direction != "forward" && direction != "reverse" && direction != "bidirectional")
    return ctx.error("unknown direction '" + direction + "'");
  if (std::optional<SmallVector<std::string>> given = ctx.attrStrings("activations")) {
    SmallVector<StringRef> expected = defaultActivations(cell);
    for (auto [i, name] : llvm::enumerate(*given))
      if (name != expected[i % expected.size()])
        return ctx.error("only the default activations are supported, got '" + name +
                         "'");
  }
  seq = x.getDimSize(0);
  batch = x.getDimSize(1);
  if (w.getRank() != 3)
    return ctx.error("W must have rank 3");
  int64_t gates = gateCount(cell);
  hidden = ctx.attrInt("hidden_size", w.getDimSize(1) / gates);
  linearBeforeReset = ctx.attrInt("linear_before_reset", 0) != 0;
  if (hidden <= 0)
    return ctx.error("hidden_size must be positive");
  // Every operand's shape follows from X, the directions and hidden_size;
  // the unrolled ops below assume them (a mismatch found by fuzzing).
  auto expect = [&](unsigned index, const char *name,
                    ArrayRef<int64_t> shape) -> LogicalResult {
    if (!ctx.hasInput(index))
      return success();
    RankedTensorType type = ctx.inputType(index);
    if (type.hasStaticShape() && type.getShape() == shape &&
        type.getElementType() == element)
      return success();
    std::string want;
    llvm::raw_string_ostream os(want);
    llvm::interleave(shape, os, "x");
    return ctx.error(llvm::Twine(name) + " must be " + want + " " + "of the data's type, got " +
                     llvm::formatv("{0}", type).str());
  };
  int64_t gh = gates * hidden;
  if (failed(expect(1, "W", {directions, gh, x.getDimSize(2)})) ||
      failed(expect(2, "R", {directions, gh, hidden})) ||
      failed(expect(3, "B", {directions, 2 * gh})) ||
      failed(expect(5, "initial_h", {directions, batch, hidden})) ||
      (cell == Cell::Lstm && (failed(expect(6, "initial_c", {directions, batch, hidden})) ||
                              failed(expect(7, "P", {directions, 3 * hidden})))))
    return failure();

  SmallVector<Value> perDirectionY, lastHs, lastCs;
  for (int64_t d = 0; d < directions; ++d) {
    SmallVector<Value> steps;
    Value lastH, lastC;
    runDirection(d, direction == "reverse" || d == 1, steps, lastH, lastC);
    // [seq, batch, hidden] -> [seq, 1, batch, hidden]
    Value y = *ctx.createAndFold<ds::ConcatOp>(ValueRange(steps), b.getI64IntegerAttr(0));
    perDirectionY.push_back(unsqueeze(y, 1));
    lastHs.push_back(unsqueeze(lastH, 0));
    if (lastC)
      lastCs.push_back(unsqueeze(lastC, 0));
  }
  auto concat = [&](ArrayRef<Value> values, int64_t axis) {
    return *ctx.createAndFold<ds::ConcatOp>(ValueRange(values),
                                            b.getI64IntegerAttr(axis));
  };
  ctx.setOutput(0, concat(perDirectionY, 1));
  ctx.setOutput(1, concat(lastHs, 0));
  if (cell == Cell::Lstm)
    ctx.setOutput(2, concat(lastCs, 0));
  return success();
}

template <Cell cell> LogicalResult convertRecurrent(NodeContext &ctx) {
  return Unroller(ctx, cell).run();
}

} // namespace

void registerRecurrentConverters(ConverterTable &table) {
  table["RNN"] = convertRecurrent<Cell::Rnn>;
  table["GRU"] = convertRecurrent<Cell::Gru>;
  table["LSTM"] = convertRecurrent<Cell::Lstm>;
}

} // namespace deepseek::onnx_import
