//===- DSOps.td - ds dialect operations ----------------------*- tablegen -*-===//
//
// The graph-level operators of the ds dialect, grouped by family. Every op has a
// summary, an example, and result-type inference; shape checks live in the C++
// inference functions (lib/Dialect/DS/IR/*Ops.cpp) so a builder and the verifier
// agree on what is valid.
//
//===----------------------------------------------------------------------===//

#ifndef DEEPSEEK_DS_OPS_TD
#define DEEPSEEK_DS_OPS_TD

include "DSDialect.td"
include "DSAttrs.td"
include "mlir/Dialect/Quant/IR/QuantBase.td"
include "mlir/Interfaces/InferTypeOpInterface.td"
include "mlir/Interfaces/SideEffectInterfaces.td"

//===----------------------------------------------------------------------===//
// Type constraints
//===----------------------------------------------------------------------===//

def DS_FloatTensor : RankedTensorOf<[AnyFloat]>;
def DS_IntegerTensor : RankedTensorOf<[AnySignlessInteger]>;
// Integers may be unsigned (ONNX uint8...): like StableHLO, ds keeps the
// signedness in the type and each lowering picks the matching arithmetic.
def DS_NumericTensor : RankedTensorOf<[AnyFloat, AnyInteger]>;
def DS_BoolTensor : RankedTensorOf<[I1]>;
def DS_IndexTensor : RankedTensorOf<[I32, I64]>;
def DS_QuantTensor : RankedTensorOf<[quant_QuantizedType]>;
def DS_CastableTensor : RankedTensorOf<[AnyFloat, AnyInteger]>;
def DS_AnyTensor : RankedTensorOf<[AnyType]>;

//===----------------------------------------------------------------------===//
// Base classes
//===----------------------------------------------------------------------===//

// An op whose result types are computed by a C++ `inferReturnTypes`; a written
// result type may refine a dynamic dimension of the inferred one.
class DS_InferredOp<string mnemonic, list<Trait> traits = []> :
    DS_Op<mnemonic, !listconcat(traits, [Pure, InferTypeOpAdaptorWithIsCompatible])> {
  code isCompatibleDefinition = [{
    bool $cppClass::isCompatibleReturnTypes(::mlir::TypeRange l, ::mlir::TypeRange r) {
      return ::mlir::ds::areCompatibleResultTypes(l, r);
    }
  }];
  let extraClassDefinition = isCompatibleDefinition;
}

// One tensor in, one tensor of the same type out, applied per element.
class DS_UnaryOp<string mnemonic, Type tensorType, list<Trait> traits = []> :
    DS_Op<mnemonic, !listconcat(traits, [Pure, SameOperandsAndResultType])> {
  let arguments = (ins tensorType:$input);
  let results = (outs tensorType:$output);
  let assemblyFormat = "$input attr-dict `:` type($input)";
}

// Two tensors in with numpy-style (multidirectional) broadcasting, one out.
// `resultElementType` empty: the operands' element type; otherwise that type.
class DS_BroadcastOp<string mnemonic, Type operandType, Type resultType,
                     string resultElementType = "",
                     list<Trait> traits = []> :
    DS_InferredOp<mnemonic, traits> {
  let arguments = (ins operandType:$lhs, operandType:$rhs);
  let results = (outs resultType:$output);
  let assemblyFormat =
      "$lhs `,` $rhs attr-dict `:` functional-type(operands, results)";
  // Folds constant operands (shape arithmetic); ElementwiseOps.cpp.
  let hasFolder = 1;
  let extraClassDefinition = isCompatibleDefinition # [{
    ::llvm::LogicalResult $cppClass::inferReturnTypes(
        ::mlir::MLIRContext *context, std::optional<::mlir::Location> location,
        Adaptor adaptor, ::llvm::SmallVectorImpl<::mlir::Type> &inferred) {
      ::mlir::Type resultElementType = }] #
        !if(!empty(resultElementType), "nullptr", resultElementType) # [{;
      return ::mlir::ds::inferBroadcastResult(
          location, getOperationName(),
          {adaptor.getLhs().getType(), adaptor.getRhs().getType()},
          resultElementType, inferred);
    }
  }];
}

//===----------------------------------------------------------------------===//
// Constants and identity
//===----------------------------------------------------------------------===//

def DS_ConstantOp : DS_Op<"constant",
    [ConstantLike, Pure, AllTypesMatch<["value", "output"]>]> {
  let summary = "a constant tensor (weights, shapes, scalars)";
  let description = [{
    Holds a tensor literal. Weights are `dense_resource` blobs, kept out of the
    textual IR; small constants may be `dense` literals.

    ```mlir
    %w = ds.constant dense_resource<conv1_weight> : tensor<64x3x7x7xf32>
    %s = ds.constant dense<[1, 2048]> : tensor<2xi64>
    ```
  }];
  let arguments = (ins ElementsAttr:$value);
  let results = (outs DS_AnyTensor:$output);
  let assemblyFormat = "attr-dict $value";
  let hasFolder = 1;
}

def DS_IdentityOp : DS_UnaryOp<"identity", DS_AnyTensor> {
  let summary = "returns its input unchanged";
  let description = [{
    ```mlir
    %y = ds.identity %x : tensor<1x64xf32>
    ```
    Folds away; exists so importers can map ONNX `Identity` one to one.
  }];
  let hasFolder = 1;
}

//===----------------------------------------------------------------------===//
// Elementwise unary
//===----------------------------------------------------------------------===//

def DS_SqrtOp : DS_UnaryOp<"sqrt", DS_FloatTensor> {
  let summary = "square root, per element";
  let description = "```mlir\n%y = ds.sqrt %x : tensor<4xf32>\n```";
}
def DS_ExpOp : DS_UnaryOp<"exp", DS_FloatTensor> {
  let summary = "e raised to each element";
  let description = "```mlir\n%y = ds.exp %x : tensor<4xf32>\n```";
}
def DS_LogOp : DS_UnaryOp<"log", DS_FloatTensor> {
  let summary = "natural logarithm, per element";
  let description = "```mlir\n%y = ds.log %x : tensor<4xf32>\n```";
}
def DS_ErfOp : DS_UnaryOp<"erf", DS_FloatTensor> {
  let summary = "Gauss error function, per element";
  let description = "```mlir\n%y = ds.erf %x : tensor<4xf32>\n```";
}
def DS_TanhOp : DS_UnaryOp<"tanh", DS_FloatTensor> {
  let summary = "hyperbolic tangent, per element";
  let description = "```mlir\n%y = ds.tanh %x : tensor<4xf32>\n```";
}
def DS_SigmoidOp : DS_UnaryOp<"sigmoid", DS_FloatTensor> {
  let summary = "1 / (1 + exp(-x)), per element";
  let description = "```mlir\n%y = ds.sigmoid %x : tensor<4xf32>\n```";
}
def DS_ReluOp : DS_UnaryOp<"relu", DS_NumericTensor> {
  let summary = "max(x, 0), per element";
  let description = "```mlir\n%y = ds.relu %x : tensor<1x64x56x56xf32>\n```";
}
def DS_NegOp : DS_UnaryOp<"neg", DS_NumericTensor> {
  let summary = "-x, per element";
  let description = "```mlir\n%y = ds.neg %x : tensor<4xf32>\n```";
}
def DS_AbsOp : DS_UnaryOp<"abs", DS_NumericTensor> {
  let summary = "|x|, per element";
  let description = "```mlir\n%y = ds.abs %x : tensor<4xf32>\n```";
}
def DS_HardSwishOp : DS_UnaryOp<"hard_swish", DS_FloatTensor> {
  let summary = "x * max(0, min(1, x / 6 + 1 / 2)), per element";
  let description = "```mlir\n%y = ds.hard_swish %x : tensor<1x16x112x112xf32>\n```";
}
def DS_SiluOp : DS_UnaryOp<"silu", DS_FloatTensor> {
  let summary = "x * sigmoid(x) (swish), per element";
  let description = "```mlir\n%y = ds.silu %x : tensor<4xf32>\n```";
}

