/* dsrt_image.c - an image file (JPEG or PNG) as a model input.
 *
 * Decoded by stb_image (Debian's libstb-dev), resized with bilinear sampling
 * (half-pixel centers, as torchvision's Resize on tensors without antialias)
 * straight to the input's height and width, scaled to [0, 1], normalized per
 * channel, and laid out as the model wants it. Only what a classifier's
 * executable needs: no crop, no other formats. */
#ifndef _POSIX_C_SOURCE
#define _POSIX_C_SOURCE 200809L
#endif

#include "dsrt/dsrt_io.h"
#include "dsrt_io_internal.h"

#include <limits.h>
#include <stdlib.h>
#include <string.h>

#if defined(__GNUC__)
#pragma GCC diagnostic push
#pragma GCC diagnostic ignored "-Wsign-compare"
#pragma GCC diagnostic ignored "-Wunused-parameter"
#pragma GCC diagnostic ignored "-Wunused-function"
#pragma GCC diagnostic ignored "-Wimplicit-fallthrough"
#pragma GCC diagnostic ignored "-Wtype-limits"
#pragma GCC diagnostic ignored "-Wmissing-field-initializers"
#pragma GCC diagnostic ignored "-Wdouble-promotion"
#pragma GCC diagnostic ignored "-Wshadow"
#endif
#define STB_IMAGE_IMPLEMENTATION
#define STB_IMAGE_STATIC
#define STBI_ONLY_JPEG
#define STBI_ONLY_PNG
#define STBI_FAILURE_USERMSG
/* A model input is resized from the image: 8192 pixels a side is plenty, and
 * a crafted header cannot make the decoder allocate gigabytes. */
#define STBI_MAX_DIMENSIONS 8192
/* Zeroed allocations: stb 2.27 decodes a scan with whatever its Huffman
 * tables hold, and a table the file never defined holds stale heap bytes
 * (from an earlier image) that index its symbols out of bounds. A zeroed
 * table decodes every code as symbol 0, so even a table the checks below
 * miss cannot send the decoder outside its arrays. Grown buffers are zeroed
 * past their old size too: stb 2.27 inflates the invalid DEFLATE distance
 * codes 30 and 31 as distance 0, copying output bytes not yet written,
 * which would otherwise be whatever the heap held. */
static void *dsrt_stbi_realloc_zeroed(void *p, size_t old_size, size_t new_size) {
  unsigned char *grown = (unsigned char *)realloc(p, new_size);
  if (grown && new_size > old_size)
    memset(grown + old_size, 0, new_size - old_size);
  return grown;
}
#define STBI_MALLOC(size) calloc(1, size)
#define STBI_REALLOC_SIZED(p, old_size, new_size)                                           \
  dsrt_stbi_realloc_zeroed(p, (size_t)(old_size), (size_t)(new_size))
#define STBI_FREE(p) free(p)
#include <stb/stb_image.h>
#if defined(__GNUC__)
#pragma GCC diagnostic pop
/* stb declares every entry point static here; the unused ones are reported at the end
 * of the file, outside the push/pop above. */
#pragma GCC diagnostic ignored "-Wunused-function"
#endif

const dsrt_image_preprocess dsrt_imagenet_preprocess = {
    {0.485f, 0.456f, 0.406f}, {0.229f, 0.224f, 0.225f}, DSRT_LAYOUT_NCHW, 0};

int dsrt_is_image_path(const char *path) {
  size_t n = strlen(path);
  const char *exts[] = {".jpg", ".jpeg", ".png", ".JPG", ".JPEG", ".PNG"};
  for (size_t i = 0; i < sizeof(exts) / sizeof(exts[0]); ++i) {
    size_t m = strlen(exts[i]);
    if (n >= m && !strcmp(path + n - m, exts[i]))
      return 1;
  }
  return 0;
}

/* Pixel (x, y) of channel c, bilinear, from an 8-bit interleaved image. */
static float sample(const unsigned char *img, int w, int h, int channels, int c, float x,
                    float y) {
  if (x < 0)
    x = 0;
  if (y < 0)
    y = 0;
  int x0 = (int)x, y0 = (int)y;
  int x1 = x0 + 1 < w ? x0 + 1 : w - 1, y1 = y0 + 1 < h ? y0 + 1 : h - 1;
  if (x0 > w - 1)
    x0 = w - 1;
  if (y0 > h - 1)
    y0 = h - 1;
  float fx = x - (float)x0, fy = y - (float)y0;
#define PX(xx, yy) ((float)img[((size_t)(yy) * (size_t)w + (size_t)(xx)) * (size_t)channels + (size_t)c])
  float top = PX(x0, y0) * (1 - fx) + PX(x1, y0) * fx;
  float bottom = PX(x0, y1) * (1 - fx) + PX(x1, y1) * fx;
#undef PX
  return top * (1 - fy) + bottom * fy;
}

