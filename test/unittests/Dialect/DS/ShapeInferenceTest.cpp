//===- ShapeInferenceTest.cpp - shape arithmetic against known answers ----===//
//
// Expected values are the sizes real models have (ResNet-50, BERT) or come from
// the ONNX operator specifications, not from this implementation.
//
//===----------------------------------------------------------------------===//

#include "deepseek/Dialect/DS/IR/ShapeInference.h"

#include "mlir/IR/BuiltinTypes.h"
#include "gtest/gtest.h"

using namespace mlir::ds::shape;
using llvm::ArrayRef;

namespace {
constexpr int64_t kDyn = mlir::ShapedType::kDynamic;

Shape unwrap(llvm::Expected<Shape> value) {
  if (!value) {
    ADD_FAILURE() << llvm::toString(value.takeError());
    return {};
  }
  return *value;
}

std::string errorOf(llvm::Expected<Shape> value) {
  if (value)
    return "<no error>";
  return llvm::toString(value.takeError());
}

TEST(Broadcast, NumpyRules) {
  EXPECT_EQ(unwrap(broadcast({1, 64, 56, 56}, {64, 1, 1})), (Shape{1, 64, 56, 56}));
  EXPECT_EQ(unwrap(broadcast({2, 3}, {})), (Shape{2, 3}));
  EXPECT_EQ(unwrap(broadcast({5, 1, 4}, {3, 1})), (Shape{5, 3, 4}));
  EXPECT_EQ(unwrap(broadcast({kDyn, 768}, {768})), (Shape{kDyn, 768}));
  EXPECT_EQ(unwrap(broadcast({kDyn, 1}, {1, 8})), (Shape{kDyn, 8}));
  // A dynamic dimension against a static size > 1 must be that size.
  EXPECT_EQ(unwrap(broadcast({kDyn}, {4})), (Shape{4}));
}

TEST(Broadcast, IncompatibleShapesAreNamed) {
  std::string message = errorOf(broadcast({2, 3}, {4, 3}));
  EXPECT_NE(message.find("[2, 3]"), std::string::npos) << message;
  EXPECT_NE(message.find("[4, 3]"), std::string::npos) << message;
}

TEST(Broadcast, Unidirectional) {
  EXPECT_TRUE(broadcastsTo({64, 1, 1}, {1, 64, 56, 56}));
  EXPECT_TRUE(broadcastsTo({}, {3, 4}));
  EXPECT_FALSE(broadcastsTo({1, 64, 56, 56}, {64, 1, 1}));
  EXPECT_FALSE(broadcastsTo({3}, {3, 4}));
}

TEST(Window, ResNetStemAndPool) {
  // conv1: 224, kernel 7, stride 2, pad 3 -> 112; maxpool 3x3/2 pad 1 -> 56.
  EXPECT_EQ(*windowOutputSize(224, 7, 2, 1, 3, 3), 112);
  EXPECT_EQ(*windowOutputSize(112, 3, 2, 1, 1, 1), 56);
  // Dilation 2 makes a 3-wide kernel span 5.
  EXPECT_EQ(*windowOutputSize(10, 3, 1, 2, 0, 0), 6);
  EXPECT_EQ(*windowOutputSize(kDyn, 3, 1, 1, 1, 1), kDyn);
}

TEST(Window, CeilModeDropsWindowsStartingInPadding) {
  EXPECT_EQ(*windowOutputSize(5, 2, 2, 1, 0, 0, /*ceilMode=*/false), 2);
  EXPECT_EQ(*windowOutputSize(5, 2, 2, 1, 0, 0, /*ceilMode=*/true), 3);
  EXPECT_EQ(*windowOutputSize(6, 3, 2, 1, 1, 1, /*ceilMode=*/true), 4);
  // ceil((5 + 2 - 2) / 2) + 1 = 4, but the 4th window would start at 6, in the end
  // padding: PyTorch and ONNX give 3.
  EXPECT_EQ(*windowOutputSize(5, 2, 2, 1, 1, 1, /*ceilMode=*/true), 3);
}

TEST(Window, KernelLargerThanInputIsAnError) {
  llvm::Expected<int64_t> size = windowOutputSize(2, 5, 1, 1, 0, 0);
  ASSERT_FALSE(size);
  EXPECT_NE(llvm::toString(size.takeError()).find("does not fit"), std::string::npos);
  llvm::Expected<int64_t> zeroStride = windowOutputSize(8, 3, 0, 1, 0, 0);
  ASSERT_FALSE(zeroStride);
  llvm::consumeError(zeroStride.takeError());
}

TEST(Window, TransposedConvolution) {
  // ONNX ConvTranspose example: 3 -> 3 * (3 - 1) + 0 + (3 - 1) * 1 + 1 = 9.
  EXPECT_EQ(*transposedWindowOutputSize(3, 3, 3, 1, 0, 0, 0), 9);
  EXPECT_EQ(*transposedWindowOutputSize(3, 3, 3, 1, 0, 0, 1), 10);
  EXPECT_EQ(*transposedWindowOutputSize(4, 2, 2, 1, 0, 0, 0), 8);
  llvm::Expected<int64_t> bad = transposedWindowOutputSize(3, 3, 2, 1, 0, 0, 2);
  ASSERT_FALSE(bad);
  llvm::consumeError(bad.takeError());
}

TEST(Window, AttributeChecks) {
  const int64_t dilValues[] = {1, 1};
  ArrayRef<int64_t> dil = dilValues;
  EXPECT_FALSE(llvm::errorToBool(checkWindowAttributes(2, {1, 1}, {0, 0, 0, 0}, &dil)));
  EXPECT_TRUE(llvm::errorToBool(checkWindowAttributes(2, {1}, {0, 0, 0, 0}, &dil)));
  EXPECT_TRUE(llvm::errorToBool(checkWindowAttributes(2, {1, 1}, {0, 0}, &dil)));
  EXPECT_TRUE(llvm::errorToBool(checkWindowAttributes(2, {1, 1}, {0, -1, 0, 0}, &dil)));
  EXPECT_TRUE(llvm::errorToBool(checkWindowAttributes(2, {1, 0}, {0, 0, 0, 0}, nullptr)));
}

TEST(MatMul, NumpySemantics) {
  EXPECT_EQ(unwrap(matmul({1, 128, 768}, {768, 3072})), (Shape{1, 128, 3072}));
  EXPECT_EQ(unwrap(matmul({1, 12, 128, 64}, {1, 12, 64, 128})), (Shape{1, 12, 128, 128}));
  EXPECT_EQ(unwrap(matmul({2, 1, 3, 4}, {5, 4, 6})), (Shape{2, 5, 3, 6}));
  EXPECT_EQ(unwrap(matmul({4}, {4, 5})), (Shape{5}));
  EXPECT_EQ(unwrap(matmul({3, 4}, {4})), (Shape{3}));
  EXPECT_EQ(unwrap(matmul({4}, {4})), (Shape{}));
  EXPECT_EQ(unwrap(matmul({kDyn, 128, 768}, {768, 768})), (Shape{kDyn, 128, 768}));
}

TEST(MatMul, MismatchedContractionIsAnError) {
  std::string message = errorOf(matmul({2, 3}, {4, 5}));
  EXPECT_NE(message.find("contraction sizes differ"), std::string::npos) << message;
  EXPECT_NE(errorOf(matmul({}, {3})).find("rank >= 1"), std::string::npos);
}

TEST(Reduce, AxesAndKeepDims) {
  EXPECT_EQ(unwrap(reduce({1, 128, 768}, {2}, true)), (Shape{1, 128, 1}));
  EXPECT_EQ(unwrap(reduce({1, 128, 768}, {2}, false)), (Shape{1, 128}));
  EXPECT_EQ(unwrap(reduce({2, 3, 4}, {}, false)), (Shape{}));
  EXPECT_EQ(unwrap(reduce({2, 3, 4}, {0, 2}, true)), (Shape{1, 3, 1}));
  EXPECT_NE(errorOf(reduce({2, 3}, {2}, true)).find("out of range"), std::string::npos);
  EXPECT_NE(errorOf(reduce({2, 3}, {1, 0}, true)).find("sorted"), std::string::npos);
}

TEST(NumElements, OverflowAndDynamic) {
  EXPECT_EQ(*numElements({1, 3, 224, 224}), 150528);
  EXPECT_EQ(*numElements({}), 1);
  EXPECT_EQ(*numElements({kDyn, 3}), kDyn);
  llvm::Expected<int64_t> huge = numElements({int64_t(1) << 40, int64_t(1) << 40});
  ASSERT_FALSE(huge);
  EXPECT_NE(llvm::toString(huge.takeError()).find("overflows"), std::string::npos);
}

TEST(ToString, PrintsDynamicAsQuestionMark) {
  EXPECT_EQ(toString({1, kDyn, 3}), "[1, ?, 3]");
  EXPECT_EQ(toString({}), "[]");
}
} // namespace