def DS_CosOp : DS_UnaryOp<"cos", DS_FloatTensor> {
  let summary = "cosine, per element";
  let description = "```mlir\n%y = ds.cos %x : tensor<4xf32>\n```";
}
def DS_SinOp : DS_UnaryOp<"sin", DS_FloatTensor> {
  let summary = "sine, per element";
  let description = "```mlir\n%y = ds.sin %x : tensor<4xf32>\n```";
}
def DS_TanOp : DS_UnaryOp<"tan", DS_FloatTensor> {
  let summary = "tangent, per element";
  let description = "```mlir\n%y = ds.tan %x : tensor<4xf32>\n```";
}
def DS_AcosOp : DS_UnaryOp<"acos", DS_FloatTensor> {
  let summary = "arc cosine, per element";
  let description = "```mlir\n%y = ds.acos %x : tensor<4xf32>\n```";
}
def DS_AsinOp : DS_UnaryOp<"asin", DS_FloatTensor> {
  let summary = "arc sine, per element";
  let description = "```mlir\n%y = ds.asin %x : tensor<4xf32>\n```";
}
def DS_AtanOp : DS_UnaryOp<"atan", DS_FloatTensor> {
  let summary = "arc tangent, per element";
  let description = "```mlir\n%y = ds.atan %x : tensor<4xf32>\n```";
}
def DS_CoshOp : DS_UnaryOp<"cosh", DS_FloatTensor> {
  let summary = "hyperbolic cosine, per element";
  let description = "```mlir\n%y = ds.cosh %x : tensor<4xf32>\n```";
}
def DS_SinhOp : DS_UnaryOp<"sinh", DS_FloatTensor> {
  let summary = "hyperbolic sine, per element";
  let description = "```mlir\n%y = ds.sinh %x : tensor<4xf32>\n```";
}
def DS_AcoshOp : DS_UnaryOp<"acosh", DS_FloatTensor> {
  let summary = "inverse hyperbolic cosine, per element";
  let description = "```mlir\n%y = ds.acosh %x : tensor<4xf32>\n```";
}
def DS_AsinhOp : DS_UnaryOp<"asinh", DS_FloatTensor> {
  let summary = "inverse hyperbolic sine, per element";
  let description = "```mlir\n%y = ds.asinh %x : tensor<4xf32>\n```";
}
def DS_AtanhOp : DS_UnaryOp<"atanh", DS_FloatTensor> {
  let summary = "inverse hyperbolic tangent, per element";
  let description = "```mlir\n%y = ds.atanh %x : tensor<4xf32>\n```";
}
def DS_CeilOp : DS_UnaryOp<"ceil", DS_FloatTensor> {
  let summary = "smallest integer value not below x, per element";
  let description = "```mlir\n%y = ds.ceil %x : tensor<4xf32>\n```";
}
def DS_FloorOp : DS_UnaryOp<"floor", DS_FloatTensor> {
  let summary = "largest integer value not above x, per element";
  let description = "```mlir\n%y = ds.floor %x : tensor<4xf32>\n```";
}
def DS_RoundOp : DS_UnaryOp<"round", DS_FloatTensor> {
  let summary = "x rounded to the nearest integer, halves to even, per element";
  let description = "```mlir\n%y = ds.round %x : tensor<4xf32>\n```";
}
def DS_ReciprocalOp : DS_UnaryOp<"reciprocal", DS_FloatTensor> {
  let summary = "1 / x, per element";
  let description = "```mlir\n%y = ds.reciprocal %x : tensor<4xf32>\n```";
}
def DS_SignOp : DS_UnaryOp<"sign", DS_NumericTensor> {
  let summary = "-1, 0 or 1 by the sign of x, per element";
  let description = "```mlir\n%y = ds.sign %x : tensor<4xf32>\n```";
}
def DS_SoftplusOp : DS_UnaryOp<"softplus", DS_FloatTensor> {
  let summary = "log(1 + exp(x)), per element";
  let description = "```mlir\n%y = ds.softplus %x : tensor<4xf32>\n```";
}
def DS_SoftsignOp : DS_UnaryOp<"softsign", DS_FloatTensor> {
  let summary = "x / (1 + |x|), per element";
  let description = "```mlir\n%y = ds.softsign %x : tensor<4xf32>\n```";
}
def DS_MishOp : DS_UnaryOp<"mish", DS_FloatTensor> {
  let summary = "x * tanh(softplus(x)), per element";
  let description = "```mlir\n%y = ds.mish %x : tensor<4xf32>\n```";
}
def DS_NotOp : DS_UnaryOp<"not", DS_BoolTensor> {
  let summary = "logical negation of a boolean tensor";
  let description = "```mlir\n%y = ds.not %x : tensor<4xi1>\n```";
}

def DS_EluOp : DS_UnaryOp<"elu", DS_FloatTensor> {
  let summary = "x if x > 0 else alpha * (exp(x) - 1)";
  let description = "```mlir\n%y = ds.elu %x {alpha = 1.0 : f32} : tensor<4xf32>\n```";
  let arguments = (ins DS_FloatTensor:$input, DefaultValuedAttr<F32Attr, "1.0f">:$alpha);
}

def DS_SeluOp : DS_UnaryOp<"selu", DS_FloatTensor> {
  let summary = "gamma * (x if x > 0 else alpha * (exp(x) - 1))";
  let description = "```mlir\n%y = ds.selu %x : tensor<4xf32>\n```";
  let arguments = (ins DS_FloatTensor:$input,
      DefaultValuedAttr<F32Attr, "1.67326319217681884765625f">:$alpha,
      DefaultValuedAttr<F32Attr, "1.05070102214813232421875f">:$gamma);
}

def DS_CeluOp : DS_UnaryOp<"celu", DS_FloatTensor> {
  let summary = "max(0, x) + min(0, alpha * (exp(x / alpha) - 1))";
  let description = "```mlir\n%y = ds.celu %x {alpha = 1.0 : f32} : tensor<4xf32>\n```";
  let arguments = (ins DS_FloatTensor:$input, DefaultValuedAttr<F32Attr, "1.0f">:$alpha);
}

def DS_ThresholdedReluOp : DS_UnaryOp<"thresholded_relu", DS_FloatTensor> {
  let summary = "x if x > alpha else 0";
  let description = "```mlir\n%y = ds.thresholded_relu %x {alpha = 1.0 : f32} : tensor<4xf32>\n```";
  let arguments = (ins DS_FloatTensor:$input, DefaultValuedAttr<F32Attr, "1.0f">:$alpha);
}

def DS_GeluOp : DS_UnaryOp<"gelu", DS_FloatTensor> {
  let summary = "Gaussian error linear unit, exact or tanh-approximated";
  let description = [{
    `approximate = none` computes `0.5 x (1 + erf(x / sqrt(2)))`; `tanh` computes
    `0.5 x (1 + tanh(sqrt(2 / pi) (x + 0.044715 x^3)))`.

    ```mlir
    %y = ds.gelu %x : tensor<1x128x3072xf32>
    %z = ds.gelu %x {approximate = #ds<gelu_approximation tanh>} : tensor<1x128x3072xf32>
    ```
  }];
  let arguments = (ins DS_FloatTensor:$input,
      DefaultValuedAttr<DS_GeluApproximationAttr, "GeluApproximation::None">:$approximate);
}

def DS_LeakyReluOp : DS_UnaryOp<"leaky_relu", DS_FloatTensor> {
  let summary = "x if x >= 0 else alpha * x";
  let description = "```mlir\n%y = ds.leaky_relu %x {alpha = 0.1 : f32} : tensor<4xf32>\n```";
  let arguments = (ins DS_FloatTensor:$input, DefaultValuedAttr<F32Attr, "0.01f">:$alpha);
}

def DS_ClipOp : DS_UnaryOp<"clip", DS_FloatTensor> {
  let summary = "clamps each element into [min, max]";
  let description = [{
    Either bound may be absent (no clamping on that side). Relu6 is `clip` with
    `min = 0.0, max = 6.0`.

    ```mlir
    %y = ds.clip %x {max = 6.0 : f32, min = 0.0 : f32} : tensor<1x32x112x112xf32>
    ```
  }];
  let arguments = (ins DS_FloatTensor:$input, OptionalAttr<F32Attr>:$min,
                       OptionalAttr<F32Attr>:$max);
  let hasVerifier = 1;
}

def DS_HardSigmoidOp : DS_UnaryOp<"hard_sigmoid", DS_FloatTensor> {
  let summary = "max(0, min(1, alpha * x + beta))";
  let description = "```mlir\n%y = ds.hard_sigmoid %x {alpha = 0.1666 : f32, beta = 0.5 : f32} : tensor<4xf32>\n```";
  let arguments = (ins DS_FloatTensor:$input,
      DefaultValuedAttr<F32Attr, "0.2f">:$alpha, DefaultValuedAttr<F32Attr, "0.5f">:$beta);
}