dsrt_status dsrt_image_load(const char *path, const dsrt_tensor_desc *input,
                            const dsrt_image_preprocess *pre, dsrt_host_tensor *out, char *err,
                            size_t err_len) {
  memset(out, 0, sizeof(*out));
  unsigned char *file = NULL;
  size_t len = 0;
  dsrt_status status = dsrt_read_file(path, &file, &len, err, err_len);
  if (status != DSRT_OK)
    return status;
  status = dsrt_image_decode(file, len, path, input, pre, out, err, err_len);
  free(file);
  return status;
}

/* stb_image 2.27 (Debian's libstb-dev) writes past a 257-entry table when a
 * JPEG Huffman table declares more than 256 codes (fixed upstream in 2.28).
 * stb resynchronizes on any 0xFF-marker pair after a segment, so rather than
 * follow segment lengths this looks at every DHT marker (FF C4) in a file that
 * starts as a JPEG: a valid JPEG has no other FF C4 pairs (entropy-coded 0xFF
 * bytes are followed by 00 or a restart marker). Returns 0 for a table with
 * more than 256 codes, 256 codes ending within stb's 9-bit lookup, more codes
 * of some length than that length allows, or a scan that uses a table not
 * defined before it. */
static int jpeg_huffman_tables_ok(const unsigned char *buf, size_t len) {
  size_t start = 0;
  while (start < len && buf[start] == 0xFF) /* SOI after any fill bytes */
    ++start;
  if (start == 0 || start >= len || buf[start] != 0xD8)
    return 1; /* not a JPEG: stb decides */
  /* Tables defined so far, by class (0 DC, 1 AC) and id (0-3): a scan that
   * selects one never defined makes stb 2.27 decode with whatever its table
   * memory holds (stale bytes of an earlier image read out of bounds before
   * stb's allocations were zeroed, above). */
  int defined[2][4] = {{0}};
  /* stb decodes a baseline scan (SOF0/SOF1) with both of its tables, whatever
   * its spectral range says, and a progressive one (SOF2) with the DC table
   * when it starts at 0, the AC table otherwise. A frame counts as
   * progressive only if no baseline SOF pair came before the scan, so a stray
   * FF C2 inside some segment cannot lift the AC check. */
  int baseline_seen = 0, progressive_seen = 0;
  for (size_t at = start; at + 4 <= len; ++at) {
    if (buf[at] != 0xFF)
      continue;
    if (buf[at + 1] == 0xC0 || buf[at + 1] == 0xC1)
      baseline_seen = 1;
    if (buf[at + 1] == 0xC2)
      progressive_seen = 1;
    if (buf[at + 1] == 0xDA) { /* SOS: Ns, Ns x (Cs, Td|Ta), Ss, Se, Ah|Al */
      size_t p = at + 4, ns = p < len ? buf[p] : 0;
      if (p + 1 + 2 * ns + 2 > len)
        continue; /* truncated: stb reports it */
      int ss = buf[p + 1 + 2 * ns], se = buf[p + 2 + 2 * ns];
      int progressive = progressive_seen && !baseline_seen;
      int uses_dc = ss == 0, uses_ac = !progressive || ss > 0 || se > 0;
      for (size_t c = 0; c < ns; ++c) {
        int tables = buf[p + 2 + 2 * c], td = tables >> 4, ta = tables & 15;
        if ((uses_dc && (td > 3 || !defined[0][td])) ||
            (uses_ac && (ta > 3 || !defined[1][ta])))
          return 0;
      }
      continue;
    }
    if (buf[at + 1] != 0xC4)
      continue;
    size_t seg = ((size_t)buf[at + 2] << 8) | buf[at + 3];
    size_t end = at + 2 + seg < len ? at + 2 + seg : len; /* stb reads truncated ones */
    for (size_t p = at + 4; p < end;) {
      /* Counts past the end of the file read as 0, as in stb. A canonical
       * Huffman code of lengths 1..16 cannot hold more than 2^j codes of
       * length <= j; stb 2.27 indexes its tables out of bounds for such
       * over-subscribed tables (2.28 checks). */
      size_t codes = 0, space = 0, longest = 0;
      for (size_t i = 1; i <= 16; ++i) {
        size_t count = p + i < len ? buf[p + i] : 0;
        codes += count;
        longest = count ? i : longest;
        space = (space + count) << 1;
        if (space > ((size_t)1 << (i + 1)))
          return 0;
      }
      /* stb's 9-bit lookup table marks "no code" with index 255, so with 256
       * codes the last one must be longer than 9 bits or its lookups fail
       * stb's assertion (a debug build aborts). No encoder writes more than
       * 242 symbols to a table. */
      if (codes > 256 || (codes == 256 && longest <= 9))
        return 0;
      int tc = buf[p] >> 4, th = buf[p] & 15;
      if (tc < 2 && th < 4)
        defined[tc][th] = 1;
      p += 17 + codes;
    }
  }
  return 1;
}

