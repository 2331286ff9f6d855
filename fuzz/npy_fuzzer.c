/* libFuzzer target: the .npy reader compiled executables and deepseek-run use
 * for --input (runtime/dsrt_npy.c), on arbitrary bytes. */
#include "dsrt/dsrt_io.h"
#include "../runtime/dsrt_io_internal.h"

#include <stddef.h>
#include <stdint.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
  dsrt_host_tensor t;
  char err[256];
  if (dsrt_npy_parse(data, size, "fuzz.npy", &t, err, sizeof err) == DSRT_OK)
    dsrt_tensor_free(&t);
  return 0;
}
