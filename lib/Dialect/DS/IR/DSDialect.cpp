//===- DSDialect.cpp - ds dialect registration and attributes -------------===//

#include "deepseek/Dialect/DS/IR/DSDialect.h"
#include "deepseek/Dialect/DS/IR/DSOps.h"

#include "mlir/IR/Builders.h"
#include "llvm/ADT/TypeSwitch.h"

using namespace mlir;
using namespace mlir::ds;

#include "ds/DSDialect.cpp.inc"
#include "ds/DSEnums.cpp.inc"

#define GET_ATTRDEF_CLASSES
#include "ds/DSAttrs.cpp.inc"

void DSDialect::initialize() {
  addOperations<
#define GET_OP_LIST
#include "ds/DSOps.cpp.inc"
      >();
  addAttributes<
#define GET_ATTRDEF_LIST
#include "ds/DSAttrs.cpp.inc"
      >();
}

Operation *DSDialect::materializeConstant(OpBuilder &builder, Attribute value, Type type,
                                          Location loc) {
  auto elements = dyn_cast<ElementsAttr>(value);
  if (!elements || elements.getType() != type)
    return nullptr;
  return ConstantOp::create(builder, loc, type, elements);
}

//===----------------------------------------------------------------------===//
// ActivationAttr
//===----------------------------------------------------------------------===//

namespace {
/// The names of the parameters an activation kind uses, in order.
ArrayRef<StringRef> paramNames(ActivationKind kind) {
  static const StringRef clip[] = {"min", "max"};
  static const StringRef alpha[] = {"alpha"};
  static const StringRef alphaBeta[] = {"alpha", "beta"};
  switch (kind) {
  case ActivationKind::Clip:
    return clip;
  case ActivationKind::LeakyRelu:
    return alpha;
  case ActivationKind::HardSigmoid:
    return alphaBeta;
  default:
    return {};
  }
}
} // namespace

unsigned ActivationAttr::getNumParams(ActivationKind kind) {
  return paramNames(kind).size();
}

Attribute ActivationAttr::parse(AsmParser &parser, Type) {
  SMLoc loc = parser.getCurrentLocation();
  StringRef keyword;
  if (parser.parseLess() || parser.parseKeyword(&keyword))
    return {};
  std::optional<ActivationKind> kind = symbolizeActivationKind(keyword);
  if (!kind) {
    parser.emitError(loc, "unknown activation '") << keyword << "'";
    return {};
  }
  double values[2] = {0.0, 0.0};
  ArrayRef<StringRef> names = paramNames(*kind);
  for (auto [i, name] : llvm::enumerate(names)) {
    if (parser.parseComma() || parser.parseKeyword(name) || parser.parseEqual() ||
        parser.parseFloat(values[i]))
      return {};
  }
  if (parser.parseGreater())
    return {};
  return ActivationAttr::getChecked([&] { return parser.emitError(loc); },
                                    parser.getContext(), *kind,
                                    llvm::APFloat(static_cast<float>(values[0])),
                                    llvm::APFloat(static_cast<float>(values[1])));
}

void ActivationAttr::print(AsmPrinter &printer) const {
  printer << '<' << stringifyActivationKind(getKind());
  llvm::APFloat params[2] = {getAlpha(), getBeta()};
  for (auto [i, name] : llvm::enumerate(paramNames(getKind()))) {
    printer << ", " << name << " = ";
    printer.printFloat(params[i]);
  }
  printer << '>';
}

LogicalResult ActivationAttr::verify(function_ref<InFlightDiagnostic()> emitError,
                                     ActivationKind kind, llvm::APFloat alpha,
                                     llvm::APFloat beta) {
  unsigned used = getNumParams(kind);
  if ((used < 1 && !alpha.isZero()) || (used < 2 && !beta.isZero()))
    return emitError() << "activation '" << stringifyActivationKind(kind) << "' takes "
                       << used << " parameter(s); unused ones must be 0";
  if (alpha.isNaN() || beta.isNaN())
    return emitError() << "activation parameters must not be NaN";
  if (kind == ActivationKind::Clip && beta < alpha)
    return emitError() << "expected clip min <= max, got min = " << alpha.convertToFloat()
                       << ", max = " << beta.convertToFloat();
  return success();
}
