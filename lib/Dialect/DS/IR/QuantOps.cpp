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