class DS_FloatPredicateOp<string mnemonic, string what> : DS_Op<mnemonic, [Pure]> {
  let summary = "i1 per element: whether x is " # what;
  let description = "```mlir\n%m = ds." # mnemonic # " %x : tensor<4xf32> -> tensor<4xi1>\n```";
  let arguments = (ins DS_FloatTensor:$input);
  let results = (outs DS_BoolTensor:$output);
  let assemblyFormat = "$input attr-dict `:` type($input) `->` type($output)";
  let hasVerifier = 1;
}
def DS_IsNaNOp : DS_FloatPredicateOp<"is_nan", "NaN">;
def DS_IsInfOp : DS_FloatPredicateOp<"is_inf", "infinite (selected by detect_positive / detect_negative)"> {
  let arguments = (ins DS_FloatTensor:$input,
                       DefaultValuedAttr<BoolAttr, "true">:$detect_positive,
                       DefaultValuedAttr<BoolAttr, "true">:$detect_negative);
}

def DS_CastOp : DS_Op<"cast", [Pure]> {
  let summary = "converts each element to another element type";
  let description = [{
    Float to integer conversion truncates toward zero (ONNX `Cast`); conversion to
    `i1` yields `x != 0`. Unsigned integer types (ONNX uint8...) are accepted
    here, and only here: cast is where a value's signedness changes.

    ```mlir
    %y = ds.cast %x : tensor<4xi64> to tensor<4xf32>
    ```
  }];
  let arguments = (ins DS_CastableTensor:$input);
  let results = (outs DS_CastableTensor:$output);
  let assemblyFormat = "$input attr-dict `:` type($input) `to` type($output)";
  let hasVerifier = 1;
  let hasFolder = 1;
}

//===----------------------------------------------------------------------===//
// Elementwise binary and ternary (broadcasting)
//===----------------------------------------------------------------------===//

def DS_AddOp : DS_BroadcastOp<"add", DS_NumericTensor, DS_NumericTensor, "", [Commutative]> {
  let summary = "lhs + rhs, broadcasting";
  let description = "```mlir\n%y = ds.add %a, %b : (tensor<1x64xf32>, tensor<64xf32>) -> tensor<1x64xf32>\n```";
}
def DS_SubOp : DS_BroadcastOp<"sub", DS_NumericTensor, DS_NumericTensor> {
  let summary = "lhs - rhs, broadcasting";
  let description = "```mlir\n%y = ds.sub %a, %b : (tensor<2x3xf32>, tensor<3xf32>) -> tensor<2x3xf32>\n```";
}
def DS_MulOp : DS_BroadcastOp<"mul", DS_NumericTensor, DS_NumericTensor, "", [Commutative]> {
  let summary = "lhs * rhs, broadcasting";
  let description = "```mlir\n%y = ds.mul %a, %b : (tensor<2x3xf32>, tensor<2x1xf32>) -> tensor<2x3xf32>\n```";
}
def DS_DivOp : DS_BroadcastOp<"div", DS_NumericTensor, DS_NumericTensor> {
  let summary = "lhs / rhs, broadcasting (integer division truncates)";
  let description = "```mlir\n%y = ds.div %a, %b : (tensor<2x3xf32>, tensor<f32>) -> tensor<2x3xf32>\n```";
}
def DS_PowOp : DS_BroadcastOp<"pow", DS_FloatTensor, DS_FloatTensor> {
  let summary = "lhs raised to rhs, broadcasting";
  let description = "```mlir\n%y = ds.pow %a, %b : (tensor<2x3xf32>, tensor<f32>) -> tensor<2x3xf32>\n```";
}
def DS_MinOp : DS_BroadcastOp<"min", DS_NumericTensor, DS_NumericTensor, "", [Commutative]> {
  let summary = "smaller of lhs and rhs, broadcasting";
  let description = "```mlir\n%y = ds.min %a, %b : (tensor<4xf32>, tensor<4xf32>) -> tensor<4xf32>\n```";
}
def DS_MaxOp : DS_BroadcastOp<"max", DS_NumericTensor, DS_NumericTensor, "", [Commutative]> {
  let summary = "larger of lhs and rhs, broadcasting";
  let description = "```mlir\n%y = ds.max %a, %b : (tensor<4xf32>, tensor<4xf32>) -> tensor<4xf32>\n```";
}
def DS_EqualOp : DS_BroadcastOp<"equal", DS_NumericTensor, DS_BoolTensor,
    "::mlir::IntegerType::get(context, 1)", [Commutative]> {
  let summary = "lhs == rhs, broadcasting, as i1";
  let description = "```mlir\n%y = ds.equal %a, %b : (tensor<4xi64>, tensor<i64>) -> tensor<4xi1>\n```";
}
def DS_LessOp : DS_BroadcastOp<"less", DS_NumericTensor, DS_BoolTensor,
    "::mlir::IntegerType::get(context, 1)"> {
  let summary = "lhs < rhs, broadcasting, as i1";
  let description = "```mlir\n%y = ds.less %a, %b : (tensor<4xf32>, tensor<4xf32>) -> tensor<4xi1>\n```";
}
def DS_GreaterOp : DS_BroadcastOp<"greater", DS_NumericTensor, DS_BoolTensor,
    "::mlir::IntegerType::get(context, 1)"> {
  let summary = "lhs > rhs, broadcasting, as i1";
  let description = "```mlir\n%y = ds.greater %a, %b : (tensor<4xf32>, tensor<4xf32>) -> tensor<4xi1>\n```";
}

def DS_PReluOp : DS_BroadcastOp<"prelu", DS_FloatTensor, DS_FloatTensor> {
  let summary = "x if x >= 0 else slope * x, with the slope broadcasting";
  let description = "```mlir\n%y = ds.prelu %x, %slope : (tensor<1x8x4x4xf32>, tensor<8x1x1xf32>) -> tensor<1x8x4x4xf32>\n```";
}
def DS_ModOp : DS_BroadcastOp<"mod", DS_NumericTensor, DS_NumericTensor> {
  let summary = "remainder: the divisor's sign for integers, fmod (the dividend's sign) with `fmod`";
  let description = "```mlir\n%y = ds.mod %a, %b {fmod = true} : (tensor<4xf32>, tensor<4xf32>) -> tensor<4xf32>\n```";
  let arguments = (ins DS_NumericTensor:$lhs, DS_NumericTensor:$rhs,
                       DefaultValuedAttr<BoolAttr, "false">:$fmod);
}
def DS_LessOrEqualOp : DS_BroadcastOp<"less_or_equal", DS_NumericTensor, DS_BoolTensor,
    "::mlir::IntegerType::get(context, 1)"> {
  let summary = "lhs <= rhs, broadcasting, as i1";
  let description = "```mlir\n%y = ds.less_or_equal %a, %b : (tensor<4xf32>, tensor<4xf32>) -> tensor<4xi1>\n```";
}
def DS_GreaterOrEqualOp : DS_BroadcastOp<"greater_or_equal", DS_NumericTensor, DS_BoolTensor,
    "::mlir::IntegerType::get(context, 1)"> {
  let summary = "lhs >= rhs, broadcasting, as i1";
  let description = "```mlir\n%y = ds.greater_or_equal %a, %b : (tensor<4xf32>, tensor<4xf32>) -> tensor<4xi1>\n```";
}
def DS_IntegerTensorAny : RankedTensorOf<[AnyInteger]>;
def DS_ShiftLeftOp : DS_BroadcastOp<"shift_left", DS_IntegerTensorAny, DS_IntegerTensorAny> {
  let summary = "lhs shifted left by rhs bits, broadcasting";
  let description = "```mlir\n%y = ds.shift_left %a, %b : (tensor<3xui8>, tensor<3xui8>) -> tensor<3xui8>\n```";
}
def DS_ShiftRightOp : DS_BroadcastOp<"shift_right", DS_IntegerTensorAny, DS_IntegerTensorAny> {
  let summary = "lhs shifted right by rhs bits (logical for unsigned types), broadcasting";
  let description = "```mlir\n%y = ds.shift_right %a, %b : (tensor<3xui8>, tensor<3xui8>) -> tensor<3xui8>\n```";
}
def DS_AndOp : DS_BroadcastOp<"and", DS_BoolTensor, DS_BoolTensor, "", [Commutative]> {
  let summary = "logical and of boolean tensors, broadcasting";
  let description = "```mlir\n%y = ds.and %a, %b : (tensor<4xi1>, tensor<4xi1>) -> tensor<4xi1>\n```";
}
def DS_OrOp : DS_BroadcastOp<"or", DS_BoolTensor, DS_BoolTensor, "", [Commutative]> {
  let summary = "logical or of boolean tensors, broadcasting";
  let description = "```mlir\n%y = ds.or %a, %b : (tensor<4xi1>, tensor<4xi1>) -> tensor<4xi1>\n```";
}
def DS_XorOp : DS_BroadcastOp<"xor", DS_BoolTensor, DS_BoolTensor, "", [Commutative]> {
  let summary = "logical exclusive or of boolean tensors, broadcasting";
  let description = "```mlir\n%y = ds.xor %a, %b : (tensor<4xi1>, tensor<4xi1>) -> tensor<4xi1>\n```";
}

