//===- ModelInterface.cpp - descriptor, header and main of a compiled model --===//

#include "deepseek/Target/ModelInterface.h"

#include "mlir/IR/BuiltinTypes.h"
#include "llvm/ADT/StringExtras.h"
#include "llvm/IR/Constants.h"
#include "llvm/IR/DerivedTypes.h"
#include "llvm/IR/GlobalVariable.h"
#include "llvm/IR/IRBuilder.h"
#include "llvm/IR/Module.h"
#include "llvm/Support/raw_ostream.h"

using namespace mlir;
using namespace mlir::ds;

int32_t mlir::ds::dsrtDTypeOf(Type t) {
  if (t.isF32())
    return 1;
  if (t.isF64())
    return 11;
  if (t.isF16())
    return 10;
  if (t.isBF16())
    return 16;
  if (t.isInteger(1))
    return 9;
  auto i = dyn_cast<IntegerType>(t);
  if (!i)
    return 0;
  bool u = i.isUnsigned();
  switch (i.getWidth()) {
  case 8:
    return u ? 2 : 3;
  case 16:
    return u ? 4 : 5;
  case 32:
    return u ? 12 : 6;
  case 64:
    return u ? 13 : 7;
  default:
    return 0;
  }
}

std::string mlir::ds::sanitizeSymbol(StringRef name) {
  std::string s;
  for (char c : name)
    s.push_back(llvm::isAlnum(c) ? c : '_');
  if (s.empty() || llvm::isDigit(s[0]))
    s.insert(0, "m_");
  return s;
}

static FailureOr<TensorInterface> describeTensor(Operation *where, Type type, StringAttr name,
                                                 StringRef role, unsigned index) {
  TensorInterface t;
  t.name = name ? name.str() : (role + Twine(index)).str();
  auto ranked = dyn_cast<RankedTensorType>(type);
  if (!ranked || !ranked.hasStaticShape())
    return where->emitError() << role << " '" << t.name << "' has type " << type
                              << "; compiled models need static shapes "
                                 "(fix dynamic dims with --input-shape NAME=DIMS)";
  t.dtype = dsrtDTypeOf(ranked.getElementType());
  if (!t.dtype)
    return where->emitError() << role << " '" << t.name << "' has element type "
                              << ranked.getElementType() << ", which the runtime cannot pass";
  t.dims.assign(ranked.getShape().begin(), ranked.getShape().end());
  int64_t bits = ranked.getElementType().isInteger(1) ? 8 : ranked.getElementTypeBitWidth();
  t.sizeBytes = ranked.getNumElements() * (bits / 8);
  return t;
}

FailureOr<ModelInterface> mlir::ds::describeModel(ModuleOp module, StringRef symbol) {
  auto fn = module.lookupSymbol<func::FuncOp>("main");
  if (!fn)
    return module.emitError("the module has no @main model function");
  ModelInterface m;
  m.symbol = symbol.str();
  auto modelName = module->getAttrOfType<StringAttr>("ds.model_name");
  m.modelName = modelName && !modelName.getValue().empty() ? modelName.str() : symbol.str();
  FunctionType type = fn.getFunctionType();
  for (unsigned i = 0; i < type.getNumInputs(); ++i) {
    auto t = describeTensor(fn, type.getInput(i), fn.getArgAttrOfType<StringAttr>(i, "ds.name"),
                            "input", i);
    if (failed(t))
      return failure();
    m.inputs.push_back(*t);
  }
  for (unsigned i = 0; i < type.getNumResults(); ++i) {
    auto t = describeTensor(fn, type.getResult(i),
                            fn.getResultAttrOfType<StringAttr>(i, "ds.name"), "output", i);
    if (failed(t))
      return failure();
    m.outputs.push_back(*t);
  }
  return m;
}

namespace {

/// Builds the constant globals of the descriptor with dsrt.h's layouts.
class DescriptorBuilder {
public:
  DescriptorBuilder(llvm::Module &module, const ModelInterface &m)
      : module(module), m(m), ctx(module.getContext()) {
    i32 = llvm::Type::getInt32Ty(ctx);
    i64 = llvm::Type::getInt64Ty(ctx);
    ptr = llvm::PointerType::get(ctx, 0);
    tensorType = llvm::StructType::get(ctx, {ptr, i32, i32, ptr, i64});
  }

