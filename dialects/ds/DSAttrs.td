//===- DSAttrs.td - ds enums and attributes -----------------*- tablegen -*-===//
//
// Enums used by op attributes, and the activation attribute a fused op carries.
//
//===----------------------------------------------------------------------===//

#ifndef DEEPSEEK_DS_ATTRS_TD
#define DEEPSEEK_DS_ATTRS_TD

include "DSDialect.td"
include "mlir/IR/EnumAttr.td"

def DS_ActivationKind : I32EnumAttr<"ActivationKind",
    "an activation function a conv/gemm/matmul epilogue applies", [
  I32EnumAttrCase<"Relu", 0, "relu">,
  I32EnumAttrCase<"Clip", 1, "clip">,
  I32EnumAttrCase<"LeakyRelu", 2, "leaky_relu">,
  I32EnumAttrCase<"Sigmoid", 3, "sigmoid">,
  I32EnumAttrCase<"HardSigmoid", 4, "hard_sigmoid">,
  I32EnumAttrCase<"HardSwish", 5, "hard_swish">,
  I32EnumAttrCase<"Silu", 6, "silu">,
  I32EnumAttrCase<"Gelu", 7, "gelu">,
  I32EnumAttrCase<"GeluTanh", 8, "gelu_tanh">,
  I32EnumAttrCase<"Tanh", 9, "tanh">
]> {
  let cppNamespace = "::mlir::ds";
  let genSpecializedAttr = 0;
}

def DS_PadMode : I32EnumAttr<"PadMode", "how ds.pad fills the border", [
  I32EnumAttrCase<"Constant", 0, "constant">,
  I32EnumAttrCase<"Reflect", 1, "reflect">,
  I32EnumAttrCase<"Edge", 2, "edge">
]> {
  let cppNamespace = "::mlir::ds";
  let genSpecializedAttr = 0;
}
def DS_PadModeAttr : EnumAttr<DS_Dialect, DS_PadMode, "pad_mode">;

def DS_ResizeMode : I32EnumAttr<"ResizeMode", "ds.resize interpolation", [
  I32EnumAttrCase<"Nearest", 0, "nearest">,
  I32EnumAttrCase<"Linear", 1, "linear">,
  I32EnumAttrCase<"Cubic", 2, "cubic">
]> {
  let cppNamespace = "::mlir::ds";
  let genSpecializedAttr = 0;
}
def DS_ResizeModeAttr : EnumAttr<DS_Dialect, DS_ResizeMode, "resize_mode">;

def DS_CoordinateTransform : I32EnumAttr<"CoordinateTransform",
    "how ds.resize maps output coordinates to input coordinates (ONNX names)", [
  I32EnumAttrCase<"HalfPixel", 0, "half_pixel">,
  I32EnumAttrCase<"PytorchHalfPixel", 1, "pytorch_half_pixel">,
  I32EnumAttrCase<"AlignCorners", 2, "align_corners">,
  I32EnumAttrCase<"Asymmetric", 3, "asymmetric">,
  I32EnumAttrCase<"TfCropAndResize", 4, "tf_crop_and_resize">
]> {
  let cppNamespace = "::mlir::ds";
  let genSpecializedAttr = 0;
}
def DS_CoordinateTransformAttr :
    EnumAttr<DS_Dialect, DS_CoordinateTransform, "coordinate_transform">;

def DS_NearestMode : I32EnumAttr<"NearestMode", "ds.resize rounding in nearest mode", [
  I32EnumAttrCase<"RoundPreferFloor", 0, "round_prefer_floor">,
  I32EnumAttrCase<"RoundPreferCeil", 1, "round_prefer_ceil">,
  I32EnumAttrCase<"Floor", 2, "floor">,
  I32EnumAttrCase<"Ceil", 3, "ceil">
]> {
  let cppNamespace = "::mlir::ds";
  let genSpecializedAttr = 0;
}
def DS_NearestModeAttr : EnumAttr<DS_Dialect, DS_NearestMode, "nearest_mode">;

def DS_GeluApproximation : I32EnumAttr<"GeluApproximation", "ds.gelu formula", [
  I32EnumAttrCase<"None", 0, "none">,
  I32EnumAttrCase<"Tanh", 1, "tanh">
]> {
  let cppNamespace = "::mlir::ds";
  let genSpecializedAttr = 0;
}
def DS_GeluApproximationAttr :
    EnumAttr<DS_Dialect, DS_GeluApproximation, "gelu_approximation">;