def DS_WhereOp : DS_InferredOp<"where"> {
  let summary = "picks from true_value where condition holds, else false_value";
  let description = [{
    All three operands broadcast together.

    ```mlir
    %y = ds.where %c, %a, %b : (tensor<1x1x128x128xi1>, tensor<f32>, tensor<1x12x128x128xf32>) -> tensor<1x12x128x128xf32>
    ```
  }];
  let arguments = (ins DS_BoolTensor:$condition, DS_AnyTensor:$true_value,
                       DS_AnyTensor:$false_value);
  let results = (outs DS_AnyTensor:$output);
  let assemblyFormat = [{
    $condition `,` $true_value `,` $false_value attr-dict `:` functional-type(operands, results)
  }];
  let hasFolder = 1;
}

//===----------------------------------------------------------------------===//
// Convolution, GEMM, MatMul (with fused epilogues) and batch normalization
//===----------------------------------------------------------------------===//

def DS_ConvOp : DS_InferredOp<"conv", [AttrSizedOperandSegments]> {
  let summary = "1-D, 2-D or 3-D convolution with an optional fused epilogue";
  let description = [{
    `input` is `N x C x spatial...`, `weight` is `M x C/group x kernel...`. `pads`
    holds the begin paddings of every spatial dimension, then the end paddings
    (ONNX order). The result is

    `output = activation(conv(input, weight) + bias + residual)`

    where `bias` (shape `M`), `residual` (the output's shape) and `activation` are
    optional; an unfused convolution has none of them. Integer operands
    (ConvInteger's i32 values) compute in their type; activations need floating
    point.

    ```mlir
    %y = ds.conv %x, %w bias %b residual %skip {activation = #ds.act<relu>,
                 dilations = array<i64: 1, 1>, pads = array<i64: 1, 1, 1, 1>,
                 strides = array<i64: 1, 1>}
       : (tensor<1x64x56x56xf32>, tensor<64x64x3x3xf32>, tensor<64xf32>,
          tensor<1x64x56x56xf32>) -> tensor<1x64x56x56xf32>
    ```
  }];
  let arguments = (ins DS_NumericTensor:$input, DS_NumericTensor:$weight,
      Optional<DS_NumericTensor>:$bias, Optional<DS_NumericTensor>:$residual,
      DenseI64ArrayAttr:$strides, DenseI64ArrayAttr:$pads,
      DenseI64ArrayAttr:$dilations, DefaultValuedAttr<I64Attr, "1">:$group,
      OptionalAttr<DS_ActivationAttr>:$activation);
  let results = (outs DS_NumericTensor:$output);
  let assemblyFormat = [{
    $input `,` $weight (`bias` $bias^)? (`residual` $residual^)? attr-dict
    `:` functional-type(operands, results)
  }];
}

def DS_ConvTransposeOp : DS_InferredOp<"conv_transpose"> {
  let summary = "1-D, 2-D or 3-D transposed convolution";
  let description = [{
    `input` is `N x C x spatial...`, `weight` is `C x M/group x kernel...`. Each
    output size is `stride * (in - 1) + output_padding + (kernel - 1) * dilation + 1
    - pad_begin - pad_end`.

    ```mlir
    %y = ds.conv_transpose %x, %w {dilations = array<i64: 1, 1>,
           output_padding = array<i64: 0, 0>, pads = array<i64: 0, 0, 0, 0>,
           strides = array<i64: 2, 2>}
       : (tensor<1x8x4x4xf32>, tensor<8x4x2x2xf32>) -> tensor<1x4x8x8xf32>
    ```
  }];
  let arguments = (ins DS_FloatTensor:$input, DS_FloatTensor:$weight,
      Optional<DS_FloatTensor>:$bias, DenseI64ArrayAttr:$strides,
      DenseI64ArrayAttr:$pads, DenseI64ArrayAttr:$dilations,
      DenseI64ArrayAttr:$output_padding, DefaultValuedAttr<I64Attr, "1">:$group);
  let results = (outs DS_FloatTensor:$output);
  let assemblyFormat = [{
    $input `,` $weight (`bias` $bias^)? attr-dict `:` functional-type(operands, results)
  }];
}

def DS_BatchNormOp : DS_InferredOp<"batch_norm"> {
  let summary = "inference-mode batch normalization over channel dimension 1";
  let description = [{
    `output = (input - mean) / sqrt(variance + epsilon) * scale + bias`, with the
    four parameter tensors of shape `C`.

    ```mlir
    %y = ds.batch_norm %x, %scale, %bias, %mean, %var {epsilon = 1.0e-05 : f32}
       : (tensor<1x64x56x56xf32>, tensor<64xf32>, tensor<64xf32>, tensor<64xf32>,
          tensor<64xf32>) -> tensor<1x64x56x56xf32>
    ```
  }];
  let arguments = (ins DS_FloatTensor:$input, DS_FloatTensor:$scale,
      DS_FloatTensor:$bias, DS_FloatTensor:$mean, DS_FloatTensor:$variance,
      DefaultValuedAttr<F32Attr, "1e-5f">:$epsilon);
  let results = (outs DS_FloatTensor:$output);
  let assemblyFormat = [{
    $input `,` $scale `,` $bias `,` $mean `,` $variance attr-dict
    `:` functional-type(operands, results)
  }];
}

def DS_GemmOp : DS_InferredOp<"gemm", [AttrSizedOperandSegments]> {
  let summary = "general matrix multiply with an optional fused epilogue";
  let description = [{
    `output = activation(alpha * op(a) * op(b) + beta * c + residual)` with
    `op(x) = x^T` when `trans_a`/`trans_b` is set; `c` broadcasts to `M x N`.

    ```mlir
    %y = ds.gemm %x, %w bias %b {trans_b = true}
       : (tensor<1x2048xf32>, tensor<1000x2048xf32>, tensor<1000xf32>) -> tensor<1x1000xf32>
    ```
  }];
  let arguments = (ins DS_FloatTensor:$a, DS_FloatTensor:$b,
      Optional<DS_FloatTensor>:$c, Optional<DS_FloatTensor>:$residual,
      DefaultValuedAttr<F32Attr, "1.0f">:$alpha, DefaultValuedAttr<F32Attr, "1.0f">:$beta,
      DefaultValuedAttr<BoolAttr, "false">:$trans_a,
      DefaultValuedAttr<BoolAttr, "false">:$trans_b,
      OptionalAttr<DS_ActivationAttr>:$activation);
  let results = (outs DS_FloatTensor:$output);
  let assemblyFormat = [{
    $a `,` $b (`bias` $c^)? (`residual` $residual^)? attr-dict
    `:` functional-type(operands, results)
  }];
}

def DS_MatMulOp : DS_InferredOp<"matmul", [AttrSizedOperandSegments]> {
  let summary = "batched, broadcasting matrix product with an optional fused epilogue";
  let description = [{
    numpy `matmul` semantics: 1-D operands are promoted to matrices (and the
    added dimension removed again), batch dimensions broadcast. Then
    `output = activation(lhs @ rhs + bias + residual)`, where `bias` and
    `residual` broadcast to the result. Integer operands (MatMulInteger's
    zero-point-corrected i32 values) compute in their type; activations need
    floating point.

    ```mlir
    %y = ds.matmul %q, %k : (tensor<1x12x128x64xf32>, tensor<1x12x64x128xf32>) -> tensor<1x12x128x128xf32>
    ```
  }];
  let arguments = (ins DS_NumericTensor:$lhs, DS_NumericTensor:$rhs,
      Optional<DS_NumericTensor>:$bias, Optional<DS_NumericTensor>:$residual,
      OptionalAttr<DS_ActivationAttr>:$activation);
  let results = (outs DS_NumericTensor:$output);
  let assemblyFormat = [{
    $lhs `,` $rhs (`bias` $bias^)? (`residual` $residual^)? attr-dict
    `:` functional-type(operands, results)
  }];
}

//===----------------------------------------------------------------------===//
// Pooling
//===----------------------------------------------------------------------===//

def DS_MaxPoolOp : DS_InferredOp<"max_pool"> {
  let summary = "max pooling over the spatial dimensions";
  let description = [{
    A tensor quantized per tensor (scale > 0) pools its integer storage:
    dequantization is increasing, so the maximum commutes with it
    (`ds-fuse-quantized-convs` makes such pools from a QDQ model's
    dequantize -> max pool -> quantize with the same parameters).

    ```mlir
    %y = ds.max_pool %x {dilations = array<i64: 1, 1>, kernel_shape = array<i64: 3, 3>,
                         pads = array<i64: 1, 1, 1, 1>, strides = array<i64: 2, 2>}
       : (tensor<1x64x112x112xf32>) -> tensor<1x64x56x56xf32>
    ```
  }];
  let arguments = (ins AnyTypeOf<[DS_NumericTensor, DS_QuantTensor]>:$input,
      DenseI64ArrayAttr:$kernel_shape, DenseI64ArrayAttr:$strides, DenseI64ArrayAttr:$pads,
      DenseI64ArrayAttr:$dilations, DefaultValuedAttr<BoolAttr, "false">:$ceil_mode);
  let results = (outs AnyTypeOf<[DS_NumericTensor, DS_QuantTensor]>:$output);
  let assemblyFormat = "$input attr-dict `:` functional-type(operands, results)";
}

def DS_AveragePoolOp : DS_InferredOp<"average_pool"> {
  let summary = "average pooling over the spatial dimensions";
  let description = [{
    With `count_include_pad = false` (the default) padded positions do not count
    in the divisor.

    ```mlir
    %y = ds.average_pool %x {kernel_shape = array<i64: 2, 2>,
                             pads = array<i64: 0, 0, 0, 0>, strides = array<i64: 2, 2>}
       : (tensor<1x8x4x4xf32>) -> tensor<1x8x2x2xf32>
    ```
  }];
  let arguments = (ins DS_FloatTensor:$input, DenseI64ArrayAttr:$kernel_shape,
      DenseI64ArrayAttr:$strides, DenseI64ArrayAttr:$pads,
      DefaultValuedAttr<BoolAttr, "false">:$ceil_mode,
      DefaultValuedAttr<BoolAttr, "false">:$count_include_pad);
  let results = (outs DS_FloatTensor:$output);
  let assemblyFormat = "$input attr-dict `:` functional-type(operands, results)";
}

class DS_GlobalPoolOp<string mnemonic, string what> : DS_InferredOp<mnemonic> {
  let summary = what # " over all spatial dimensions, keeping them as size 1";
  let description = "```mlir\n%y = ds." # mnemonic #
      " %x : (tensor<1x2048x7x7xf32>) -> tensor<1x2048x1x1xf32>\n```";
  let arguments = (ins DS_FloatTensor:$input);
  let results = (outs DS_FloatTensor:$output);
  let assemblyFormat = "$input attr-dict `:` functional-type(operands, results)";
}
def DS_GlobalAveragePoolOp : DS_GlobalPoolOp<"global_average_pool", "mean">;
def DS_GlobalMaxPoolOp : DS_GlobalPoolOp<"global_max_pool", "maximum">;

//===----------------------------------------------------------------------===//
// Normalization
//===----------------------------------------------------------------------===//

class DS_SoftmaxBase<string mnemonic, string formula> :
    DS_UnaryOp<mnemonic, DS_FloatTensor> {
  let summary = formula # " along one axis";
  let description = "```mlir\n%y = ds." # mnemonic #
      " %x {axis = 3 : i64} : tensor<1x12x128x128xf32>\n```";
  let arguments = (ins DS_FloatTensor:$input, I64Attr:$axis);
  let hasVerifier = 1;
}
def DS_SoftmaxOp : DS_SoftmaxBase<"softmax", "exp(x) / sum(exp(x))">;
def DS_LogSoftmaxOp : DS_SoftmaxBase<"log_softmax", "log(softmax(x))">;

def DS_LayerNormOp : DS_InferredOp<"layer_norm"> {
  let summary = "layer normalization over the dimensions from `axis` on";
  let description = [{
    Normalizes over dimensions `[axis, rank)`: `(x - mean) / sqrt(var + epsilon)
    * scale + bias`, with `scale` and `bias` broadcasting to those dimensions.

    ```mlir
    %y = ds.layer_norm %x, %gamma bias %beta {axis = 2 : i64, epsilon = 9.99999996E-13 : f32}
       : (tensor<1x128x768xf32>, tensor<768xf32>, tensor<768xf32>) -> tensor<1x128x768xf32>
    ```
  }];
  let arguments = (ins DS_FloatTensor:$input, DS_FloatTensor:$scale,
      Optional<DS_FloatTensor>:$bias, I64Attr:$axis,
      DefaultValuedAttr<F32Attr, "1e-5f">:$epsilon);
  let results = (outs DS_FloatTensor:$output);
  let assemblyFormat = [{
    $input `,` $scale (`bias` $bias^)? attr-dict `:` functional-type(operands, results)
  }];
}

def DS_AttentionOp : DS_InferredOp<"attention"> {
  let summary = "scaled dot-product attention";
  let description = [{
    `output = softmax(query @ transpose(key) * scale + mask) @ value`, the
    softmax over the last dimension. `query` is `[..., Sq, D]`, `key`
    `[..., Sk, D]` and `value` `[..., Sk, Dv]` with equal leading (batch, head)
    dimensions; the optional additive `mask` broadcasts to `[..., Sq, Sk]`. The
    result is `[..., Sq, Dv]`. Produced by `ds-recognize-attention` from the
    MatMul/scale/Add/Softmax/MatMul chain exporters emit.

    ```mlir
    %y = ds.attention %q, %k, %v mask %m {scale = 1.250000e-01 : f32}
       : (tensor<1x12x128x64xf32>, tensor<1x12x128x64xf32>, tensor<1x12x128x64xf32>,
          tensor<1x1x1x128xf32>) -> tensor<1x12x128x64xf32>
    ```
  }];
  let arguments = (ins DS_FloatTensor:$query, DS_FloatTensor:$key, DS_FloatTensor:$value,
      Optional<DS_FloatTensor>:$mask, DefaultValuedAttr<F32Attr, "1.0f">:$scale);
  let results = (outs DS_FloatTensor:$output);
  let assemblyFormat = [{
    $query `,` $key `,` $value (`mask` $mask^)? attr-dict `:` functional-type(operands, results)
  }];
}

//===----------------------------------------------------------------------===//
// Reductions
//===----------------------------------------------------------------------===//

class DS_ReduceOp<string mnemonic, string what, Type tensorType> :
    DS_InferredOp<mnemonic> {
  let summary = what # " over `axes` (all dimensions when empty)";
  let description = [{
    `axes` are sorted, unique and non-negative; `keepdims` (default true) keeps
    the reduced dimensions as size 1.

    ```mlir
    %y = ds.}] # mnemonic # [{ %x {axes = array<i64: 2>} : (tensor<1x128x768xf32>) -> tensor<1x128x1xf32>
    ```
  }];
  let arguments = (ins tensorType:$input, DenseI64ArrayAttr:$axes,
                       DefaultValuedAttr<BoolAttr, "true">:$keepdims);
  let results = (outs tensorType:$output);
  let assemblyFormat = "$input attr-dict `:` functional-type(operands, results)";
  let extraClassDefinition = isCompatibleDefinition # [{
    ::llvm::LogicalResult $cppClass::inferReturnTypes(
        ::mlir::MLIRContext *, std::optional<::mlir::Location> location,
        Adaptor adaptor, ::llvm::SmallVectorImpl<::mlir::Type> &inferred) {
      return ::mlir::ds::inferReduceResult(location, getOperationName(),
          adaptor.getInput().getType(), adaptor.getAxes(), adaptor.getKeepdims(),
          /*resultElementType=*/nullptr, inferred);
    }
  }];
}
def DS_ReduceSumOp : DS_ReduceOp<"reduce_sum", "sum", DS_NumericTensor>;
def DS_ReduceMeanOp : DS_ReduceOp<"reduce_mean", "arithmetic mean", DS_FloatTensor>;
def DS_ReduceMaxOp : DS_ReduceOp<"reduce_max", "maximum", DS_NumericTensor>;
def DS_ReduceMinOp : DS_ReduceOp<"reduce_min", "minimum", DS_NumericTensor>;
def DS_ReduceProdOp : DS_ReduceOp<"reduce_prod", "product", DS_NumericTensor>;
def DS_ReduceL2Op : DS_ReduceOp<"reduce_l2", "square root of the sum of squares", DS_FloatTensor>;


