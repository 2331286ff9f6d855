//===- OpBuildersTest.cpp - building ds ops with inferred result types ----===//
//
// Importers build ops without spelling result types; these tests check that the
// inferred types are what the operator semantics say, and that inference reports
// failure (instead of crashing) on inconsistent operands.
//
//===----------------------------------------------------------------------===//

#include "deepseek/Dialect/DS/IR/DSOps.h"

#include "mlir/Dialect/Func/IR/FuncOps.h"
#include "mlir/IR/Builders.h"
#include "mlir/IR/BuiltinOps.h"
#include "mlir/IR/Verifier.h"
#include "gtest/gtest.h"

using namespace mlir;

namespace {

class OpBuildersTest : public ::testing::Test {
protected:
  OpBuildersTest() : builder(&context) {
    context.loadDialect<ds::DSDialect, func::FuncDialect>();
    loc = builder.getUnknownLoc();
    module = ModuleOp::create(loc);
  }

  /// A function with arguments of |types|, the builder placed in its body.
  ValueRange makeArgs(ArrayRef<Type> types) {
    builder.setInsertionPointToEnd(module->getBody());
    auto fn = func::FuncOp::create(builder, loc, "f", builder.getFunctionType(types, {}));
    Block *body = fn.addEntryBlock();
    builder.setInsertionPointToStart(body);
    return body->getArguments();
  }

  RankedTensorType f32(ArrayRef<int64_t> shape) {
    return RankedTensorType::get(shape, builder.getF32Type());
  }

  MLIRContext context;
  OpBuilder builder;
  Location loc = UnknownLoc::get(&context);
  OwningOpRef<ModuleOp> module;
};

TEST_F(OpBuildersTest, ConvInfersResNetStemShape) {
  ValueRange args = makeArgs({f32({1, 3, 224, 224}), f32({64, 3, 7, 7}), f32({64})});
  auto conv = ds::ConvOp::create(
      builder, loc, args[0], args[1], args[2], Value(),
      builder.getDenseI64ArrayAttr({2, 2}), builder.getDenseI64ArrayAttr({3, 3, 3, 3}),
      builder.getDenseI64ArrayAttr({1, 1}), builder.getI64IntegerAttr(1),
      ds::ActivationAttr::get(&context, ds::ActivationKind::Relu));
  EXPECT_EQ(conv.getType(), f32({1, 64, 112, 112}));
  func::ReturnOp::create(builder, loc);
  EXPECT_TRUE(succeeded(verify(*module)));
}

TEST_F(OpBuildersTest, BroadcastingAndComparisonResults) {
  ValueRange args = makeArgs({f32({1, 12, 128, 128}), f32({1, 1, 1, 128})});
  auto add = ds::AddOp::create(builder, loc, args[0], args[1]);
  EXPECT_EQ(add.getType(), f32({1, 12, 128, 128}));
  auto less = ds::LessOp::create(builder, loc, args[1], args[0]);
  EXPECT_EQ(less.getType(),
            RankedTensorType::get({1, 12, 128, 128}, builder.getI1Type()));
}

TEST_F(OpBuildersTest, MatMulAndTransposeShapes) {
  ValueRange args = makeArgs({f32({1, 128, 12, 64}), f32({1, 12, 64, 128})});
  auto t = ds::TransposeOp::create(builder, loc, args[0],
                                   builder.getDenseI64ArrayAttr({0, 2, 1, 3}));
  EXPECT_EQ(t.getType(), f32({1, 12, 128, 64}));
  auto mm = ds::MatMulOp::create(builder, loc, t, args[1], Value(), Value(),
                                 ds::ActivationAttr());
  EXPECT_EQ(mm.getType(), f32({1, 12, 128, 128}));
}

TEST_F(OpBuildersTest, InferenceFailsCleanlyWithoutLocation) {
  // Mismatched channels: the check importers run before building the op.
  ValueRange args = makeArgs({f32({1, 3, 8, 8}), f32({4, 5, 3, 3})});
  SmallVector<Type> inferred;
  ds::ConvOp::Properties props;
  props.strides = builder.getDenseI64ArrayAttr({1, 1});
  props.pads = builder.getDenseI64ArrayAttr({0, 0, 0, 0});
  props.dilations = builder.getDenseI64ArrayAttr({1, 1});
  props.group = builder.getI64IntegerAttr(1);
  props.operandSegmentSizes = {1, 1, 0, 0};
  EXPECT_TRUE(failed(ds::ConvOp::inferReturnTypes(
      &context, std::nullopt, ValueRange{args[0], args[1]}, DictionaryAttr::get(&context),
      OpaqueProperties(&props), RegionRange(), inferred)));
  EXPECT_TRUE(inferred.empty());
}

TEST_F(OpBuildersTest, FoldersRemoveNoOps) {
  ValueRange args = makeArgs({f32({2, 3})});
  auto id = ds::IdentityOp::create(builder, loc, args[0]);
  SmallVector<OpFoldResult> folded;
  ASSERT_TRUE(succeeded(id->fold(folded)));
  EXPECT_EQ(folded.front(), OpFoldResult(args[0]));
  auto r1 = ds::ReshapeOp::create(builder, loc, f32({6}), args[0]);
  auto r2 = ds::ReshapeOp::create(builder, loc, f32({3, 2}), r1);
  // reshape(reshape(x)) folds in place to reshape(x).
  folded.clear();
  ASSERT_TRUE(succeeded(r2->fold(folded)));
  EXPECT_TRUE(folded.empty()); // updated in place
  EXPECT_EQ(r2.getInput(), args[0]);
}

} // namespace
