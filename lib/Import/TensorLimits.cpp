//===- TensorLimits.cpp - sizes a compiled model may have -----------------===//

#include "deepseek/Import/TensorLimits.h"

#include "mlir/IR/BuiltinTypes.h"
#include "mlir/IR/Diagnostics.h"
#include "llvm/Support/MathExtras.h"

using namespace mlir;

int64_t deepseek::tensorBytes(llvm::ArrayRef<int64_t> shape, unsigned elementBits) {
  int64_t elements = 1;
  for (int64_t dim : shape)
    if (dim < 0 || llvm::MulOverflow(elements, dim, elements))
      return -1;
  int64_t bytes;
  if (llvm::MulOverflow(elements, static_cast<int64_t>((elementBits + 7) / 8), bytes))
    return -1;
  return bytes;
}

static LogicalResult checkValue(Value value) {
  auto type = dyn_cast<RankedTensorType>(value.getType());
  if (!type || !type.hasStaticShape() || !type.getElementType().isIntOrIndexOrFloat())
    return success();
  int64_t bytes = deepseek::tensorBytes(type.getShape(),
                                        type.getElementType().getIntOrFloatBitWidth());
  if (bytes >= 0 && bytes <= deepseek::kMaxTensorBytes)
    return success();
  InFlightDiagnostic diag = emitError(value.getLoc()) << "a value of type " << type;
  if (bytes < 0)
    diag << " has more elements than int64 can count";
  else
    diag << " takes " << bytes << " bytes, more than the 1 TiB (" << deepseek::kMaxTensorBytes
         << " bytes) a compiled model's tensor may take";
  return failure();
}

LogicalResult deepseek::checkTensorSizes(Operation *root) {
  WalkResult result = root->walk([](Operation *op) {
    for (Region &region : op->getRegions())
      for (Block &block : region)
        for (BlockArgument arg : block.getArguments())
          if (failed(checkValue(arg)))
            return WalkResult::interrupt();
    for (Value result : op->getResults())
      if (failed(checkValue(result)))
        return WalkResult::interrupt();
    return WalkResult::advance();
  });
  return failure(result.wasInterrupted());
}