class DS_ArgReduceOp<string mnemonic, string what> : DS_InferredOp<mnemonic> {
  let summary = "index of the " # what # " along one axis, as i64";
  let description = [{
    Ties pick the first index, or the last with `select_last_index`.

    ```mlir
    %i = ds.}] # mnemonic # [{ %x {axis = 1 : i64, keepdims = false} : (tensor<1x1000xf32>) -> tensor<1xi64>
    ```
  }];
  let arguments = (ins DS_NumericTensor:$input, I64Attr:$axis,
                       DefaultValuedAttr<BoolAttr, "true">:$keepdims,
                       DefaultValuedAttr<BoolAttr, "false">:$select_last_index);
  let results = (outs RankedTensorOf<[I64]>:$output);
  let assemblyFormat = "$input attr-dict `:` functional-type(operands, results)";
  let extraClassDefinition = isCompatibleDefinition # [{
    ::llvm::LogicalResult $cppClass::inferReturnTypes(
        ::mlir::MLIRContext *context, std::optional<::mlir::Location> location,
        Adaptor adaptor, ::llvm::SmallVectorImpl<::mlir::Type> &inferred) {
      int64_t axis = adaptor.getAxis();
      return ::mlir::ds::inferReduceResult(location, getOperationName(),
          adaptor.getInput().getType(), ::llvm::ArrayRef<int64_t>(axis),
          adaptor.getKeepdims(), ::mlir::IntegerType::get(context, 64), inferred);
    }
  }];
}
def DS_ArgMaxOp : DS_ArgReduceOp<"arg_max", "largest element">;
def DS_ArgMinOp : DS_ArgReduceOp<"arg_min", "smallest element">;

