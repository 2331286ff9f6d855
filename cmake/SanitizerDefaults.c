/* Sanitizer run-time options compiled into every executable of a
 * DEEPSEEK_SANITIZE build (CMakeLists.txt adds this file), so the tools behave
 * the same from ctest, lit, scripts or a shell, without ASAN_OPTIONS.
 *
 * allow_user_poisoning=0: LLVM's BumpPtrAllocator, inlined into our
 * instrumented code, poisons the free part of its slabs, but libMLIR.so's own
 * (uninstrumented) copy hands that memory out without unpoisoning it, which
 * reads as use-after-poison. ASan still guards every heap block and stack
 * frame; only LLVM's manual poisoning is ignored. An ASAN_OPTIONS setting
 * overrides these. */
const char *__asan_default_options(void);
const char *__ubsan_default_options(void);

const char *__asan_default_options(void) { return "allow_user_poisoning=0"; }
const char *__ubsan_default_options(void) { return "print_stacktrace=1"; }
