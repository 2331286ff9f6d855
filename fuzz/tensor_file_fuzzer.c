/* libFuzzer target: the tensor file readers compiled executables and
 * deepseek-run use for --input, on arbitrary bytes. Built twice:
 * npy_fuzzer (runtime/dsrt_npy.c) and pb_fuzzer (ONNX TensorProto,
 * runtime/dsrt_pb.c), DSRT_FUZZ_FORMAT naming the format. */
#include "dsrt/dsrt_io.h"
#include "../runtime/dsrt_io_internal.h"

#include <stddef.h>
#include <stdint.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
  dsrt_host_tensor t;
  char err[256];
  if (dsrt_tensor_parse(DSRT_FUZZ_FORMAT, data, size, "fuzz-input", &t, err, sizeof err) ==
      DSRT_OK)
    dsrt_tensor_free(&t);
  return 0;
}
