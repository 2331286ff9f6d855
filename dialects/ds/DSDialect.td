//===- DSDialect.td - the ds dialect definition -------------*- tablegen -*-===//
//
// The graph-level dialect every deepseek importer produces and every later stage
// consumes: one op per operator a model contains, value semantics on ranked tensors.
//
//===----------------------------------------------------------------------===//

#ifndef DEEPSEEK_DS_DIALECT_TD
#define DEEPSEEK_DS_DIALECT_TD

include "mlir/IR/OpBase.td"
include "mlir/IR/AttrTypeBase.td"

def DS_Dialect : Dialect {
  let name = "ds";
  let cppNamespace = "::mlir::ds";
  let summary = "Graph-level neural-network operators for the deepseek compiler";
  let description = [{
    The `ds` dialect holds an imported model as one function on ranked tensors.
    Its ops mirror the operators models contain (convolution, GEMM, elementwise
    math, pooling, normalization, reductions, data movement, quantization) at the
    level of ONNX or TorchScript, with these conventions:

    * Every attribute is normalized at import: axes are non-negative, padding is
      explicit (`pads = [begin..., end...]`), and nothing depends on run-time values
      except tensor contents and dynamic (`?`) dimensions.
    * Result types are inferred from operands and attributes (broadcasting,
      convolution and pooling arithmetic); a written result type must agree with the
      inferred one, where a static dimension refines a dynamic one.
    * Weights are `ds.constant` ops holding `dense_resource` blobs, so a large model
      prints as small text with its bytes in the resource section.
    * Convolution, GEMM and MatMul carry a fused epilogue: an optional `bias`, an
      optional `residual` tensor added to the result, and an optional activation
      (`#ds.act<...>`). An unfused op simply has none of them. The fusion passes
      fill them in; the lowering reads them.
    * Integer tensors may be signless (ONNX's signed integers) or unsigned (ONNX
      uint8 ...); division, remainder, min/max and comparisons follow the
      signedness of the type.
    * Quantized tensors use the upstream `quant` dialect's types
      (`!quant.uniform<i8:f32, 0.1:3>`, per-axis for weights).
  }];
  let dependentDialects = ["::mlir::quant::QuantDialect"];
  let useDefaultAttributePrinterParser = 1;
  let hasConstantMaterializer = 1;
}

class DS_Op<string mnemonic, list<Trait> traits = []> :
    Op<DS_Dialect, mnemonic, traits>;

#endif // DEEPSEEK_DS_DIALECT_TD
