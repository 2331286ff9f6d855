/* dsrt_io.c - host tensors: load/save dispatch by file extension, allocation, element
 * access. The formats themselves live in dsrt_npy.c, dsrt_pb.c and dsrt_json.c. */
#ifndef _POSIX_C_SOURCE
#define _POSIX_C_SOURCE 200809L
#endif

#include "dsrt_io_internal.h"

#include <errno.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>

void dsrt_io_error(char *err, size_t err_len, const char *path, const char *fmt, ...) {
  if (!err || err_len == 0)
    return;
  int n = snprintf(err, err_len, "%s: ", path ? path : "(null)");
  if (n < 0 || (size_t)n >= err_len)
    return;
  va_list ap;
  va_start(ap, fmt);
  vsnprintf(err + n, err_len - (size_t)n, fmt, ap);
  va_end(ap);
}

dsrt_status dsrt_read_file(const char *path, unsigned char **data, size_t *len, char *err,
                           size_t err_len) {
  *data = NULL;
  *len = 0;
  FILE *f = fopen(path, "rb");
  if (!f) {
    dsrt_io_error(err, err_len, path, "cannot open: %s", strerror(errno));
    return DSRT_ERR_IO;
  }
  /* Grow-as-we-go rather than trusting ftell, so pipes and /dev/fd work too. */
  size_t cap = 1 << 16, used = 0;
  unsigned char *buf = (unsigned char *)malloc(cap);
  while (buf) {
    if (used == cap) {
      unsigned char *bigger = cap > SIZE_MAX / 2 ? NULL : (unsigned char *)realloc(buf, cap * 2);
      if (!bigger) {
        free(buf);
        buf = NULL;
        break;
      }
      buf = bigger;
      cap *= 2;
    }
    size_t got = fread(buf + used, 1, cap - used, f);
    used += got;
    if (got == 0)
      break;
  }
  if (!buf) {
    fclose(f);
    dsrt_io_error(err, err_len, path, "out of memory reading the file");
    return DSRT_ERR_OUT_OF_MEMORY;
  }
  if (ferror(f)) {
    int e = errno;
    fclose(f);
    free(buf);
    dsrt_io_error(err, err_len, path, "read failed: %s", strerror(e));
    return DSRT_ERR_IO;
  }
  fclose(f);
  *data = buf;
  *len = used;
  return DSRT_OK;
}

dsrt_status dsrt_tensor_shape_alloc(dsrt_host_tensor *t, int32_t dtype, int32_t rank,
                                    const int64_t *dims, size_t max_bytes, const char *path,
                                    char *err, size_t err_len) {
  size_t esize = dsrt_dtype_size(dtype);
  if (esize == 0) {
    dsrt_io_error(err, err_len, path, "unsupported dtype %d", (int)dtype);
    return DSRT_ERR_DTYPE;
  }
  if (rank < 0 || rank > DSRT_MAX_RANK) {
    dsrt_io_error(err, err_len, path, "rank %d is not supported (at most %d)", (int)rank,
                  DSRT_MAX_RANK);
    return DSRT_ERR_SHAPE;
  }
  size_t numel = 1;
  for (int32_t i = 0; i < rank; ++i) {
    if (dims[i] < 0) {
      dsrt_io_error(err, err_len, path, "dim %d is negative (%lld)", (int)i, (long long)dims[i]);
      return DSRT_ERR_SHAPE;
    }
    if (dims[i] != 0 && numel > SIZE_MAX / esize / (uint64_t)dims[i]) {
      dsrt_io_error(err, err_len, path, "the shape is too large");
      return DSRT_ERR_SIZE;
    }
    numel *= (size_t)dims[i];
  }
  /* A file cannot describe more data than it holds: refuse before asking
   * the allocator for what a lying header claims. */
  if (numel * esize > max_bytes) {
    dsrt_io_error(err, err_len, path, "truncated data: the shape needs %zu bytes, the file holds %zu",
                  numel * esize, max_bytes);
    return DSRT_ERR_PARSE;
  }
  t->dtype = dtype;
  t->rank = rank;
  for (int32_t i = 0; i < rank; ++i)
    t->dims[i] = dims[i];
  t->size_bytes = numel * esize;
  /* Never malloc(0): callers treat a NULL data pointer as "no tensor". */
  t->data = calloc(t->size_bytes ? t->size_bytes : 1, 1);
  if (!t->data) {
    dsrt_io_error(err, err_len, path, "out of memory for %zu bytes", t->size_bytes);
    return DSRT_ERR_OUT_OF_MEMORY;
  }
  return DSRT_OK;
}

void dsrt_tensor_free(dsrt_host_tensor *t) {
  if (!t)
    return;
  free(t->data);
  memset(t, 0, sizeof(*t));
}

dsrt_status dsrt_tensor_alloc(dsrt_host_tensor *out, const dsrt_tensor_desc *desc, char *err,
                              size_t err_len) {
  memset(out, 0, sizeof(*out));
  const char *name = desc->name ? desc->name : "";
  dsrt_status st = dsrt_tensor_shape_alloc(out, desc->dtype, desc->rank, desc->dims, SIZE_MAX,
                                           name, err,
                                           err_len);
  if (st == DSRT_OK)
    snprintf(out->name, sizeof(out->name), "%s", name);
  return st;
}

dsrt_tensor dsrt_tensor_view(dsrt_host_tensor *t) {
  dsrt_tensor v = {t->dtype, t->rank, t->dims, t->data, t->size_bytes};
  return v;
}

size_t dsrt_tensor_numel(const dsrt_host_tensor *t) {
  size_t esize = dsrt_dtype_size(t->dtype);
  return esize ? t->size_bytes / esize : 0;
}

