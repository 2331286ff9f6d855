//===- QuantOps.cpp - quantize, dequantize, requantize verifiers ----------===//
//
// The quantized side of these ops uses the upstream quant dialect's types; the
// checks here tie the quantized type to the float type it expresses and, for
// per-axis types, to the tensor dimension it quantizes along.
//
//===----------------------------------------------------------------------===//

#include "OpHelpers.h"

#include "mlir/IR/TypeUtilities.h"

using namespace mlir;
using namespace mlir::ds;

namespace {
/// Checks that |quantized| (a tensor of quant types) fits |other| (the float or
/// quantized tensor on the op's other side): same shape, same expressed type, and
/// a per-axis type's axis exists with one scale per element along it.
LogicalResult verifyQuantizedPair(Operation *op, RankedTensorType quantized,
                                  RankedTensorType other) {
  if (failed(verifyCompatibleShape(quantized, other)))
    return op->emitOpError("expected input and result of the same shape, got ")
           << op->getOperand(0).getType() << " and " << op->getResult(0).getType();
  auto qtype = cast<quant::QuantizedType>(quantized.getElementType());
  Type expressed = other.getElementType();
  if (auto otherQuant = dyn_cast<quant::QuantizedType>(expressed))
    expressed = otherQuant.getExpressedType();
  if (qtype.getExpressedType() != expressed)
    return op->emitOpError("expected the quantized type to express ")
           << expressed << ", got " << qtype;
  if (auto perAxis = dyn_cast<quant::UniformQuantizedPerAxisType>(qtype)) {
    int32_t axis = perAxis.getQuantizedDimension();
    if (axis >= quantized.getRank())
      return op->emitOpError("per-axis quantization along dimension ")
             << axis << " of a rank " << quantized.getRank() << " tensor";
    int64_t dim = quantized.getDimSize(axis);
    int64_t scales = perAxis.getScales().size();
    if (dim != ShapedType::kDynamic && dim != scales)
      return op->emitOpError("expected ")
             << dim << " per-axis scales for dimension " << axis << ", got " << scales;
  }
  return success();
}
} // namespace

LogicalResult QuantizeOp::verify() {
  return verifyQuantizedPair(*this, getOutput().getType(), getInput().getType());
}

LogicalResult DequantizeOp::verify() {
  return verifyQuantizedPair(*this, getInput().getType(), getOutput().getType());
}

LogicalResult RequantizeOp::verify() {
  if (failed(verifyQuantizedPair(*this, getInput().getType(), getOutput().getType())))
    return failure();
  return verifyQuantizedPair(*this, getOutput().getType(), getInput().getType());
}

LogicalResult QConvOp::verify() {
  auto input = cast<RankedTensorType>(getInput().getType());
  auto weight = cast<RankedTensorType>(getWeight().getType());
  auto result = cast<RankedTensorType>(getType());
  if (input.getRank() != 4 || weight.getRank() != 4)
    return emitOpError("expected a 2-D convolution (input and weight of rank 4), got ranks ")
           << input.getRank() << " and " << weight.getRank();
  auto inQ = dyn_cast<quant::UniformQuantizedType>(input.getElementType());
  if (!inQ || inQ.getStorageTypeIntegralWidth() != 8)
    return emitOpError("expected an input quantized per tensor to u8 or i8, got ")
           << input.getElementType();
  auto wQ = cast<quant::QuantizedType>(weight.getElementType());
  if (!wQ.isSigned() || wQ.getStorageTypeIntegralWidth() != 8)
    return emitOpError("expected weights quantized to i8, got ") << weight.getElementType();
  if (auto perTensor = dyn_cast<quant::UniformQuantizedType>(wQ)) {
    if (perTensor.getZeroPoint() != 0)
      return emitOpError("expected symmetric weights (zero point 0), got ") << wQ;
  } else if (auto perAxis = dyn_cast<quant::UniformQuantizedPerAxisType>(wQ)) {
    if (perAxis.getQuantizedDimension() != 0)
      return emitOpError("expected weights quantized per output channel (axis 0), got axis ")
             << perAxis.getQuantizedDimension();
    if (llvm::any_of(perAxis.getZeroPoints(), [](int64_t z) { return z != 0; }))
      return emitOpError("expected symmetric weights (zero points 0)");
    if (!weight.isDynamicDim(0) &&
        static_cast<int64_t>(perAxis.getScales().size()) != weight.getDimSize(0))
      return emitOpError("expected ") << weight.getDimSize(0) << " weight scales, got "
                                      << perAxis.getScales().size();
  } else {
    return emitOpError("expected uniform weight quantization, got ") << wQ;
  }
  if (!inQ.getExpressedType().isF32() || !wQ.getExpressedType().isF32() ||
      !result.getElementType().isF32())
    return emitOpError("expected f32 expressed and result types");
  ArrayRef<int64_t> dilations = getDilations();
  if (llvm::Error e = shape::checkWindowAttributes(2, getStrides(), getPads(), &dilations))
    return emitOpError(llvm::toString(std::move(e)));
  if (!input.isDynamicDim(1) && !weight.isDynamicDim(1) &&
      input.getDimSize(1) != weight.getDimSize(1))
    return emitOpError("expected input channels (")
           << input.getDimSize(1) << ") to equal weight input channels ("
           << weight.getDimSize(1) << ")";
  SmallVector<int64_t> shape{input.getDimSize(0), weight.getDimSize(0)};
  for (unsigned i = 0; i < 2; ++i) {
    llvm::Expected<int64_t> size =
        shape::windowOutputSize(input.getDimSize(2 + i), weight.getDimSize(2 + i),
                                getStrides()[i], getDilations()[i], getPads()[i], getPads()[2 + i]);
    if (!size)
      return emitOpError("spatial dimension ") << i << ": " << llvm::toString(size.takeError());
    shape.push_back(*size);
  }
  if (failed(verifyCompatibleShape(result.getShape(), shape)))
    return emitOpError("expected result shape ") << shape::toString(shape) << ", got "
                                                 << shape::toString(result.getShape());
  if (Value bias = getBias()) {
    auto type = cast<RankedTensorType>(bias.getType());
    if (type.getRank() != 1 || (!type.isDynamicDim(0) && !weight.isDynamicDim(0) &&
                                type.getDimSize(0) != weight.getDimSize(0)))
      return emitOpError("expected a bias of ") << weight.getDimSize(0) << " elements, got "
                                                << bias.getType();
  }
  if (Value residual = getResidual())
    if (failed(verifyCompatibleShape(cast<RankedTensorType>(residual.getType()).getShape(),
                                     result.getShape())))
      return emitOpError("expected a residual of the result's shape, got ")
             << residual.getType();
  return success();
}
