//===- DSDialect.h - the ds dialect, its enums and attributes -----*- C++ -*-===//
#ifndef DEEPSEEK_DIALECT_DS_IR_DSDIALECT_H
#define DEEPSEEK_DIALECT_DS_IR_DSDIALECT_H

#include "mlir/Dialect/Quant/IR/Quant.h"
#include "mlir/Dialect/Quant/IR/QuantTypes.h"
#include "mlir/IR/Attributes.h"
#include "mlir/IR/BuiltinAttributes.h"
#include "mlir/IR/Dialect.h"
#include "mlir/IR/DialectImplementation.h"

#include "ds/DSDialect.h.inc"
#include "ds/DSEnums.h.inc"

#define GET_ATTRDEF_CLASSES
#include "ds/DSAttrs.h.inc"

#endif // DEEPSEEK_DIALECT_DS_IR_DSDIALECT_H