float dsrt_half_to_float(uint16_t h) {
  uint32_t sign = (uint32_t)(h >> 15) << 31, exp = (h >> 10) & 0x1f, mant = h & 0x3ff, bits;
  if (exp == 0x1f) {
    bits = sign | 0x7f800000u | (mant << 13); /* inf / nan */
  } else if (exp != 0) {
    bits = sign | ((exp + 112) << 23) | (mant << 13);
  } else if (mant == 0) {
    bits = sign; /* +-0 */
  } else { /* subnormal: normalize */
    exp = 113;
    while (!(mant & 0x400)) {
      mant <<= 1;
      --exp;
    }
    bits = sign | (exp << 23) | ((mant & 0x3ff) << 13);
  }
  float f;
  memcpy(&f, &bits, sizeof(f));
  return f;
}

float dsrt_bfloat16_to_float(uint16_t b) {
  uint32_t bits = (uint32_t)b << 16;
  float f;
  memcpy(&f, &bits, sizeof(f));
  return f;
}

double dsrt_tensor_get_f64(const dsrt_host_tensor *t, size_t i) {
  const unsigned char *p = (const unsigned char *)t->data;
  switch (t->dtype) {
  case DSRT_FLOAT32: return ((const float *)p)[i];
  case DSRT_FLOAT64: return ((const double *)p)[i];
  case DSRT_FLOAT16: return dsrt_half_to_float(((const uint16_t *)p)[i]);
  case DSRT_BFLOAT16: return dsrt_bfloat16_to_float(((const uint16_t *)p)[i]);
  case DSRT_UINT8: return p[i];
  case DSRT_BOOL: return p[i] != 0;
  case DSRT_INT8: return ((const int8_t *)p)[i];
  case DSRT_UINT16: return ((const uint16_t *)p)[i];
  case DSRT_INT16: return ((const int16_t *)p)[i];
  case DSRT_INT32: return ((const int32_t *)p)[i];
  case DSRT_UINT32: return ((const uint32_t *)p)[i];
  case DSRT_INT64: return (double)((const int64_t *)p)[i];
  case DSRT_UINT64: return (double)((const uint64_t *)p)[i];
  }
  return 0.0;
}

/* Case-insensitive "does path end with ext" (ext includes the dot). */
static int has_ext(const char *path, const char *ext) {
  size_t n = strlen(path), m = strlen(ext);
  if (n < m)
    return 0;
  for (size_t i = 0; i < m; ++i) {
    char c = path[n - m + i];
    if (c >= 'A' && c <= 'Z')
      c = (char)(c - 'A' + 'a');
    if (c != ext[i])
      return 0;
  }
  return 1;
}

dsrt_status dsrt_tensor_load(const char *path, dsrt_host_tensor *out, char *err, size_t err_len) {
  if (err && err_len)
    err[0] = '\0';
  if (!out)
    return DSRT_ERR_INVALID_ARGUMENT;
  memset(out, 0, sizeof(*out));
  if (!path) {
    dsrt_io_error(err, err_len, path, "no path given");
    return DSRT_ERR_INVALID_ARGUMENT;
  }
  int npy = has_ext(path, ".npy"), pb = has_ext(path, ".pb");
  if (!npy && !pb) {
    dsrt_io_error(err, err_len, path, "unknown file type (expected .npy or .pb)");
    return DSRT_ERR_INVALID_ARGUMENT;
  }
  unsigned char *buf;
  size_t len;
  dsrt_status st = dsrt_read_file(path, &buf, &len, err, err_len);
  if (st != DSRT_OK)
    return st;
  st = dsrt_tensor_parse(npy ? DSRT_TENSOR_FILE_NPY : DSRT_TENSOR_FILE_PB, buf, len, path, out,
                         err, err_len);
  free(buf);
  return st;
}

dsrt_status dsrt_tensor_parse(dsrt_tensor_file_format format, const unsigned char *buf,
                              size_t len, const char *path, dsrt_host_tensor *out, char *err,
                              size_t err_len) {
  memset(out, 0, sizeof(*out));
  dsrt_status st = format == DSRT_TENSOR_FILE_NPY ? dsrt_npy_parse(buf, len, path, out, err, err_len)
                                                  : dsrt_pb_parse(buf, len, path, out, err, err_len);
  if (st != DSRT_OK)
    dsrt_tensor_free(out);
  return st;
}

dsrt_status dsrt_tensor_save(const char *path, const dsrt_host_tensor *t, char *err,
                             size_t err_len) {
  if (err && err_len)
    err[0] = '\0';
  if (!path || !t || !t->data || dsrt_dtype_size(t->dtype) == 0) {
    dsrt_io_error(err, err_len, path, "nothing valid to save");
    return DSRT_ERR_INVALID_ARGUMENT;
  }
  int npy = has_ext(path, ".npy"), pb = has_ext(path, ".pb"), json = has_ext(path, ".json");
  if (!npy && !pb && !json) {
    dsrt_io_error(err, err_len, path, "unknown file type (expected .npy, .pb or .json)");
    return DSRT_ERR_INVALID_ARGUMENT;
  }
  dsrt_output out;
  dsrt_status st = dsrt_output_open(&out, path, "wb", err, err_len);
  if (st != DSRT_OK)
    return st;
  if (npy)
    st = dsrt_npy_write(out.f, t, path, err, err_len);
  else if (pb)
    st = dsrt_pb_write(out.f, t);
  else
    dsrt_json_write_tensor(out.f, t);
  return dsrt_output_close(&out, st, err, err_len);
}
