//===- Einsum.cpp - ONNX Einsum as transposes, sums and a batched matmul --===//
//
// One- and two-operand Einsum equations without ellipsis or repeated letters in
// an operand (diagonals) are rewritten the way most compilers do it: letters
// only one operand has and the output lacks are summed out first; the operands
// are transposed to [batch, free, contracted] / [batch, contracted, free],
// reshaped to 3-D, multiplied, and the product reshaped and transposed into the
// output's letter order.
//
//===----------------------------------------------------------------------===//

#include "../NodeContext.h"

#include "deepseek/Dialect/DS/IR/DSOps.h"

using namespace mlir;

namespace deepseek::onnx_import {
namespace {

/// One operand: its value and the letter of each of its dimensions.
struct Term {
  Value value;
  std::string letters;
  RankedTensorType type() const { return cast<RankedTensorType>(value.getType()); }
  int64_t dim(char letter) const { return type().getDimSize(letters.find(letter)); }
};

/// Sums |term| over its letters not in |keep|.
FailureOr<Term> sumOut(NodeContext &ctx, Term term, llvm::StringRef keep) {
  SmallVector<int64_t> axes;
  std::string kept;
  for (auto [i, c] : llvm::enumerate(term.letters)) {
    if (keep.contains(c))
      kept.push_back(c);
    else
      axes.push_back(i);
  }
  if (axes.empty())
    return term;
  OpBuilder &b = ctx.builder();
  FailureOr<Value> sum = ctx.createAndFold<ds::ReduceSumOp>(
      term.value, b.getDenseI64ArrayAttr(axes), b.getBoolAttr(false));
  if (failed(sum))
    return failure();
  return Term{*sum, kept};
}

/// |term| with its dimensions in the order of |order| (a permutation of its letters).
FailureOr<Term> permute(NodeContext &ctx, Term term, const std::string &order) {
  if (term.letters == order)
    return term;
  SmallVector<int64_t> perm;
  for (char c : order)
    perm.push_back(term.letters.find(c));
  FailureOr<Value> t = ctx.createAndFold<ds::TransposeOp>(
      term.value, ctx.builder().getDenseI64ArrayAttr(perm));
  if (failed(t))
    return failure();
  return Term{*t, order};
}

Value reshape(NodeContext &ctx, Value value, ArrayRef<int64_t> shape) {
  auto type = cast<RankedTensorType>(value.getType());
  if (type.getShape() == shape)
    return value;
  return ctx.fold(
      ds::ReshapeOp::create(ctx.builder(), ctx.loc(),
                            RankedTensorType::get(shape, type.getElementType()), value));
}

int64_t product(const Term &term, llvm::StringRef letters) {
  int64_t n = 1;
  for (char c : letters)
    n *= term.dim(c);
  return n;
}

LogicalResult convertEinsum(NodeContext &ctx) {
  std::string equation = ctx.attrString("equation", "");
  equation.erase(std::remove(equation.begin(), equation.end(), ' '), equation.end());
  if (equation.find("...") != std::string::npos)
    return ctx.error("Einsum with an ellipsis is not supported");
  auto [inputsPart, outputPart] = llvm::StringRef(equation).split("->");
  SmallVector<llvm::StringRef> inputLetters;
  inputsPart.split(inputLetters, ',');
  int numInputs = ctx.node().input_size();
  if (static_cast<int>(inputLetters.size()) != numInputs || numInputs < 1 ||
      numInputs > 2)
    return ctx.error("Einsum '" + equation + "' is supported with one or two operands");
  SmallVector<Term> terms;
  for (int i = 0; i < numInputs; ++i) {
    Term term{ctx.input(i), inputLetters[i].str()};
    if (static_cast<int64_t>(term.letters.size()) != term.type().getRank())
      return ctx.error("Einsum term '" + term.letters +
                       "' does not match the rank of input " + Twine(i));
    if (!term.type().hasStaticShape())
      return ctx.error("Einsum needs statically shaped operands");
    for (char c : term.letters)
      if (llvm::count(term.letters, c) != 1)
        return ctx.error("Einsum with a repeated letter in one operand (a diagonal) is "
                         "not supported");
    terms.push_back(term);
  }
  std::string output;
  if (equation.find("->") != std::string::npos) {
    output = outputPart.str();
  } else {
    // Implicit output: the letters that appear once, in alphabetical order.
    std::string all = inputsPart.str();
    for (char c = 'A'; c <= 'z'; ++c)
      if (llvm::count(all, c) == 1)
        output.push_back(c);
  }
  std::string inBoth;
  if (numInputs == 2)
    for (char c : terms[0].letters)
      if (terms[1].letters.find(c) != std::string::npos)
        inBoth.push_back(c);
  for (Term &term : terms) {
    FailureOr<Term> summed = sumOut(ctx, term, output + inBoth);
    if (failed(summed))
      return failure();
    term = *summed;
  }

  if (numInputs == 1) {
    FailureOr<Term> result = permute(ctx, terms[0], output);
    if (failed(result))
      return failure();
    ctx.setOutput(0, result->value);
    return success();
  }

  Term &a = terms[0], &b = terms[1];
  std::string batch, contracted, freeA, freeB;
  for (char c : a.letters) {
    bool inB = b.letters.find(c) != std::string::npos,
         inOut = output.find(c) != std::string::npos;
    if (inB && a.dim(c) != b.dim(c))
      return ctx.error(std::string("Einsum letter '") + c + "' has different sizes");
    (inB ? (inOut ? batch : contracted) : freeA).push_back(c);
  }
  for (char c : b.letters)
    if (a.letters.find(c) == std::string::npos)
      freeB.push_back(c);
  FailureOr<Term> pa = permute(ctx, a, batch + freeA + contracted);
  FailureOr<Term> pb = permute(ctx, b, batch + contracted + freeB);
  if (failed(pa) || failed(pb))
    return failure();
  int64_t nb = product(*pa, batch), m = product(*pa, freeA), k = product(*pa, contracted),
          n = product(*pb, freeB);
  Value lhs = reshape(ctx, pa->value, {nb, m, k});
  Value rhs = reshape(ctx, pb->value, {nb, k, n});
  FailureOr<Value> mm =
      ctx.createAndFold<ds::MatMulOp>(lhs, rhs, Value(), Value(), ds::ActivationAttr());
  if (failed(mm))
    return failure();
  SmallVector<int64_t> shape;
  for (char c : batch + freeA)
    shape.push_back(pa->dim(c));
  for (char c : freeB)
    shape.push_back(pb->dim(c));
  Term product{reshape(ctx, *mm, shape), batch + freeA + freeB};
  FailureOr<Term> result = permute(ctx, product, output);
  if (failed(result))
    return failure();
  ctx.setOutput(0, result->value);
  return success();
}

} // namespace

void registerEinsumConverter(ConverterTable &table) { table["Einsum"] = convertEinsum; }

} // namespace deepseek::onnx_import