def DS_ScatterReduction : I32EnumAttr<"ScatterReduction",
    "how ds.scatter_* combine an update with the existing element", [
  I32EnumAttrCase<"None", 0, "none">,
  I32EnumAttrCase<"Add", 1, "add">,
  I32EnumAttrCase<"Mul", 2, "mul">,
  I32EnumAttrCase<"Max", 3, "max">,
  I32EnumAttrCase<"Min", 4, "min">
]> {
  let cppNamespace = "::mlir::ds";
  let genSpecializedAttr = 0;
}
def DS_ScatterReductionAttr :
    EnumAttr<DS_Dialect, DS_ScatterReduction, "scatter_reduction">;

def DS_RoiAlignMode : I32EnumAttr<"RoiAlignMode", "how ds.roi_align pools a bin", [
  I32EnumAttrCase<"Avg", 0, "avg">,
  I32EnumAttrCase<"Max", 1, "max">
]> {
  let cppNamespace = "::mlir::ds";
  let genSpecializedAttr = 0;
}
def DS_RoiAlignModeAttr : EnumAttr<DS_Dialect, DS_RoiAlignMode, "roi_align_mode">;

def DS_GridSampleMode : I32EnumAttr<"GridSampleMode", "ds.grid_sample interpolation", [
  I32EnumAttrCase<"Bilinear", 0, "bilinear">,
  I32EnumAttrCase<"Nearest", 1, "nearest">,
  I32EnumAttrCase<"Bicubic", 2, "bicubic">
]> {
  let cppNamespace = "::mlir::ds";
  let genSpecializedAttr = 0;
}
def DS_GridSampleModeAttr : EnumAttr<DS_Dialect, DS_GridSampleMode, "grid_sample_mode">;

def DS_GridPadding : I32EnumAttr<"GridPadding", "ds.grid_sample outside the input", [
  I32EnumAttrCase<"Zeros", 0, "zeros">,
  I32EnumAttrCase<"Border", 1, "border">,
  I32EnumAttrCase<"Reflection", 2, "reflection">
]> {
  let cppNamespace = "::mlir::ds";
  let genSpecializedAttr = 0;
}
def DS_GridPaddingAttr : EnumAttr<DS_Dialect, DS_GridPadding, "grid_padding">;

class DS_Attr<string name, string attrMnemonic, list<Trait> traits = []>
    : AttrDef<DS_Dialect, name, traits> {
  let mnemonic = attrMnemonic;
}

def DS_ActivationAttr : DS_Attr<"Activation", "act"> {
  let summary = "an activation function applied by a fused epilogue";
  let description = [{
    Names the activation a `ds.conv`, `ds.gemm` or `ds.matmul` applies after its
    bias and residual, with the activation's parameters where it has any:

    ```mlir
    #ds.act<relu>
    #ds.act<clip, min = 0.0, max = 6.0>          // Relu6 is clip [0, 6]
    #ds.act<leaky_relu, alpha = 0.01>
    #ds.act<hard_sigmoid, alpha = 0.2, beta = 0.5>
    #ds.act<hard_swish>  #ds.act<silu>  #ds.act<gelu>  #ds.act<gelu_tanh>
    #ds.act<sigmoid>  #ds.act<tanh>
    ```

    `alpha` and `beta` are stored for every kind; only `clip` (min, max),
    `leaky_relu` (alpha) and `hard_sigmoid` (alpha, beta) use them, and only those
    are printed.
  }];
  let parameters = (ins
    EnumParameter<DS_ActivationKind>:$kind,
    APFloatParameter<"first parameter (clip min, leaky_relu/hard_sigmoid alpha)">:$alpha,
    APFloatParameter<"second parameter (clip max, hard_sigmoid beta)">:$beta
  );
  let builders = [
    AttrBuilder<(ins "ActivationKind":$kind, CArg<"float", "0.0f">:$alpha,
                     CArg<"float", "0.0f">:$beta), [{
      return $_get($_ctxt, kind, ::llvm::APFloat(alpha), ::llvm::APFloat(beta));
    }]>
  ];
  let hasCustomAssemblyFormat = 1;
  let genVerifyDecl = 1;
  let extraClassDeclaration = [{
    /// The number of parameters |kind| uses (0, 1 or 2).
    static unsigned getNumParams(ActivationKind kind);
    float getAlphaF32() const { return getAlpha().convertToFloat(); }
    float getBetaF32() const { return getBeta().convertToFloat(); }
  }];
}

#endif // DEEPSEEK_DS_ATTRS_TD