  void build() {
    llvm::Constant *inputs = tensorArray(m.inputs, "inputs");
    llvm::Constant *outputs = tensorArray(m.outputs, "outputs");
    auto *runType = llvm::FunctionType::get(llvm::Type::getVoidTy(ctx), {ptr, ptr}, false);
    llvm::FunctionCallee run = module.getOrInsertFunction(m.symbol + "_run", runType);
    auto *descType = llvm::StructType::get(ctx, {i32, i32, i32, i32, ptr, ptr, ptr, i64, ptr});
    llvm::Constant *fields[] = {
        llvm::ConstantInt::get(i32, 1), // DSRT_ABI_VERSION
        llvm::ConstantInt::get(i32, m.inputs.size()),
        llvm::ConstantInt::get(i32, m.outputs.size()),
        llvm::ConstantInt::get(i32, m.cuda ? 1 : 0), // flags: DSRT_MODEL_CUDA
        string(m.modelName, "name"),
        inputs,
        outputs,
        llvm::ConstantInt::get(i64, m.arenaSize),
        llvm::cast<llvm::Constant>(run.getCallee())};
    new llvm::GlobalVariable(module, descType, /*isConstant=*/true,
                             llvm::GlobalValue::ExternalLinkage,
                             llvm::ConstantStruct::get(descType, fields), m.symbol + "_model");
  }

private:
  llvm::Constant *string(StringRef s, const Twine &what) {
    llvm::Constant *data = llvm::ConstantDataArray::getString(ctx, s);
    return new llvm::GlobalVariable(module, data->getType(), true,
                                    llvm::GlobalValue::PrivateLinkage, data,
                                    m.symbol + "_" + what);
  }

  llvm::Constant *tensorArray(const std::vector<TensorInterface> &tensors, StringRef role) {
    if (tensors.empty())
      return llvm::ConstantPointerNull::get(ptr);
    std::vector<llvm::Constant *> entries;
    for (auto [i, t] : llvm::enumerate(tensors)) {
      std::string prefix = (role + Twine(i)).str();
      llvm::Constant *dims = llvm::ConstantDataArray::get(ctx, ArrayRef<int64_t>(t.dims));
      auto *dimsGlobal = new llvm::GlobalVariable(module, dims->getType(), true,
                                                  llvm::GlobalValue::PrivateLinkage, dims,
                                                  m.symbol + "_" + prefix + "_dims");
      entries.push_back(llvm::ConstantStruct::get(
          tensorType, {string(t.name, prefix + "_name"), llvm::ConstantInt::get(i32, t.dtype),
                       llvm::ConstantInt::get(i32, t.dims.size()), dimsGlobal,
                       llvm::ConstantInt::get(i64, t.sizeBytes)}));
    }
    auto *arrayType = llvm::ArrayType::get(tensorType, entries.size());
    return new llvm::GlobalVariable(module, arrayType, true, llvm::GlobalValue::PrivateLinkage,
                                    llvm::ConstantArray::get(arrayType, entries),
                                    m.symbol + "_" + role);
  }

  llvm::Module &module;
  const ModelInterface &m;
  llvm::LLVMContext &ctx;
  llvm::Type *i32, *i64;
  llvm::PointerType *ptr;
  llvm::StructType *tensorType;
};

const char *dtypeName(int32_t dtype) {
  switch (dtype) {
  case 1: return "float32";
  case 2: return "uint8";
  case 3: return "int8";
  case 4: return "uint16";
  case 5: return "int16";
  case 6: return "int32";
  case 7: return "int64";
  case 9: return "bool";
  case 10: return "float16";
  case 11: return "float64";
  case 12: return "uint32";
  case 13: return "uint64";
  case 16: return "bfloat16";
  default: return "unknown";
  }
}

} // namespace