def DS_CumSumOp : DS_Op<"cum_sum", [Pure, SameOperandsAndResultType]> {
  let summary = "running sum along one axis (optionally exclusive and/or reversed)";
  let description = "```mlir\n%y = ds.cum_sum %x {axis = 1 : i64, exclusive = true} : tensor<2x3xf32>\n```";
  let arguments = (ins DS_NumericTensor:$input, I64Attr:$axis,
                       DefaultValuedAttr<BoolAttr, "false">:$exclusive,
                       DefaultValuedAttr<BoolAttr, "false">:$reverse);
  let results = (outs DS_NumericTensor:$output);
  let assemblyFormat = "$input attr-dict `:` type($input)";
  let hasVerifier = 1;
}

def DS_HardmaxOp : DS_SoftmaxBase<"hardmax", "1 at the first maximum, 0 elsewhere,">;

//===----------------------------------------------------------------------===//
// Data movement and shape manipulation
//===----------------------------------------------------------------------===//

def DS_ReshapeOp : DS_Op<"reshape", [Pure]> {
  let summary = "the same elements in row-major order, with another shape";
  let description = [{
    The result type is the new shape; at most one result dimension is dynamic
    when the input has dynamic dimensions.

    ```mlir
    %y = ds.reshape %x : tensor<1x2048x1x1xf32> -> tensor<1x2048xf32>
    ```
  }];
  let arguments = (ins DS_AnyTensor:$input);
  let results = (outs DS_AnyTensor:$output);
  let assemblyFormat = "$input attr-dict `:` type($input) `->` type($output)";
  let hasVerifier = 1;
  let hasFolder = 1;
}

def DS_FlattenOp : DS_InferredOp<"flatten"> {
  let summary = "reshapes to 2-D: dimensions before `axis`, and from `axis` on";
  let description = "```mlir\n%y = ds.flatten %x {axis = 1 : i64} : (tensor<1x512x1x1xf32>) -> tensor<1x512xf32>\n```";
  let arguments = (ins DS_AnyTensor:$input, I64Attr:$axis);
  let results = (outs DS_AnyTensor:$output);
  let assemblyFormat = "$input attr-dict `:` functional-type(operands, results)";
  let hasFolder = 1;
}

def DS_TransposeOp : DS_InferredOp<"transpose"> {
  let summary = "permutes dimensions: result dimension i is input dimension perm[i]";
  let description = "```mlir\n%y = ds.transpose %x {perm = array<i64: 0, 2, 1, 3>} : (tensor<1x128x12x64xf32>) -> tensor<1x12x128x64xf32>\n```";
  let arguments = (ins DS_AnyTensor:$input, DenseI64ArrayAttr:$perm);
  let results = (outs DS_AnyTensor:$output);
  let assemblyFormat = "$input attr-dict `:` functional-type(operands, results)";
  let hasFolder = 1;
}

def DS_ConcatOp : DS_InferredOp<"concat"> {
  let summary = "joins tensors along one axis";
  let description = "```mlir\n%y = ds.concat %a, %b {axis = 1 : i64} : (tensor<1x64x28x28xf32>, tensor<1x64x28x28xf32>) -> tensor<1x128x28x28xf32>\n```";
  let arguments = (ins Variadic<DS_AnyTensor>:$inputs, I64Attr:$axis);
  let results = (outs DS_AnyTensor:$output);
  let assemblyFormat = "$inputs attr-dict `:` functional-type(operands, results)";
  let hasFolder = 1;
}

def DS_SliceOp : DS_InferredOp<"slice"> {
  let summary = "a strided window of a tensor (steps may be negative)";
  let description = [{
    One entry per dimension in `starts`, `ends`, `steps`, normalized at import:
    for a positive step `0 <= start <= end <= dim`, for a negative step
    `-1 <= end <= start <= dim - 1`. Result dimension: `ceil((end - start) / step)`.
    A dynamic input dimension gives a dynamic result dimension.

    ```mlir
    %y = ds.slice %x {ends = array<i64: 1, 4>, starts = array<i64: 0, 1>, steps = array<i64: 1, 2>}
       : (tensor<1x5xf32>) -> tensor<1x2xf32>
    ```
  }];
  let arguments = (ins DS_AnyTensor:$input, DenseI64ArrayAttr:$starts,
      DenseI64ArrayAttr:$ends, DenseI64ArrayAttr:$steps);
  let results = (outs DS_AnyTensor:$output);
  let assemblyFormat = "$input attr-dict `:` functional-type(operands, results)";
  let hasFolder = 1;
}

def DS_SplitOp : DS_InferredOp<"split"> {
  let summary = "cuts a tensor into consecutive pieces along one axis";
  let description = "```mlir\n%a, %b = ds.split %x {axis = 1 : i64, sizes = array<i64: 2, 4>} : (tensor<1x6xf32>) -> (tensor<1x2xf32>, tensor<1x4xf32>)\n```";
  let arguments = (ins DS_AnyTensor:$input, I64Attr:$axis, DenseI64ArrayAttr:$sizes);
  let results = (outs Variadic<DS_AnyTensor>:$outputs);
  let assemblyFormat = "$input attr-dict `:` functional-type(operands, results)";
}

def DS_GatherOp : DS_InferredOp<"gather"> {
  let summary = "picks slices along `axis` by index (negative indices count from the end)";
  let description = [{
    Result shape: `data.shape[:axis] + indices.shape + data.shape[axis+1:]`.

    ```mlir
    %e = ds.gather %table, %ids {axis = 0 : i64} : (tensor<30522x768xf32>, tensor<1x128xi64>) -> tensor<1x128x768xf32>
    ```
  }];
  let arguments = (ins DS_AnyTensor:$data, DS_IndexTensor:$indices, I64Attr:$axis);
  let results = (outs DS_AnyTensor:$output);
  let assemblyFormat = "$data `,` $indices attr-dict `:` functional-type(operands, results)";
  let hasFolder = 1;
}


def DS_GatherElementsOp : DS_InferredOp<"gather_elements"> {
  let summary = "picks one element of `data` along `axis` per element of `indices`";
  let description = [{
    `output[i][j][k] = data[indices[i][j][k]][j][k]` for axis 0 (and alike for
    other axes); the result has the shape of `indices`.

    ```mlir
    %y = ds.gather_elements %data, %idx {axis = 1 : i64} : (tensor<2x3xf32>, tensor<2x2xi64>) -> tensor<2x2xf32>
    ```
  }];
  let arguments = (ins DS_AnyTensor:$data, DS_IndexTensor:$indices, I64Attr:$axis);
  let results = (outs DS_AnyTensor:$output);
  let assemblyFormat = "$data `,` $indices attr-dict `:` functional-type(operands, results)";
}

def DS_TileOp : DS_InferredOp<"tile"> {
  let summary = "repeats a tensor `repeats[d]` times along each dimension d";
  let description = "```mlir\n%y = ds.tile %x {repeats = array<i64: 1, 3>} : (tensor<2x4xf32>) -> tensor<2x12xf32>\n```";
  let arguments = (ins DS_AnyTensor:$input, DenseI64ArrayAttr:$repeats);
  let results = (outs DS_AnyTensor:$output);
  let assemblyFormat = "$input attr-dict `:` functional-type(operands, results)";
}

def DS_TriluOp : DS_Op<"trilu", [Pure, SameOperandsAndResultType]> {
  let summary = "keeps the upper (or lower) triangle of the last two dimensions";
  let description = [{
    With `upper`, elements below diagonal `k` become zero; otherwise elements
    above it.

    ```mlir
    %y = ds.trilu %x {k = 1 : i64, upper = false} : tensor<4x5xf32>
    ```
  }];
  let arguments = (ins DS_NumericTensor:$input, DefaultValuedAttr<BoolAttr, "true">:$upper,
                       DefaultValuedAttr<I64Attr, "0">:$k);
  let results = (outs DS_NumericTensor:$output);
  let assemblyFormat = "$input attr-dict `:` type($input)";
  let hasVerifier = 1;
}


