//===- TensorConversionTest.cpp - ONNX tensors to MLIR attributes ---------===//
//
// Weights must reach MLIR without a copy: the dense_resource blob borrows the
// bytes inside the parsed protobuf and keeps the model alive. Small tensors
// become readable dense literals; malformed tensors are errors, not crashes.
//
//===----------------------------------------------------------------------===//

// The importer's private header: these tests check its internals.
#include "TensorConversion.h"

#include "mlir/IR/BuiltinAttributes.h"
#include "mlir/IR/DialectResourceBlobManager.h"
#include "mlir/IR/MLIRContext.h"
#include "gtest/gtest.h"

#include <cstring>

using namespace mlir;
using deepseek::onnx_import::convertTensor;

namespace {

/// A model owning one float initializer of |count| elements in raw_data.
std::shared_ptr<onnx::ModelProto> modelWithWeights(int64_t count) {
  auto model = std::make_shared<onnx::ModelProto>();
  onnx::TensorProto *tensor = model->mutable_graph()->add_initializer();
  tensor->set_name("layer.weight");
  tensor->set_data_type(onnx::TensorProto::FLOAT);
  tensor->add_dims(count);
  std::string bytes(count * sizeof(float), '\0');
  for (int64_t i = 0; i < count; ++i) {
    float v = static_cast<float>(i) * 0.5f;
    std::memcpy(bytes.data() + i * sizeof(float), &v, sizeof(float));
  }
  tensor->set_raw_data(std::move(bytes));
  return model;
}

TEST(TensorConversion, LargeWeightsBorrowTheProtobufBytes) {
  MLIRContext context;
  std::shared_ptr<onnx::ModelProto> model = modelWithWeights(1 << 16);
  const onnx::TensorProto &tensor = model->graph().initializer(0);
  llvm::Expected<ElementsAttr> attr = convertTensor(&context, tensor, model, 16);
  ASSERT_TRUE(bool(attr)) << llvm::toString(attr.takeError());
  auto resource = dyn_cast<DenseResourceElementsAttr>(*attr);
  ASSERT_TRUE(resource);
  ArrayRef<char> data = resource.getRawHandle().getBlob()->getData();
  // Same address: no copy was made.
  EXPECT_EQ(data.data(), tensor.raw_data().data());
  EXPECT_EQ(data.size(), tensor.raw_data().size());
  // The blob keeps the model alive after the importer lets go of it.
  std::weak_ptr<onnx::ModelProto> weak = model;
  model.reset();
  EXPECT_FALSE(weak.expired());
  float third;
  std::memcpy(&third, data.data() + 3 * sizeof(float), sizeof(float));
  EXPECT_EQ(third, 1.5f);
}

TEST(TensorConversion, SmallTensorsAreReadableLiterals) {
  MLIRContext context;
  std::shared_ptr<onnx::ModelProto> model = modelWithWeights(4);
  llvm::Expected<ElementsAttr> attr =
      convertTensor(&context, model->graph().initializer(0), model, 16);
  ASSERT_TRUE(bool(attr)) << llvm::toString(attr.takeError());
  auto dense = dyn_cast<DenseFPElementsAttr>(*attr);
  ASSERT_TRUE(dense);
  EXPECT_EQ((*(dense.getValues<float>().begin() + 2)), 1.0f);
}

TEST(TensorConversion, TypedFieldsAndNarrowTypes) {
  MLIRContext context;
  auto model = std::make_shared<onnx::ModelProto>();
  onnx::TensorProto tensor;
  tensor.set_name("bytes");
  tensor.set_data_type(onnx::TensorProto::INT8);
  tensor.add_dims(3);
  for (int v : {-1, 0, 7})
    tensor.add_int32_data(v);
  llvm::Expected<ElementsAttr> attr = convertTensor(&context, tensor, model, 16);
  ASSERT_TRUE(bool(attr)) << llvm::toString(attr.takeError());
  auto dense = cast<DenseIntElementsAttr>(*attr);
  EXPECT_EQ((*dense.getValues<int8_t>().begin()), -1);
  EXPECT_EQ((*(dense.getValues<int8_t>().begin() + 2)), 7);
}

TEST(TensorConversion, SizeMismatchIsAnError) {
  MLIRContext context;
  std::shared_ptr<onnx::ModelProto> model = modelWithWeights(8);
  onnx::TensorProto tensor = model->graph().initializer(0);
  tensor.set_dims(0, 9); // claims one element more than the bytes hold
  llvm::Expected<ElementsAttr> attr = convertTensor(&context, tensor, model, 16);
  ASSERT_FALSE(bool(attr));
  std::string message = llvm::toString(attr.takeError());
  EXPECT_NE(message.find("holds 32 bytes of data, but its shape needs 36"),
            std::string::npos)
      << message;
}

TEST(TensorConversion, UnsupportedTypesAreNamed) {
  MLIRContext context;
  auto model = std::make_shared<onnx::ModelProto>();
  onnx::TensorProto tensor;
  tensor.set_name("text");
  tensor.set_data_type(onnx::TensorProto::STRING);
  llvm::Expected<ElementsAttr> attr = convertTensor(&context, tensor, model, 16);
  ASSERT_FALSE(bool(attr));
  EXPECT_NE(llvm::toString(attr.takeError()).find("STRING"), std::string::npos);
}

} // namespace
