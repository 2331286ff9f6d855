//===- NodeContext.h - what an op converter sees of one ONNX node ---*- C++ -*-===//
//
// Converters (Ops/*.cpp) map one ONNX node to ds ops through this interface: its
// inputs as MLIR values, its attributes with ONNX defaults, constant inputs,
// and a `create` that checks type inference before building so a model with
// inconsistent shapes gets a diagnostic at the node instead of a fatal error.
//
//===----------------------------------------------------------------------===//
#ifndef DEEPSEEK_LIB_IMPORT_ONNX_NODECONTEXT_H
#define DEEPSEEK_LIB_IMPORT_ONNX_NODECONTEXT_H

#include "mlir/IR/Builders.h"
#include "mlir/IR/BuiltinTypes.h"
#include "onnx/onnx_pb.h"
#include "llvm/ADT/StringMap.h"

#include <optional>

namespace deepseek::onnx_import {

class GraphImporter;

class NodeContext {
public:
  NodeContext(GraphImporter &importer, const onnx::NodeProto &node, mlir::Location loc);

  const onnx::NodeProto &node() const { return node_; }
  mlir::OpBuilder &builder();
  mlir::Location loc() const { return loc_; }
  mlir::MLIRContext *context() const { return loc_.getContext(); }

  /// True when input |i| exists and is not the empty name ONNX uses for an
  /// omitted optional input.
  bool hasInput(unsigned i) const;
  /// Input |i|, or a null value when it is omitted.
  mlir::Value input(unsigned i) const;
  /// The ranked tensor type of input |i| (null when omitted).
  mlir::RankedTensorType inputType(unsigned i) const;
  /// The value of input |i| when it is a constant: an initializer, a Constant
  /// node, or a subgraph of constants that folded at import (Shape -> Gather ->
  /// Concat, as exporters emit). Null otherwise.
  mlir::DenseElementsAttr constantInput(unsigned i) const;
  /// Integer values of constant input |i| (e.g. Reshape's shape); diagnoses a
  /// non-constant or non-integer input.
  mlir::FailureOr<llvm::SmallVector<int64_t>> constantInts(unsigned i) const;
  /// The single value of constant scalar input |i| (e.g. Clip's min).
  mlir::FailureOr<float> constantFloatScalar(unsigned i) const;

  bool hasAttr(llvm::StringRef name) const;
  int64_t attrInt(llvm::StringRef name, int64_t defaultValue) const;
  float attrFloat(llvm::StringRef name, float defaultValue) const;
  std::string attrString(llvm::StringRef name, llvm::StringRef defaultValue) const;
  std::optional<llvm::SmallVector<int64_t>> attrInts(llvm::StringRef name) const;
  std::optional<llvm::SmallVector<float>> attrFloats(llvm::StringRef name) const;
  std::optional<llvm::SmallVector<std::string>> attrStrings(llvm::StringRef name) const;
  const onnx::TensorProto *attrTensor(llvm::StringRef name) const;

  /// The type ONNX shape inference recorded for output |i|, or null.
  mlir::RankedTensorType outputType(unsigned i) const;
  /// True when output |i| exists and something reads it or the graph returns it.
  bool isOutputUsed(unsigned i) const;
  void setOutput(unsigned i, mlir::Value value);
  /// The value already defined for output |i| (by setOutput), or null.
  mlir::Value output(unsigned i) const;
  /// Defines output |i| as a `ds.constant` of |tensor| (Constant nodes).
  mlir::LogicalResult setConstantOutput(unsigned i, const onnx::TensorProto &tensor);
  /// Defines output |i| as a `ds.constant` holding |value|.
  void setConstantOutput(unsigned i, mlir::ElementsAttr value);
  /// |op|'s single result, or the constant it folds to when all its operands are
  /// constants (|op| is then erased); folding here is what collapses shape
  /// subgraphs at import.
  mlir::Value fold(mlir::Operation *op);
  /// Output 0 is fold(|op|).
  void setFoldedOutput(mlir::Operation *op) { setOutput(0, fold(op)); }

  /// Emits |message| at this node and returns failure.
  mlir::LogicalResult error(const llvm::Twine &message) const;

  /// Normalizes an ONNX axis (negative counts from the end) against |rank|.
  mlir::FailureOr<int64_t> normalizeAxis(int64_t axis, int64_t rank) const;

  /// Builds |OpTy| from |args| with inferred result types, checking inference
  /// first: on inconsistent operands the op's diagnostic is reported at this
  /// node and nothing is created.
  template <typename OpTy, typename... Args>
  mlir::FailureOr<OpTy> create(Args &&...args) {
    mlir::OperationState state(loc_, OpTy::getOperationName());
    OpTy::build(builder(), state, mlir::TypeRange(), std::forward<Args>(args)...);
    llvm::SmallVector<mlir::Type> types;
    if (mlir::failed(OpTy::inferReturnTypes(
            context(), loc_, state.operands, state.attributes.getDictionary(context()),
            state.getRawProperties(), state.regions, types)))
      return mlir::failure();
    state.addTypes(types);
    return mlir::cast<OpTy>(builder().create(state));
  }

  /// `create<OpTy>`, then fold(): the value to use.
  template <typename OpTy, typename... Args>
  mlir::FailureOr<mlir::Value> createAndFold(Args &&...args) {
    mlir::FailureOr<OpTy> op = create<OpTy>(std::forward<Args>(args)...);
    if (mlir::failed(op))
      return mlir::failure();
    return fold(*op);
  }

  /// A `ds.constant` of |shape| (a scalar by default) filled with |value| of
  /// floating-point |elementType|: the constants the decompositions need.
  mlir::Value floatConstant(mlir::Type elementType, double value,
                            llvm::ArrayRef<int64_t> shape = {});

  /// |value| with its elements converted to |elementType| by a (folded) ds.cast;
  /// |value| itself when it already has that element type.
  mlir::Value castTo(mlir::Value value, mlir::Type elementType);

  /// createAndFold whose value becomes output 0: most converters.
  template <typename OpTy, typename... Args>
  mlir::LogicalResult createOutput(Args &&...args) {
    mlir::FailureOr<mlir::Value> value = createAndFold<OpTy>(std::forward<Args>(args)...);
    if (mlir::failed(value))
      return mlir::failure();
    setOutput(0, *value);
    return mlir::success();
  }

private:
  const onnx::AttributeProto *findAttr(llvm::StringRef name) const;

  GraphImporter &importer_;
  const onnx::NodeProto &node_;
  mlir::Location loc_;
};

using Converter = mlir::LogicalResult (*)(NodeContext &);

/// ONNX op type (default domain) -> converter.
using ConverterTable = llvm::StringMap<Converter>;

/// Each op family registers its converters (Ops/*.cpp).
void registerElementwiseConverters(ConverterTable &table);
void registerNeuralNetworkConverters(ConverterTable &table);
void registerShapeConverters(ConverterTable &table);
void registerReductionConverters(ConverterTable &table);
void registerQuantizationConverters(ConverterTable &table);
void registerEinsumConverter(ConverterTable &table);
void registerRecurrentConverters(ConverterTable &table);

/// All converters, built once.
const ConverterTable &converters();

} // namespace deepseek::onnx_import

#endif // DEEPSEEK_LIB_IMPORT_ONNX_NODECONTEXT_H
