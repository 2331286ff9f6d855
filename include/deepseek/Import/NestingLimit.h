//===- NestingLimit.h - how deep ds IR text may nest ----------------*- C++ -*-===//
//
// MLIR's parser recurses once per nested attribute, type or region: ds IR text
// crafted 20,000 brackets deep overflows an 8 MiB stack and kills the tool
// with SIGSEGV. The tools check the nesting first, in one pass over the text.
//
//===----------------------------------------------------------------------===//
#ifndef DEEPSEEK_IMPORT_NESTINGLIMIT_H
#define DEEPSEEK_IMPORT_NESTINGLIMIT_H

#include "llvm/ADT/StringRef.h"

#include <optional>

namespace deepseek {

/// The deepest bracket nesting ds IR text may have; models nest fewer than 20
/// deep, and 1000 levels leave MLIR's parser ample stack (also under ASan).
constexpr unsigned kMaxIRNesting = 1000;

/// The 1-based line on which |text| (MLIR text) first nests (, [, { and <
/// more than kMaxIRNesting deep, not counting string literals, comments and
/// `->` arrows; std::nullopt when it stays within the limit.
std::optional<unsigned> findExcessiveNesting(llvm::StringRef text);

} // namespace deepseek

#endif // DEEPSEEK_IMPORT_NESTINGLIMIT_H
