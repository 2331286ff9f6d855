//===- ResourcePrintingTest.cpp - large weights stay out of the text ------===//
//
// Weights are `dense_resource` blobs. A module holding 100 MB of weights must
// print as small text (the blob elided) and must not copy the weights to build
// the attribute; bytecode must carry the bytes exactly.
//
//===----------------------------------------------------------------------===//

#include "deepseek/Dialect/DS/IR/DSOps.h"

#include "mlir/Bytecode/BytecodeWriter.h"
#include "mlir/Dialect/Func/IR/FuncOps.h"
#include "mlir/IR/AsmState.h"
#include "mlir/IR/Builders.h"
#include "mlir/IR/BuiltinOps.h"
#include "mlir/IR/DialectResourceBlobManager.h"
#include "mlir/Parser/Parser.h"
#include "llvm/Support/raw_ostream.h"
#include "gtest/gtest.h"

#include <cstring>
#include <numeric>
#include <vector>

using namespace mlir;

namespace {

ds::ConstantOp firstConstant(ModuleOp module) {
  ds::ConstantOp found;
  module.walk([&](ds::ConstantOp op) { found = op; });
  return found;
}

struct WeightsModule {
  MLIRContext context;
  OwningOpRef<ModuleOp> module;

  /// A module with one ds.constant over |data|, which the attribute borrows.
  explicit WeightsModule(ArrayRef<float> data) {
    context.loadDialect<ds::DSDialect, func::FuncDialect>();
    OpBuilder builder(&context);
    Location loc = builder.getUnknownLoc();
    module = ModuleOp::create(loc);
    builder.setInsertionPointToEnd(module->getBody());
    auto type =
        RankedTensorType::get({static_cast<int64_t>(data.size())}, builder.getF32Type());
    auto fn = func::FuncOp::create(builder, loc, "weights",
                                   builder.getFunctionType({}, {type}));
    builder.setInsertionPointToStart(fn.addEntryBlock());
    AsmResourceBlob blob = UnmanagedAsmResourceBlob::allocateInferAlign(data);
    auto attr = DenseResourceElementsAttr::get(type, "weight", std::move(blob));
    auto constant = ds::ConstantOp::create(builder, loc, type, attr);
    func::ReturnOp::create(builder, loc, constant.getResult());
  }
};

TEST(ResourcePrinting, HundredMegabytesPrintSmall) {
  std::vector<float> weights(25 * 1024 * 1024, 0.5f); // 100 MiB
  WeightsModule m(weights);
  // The attribute borrows the caller's bytes instead of copying them.
  ds::ConstantOp constant = firstConstant(*m.module);
  auto attr = cast<DenseResourceElementsAttr>(constant.getValue());
  EXPECT_EQ(attr.getRawHandle().getBlob()->getData().data(),
            reinterpret_cast<const char *>(weights.data()));

  std::string text;
  llvm::raw_string_ostream os(text);
  m.module->print(os, OpPrintingFlags().elideLargeResourceString(1024));
  EXPECT_LT(text.size(), 4096u) << text.substr(0, 512);
  EXPECT_NE(text.find("dense_resource<weight>"), std::string::npos) << text;
}

TEST(ResourcePrinting, BytecodeRoundTripKeepsTheBytes) {
  std::vector<float> weights(1 << 18);
  std::iota(weights.begin(), weights.end(), 0.0f);
  WeightsModule m(weights);
  std::string bytes;
  llvm::raw_string_ostream os(bytes);
  ASSERT_TRUE(succeeded(writeBytecodeToFile(*m.module, os)));
  // Bytecode stores the blob raw: about its size, not twice it as hex text does.
  EXPECT_LT(bytes.size(), weights.size() * sizeof(float) + 4096);

  MLIRContext context;
  context.loadDialect<ds::DSDialect, func::FuncDialect>();
  OwningOpRef<ModuleOp> parsed =
      parseSourceString<ModuleOp>(bytes, ParserConfig(&context));
  ASSERT_TRUE(parsed);
  ds::ConstantOp constant = firstConstant(*parsed);
  ASSERT_TRUE(constant);
  auto attr = cast<DenseResourceElementsAttr>(constant.getValue());
  ArrayRef<char> data = attr.getRawHandle().getBlob()->getData();
  ASSERT_EQ(data.size(), weights.size() * sizeof(float));
  EXPECT_EQ(std::memcmp(data.data(), weights.data(), data.size()), 0);
}

} // namespace
