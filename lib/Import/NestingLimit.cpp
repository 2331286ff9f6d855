//===- NestingLimit.cpp - how deep ds IR text may nest --------------------===//

#include "deepseek/Import/NestingLimit.h"

using namespace deepseek;

std::optional<unsigned> deepseek::findExcessiveNesting(llvm::StringRef text) {
  unsigned depth = 0, line = 1;
  for (size_t i = 0, e = text.size(); i < e; ++i) {
    char c = text[i];
    switch (c) {
    case '\n':
      ++line;
      break;
    case '"': // a string literal, with backslash escapes
      for (++i; i < e && text[i] != '"'; ++i) {
        if (text[i] == '\\')
          ++i;
        else if (text[i] == '\n')
          ++line;
      }
      break;
    case '/': // a `//` comment runs to the end of the line
      if (i + 1 < e && text[i + 1] == '/')
        while (i + 1 < e && text[i + 1] != '\n')
          ++i;
      break;
    case '(':
    case '[':
    case '{':
    case '<':
      if (++depth > kMaxIRNesting)
        return line;
      break;
    case '>':
      if (i > 0 && text[i - 1] == '-')
        break; // `->`, not a closing bracket
      [[fallthrough]];
    case ')':
    case ']':
    case '}':
      // Unbalanced closers (`>=` in integer sets) only make the count lower.
      if (depth)
        --depth;
      break;
    default:
      break;
    }
  }
  return std::nullopt;
}
