//===- TensorLimits.h - sizes a compiled model may have -------------*- C++ -*-===//
//
// Models come from the internet: a crafted dimension (2^40, or a product of
// dims past int64) must end in an error naming the value, not in a compiler
// that overflows its size arithmetic or an executable that asks for terabytes.
//
//===----------------------------------------------------------------------===//
#ifndef DEEPSEEK_IMPORT_TENSORLIMITS_H
#define DEEPSEEK_IMPORT_TENSORLIMITS_H

#include "mlir/IR/Operation.h"
#include "mlir/Support/LogicalResult.h"

#include <cstdint>

namespace deepseek {

/// The largest tensor a compiled model may hold or compute: 1 TiB.
constexpr int64_t kMaxTensorBytes = int64_t(1) << 40;

/// The bytes a statically shaped tensor of |shape| and |elementBits| bits per
/// element takes, or -1 when computing it overflows int64.
int64_t tensorBytes(llvm::ArrayRef<int64_t> shape, unsigned elementBits);

/// Checks every statically shaped tensor among |root|'s block arguments and
/// op results against kMaxTensorBytes (and for int64 overflow); emits an error
/// at the first offending value's location.
mlir::LogicalResult checkTensorSizes(mlir::Operation *root);

} // namespace deepseek

#endif // DEEPSEEK_IMPORT_TENSORLIMITS_H