/* A PNG chunk is never longer than the bytes after its header: stb 2.27
 * grows its IDAT buffer to the declared length (up to 2 GiB for a 58-byte
 * file, found by the stb audit of 2026-11-30) before it finds the data
 * missing. Returns 0 for such a chunk before IEND. */
static int png_chunk_lengths_ok(const unsigned char *buf, size_t len) {
  static const unsigned char signature[8] = {137, 80, 78, 71, 13, 10, 26, 10};
  if (len < 8 || memcmp(buf, signature, 8))
    return 1; /* not a PNG: stb decides */
  for (size_t at = 8; at + 8 <= len;) {
    size_t chunk = ((size_t)buf[at] << 24) | ((size_t)buf[at + 1] << 16) |
                   ((size_t)buf[at + 2] << 8) | buf[at + 3];
    if (chunk > len - at - 8)
      return 0;
    if (!memcmp(buf + at + 4, "IEND", 4))
      break;
    at += 12 + chunk; /* length, type, data, CRC */
  }
  return 1;
}

dsrt_status dsrt_image_decode(const unsigned char *buf, size_t len, const char *path,
                              const dsrt_tensor_desc *input, const dsrt_image_preprocess *pre,
                              dsrt_host_tensor *out, char *err, size_t err_len) {
  memset(out, 0, sizeof(*out));
  int nchw = !pre || pre->layout == DSRT_LAYOUT_NCHW;
  if (input->dtype != DSRT_FLOAT32 || input->rank != 4 || input->dims[0] != 1) {
    dsrt_io_error(err, err_len, path,
                  "an image can only feed a float32 input of shape [1, C, H, W] or "
                  "[1, H, W, C]; input '%s' is not one",
                  input->name ? input->name : "?");
    return DSRT_ERR_INVALID_ARGUMENT;
  }
  int64_t channels = nchw ? input->dims[1] : input->dims[3];
  int64_t height = nchw ? input->dims[2] : input->dims[1];
  int64_t width = nchw ? input->dims[3] : input->dims[2];
  if (channels != 1 && channels != 3) {
    dsrt_io_error(err, err_len, path,
                  "input '%s' has %lld channels; images give 1 (gray) or 3 (RGB)%s",
                  input->name ? input->name : "?", (long long)channels,
                  nchw ? "" : " (is the layout NHWC?)");
    return DSRT_ERR_INVALID_ARGUMENT;
  }
  int w = 0, h = 0, found = 0;
  if (!jpeg_huffman_tables_ok(buf, len)) {
    dsrt_io_error(err, err_len, path,
                  "cannot read as a JPEG or PNG image: corrupt JPEG (an invalid Huffman "
                  "table)");
    return DSRT_ERR_IO;
  }
  if (!png_chunk_lengths_ok(buf, len)) {
    dsrt_io_error(err, err_len, path,
                  "cannot read as a JPEG or PNG image: corrupt PNG (a chunk longer than the "
                  "file)");
    return DSRT_ERR_IO;
  }
  if (len > (size_t)INT_MAX) {
    dsrt_io_error(err, err_len, path, "the image file is over 2 GB");
    return DSRT_ERR_INVALID_ARGUMENT;
  }
  unsigned char *img = stbi_load_from_memory(buf, (int)len, &w, &h, &found, (int)channels);
  if (!img) {
    dsrt_io_error(err, err_len, path, "cannot read as a JPEG or PNG image: %s",
                  stbi_failure_reason());
    return DSRT_ERR_IO;
  }
  size_t count = (size_t)(channels * height * width);
  float *data = (float *)malloc(count * sizeof(float));
  if (!data) {
    stbi_image_free(img);
    dsrt_io_error(err, err_len, path, "out of memory");
    return DSRT_ERR_OUT_OF_MEMORY;
  }
  float sx = (float)w / (float)width, sy = (float)h / (float)height;
  for (int64_t y = 0; y < height; ++y)
    for (int64_t x = 0; x < width; ++x)
      for (int64_t c = 0; c < channels; ++c) {
        float v = sample(img, w, h, (int)channels, (int)c, ((float)x + 0.5f) * sx - 0.5f,
                         ((float)y + 0.5f) * sy - 0.5f) / 255.0f;
        int k = channels == 1 ? 0 : (int)c;
        if (pre)
          v = (v - pre->mean[k]) / pre->std[k];
        size_t at = nchw ? (size_t)((c * height + y) * width + x)
                         : (size_t)((y * width + x) * channels + c);
        data[at] = v;
      }
  stbi_image_free(img);
  out->dtype = DSRT_FLOAT32;
  out->rank = 4;
  for (int i = 0; i < 4; ++i)
    out->dims[i] = input->dims[i];
  out->data = data;
  out->size_bytes = count * sizeof(float);
  snprintf(out->name, sizeof(out->name), "%s", input->name ? input->name : "");
  return DSRT_OK;
}
