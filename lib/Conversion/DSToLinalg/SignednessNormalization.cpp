//===- SignednessNormalization.cpp - unsigned tensors to signless ones ----===//
//
// ONNX has unsigned integer tensors (uint8 images, uint64 bit shifts); arith
// and linalg compute on signless integers only, with the signedness in the op
// (divui vs divsi). Before lowering, every unsigned tensor type in the model
// function becomes the signless type of the same width, and each op that
// computed on unsigned values is marked (`ds.unsigned`; for ds.cast, which side
// was unsigned) so its lowering picks the unsigned arith ops. The bits in
// memory do not change, and the model's interface (read before lowering)
// still says uint8.
//
//===----------------------------------------------------------------------===//

#include "LoweringUtils.h"

#include "mlir/IR/DialectResourceBlobManager.h"

using namespace mlir;
using namespace mlir::ds;

static bool isUnsignedTensor(Type type) {
  auto tensor = dyn_cast<RankedTensorType>(type);
  return tensor && tensor.getElementType().isUnsignedInteger();
}

static Type signlessOf(Type type) {
  auto tensor = dyn_cast<RankedTensorType>(type);
  if (!tensor || !tensor.getElementType().isUnsignedInteger())
    return type;
  unsigned width = tensor.getElementType().getIntOrFloatBitWidth();
  return tensor.clone(IntegerType::get(type.getContext(), width));
}

LogicalResult mlir::ds::lowering::normalizeSignedness(func::FuncOp fn) {
  MLIRContext *ctx = fn.getContext();
  // 1. Mark, while the types still tell.
  fn.walk([&](Operation *op) {
    if (!isa<DSDialect>(op->getDialect()))
      return;
    if (auto cast = dyn_cast<CastOp>(op)) {
      if (isUnsignedTensor(cast.getInput().getType()))
        op->setAttr(kSourceUnsignedAttr, UnitAttr::get(ctx));
      if (isUnsignedTensor(cast.getType()))
        op->setAttr(kTargetUnsignedAttr, UnitAttr::get(ctx));
      return;
    }
    if (llvm::any_of(op->getOperandTypes(), isUnsignedTensor) ||
        llvm::any_of(op->getResultTypes(), isUnsignedTensor))
      op->setAttr(kUnsignedAttr, UnitAttr::get(ctx));
  });
  // 2. Retype: constants (their attribute carries the type), results, arguments.
  bool failedConstant = false;
  fn.walk([&](ConstantOp constant) {
    if (!isUnsignedTensor(constant.getType()))
      return;
    auto type = cast<RankedTensorType>(signlessOf(constant.getType()));
    Attribute value = constant.getValue();
    ElementsAttr converted;
    if (auto dense = dyn_cast<DenseElementsAttr>(value))
      converted = dense.bitcast(type.getElementType());
    else if (auto resource = dyn_cast<DenseResourceElementsAttr>(value))
      converted = DenseResourceElementsAttr::get(type, resource.getRawHandle());
    if (!converted) {
      constant.emitOpError("has an unsigned constant of an unsupported kind");
      failedConstant = true;
      return;
    }
    constant.setValueAttr(converted);
  });
  if (failedConstant)
    return failure();
  fn.walk([&](Operation *op) {
    for (Value result : op->getResults())
      result.setType(signlessOf(result.getType()));
    for (Region &region : op->getRegions())
      for (Block &block : region)
        for (BlockArgument arg : block.getArguments())
          arg.setType(signlessOf(arg.getType()));
  });
  SmallVector<Type> inputs, results;
  for (Type t : fn.getArgumentTypes())
    inputs.push_back(signlessOf(t));
  for (Type t : fn.getResultTypes())
    results.push_back(signlessOf(t));
  fn.setFunctionType(FunctionType::get(ctx, inputs, results));
  return success();
}