def DS_TopKOp : DS_InferredOp<"top_k"> {
  let summary = "the k largest (or smallest) elements along one axis, and their indices";
  let description = [{
    ```mlir
    %v, %i = ds.top_k %x {axis = 1 : i64, k = 5 : i64} : (tensor<1x1000xf32>) -> (tensor<1x5xf32>, tensor<1x5xi64>)
    ```
    With `sorted` (the default) the results are in order; ties keep the lower
    index first.
  }];
  let arguments = (ins DS_NumericTensor:$input, I64Attr:$k, I64Attr:$axis,
                       DefaultValuedAttr<BoolAttr, "true">:$largest,
                       DefaultValuedAttr<BoolAttr, "true">:$sorted);
  let results = (outs DS_NumericTensor:$values, RankedTensorOf<[I64]>:$indices);
  let assemblyFormat = "$input attr-dict `:` functional-type(operands, results)";
}

def DS_OneHotOp : DS_Op<"one_hot", [Pure]> {
  let summary = "one-hot encoding: on_value where the index matches, off_value elsewhere";
  let description = [{
    A new dimension of size `depth` is inserted at `axis` of the result; negative
    indices count from `depth`.

    ```mlir
    %y = ds.one_hot %i {axis = 1 : i64, depth = 10 : i64, off_value = 0.0, on_value = 1.0} : tensor<4xi64> -> tensor<4x10xf32>
    ```
  }];
  let arguments = (ins DS_IndexTensor:$indices, I64Attr:$depth, I64Attr:$axis,
                       F64Attr:$on_value, F64Attr:$off_value);
  let results = (outs DS_NumericTensor:$output);
  let assemblyFormat = "$indices attr-dict `:` type($indices) `->` type($output)";
  let hasVerifier = 1;
}

def DS_GatherNDOp : DS_InferredOp<"gather_nd"> {
  let summary = "gathers slices of `data` addressed by the last dimension of `indices`";
  let description = [{
    ONNX GatherND: with `b = batch_dims` and `q = rank(indices)`, the result has
    shape `indices.shape[:-1] + data.shape[b + indices.shape[-1]:]`.

    ```mlir
    %y = ds.gather_nd %data, %idx : (tensor<2x2x3xf32>, tensor<2x1x2xi64>) -> tensor<2x1x3xf32>
    ```
  }];
  let arguments = (ins DS_AnyTensor:$data, DS_IndexTensor:$indices,
                       DefaultValuedAttr<I64Attr, "0">:$batch_dims);
  let results = (outs DS_AnyTensor:$output);
  let assemblyFormat = "$data `,` $indices attr-dict `:` functional-type(operands, results)";
}

def DS_ScatterElementsOp : DS_Op<"scatter_elements", [Pure, AllTypesMatch<["data", "output"]>]> {
  let summary = "writes `updates` into a copy of `data` at per-element indices along `axis`";
  let description = [{
    ```mlir
    %y = ds.scatter_elements %data, %idx, %upd {axis = 1 : i64} : (tensor<2x3xf32>, tensor<2x2xi64>, tensor<2x2xf32>) -> tensor<2x3xf32>
    ```
  }];
  let arguments = (ins DS_AnyTensor:$data, DS_IndexTensor:$indices, DS_AnyTensor:$updates,
                       I64Attr:$axis,
                       DefaultValuedAttr<DS_ScatterReductionAttr, "ScatterReduction::None">:$reduction);
  let results = (outs DS_AnyTensor:$output);
  let assemblyFormat = [{
    $data `,` $indices `,` $updates attr-dict `:` functional-type(operands, results)
  }];
  let hasVerifier = 1;
}

def DS_ScatterNDOp : DS_Op<"scatter_nd", [Pure, AllTypesMatch<["data", "output"]>]> {
  let summary = "writes `updates` into a copy of `data` at the slices `indices` address";
  let description = [{
    ONNX ScatterND: `updates` has shape
    `indices.shape[:-1] + data.shape[indices.shape[-1]:]`.

    ```mlir
    %y = ds.scatter_nd %data, %idx, %upd : (tensor<4x3xf32>, tensor<2x1xi64>, tensor<2x3xf32>) -> tensor<4x3xf32>
    ```
  }];
  let arguments = (ins DS_AnyTensor:$data, DS_IndexTensor:$indices, DS_AnyTensor:$updates,
                       DefaultValuedAttr<DS_ScatterReductionAttr, "ScatterReduction::None">:$reduction);
  let results = (outs DS_AnyTensor:$output);
  let assemblyFormat = [{
    $data `,` $indices `,` $updates attr-dict `:` functional-type(operands, results)
  }];
  let hasVerifier = 1;
}


