//===- TensorConversion.cpp - ONNX tensors and types to MLIR --------------===//

#include "TensorConversion.h"

#include "mlir/IR/Builders.h"
#include "mlir/IR/BuiltinAttributes.h"
#include "mlir/IR/DialectResourceBlobManager.h"
#include "llvm/ADT/APFloat.h"
#include "llvm/ADT/StringExtras.h"

#include <cstring>

using llvm::Expected;

namespace deepseek::onnx_import {
namespace {

using onnx::TensorProto;

llvm::Error fail(const llvm::Twine &message) {
  return llvm::createStringError(llvm::inconvertibleErrorCode(), message.str());
}

/// A tensor's bytes in MLIR's dense layout (little-endian, one element after
/// another), either borrowed from the protobuf or in |copy|.
struct TensorBytes {
  llvm::ArrayRef<char> data;
  std::vector<char> copy;
  bool borrowed() const { return copy.empty() && !data.empty(); }
};

template <typename T>
llvm::ArrayRef<char> asBytes(const google::protobuf::RepeatedField<T> &field) {
  return {reinterpret_cast<const char *>(field.data()), field.size() * sizeof(T)};
}

/// int32_data carries 8/16-bit integers and fp16/bf16 bit patterns one per int32.
template <typename Narrow>
std::vector<char> narrowInt32Data(const google::protobuf::RepeatedField<int32_t> &field) {
  std::vector<char> out(field.size() * sizeof(Narrow));
  for (int i = 0; i < field.size(); ++i) {
    Narrow value = static_cast<Narrow>(field.Get(i));
    std::memcpy(out.data() + i * sizeof(Narrow), &value, sizeof(Narrow));
  }
  return out;
}

Expected<TensorBytes> tensorBytes(const TensorProto &tensor, int64_t numElements,
                                  size_t elementSize) {
  if (tensor.data_location() == TensorProto::EXTERNAL)
    return fail("tensor '" + tensor.name() +
                "' keeps its data in an external file, which this importer does not "
                "read yet");
  TensorBytes bytes;
  if (tensor.has_raw_data()) {
    bytes.data = {tensor.raw_data().data(), tensor.raw_data().size()};
  } else {
    switch (tensor.data_type()) {
    case TensorProto::FLOAT:
      bytes.data = asBytes(tensor.float_data());
      break;
    case TensorProto::DOUBLE:
      bytes.data = asBytes(tensor.double_data());
      break;
    case TensorProto::INT64:
      bytes.data = asBytes(tensor.int64_data());
      break;
    case TensorProto::INT32:
      bytes.data = asBytes(tensor.int32_data());
      break;
    case TensorProto::UINT32:
    case TensorProto::UINT64:
      bytes.data = asBytes(tensor.uint64_data());
      if (tensor.data_type() == TensorProto::UINT32) {
        bytes.copy.resize(tensor.uint64_data_size() * 4);
        for (int i = 0; i < tensor.uint64_data_size(); ++i) {
          uint32_t v = static_cast<uint32_t>(tensor.uint64_data(i));
          std::memcpy(bytes.copy.data() + 4 * i, &v, 4);
        }
      }
      break;
    case TensorProto::INT8:
    case TensorProto::UINT8:
    case TensorProto::BOOL:
      bytes.copy = narrowInt32Data<int8_t>(tensor.int32_data());
      break;
    case TensorProto::INT16:
    case TensorProto::UINT16:
    case TensorProto::FLOAT16:
    case TensorProto::BFLOAT16:
      bytes.copy = narrowInt32Data<int16_t>(tensor.int32_data());
      break;
    default:
      return fail("tensor '" + tensor.name() + "' of type " +
                  dataTypeName(tensor.data_type()) + " has no readable data");
    }
    if (!bytes.copy.empty())
      bytes.data = bytes.copy;
  }
  if (bytes.data.size() != static_cast<size_t>(numElements) * elementSize)
    return fail("tensor '" + tensor.name() + "' holds " + llvm::Twine(bytes.data.size()) +
                " bytes of data, but its shape needs " +
                llvm::Twine(numElements * elementSize));
  return bytes;
}

Expected<std::pair<mlir::RankedTensorType, int64_t>>
tensorType(mlir::MLIRContext *context, const TensorProto &tensor) {
  Expected<mlir::Type> elementType = convertElementType(context, tensor.data_type());
  if (!elementType)
    return elementType.takeError();
  llvm::SmallVector<int64_t> dims(tensor.dims().begin(), tensor.dims().end());
  int64_t count = 1;
  for (int64_t d : dims) {
    if (d < 0 || llvm::MulOverflow(count, d, count))
      return fail("tensor '" + tensor.name() + "' has an invalid shape");
  }
  return std::make_pair(mlir::RankedTensorType::get(dims, *elementType), count);
}

size_t storageBytes(mlir::Type elementType) {
  return std::max<size_t>(1, elementType.getIntOrFloatBitWidth() / 8);
}

} // namespace

std::string dataTypeName(int32_t dataType) {
  if (TensorProto::DataType_IsValid(dataType))
    return TensorProto::DataType_Name(static_cast<TensorProto::DataType>(dataType));
  return "data type " + std::to_string(dataType);
}

Expected<mlir::Type> convertElementType(mlir::MLIRContext *context, int32_t dataType) {
  mlir::Builder b(context);
  switch (dataType) {
  case TensorProto::FLOAT:
    return b.getF32Type();
  case TensorProto::FLOAT16:
    return b.getF16Type();
  case TensorProto::BFLOAT16:
    return b.getBF16Type();
  case TensorProto::DOUBLE:
    return b.getF64Type();
  case TensorProto::INT8:
    return b.getIntegerType(8);
  case TensorProto::INT16:
    return b.getIntegerType(16);
  case TensorProto::INT32:
    return b.getIntegerType(32);
  case TensorProto::INT64:
    return b.getIntegerType(64);
  case TensorProto::BOOL:
    return b.getI1Type();
  // Unsigned integers keep their signedness in the type: ds arithmetic, which is
  // defined on signless integers, rejects them clearly instead of computing with
  // signed semantics; the quantization converters reinterpret uint8 storage.
  case TensorProto::UINT8:
    return b.getIntegerType(8, /*isSigned=*/false);
  case TensorProto::UINT16:
    return b.getIntegerType(16, /*isSigned=*/false);
  case TensorProto::UINT32:
    return b.getIntegerType(32, /*isSigned=*/false);
  case TensorProto::UINT64:
    return b.getIntegerType(64, /*isSigned=*/false);
  default:
    return fail("element type " + dataTypeName(dataType) + " is not supported");
  }
}

Expected<mlir::RankedTensorType> convertValueType(mlir::MLIRContext *context,
                                                  const onnx::TypeProto &type) {
  if (!type.has_tensor_type())
    return fail("only tensor values are supported (not sequences, maps or optionals)");
  const onnx::TypeProto::Tensor &tensor = type.tensor_type();
  Expected<mlir::Type> elementType = convertElementType(context, tensor.elem_type());
  if (!elementType)
    return elementType.takeError();
  if (!tensor.has_shape())
    return fail("the rank is unknown (no shape, even after ONNX shape inference)");
  llvm::SmallVector<int64_t> dims;
  for (const onnx::TensorShapeProto::Dimension &dim : tensor.shape().dim()) {
    if (dim.has_dim_value() && dim.dim_value() < 0)
      return fail("dimension " + std::to_string(dims.size()) + " is " +
                  std::to_string(dim.dim_value()) + "; dimensions are non-negative");
    dims.push_back(dim.has_dim_value() ? dim.dim_value() : mlir::ShapedType::kDynamic);
  }
  return mlir::RankedTensorType::get(dims, *elementType);
}

Expected<mlir::ElementsAttr>
convertTensor(mlir::MLIRContext *context, const TensorProto &tensor,
              const std::shared_ptr<const onnx::ModelProto> &owner, int64_t inlineLimit) {
  auto typeAndCount = tensorType(context, tensor);
  if (!typeAndCount)
    return typeAndCount.takeError();
  auto [type, count] = *typeAndCount;
  size_t elementSize = storageBytes(type.getElementType());
  Expected<TensorBytes> bytes = tensorBytes(tensor, count, elementSize);
  if (!bytes)
    return bytes.takeError();

  if (type.getElementType().isInteger(1)) {
    llvm::SmallVector<bool> values;
    for (char c : bytes->data)
      values.push_back(c != 0);
    return mlir::DenseElementsAttr::get(type, llvm::ArrayRef<bool>(values));
  }
  if (count <= inlineLimit)
    return mlir::DenseElementsAttr::getFromRawBuffer(type, bytes->data);

  std::string key = tensor.name().empty() ? "tensor" : tensor.name();
  for (char &c : key)
    if (!llvm::isAlnum(c) && c != '_' && c != '.')
      c = '_';
  bool aligned = reinterpret_cast<uintptr_t>(bytes->data.data()) % elementSize == 0;
  mlir::AsmResourceBlob blob =
      bytes->borrowed() && aligned
          ? mlir::AsmResourceBlob(
                bytes->data, elementSize, [keepAlive = owner](void *, size_t, size_t) {},
                /*dataIsMutable=*/false)
          : mlir::HeapAsmResourceBlob::allocateAndCopyWithAlign(bytes->data, elementSize);
  return mlir::DenseResourceElementsAttr::get(type, key, std::move(blob));
}

} // namespace deepseek::onnx_import
