//===- AtenOps.cpp - aten:: and prim:: operators as ONNX nodes ------------===//
//
// Each converter writes one TorchScript node as the ONNX nodes torch.onnx
// exports for it at opset 17 (so a `.pt` model and the `.onnx` export of the
// same module import to the same ds ops), or records the values TorchScript
// computes at conversion time (sizes, lists, numbers). Argument positions
// follow the aten schemas of torch 1.13 (native_functions.yaml).
//
//===----------------------------------------------------------------------===//

#include "GraphWriter.h"

#include <cmath>

namespace deepseek::torchscript_import {
namespace {

using torch::jit::Node;
using torch::jit::Value;
using W = GraphWriter;

Value *in(Node *node, size_t i) { return node->inputs().at(i); }

/// Its output names the tensor its input names (dropout at inference,
/// contiguous, detach, clone).
void alias(W &w, Node *node) { w.bind(node->output(), w.tensor(in(node, 0))); }

template <const char *OpType>
void unary(W &w, Node *node) {
  w.emit(OpType, {w.tensor(in(node, 0))}, node);
}
constexpr char kRelu[] = "Relu", kSigmoid[] = "Sigmoid", kTanh[] = "Tanh",
               kHardSwish[] = "HardSwish", kErf[] = "Erf", kExp[] = "Exp", kSqrt[] = "Sqrt",
               kNeg[] = "Neg", kAbs[] = "Abs", kMatMul[] = "MatMul";

template <const char *OpType>
void twoOperands(W &w, Node *node) {
  w.emit(OpType, {w.tensor(in(node, 0)), w.tensor(in(node, 1))}, node);
}

void hardsigmoid(W &w, Node *node) {
  onnx::NodeProto &n = w.emit("HardSigmoid", {w.tensor(in(node, 0))}, node);
  W::setFloat(n, "alpha", 1.0 / 6);
}

void clip(W &w, Node *node, double lo, double hi) {
  at::ScalarType type = w.scalarType(in(node, 0));
  w.emit("Clip", {w.tensor(in(node, 0)), w.scalar(lo, type, "min"), w.scalar(hi, type, "max")},
         node);
}
void hardtanh(W &w, Node *node) { clip(w, node, w.toDouble(in(node, 1)), w.toDouble(in(node, 2))); }
void relu6(W &w, Node *node) { clip(w, node, 0, 6); }

void silu(W &w, Node *node) {
  std::string x = w.tensor(in(node, 0)), sigmoid;
  w.emitTemp("Sigmoid", {x}, sigmoid);
  w.emit("Mul", {x, sigmoid}, node);
}

/// torch.onnx's decompositions: 0.5 * x * (1 + erf(x / sqrt(2))), or the tanh
/// approximation.
void gelu(W &w, Node *node) {
  std::string x = w.tensor(in(node, 0));
  at::ScalarType type = w.scalarType(in(node, 0));
  std::string approximate = node->inputs().size() > 1 ? w.toString(in(node, 1)) : "none";
  std::string inner, t, onePlus, product;
  if (approximate == "none") {
    w.emitTemp("Div", {x, w.scalar(std::sqrt(2.0), type, "sqrt2")}, inner);
    w.emitTemp("Erf", {inner}, t);
  } else if (approximate == "tanh") {
    std::string cube, scaledCube, sum;
    w.emitTemp("Pow", {x, w.scalar(3, type, "three")}, cube);
    w.emitTemp("Mul", {cube, w.scalar(0.044715, type, "c")}, scaledCube);
    w.emitTemp("Add", {x, scaledCube}, sum);
    w.emitTemp("Mul", {sum, w.scalar(std::sqrt(2.0 / M_PI), type, "c")}, inner);
    w.emitTemp("Tanh", {inner}, t);
  } else {
    throw ConversionError("gelu approximate='" + approximate + "' (expected none or tanh)");
  }
  w.emitTemp("Add", {t, w.scalar(1, type, "one")}, onePlus);
  w.emitTemp("Mul", {x, onePlus}, product);
  w.emit("Mul", {product, w.scalar(0.5, type, "half")}, node);
}

/// a op b, b scaled by alpha first where the schema has one (add, sub).
void binary(W &w, Node *node, const char *opType, bool hasAlpha) {
  Value *a = in(node, 0), *b = in(node, 1);
  // A Python number (traced as a 0-d double tensor) takes the other operand's
  // type, as in PyTorch's type promotion.
  at::ScalarType type = w.isScalar(a) ? w.scalarType(b) : w.scalarType(a);
  std::string lhs = w.tensor(a, type), rhs = w.tensor(b, type);
  if (hasAlpha && node->inputs().size() > 2 && w.toDouble(in(node, 2)) != 1) {
    std::string scaled;
    w.emitTemp("Mul", {rhs, w.scalar(w.toDouble(in(node, 2)), type, "alpha")}, scaled);
    rhs = scaled;
  }
  w.emit(opType, {lhs, rhs}, node);
}
void add(W &w, Node *node) { binary(w, node, "Add", true); }
void sub(W &w, Node *node) { binary(w, node, "Sub", true); }
void mul(W &w, Node *node) { binary(w, node, "Mul", false); }
void div(W &w, Node *node) {
  if (node->inputs().size() > 2 && !w.isNone(in(node, 2)))
    throw ConversionError("div with rounding_mode='" + w.toString(in(node, 2)) +
                          "' is not supported (only true division)");
  binary(w, node, "Div", false);
}

/// conv1d/2d/3d and aten::_convolution (what torch.jit.trace records).
void convolution(W &w, Node *node) {
  bool full = node->kind().toQualString() == std::string("aten::_convolution");
  std::vector<int64_t> weight = w.requireShape(in(node, 1), "for the kernel size");
  size_t spatial = weight.size() - 2;
  bool transposed = full && w.toBool(in(node, 6));
  int64_t groups = w.toInt(in(node, full ? 8 : 6));
  std::vector<std::string> inputs = {w.tensor(in(node, 0)), w.tensor(in(node, 1))};
  if (!w.isNone(in(node, 2)))
    inputs.push_back(w.tensor(in(node, 2)));
  const c10::IValue *padding = w.known(in(node, 4));
  if (padding && padding->isString())
    throw ConversionError("padding='" + padding->toStringRef() +
                          "' is not supported; give the padding as numbers");
  std::vector<int64_t> pads = w.toInts(in(node, 4), spatial);
  pads.insert(pads.end(), pads.begin(), pads.end());
  onnx::NodeProto &n = w.emit(transposed ? "ConvTranspose" : "Conv", inputs, node);
  W::setInts(n, "dilations", w.toInts(in(node, 5), spatial));
  W::setInt(n, "group", groups);
  W::setInts(n, "kernel_shape", std::vector<int64_t>(weight.begin() + 2, weight.end()));
  W::setInts(n, "pads", pads);
  W::setInts(n, "strides", w.toInts(in(node, 3), spatial));
  if (transposed)
    W::setInts(n, "output_padding", w.toInts(in(node, 7), spatial));
}

/// A per-channel parameter that may be None (BatchNorm/LayerNorm affine=False).
std::string parameterOr(W &w, Value *value, const std::vector<int64_t> &shape, double fill,
                        const char *hint) {
  if (!w.isNone(value))
    return w.tensor(value);
  return w.initializer(at::full(shape, fill, at::kFloat), hint);
}

void batchNorm(W &w, Node *node) {
  if (w.toBool(in(node, 5)))
    throw ConversionError("batch_norm in training mode (call model.eval() before tracing)");
  std::vector<int64_t> channels = {w.requireShape(in(node, 3), "for the channel count")[0]};
  onnx::NodeProto &n =
      w.emit("BatchNormalization",
             {w.tensor(in(node, 0)), parameterOr(w, in(node, 1), channels, 1, "scale"),
              parameterOr(w, in(node, 2), channels, 0, "bias"), w.tensor(in(node, 3)),
              w.tensor(in(node, 4))},
             node);
  W::setFloat(n, "epsilon", w.toDouble(in(node, 7)));
}

void layerNorm(W &w, Node *node) {
  std::vector<int64_t> normalized = w.toInts(in(node, 1));
  onnx::NodeProto &n = w.emit(
      "LayerNormalization",
      {w.tensor(in(node, 0)), parameterOr(w, in(node, 2), normalized, 1, "scale"),
       parameterOr(w, in(node, 3), normalized, 0, "bias")},
      node);
  W::setInt(n, "axis", -static_cast<int64_t>(normalized.size()));
  W::setFloat(n, "epsilon", w.toDouble(in(node, 4)));
}

/// linear: Gemm for a matrix input (as torch.onnx), MatMul + Add otherwise;
/// a constant weight is stored transposed, as torch.onnx's constant folding does.
void linear(W &w, Node *node) {
  Value *x = in(node, 0), *weight = in(node, 1), *bias = in(node, 2);
  std::optional<std::vector<int64_t>> shape = w.shape(x);
  if (shape && shape->size() == 2) {
    std::vector<std::string> inputs = {w.tensor(x), w.tensor(weight)};
    if (!w.isNone(bias))
      inputs.push_back(w.tensor(bias));
    onnx::NodeProto &n = w.emit("Gemm", inputs, node);
    W::setInt(n, "transB", 1);
    return;
  }
  std::string transposed;
  if (const c10::IValue *k = w.known(weight); k && k->isTensor()) {
    transposed = w.initializer(k->toTensor().t(), weight->debugName() + ".T");
  } else {
    onnx::NodeProto &t = w.emitTemp("Transpose", {w.tensor(weight)}, transposed);
    W::setInts(t, "perm", {1, 0});
  }
  if (w.isNone(bias)) {
    w.emit("MatMul", {w.tensor(x), transposed}, node);
    return;
  }
  std::string product;
  w.emitTemp("MatMul", {w.tensor(x), transposed}, product);
  w.emit("Add", {product, w.tensor(bias)}, node);
}

void addmm(W &w, Node *node) {
  onnx::NodeProto &n =
      w.emit("Gemm", {w.tensor(in(node, 1)), w.tensor(in(node, 2)), w.tensor(in(node, 0))}, node);
  W::setFloat(n, "beta", w.toDouble(in(node, 3)));
  W::setFloat(n, "alpha", w.toDouble(in(node, 4)));
}

void adaptiveAvgPool(W &w, Node *node) {
  std::vector<int64_t> out = w.toInts(in(node, 1), 2);
  if (std::all_of(out.begin(), out.end(), [](int64_t d) { return d == 1; })) {
    w.emit("GlobalAveragePool", {w.tensor(in(node, 0))}, node);
    return;
  }
  std::vector<int64_t> shape = w.requireShape(in(node, 0), "for adaptive_avg_pool2d");
  std::vector<int64_t> kernel;
  for (size_t i = 0; i < out.size(); ++i) {
    int64_t size = shape[shape.size() - out.size() + i];
    if (out[i] <= 0 || size % out[i])
      throw ConversionError("adaptive_avg_pool2d from " + std::to_string(size) + " to " +
                            std::to_string(out[i]) +
                            " (only output sizes that divide the input are supported)");
    kernel.push_back(size / out[i]);
  }
  onnx::NodeProto &n = w.emit("AveragePool", {w.tensor(in(node, 0))}, node);
  W::setInts(n, "kernel_shape", kernel);
  W::setInts(n, "strides", kernel);
}

/// max_pool2d(x, kernel, stride, padding, dilation, ceil_mode) and
/// avg_pool2d(x, kernel, stride, padding, ceil_mode, count_include_pad,
/// divisor_override).
void pool(W &w, Node *node, bool max) {
  std::vector<int64_t> kernel = w.toInts(in(node, 1), 2);
  std::vector<int64_t> strides = w.toInts(in(node, 2), kernel.size());
  if (strides.empty())
    strides = kernel;
  std::vector<int64_t> pads = w.toInts(in(node, 3), kernel.size());
  pads.insert(pads.end(), pads.begin(), pads.end());
  onnx::NodeProto &n = w.emit(max ? "MaxPool" : "AveragePool", {w.tensor(in(node, 0))}, node);
  W::setInts(n, "kernel_shape", kernel);
  W::setInts(n, "strides", strides);
  W::setInts(n, "pads", pads);
  if (max) {
    W::setInts(n, "dilations", w.toInts(in(node, 4), kernel.size()));
    W::setInt(n, "ceil_mode", w.toBool(in(node, 5)));
    return;
  }
  W::setInt(n, "ceil_mode", w.toBool(in(node, 4)));
  W::setInt(n, "count_include_pad", w.toBool(in(node, 5)));
  if (!w.isNone(in(node, 6)))
    throw ConversionError("avg_pool2d with divisor_override is not supported");
}
void maxPool(W &w, Node *node) { pool(w, node, true); }
void avgPool(W &w, Node *node) { pool(w, node, false); }

int64_t normalizeDim(int64_t dim, size_t rank) {
  int64_t r = static_cast<int64_t>(rank);
  if (dim < -r || dim >= std::max<int64_t>(r, 1))
    throw ConversionError("dimension " + std::to_string(dim) + " is out of range for rank " +
                          std::to_string(rank));
  return dim < 0 ? dim + r : dim;
}

void reshapeTo(W &w, Node *node, const std::vector<int64_t> &shape) {
  w.emit("Reshape", {w.tensor(in(node, 0)), w.int64s(shape, "shape")}, node);
}

void flatten(W &w, Node *node) {
  int64_t start = w.toInt(in(node, 1)), end = w.toInt(in(node, 2));
  std::optional<std::vector<int64_t>> shape = w.shape(in(node, 0));
  if (start == 1 && end == -1) { // torch.onnx writes Flatten here
    onnx::NodeProto &n = w.emit("Flatten", {w.tensor(in(node, 0))}, node);
    W::setInt(n, "axis", 1);
    return;
  }
  std::vector<int64_t> s = w.requireShape(in(node, 0), "for flatten");
  int64_t first = normalizeDim(start, s.size()), last = normalizeDim(end, s.size());
  std::vector<int64_t> out(s.begin(), s.begin() + first);
  int64_t product = 1;
  for (int64_t d = first; d <= last; ++d)
    product *= s[d];
  out.push_back(product);
  out.insert(out.end(), s.begin() + last + 1, s.end());
  reshapeTo(w, node, out);
}

void view(W &w, Node *node) { reshapeTo(w, node, w.toInts(in(node, 1))); }

void permute(W &w, Node *node) {
  std::vector<int64_t> perm = w.toInts(in(node, 1));
  for (int64_t &d : perm)
    d = normalizeDim(d, perm.size());
  onnx::NodeProto &n = w.emit("Transpose", {w.tensor(in(node, 0))}, node);
  W::setInts(n, "perm", perm);
}

void transpose(W &w, Node *node) {
  size_t rank = w.requireShape(in(node, 0), "for transpose").size();
  std::vector<int64_t> perm(rank);
  for (size_t i = 0; i < rank; ++i)
    perm[i] = static_cast<int64_t>(i);
  std::swap(perm[normalizeDim(w.toInt(in(node, 1)), rank)],
            perm[normalizeDim(w.toInt(in(node, 2)), rank)]);
  onnx::NodeProto &n = w.emit("Transpose", {w.tensor(in(node, 0))}, node);
  W::setInts(n, "perm", perm);
}

void matrixTranspose(W &w, Node *node) {
  size_t rank = w.requireShape(in(node, 0), "for t()").size();
  if (rank < 2) {
    alias(w, node);
    return;
  }
  onnx::NodeProto &n = w.emit("Transpose", {w.tensor(in(node, 0))}, node);
  W::setInts(n, "perm", {1, 0});
}

void cat(W &w, Node *node) {
  onnx::NodeProto &n = w.emit("Concat", w.tensorList(in(node, 0)), node);
  W::setInt(n, "axis", w.toInt(in(node, 1)));
}

/// mean/sum(x, dims, keepdim, dtype): ReduceMean takes its axes as an
/// attribute at opset 17, ReduceSum as an input.
void reduce(W &w, Node *node, bool mean) {
  if (node->inputs().size() == 2) { // mean(x, dtype): every element, to a 0-d tensor
    if (!w.isNone(in(node, 1)))
      throw ConversionError("a reduction with a dtype= argument is not supported");
    onnx::NodeProto &n = w.emit(mean ? "ReduceMean" : "ReduceSum", {w.tensor(in(node, 0))}, node);
    W::setInt(n, "keepdims", 0);
    return;
  }
  std::vector<int64_t> axes = w.toInts(in(node, 1), 1);
  if (node->inputs().size() > 3 && !w.isNone(in(node, 3)))
    throw ConversionError("a reduction with a dtype= argument is not supported");
  std::vector<std::string> inputs = {w.tensor(in(node, 0))};
  if (!mean)
    inputs.push_back(w.int64s(axes, "axes"));
  onnx::NodeProto &n = w.emit(mean ? "ReduceMean" : "ReduceSum", inputs, node);
  if (mean)
    W::setInts(n, "axes", axes);
  W::setInt(n, "keepdims", w.toBool(in(node, 2)));
}
void mean(W &w, Node *node) { reduce(w, node, true); }
void sum(W &w, Node *node) { reduce(w, node, false); }

void softmax(W &w, Node *node, const char *opType) {
  if (node->inputs().size() > 2 && !w.isNone(in(node, 2)))
    throw ConversionError("softmax with a dtype= argument is not supported");
  onnx::NodeProto &n = w.emit(opType, {w.tensor(in(node, 0))}, node);
  W::setInt(n, "axis", w.toInt(in(node, 1)));
}
void softmaxOp(W &w, Node *node) { softmax(w, node, "Softmax"); }
void logSoftmax(W &w, Node *node) { softmax(w, node, "LogSoftmax"); }

// Values TorchScript computes that are known when the model is compiled.

void constant(W &w, Node *node) {
  std::optional<c10::IValue> value = torch::jit::toIValue(node->output());
  if (!value)
    throw ConversionError("a constant of type " + node->output()->type()->str() +
                          " is not supported");
  w.setKnown(node->output(), *value);
}

void listConstruct(W &w, Node *node) {
  bool allInts = true, allTensors = true;
  for (Value *v : node->inputs()) {
    const c10::IValue *k = w.known(v);
    allInts = allInts && k && k->isInt();
    allTensors = allTensors && (w.hasTensor(v) || (k && k->isTensor()));
  }
  if (allInts && !node->inputs().empty()) {
    std::vector<int64_t> values;
    for (Value *v : node->inputs())
      values.push_back(w.toInt(v));
    w.setKnown(node->output(), c10::IValue(values));
    return;
  }
  if (allTensors) {
    std::vector<std::string> names;
    for (Value *v : node->inputs())
      names.push_back(w.tensor(v));
    w.setTensorList(node->output(), names);
    return;
  }
  throw ConversionError("a list of values not known when the model is compiled");
}

void size(W &w, Node *node) {
  std::vector<int64_t> shape = w.requireShape(in(node, 0), "for aten::size");
  if (node->inputs().size() == 1) {
    w.setKnown(node->output(), c10::IValue(shape));
    return;
  }
  w.setKnown(node->output(), shape[normalizeDim(w.toInt(in(node, 1)), shape.size())]);
}

/// NumToTensor, Int, ScalarImplicit: the same number.
void passNumber(W &w, Node *node) {
  const c10::IValue *k = w.known(in(node, 0));
  if (!k || !(k->isInt() || k->isDouble()))
    throw ConversionError("a number not known when the model is compiled");
  w.setKnown(node->output(), *k);
}

/// Arithmetic on sizes: aten::mul/add/sub/floordiv of two known ints.
bool foldIntArithmetic(W &w, Node *node) {
  if (node->inputs().size() != 2)
    return false;
  const c10::IValue *a = w.known(in(node, 0)), *b = w.known(in(node, 1));
  if (!a || !b || !a->isInt() || !b->isInt())
    return false;
  int64_t x = a->toInt(), y = b->toInt();
  std::string kind = node->kind().toQualString();
  int64_t r;
  if (kind == "aten::mul")
    r = x * y;
  else if (kind == "aten::add")
    r = x + y;
  else if (kind == "aten::sub")
    r = x - y;
  else if (kind == "aten::floordiv" && y != 0)
    r = x / y - ((x % y != 0) && ((x < 0) != (y < 0)));
  else
    return false;
  w.setKnown(node->output(), r);
  return true;
}

template <NodeConverter Tensor>
void intsOr(W &w, Node *node) {
  if (!foldIntArithmetic(w, node))
    Tensor(w, node);
}

void floordiv(W &w, Node *node) {
  if (!foldIntArithmetic(w, node))
    throw ConversionError("floordiv of values not known when the model is compiled");
}

} // namespace

const std::map<std::string, NodeConverter> &nodeConverters() {
  static const std::map<std::string, NodeConverter> table = {
      {"prim::Constant", constant},
      // A tuple of outputs: the graph's outputs are read from its operands.
      {"prim::TupleConstruct", [](W &, Node *) {}},
      {"prim::ListConstruct", listConstruct},
      {"prim::NumToTensor", passNumber},
      {"aten::Int", passNumber},
      {"aten::ScalarImplicit", passNumber},
      {"aten::size", size},
      {"aten::floordiv", floordiv},
      {"aten::_convolution", convolution},
      {"aten::conv1d", convolution},
      {"aten::conv2d", convolution},
      {"aten::conv3d", convolution},
      {"aten::batch_norm", batchNorm},
      {"aten::layer_norm", layerNorm},
      {"aten::relu", unary<kRelu>},
      {"aten::relu_", unary<kRelu>},
      {"aten::relu6", relu6},
      {"aten::hardtanh", hardtanh},
      {"aten::hardtanh_", hardtanh},
      {"aten::hardswish", unary<kHardSwish>},
      {"aten::hardswish_", unary<kHardSwish>},
      {"aten::hardsigmoid", hardsigmoid},
      {"aten::hardsigmoid_", hardsigmoid},
      {"aten::sigmoid", unary<kSigmoid>},
      {"aten::sigmoid_", unary<kSigmoid>},
      {"aten::tanh", unary<kTanh>},
      {"aten::tanh_", unary<kTanh>},
      {"aten::silu", silu},
      {"aten::silu_", silu},
      {"aten::gelu", gelu},
      {"aten::erf", unary<kErf>},
      {"aten::exp", unary<kExp>},
      {"aten::sqrt", unary<kSqrt>},
      {"aten::neg", unary<kNeg>},
      {"aten::abs", unary<kAbs>},
      {"aten::add", intsOr<add>},
      {"aten::add_", add},
      {"aten::sub", intsOr<sub>},
      {"aten::sub_", sub},
      {"aten::mul", intsOr<mul>},
      {"aten::mul_", mul},
      {"aten::div", div},
      {"aten::div_", div},
      {"aten::linear", linear},
      {"aten::matmul", twoOperands<kMatMul>},
      {"aten::bmm", twoOperands<kMatMul>},
      {"aten::addmm", addmm},
      {"aten::adaptive_avg_pool2d", adaptiveAvgPool},
      {"aten::max_pool2d", maxPool},
      {"aten::avg_pool2d", avgPool},
      {"aten::flatten", flatten},
      {"aten::view", view},
      {"aten::reshape", view},
      {"aten::permute", permute},
      {"aten::transpose", transpose},
      {"aten::t", matrixTranspose},
      {"aten::cat", cat},
      {"aten::mean", mean},
      {"aten::sum", sum},
      {"aten::softmax", softmaxOp},
      {"aten::log_softmax", logSoftmax},
      {"aten::dropout", alias},
      {"aten::dropout_", alias},
      {"aten::feature_dropout", alias},
      {"aten::alpha_dropout", alias},
      {"aten::contiguous", alias},
      {"aten::detach", alias},
      {"aten::clone", alias},
  };
  return table;
}

} // namespace deepseek::torchscript_import