def DS_MaxUnpoolOp : DS_Op<"max_unpool", [Pure]> {
  let summary = "scatters pooled values to the flat positions their indices name";
  let description = [{
    The inverse of a max pool that returned indices: `output` (the result type's
    shape) is zero except at `indices[i]`, flat row-major positions in the
    whole output (as ONNX MaxPool's Indices output), which receive `input[i]`.

    ```mlir
    %y = ds.max_unpool %x, %i : (tensor<1x1x2x2xf32>, tensor<1x1x2x2xi64>) -> tensor<1x1x4x4xf32>
    ```
  }];
  let arguments = (ins DS_FloatTensor:$input, DS_IndexTensor:$indices);
  let results = (outs DS_FloatTensor:$output);
  let assemblyFormat = "$input `,` $indices attr-dict `:` functional-type(operands, results)";
  let hasVerifier = 1;
}

def DS_ReverseSequenceOp : DS_Op<"reverse_sequence",
    [Pure, AllTypesMatch<["input", "output"]>]> {
  let summary = "reverses the first sequence_lens[b] elements along time_axis, per batch b";
  let description = [{
    ```mlir
    %y = ds.reverse_sequence %x, %lens {batch_axis = 1 : i64, time_axis = 0 : i64} : (tensor<4x4xf32>, tensor<4xi64>) -> tensor<4x4xf32>
    ```
  }];
  let arguments = (ins DS_AnyTensor:$input, DS_IndexTensor:$sequence_lens,
                       I64Attr:$batch_axis, I64Attr:$time_axis);
  let results = (outs DS_AnyTensor:$output);
  let assemblyFormat = [{
    $input `,` $sequence_lens attr-dict `:` functional-type(operands, results)
  }];
  let hasVerifier = 1;
}

def DS_RoiAlignOp : DS_InferredOp<"roi_align"> {
  let summary = "pools each region of interest to a fixed size by bilinear sampling";
  let description = [{
    `rois` is `R x 4` (x1, y1, x2, y2 in input coordinates before
    `spatial_scale`), `batch_indices` picks each region's image; the result is
    `R x C x output_height x output_width`. `aligned` shifts by half a pixel
    (ONNX `half_pixel`).

    ```mlir
    %y = ds.roi_align %x, %rois, %b {output_height = 5 : i64, output_width = 5 : i64,
           sampling_ratio = 2 : i64, spatial_scale = 1.0 : f32}
       : (tensor<1x1x10x10xf32>, tensor<3x4xf32>, tensor<3xi64>) -> tensor<3x1x5x5xf32>
    ```
  }];
  let arguments = (ins DS_FloatTensor:$input, DS_FloatTensor:$rois,
      DS_IndexTensor:$batch_indices, I64Attr:$output_height, I64Attr:$output_width,
      DefaultValuedAttr<I64Attr, "0">:$sampling_ratio,
      DefaultValuedAttr<F32Attr, "1.0f">:$spatial_scale,
      DefaultValuedAttr<DS_RoiAlignModeAttr, "RoiAlignMode::Avg">:$mode,
      DefaultValuedAttr<BoolAttr, "true">:$aligned);
  let results = (outs DS_FloatTensor:$output);
  let assemblyFormat = [{
    $input `,` $rois `,` $batch_indices attr-dict `:` functional-type(operands, results)
  }];
}

def DS_GridSampleOp : DS_InferredOp<"grid_sample"> {
  let summary = "samples the input at the normalized positions of a grid";
  let description = [{
    `grid` is `N x H_out x W_out x 2` with (x, y) in [-1, 1]; the result is
    `N x C x H_out x W_out`.

    ```mlir
    %y = ds.grid_sample %x, %grid : (tensor<1x1x4x4xf32>, tensor<1x6x6x2xf32>) -> tensor<1x1x6x6xf32>
    ```
  }];
  let arguments = (ins DS_FloatTensor:$input, DS_FloatTensor:$grid,
      DefaultValuedAttr<DS_GridSampleModeAttr, "GridSampleMode::Bilinear">:$mode,
      DefaultValuedAttr<DS_GridPaddingAttr, "GridPadding::Zeros">:$padding_mode,
      DefaultValuedAttr<BoolAttr, "false">:$align_corners);
  let results = (outs DS_FloatTensor:$output);
  let assemblyFormat = "$input `,` $grid attr-dict `:` functional-type(operands, results)";
}

def DS_PadOp : DS_InferredOp<"pad"> {
  let summary = "pads (or, with negative amounts, crops) every dimension";
  let description = [{
    `pads` holds the begin amounts of every dimension, then the end amounts.
    `mode` is `constant` (fill with `value`), `reflect` or `edge`.

    ```mlir
    %y = ds.pad %x {pads = array<i64: 0, 0, 1, 1, 0, 0, 1, 1>} : (tensor<1x3x4x4xf32>) -> tensor<1x3x6x6xf32>
    ```
  }];
  let arguments = (ins DS_NumericTensor:$input, DenseI64ArrayAttr:$pads,
      DefaultValuedAttr<DS_PadModeAttr, "PadMode::Constant">:$mode,
      DefaultValuedAttr<F64Attr, "0.0">:$value);
  let results = (outs DS_NumericTensor:$output);
  let assemblyFormat = "$input attr-dict `:` functional-type(operands, results)";
}

def DS_ResizeOp : DS_Op<"resize", [Pure]> {
  let summary = "resamples a tensor to the result's shape";
  let description = [{
    The result type holds the output shape. `scales`, when present, are the
    factors the coordinate transformation uses (ONNX `Resize` with `scales`,
    where the output size was rounded down); otherwise output/input size.

    ```mlir
    %y = ds.resize %x {mode = #ds<resize_mode nearest>} : tensor<1x8x14x14xf32> -> tensor<1x8x28x28xf32>
    ```
  }];
  let arguments = (ins DS_FloatTensor:$input,
      DefaultValuedAttr<DS_ResizeModeAttr, "ResizeMode::Nearest">:$mode,
      DefaultValuedAttr<DS_CoordinateTransformAttr,
                        "CoordinateTransform::HalfPixel">:$coordinate_transform,
      DefaultValuedAttr<DS_NearestModeAttr,
                        "NearestMode::RoundPreferFloor">:$nearest_mode,
      DefaultValuedAttr<F32Attr, "-0.75f">:$cubic_coeff_a,
      OptionalAttr<DenseF32ArrayAttr>:$scales);
  let results = (outs DS_FloatTensor:$output);
  let assemblyFormat = "$input attr-dict `:` type($input) `->` type($output)";
  let hasVerifier = 1;
}

def DS_ExpandOp : DS_Op<"expand", [Pure]> {
  let summary = "broadcasts a tensor to the result's shape";
  let description = "```mlir\n%y = ds.expand %x : tensor<1x1x128xf32> -> tensor<1x12x128xf32>\n```";
  let arguments = (ins DS_AnyTensor:$input);
  let results = (outs DS_AnyTensor:$output);
  let assemblyFormat = "$input attr-dict `:` type($input) `->` type($output)";
  let hasVerifier = 1;
  let hasFolder = 1;
}

def DS_SqueezeOp : DS_InferredOp<"squeeze"> {
  let summary = "removes the size-1 dimensions listed in `axes`";
  let description = "```mlir\n%y = ds.squeeze %x {axes = array<i64: 2, 3>} : (tensor<1x512x1x1xf32>) -> tensor<1x512xf32>\n```";
  let arguments = (ins DS_AnyTensor:$input, DenseI64ArrayAttr:$axes);
  let results = (outs DS_AnyTensor:$output);
  let assemblyFormat = "$input attr-dict `:` functional-type(operands, results)";
  let hasFolder = 1;
}

def DS_UnsqueezeOp : DS_InferredOp<"unsqueeze"> {
  let summary = "inserts size-1 dimensions at the result positions in `axes`";
  let description = "```mlir\n%y = ds.unsqueeze %x {axes = array<i64: 0>} : (tensor<128xi64>) -> tensor<1x128xi64>\n```";
  let arguments = (ins DS_AnyTensor:$input, DenseI64ArrayAttr:$axes);
  let results = (outs DS_AnyTensor:$output);
  let assemblyFormat = "$input attr-dict `:` functional-type(operands, results)";
  let hasFolder = 1;
}

//===----------------------------------------------------------------------===//
// Quantization (types from the upstream quant dialect)
//===----------------------------------------------------------------------===//

def DS_QuantizeOp : DS_Op<"quantize", [Pure]> {
  let summary = "float tensor to quantized tensor (round half to even, saturate)";
  let description = [{
    The result's `!quant.uniform` type carries scale and zero point, per tensor or
    per axis; its expressed type must be the input's element type.

    ```mlir
    %q = ds.quantize %x : tensor<1x64xf32> -> tensor<1x64x!quant.uniform<i8:f32, 0.05:-3>>
    ```
  }];
  let arguments = (ins DS_FloatTensor:$input);
  let results = (outs DS_QuantTensor:$output);
  let assemblyFormat = "$input attr-dict `:` type($input) `->` type($output)";
  let hasVerifier = 1;
}

def DS_DequantizeOp : DS_Op<"dequantize", [Pure]> {
  let summary = "quantized tensor to float: (q - zero_point) * scale";
  let description = [{
    ```mlir
    %w = ds.dequantize %q : tensor<64x3x!quant.uniform<i8:f32:0, {0.1, 0.2, 0.3}>> -> tensor<64x3xf32>
    ```
  }];
  let arguments = (ins DS_QuantTensor:$input);
  let results = (outs DS_FloatTensor:$output);
  let assemblyFormat = "$input attr-dict `:` type($input) `->` type($output)";
  let hasVerifier = 1;
}

def DS_QConvOp : DS_Op<"qconv", [Pure, AttrSizedOperandSegments]> {
  let summary = "2-D convolution of quantized input and weights, with a float epilogue";
  let description = [{
    `output = activation(conv(dequantize(input), dequantize(weight)) + bias + residual)`,
    computed the way integer kernels compute it: the 8-bit storage of the input
    times that of the weights, accumulated in 32 bits, the input's zero point
    subtracted, then scaled to float per output channel. `input` is
    `N x C x H x W`, quantized per tensor to u8 (AVX-512 VNNI multiplies u8 by
    s8) or i8 (armv8's sdot, s8 by s8); `weight` is `M x C x KH x KW`,
    quantized to i8 symmetrically (zero point 0), per tensor or per output
    channel (axis 0); one group. `ds-fuse-quantized-convs` makes it from the
    dequantize -> conv of a QDQ model.

    ```mlir
    %y = ds.qconv %xq, %wq bias %b {activation = #ds.act<relu>,
                  dilations = array<i64: 1, 1>, pads = array<i64: 1, 1, 1, 1>,
                  strides = array<i64: 1, 1>}
       : (tensor<1x8x8x8x!quant.uniform<u8:f32, 0.02:128>>,
          tensor<16x8x3x3x!quant.uniform<i8:f32, 0.01>>, tensor<16xf32>)
         -> tensor<1x16x8x8xf32>
    ```
  }];
  let arguments = (ins DS_QuantTensor:$input, DS_QuantTensor:$weight,
      Optional<DS_FloatTensor>:$bias, Optional<DS_FloatTensor>:$residual,
      DenseI64ArrayAttr:$strides, DenseI64ArrayAttr:$pads,
      DenseI64ArrayAttr:$dilations, OptionalAttr<DS_ActivationAttr>:$activation);
  let results = (outs DS_FloatTensor:$output);
  let assemblyFormat = [{
    $input `,` $weight (`bias` $bias^)? (`residual` $residual^)? attr-dict
    `:` functional-type(operands, results)
  }];
  let hasVerifier = 1;
}

def DS_RequantizeOp : DS_Op<"requantize", [Pure]> {
  let summary = "changes the scale/zero point (or storage type) of a quantized tensor";
  let description = [{
    ```mlir
    %r = ds.requantize %q : tensor<8x!quant.uniform<i32:f32, 0.001>> -> tensor<8x!quant.uniform<i8:f32, 0.1:2>>
    ```
  }];
  let arguments = (ins DS_QuantTensor:$input);
  let results = (outs DS_QuantTensor:$output);
  let assemblyFormat = "$input attr-dict `:` type($input) `->` type($output)";
  let hasVerifier = 1;
}

#endif // DEEPSEEK_DS_OPS_TD
