//===- deepseek-tools.cpp - deepseek-compile and deepseek-optimize in one -===//
//
// Built only with -DDEEPSEEK_STATIC_LLVM: each statically linked tool carries
// ~170 MB of the same LLVM and MLIR code, so scripts/gpu-check.sh carries this
// one executable under both names. It runs the tool its name (or its first
// argument, `deepseek-tools compile ...`) says.
//
//===----------------------------------------------------------------------===//

#include <cstdio>
#include <cstring>
#include <string>

int deepseekCompileMain(int argc, char **argv);
int deepseekOptimizeMain(int argc, char **argv);

int main(int argc, char **argv) {
  std::string name = argv[0];
  name = name.substr(name.find_last_of('/') + 1);
  if (name == "deepseek-optimize")
    return deepseekOptimizeMain(argc, argv);
  if (name == "deepseek-compile")
    return deepseekCompileMain(argc, argv);
  if (argc > 1 && std::strcmp(argv[1], "optimize") == 0)
    return deepseekOptimizeMain(argc - 1, argv + 1);
  if (argc > 1 && std::strcmp(argv[1], "compile") == 0)
    return deepseekCompileMain(argc - 1, argv + 1);
  const char *usage = "usage: deepseek-tools compile|optimize ARGS... (or run it as "
                      "deepseek-compile / deepseek-optimize)\n";
  std::fputs(usage, stderr);
  return 2;
}
