//===- NestingLimitTest.cpp - the ds IR nesting check ---------------------===//

#include "deepseek/Import/NestingLimit.h"

#include <gtest/gtest.h>

#include <string>

using deepseek::findExcessiveNesting;
using deepseek::kMaxIRNesting;

namespace {

std::string nested(unsigned depth, char open, char close) {
  return std::string(depth, open) + std::string(depth, close);
}

TEST(NestingLimit, RealIRPasses) {
  EXPECT_EQ(findExcessiveNesting(R"mlir(
#map = affine_map<(d0, d1) -> (d0 floordiv 2, d1)>
module {
  func.func @f(%x: tensor<1x3xf32>) -> tensor<1x3xf32> attributes {a = [[1, 2], [3]]} {
    %0 = "ds.relu"(%x) : (tensor<1x3xf32>) -> tensor<1x3xf32>
    return %0 : tensor<1x3xf32>
  }
})mlir"),
            std::nullopt);
}

TEST(NestingLimit, EachBracketKindCounts) {
  for (auto [open, close] : {std::pair{'(', ')'}, {'[', ']'}, {'{', '}'}, {'<', '>'}}) {
    EXPECT_EQ(findExcessiveNesting(nested(kMaxIRNesting, open, close)), std::nullopt) << open;
    EXPECT_EQ(findExcessiveNesting(nested(kMaxIRNesting + 1, open, close)), 1u) << open;
  }
  // Mixed kinds add up.
  EXPECT_EQ(findExcessiveNesting(nested(600, '[', ']') + std::string(600, '<')), std::nullopt);
  EXPECT_EQ(findExcessiveNesting(std::string(600, '[') + std::string(600, '<')), 1u);
}

TEST(NestingLimit, ReportsTheLine) {
  EXPECT_EQ(findExcessiveNesting("a\nb\n" + std::string(kMaxIRNesting, '(') + "\n(("), 4u);
}

TEST(NestingLimit, SkipsStringsCommentsAndArrows) {
  std::string deep(kMaxIRNesting + 1, '[');
  EXPECT_EQ(findExcessiveNesting("\"" + deep + "\""), std::nullopt);
  EXPECT_EQ(findExcessiveNesting("\"\\\"" + deep + "\""), std::nullopt) << "escaped quote";
  EXPECT_EQ(findExcessiveNesting("// " + deep + "\nx"), std::nullopt);
  // `->` does not close a `<`; unbalanced closers do not go below zero.
  std::string arrows;
  for (unsigned i = 0; i <= kMaxIRNesting; ++i)
    arrows += "<->";
  EXPECT_EQ(findExcessiveNesting(arrows), 1u);
  EXPECT_EQ(findExcessiveNesting(std::string(5000, '>') + deep), 1u);
}

} // namespace