void mlir::ds::emitModelDescriptor(llvm::Module &module, const ModelInterface &interface) {
  DescriptorBuilder(module, interface).build();
}

void mlir::ds::emitExecutableMain(llvm::Module &module, const ModelInterface &interface,
                                  const ImagePreprocess &image, int threads) {
  llvm::LLVMContext &ctx = module.getContext();
  auto *i32 = llvm::Type::getInt32Ty(ctx);
  auto *f32 = llvm::Type::getFloatTy(ctx);
  auto *ptr = llvm::PointerType::get(ctx, 0);
  // dsrt_exe_config: {dsrt_image_preprocess {float mean[3], std[3]; int32 layout,
  // reserved}; int32 threads, reserved}.
  auto *floats = llvm::ArrayType::get(f32, 3);
  auto *preType = llvm::StructType::get(ctx, {floats, floats, i32, i32});
  auto *configType = llvm::StructType::get(ctx, {preType, i32, i32});
  auto array = [&](const float *v) {
    return llvm::ConstantArray::get(floats, {llvm::ConstantFP::get(f32, v[0]),
                                             llvm::ConstantFP::get(f32, v[1]),
                                             llvm::ConstantFP::get(f32, v[2])});
  };
  auto *pre = llvm::ConstantStruct::get(preType, {array(image.mean), array(image.std),
                                                  llvm::ConstantInt::get(i32, image.nhwc ? 1 : 0),
                                                  llvm::ConstantInt::get(i32, 0)});
  auto *config = new llvm::GlobalVariable(
      module, configType, /*isConstant=*/true, llvm::GlobalValue::PrivateLinkage,
      llvm::ConstantStruct::get(configType, {pre, llvm::ConstantInt::get(i32, threads),
                                             llvm::ConstantInt::get(i32, 0)}),
      interface.symbol + "_config");
  auto *mainType = llvm::FunctionType::get(i32, {i32, ptr}, false);
  auto *mainFn = llvm::Function::Create(mainType, llvm::GlobalValue::ExternalLinkage, "main",
                                        module);
  llvm::FunctionCallee dsrtMain = module.getOrInsertFunction(
      "dsrt_main_ex", llvm::FunctionType::get(i32, {i32, ptr, ptr, ptr}, false));
  llvm::IRBuilder<> b(llvm::BasicBlock::Create(ctx, "entry", mainFn));
  llvm::Value *desc = module.getNamedGlobal(interface.symbol + "_model");
  b.CreateRet(b.CreateCall(dsrtMain, {mainFn->getArg(0), mainFn->getArg(1), desc, config}));
}

void mlir::ds::emitHeader(llvm::raw_ostream &os, const ModelInterface &m) {
  std::string guard = llvm::StringRef(m.symbol).upper() + "_H";
  os << "/* Generated by deepseek-compile for model '" << m.modelName << "'. */\n"
     << "#ifndef " << guard << "\n#define " << guard << "\n\n"
     << "#include <dsrt/dsrt.h>\n\n#ifdef __cplusplus\nextern \"C\" {\n#endif\n\n";
  auto list = [&](StringRef role, const std::vector<TensorInterface> &tensors) {
    for (auto [i, t] : llvm::enumerate(tensors)) {
      os << "/* " << role << " " << i << ": '" << t.name << "' " << dtypeName(t.dtype) << "[";
      llvm::interleave(t.dims, os, "x");
      os << "], " << t.sizeBytes << " bytes */\n";
    }
  };
  list("input", m.inputs);
  list("output", m.outputs);
  os << "#define " << llvm::StringRef(m.symbol).upper() << "_NUM_INPUTS " << m.inputs.size()
     << "\n#define " << llvm::StringRef(m.symbol).upper() << "_NUM_OUTPUTS "
     << m.outputs.size() << "\n\n"
     << "/* Open with dsrt_model_open(&" << m.symbol << "_model, &model). */\n"
     << "extern const dsrt_model_desc " << m.symbol << "_model;\n\n"
     << "#ifdef __cplusplus\n}\n#endif\n\n#endif /* " << guard << " */\n";
}
