/* libFuzzer target: the image front end of compiled executables (JPEG/PNG
 * decoding by stb_image, resizing, normalization: runtime/dsrt_image.c) on
 * arbitrary bytes, into a 1x3x32x32 float input. */
#include "dsrt/dsrt_io.h"
#include "../runtime/dsrt_io_internal.h"

#include <stddef.h>
#include <stdint.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
  static const int64_t dims[4] = {1, 3, 32, 32};
  dsrt_tensor_desc input = {"image", DSRT_FLOAT32, 4, dims, 3 * 32 * 32 * 4};
  dsrt_image_preprocess pre = {{0.485f, 0.456f, 0.406f}, {0.229f, 0.224f, 0.225f},
                               DSRT_LAYOUT_NCHW, 0};
  dsrt_host_tensor t;
  char err[256];
  if (dsrt_image_decode(data, size, "fuzz.jpg", &input, &pre, &t, err, sizeof err) == DSRT_OK)
    dsrt_tensor_free(&t);
  return 0;
}
