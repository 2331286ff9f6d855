/* dsrt_npy.c - NumPy .npy files: read format 1.0/2.0/3.0, write 1.0.
 *
 * The header is a Python dict literal such as
 *   {'descr': '<f4', 'fortran_order': False, 'shape': (2, 3), }
 * which we scan for the three keys rather than parse as Python: that is all NumPy
 * writes. Only little-endian, C-order data is accepted, the layout compiled models use. */
#ifndef _POSIX_C_SOURCE
#define _POSIX_C_SOURCE 200809L
#endif

#include "dsrt_io_internal.h"

#include <stdint.h>
#include <string.h>

static const unsigned char npy_magic[6] = {0x93, 'N', 'U', 'M', 'P', 'Y'};

/* dtype <-> descr without the byte-order character. */
static const struct {
  int32_t dtype;
  const char *code;
} npy_codes[] = {
    {DSRT_FLOAT32, "f4"}, {DSRT_FLOAT64, "f8"}, {DSRT_FLOAT16, "f2"}, {DSRT_UINT8, "u1"},
    {DSRT_INT8, "i1"},    {DSRT_INT16, "i2"},   {DSRT_UINT16, "u2"},  {DSRT_INT32, "i4"},
    {DSRT_UINT32, "u4"},  {DSRT_INT64, "i8"},   {DSRT_UINT64, "u8"},  {DSRT_BOOL, "b1"},
};
#define NPY_NCODES (sizeof(npy_codes) / sizeof(npy_codes[0]))

typedef struct {
  const char *p, *end;
} cursor;

static void skip_ws(cursor *c) {
  while (c->p < c->end && (*c->p == ' ' || *c->p == '\t' || *c->p == '\n' || *c->p == '\r'))
    ++c->p;
}

static int accept(cursor *c, char ch) {
  skip_ws(c);
  if (c->p < c->end && *c->p == ch) {
    ++c->p;
    return 1;
  }
  return 0;
}

/* Positions c just after "'key':" (either quote style); 0 if the key is missing. */
static int find_key(const char *h, size_t len, const char *key, cursor *c) {
  size_t k = strlen(key);
  for (size_t i = 0; i + k + 2 <= len; ++i) {
    char q = h[i];
    if ((q == '\'' || q == '"') && memcmp(h + i + 1, key, k) == 0 && h[i + 1 + k] == q) {
      c->p = h + i + k + 2;
      c->end = h + len;
      return accept(c, ':');
    }
  }
  return 0;
}

/* Reads a quoted string value into out (truncating to out_len - 1). */
static int read_string(cursor *c, char *out, size_t out_len) {
  skip_ws(c);
  if (c->p >= c->end || (*c->p != '\'' && *c->p != '"'))
    return 0;
  char q = *c->p++;
  size_t n = 0;
  while (c->p < c->end && *c->p != q) {
    if (n + 1 < out_len)
      out[n++] = *c->p;
    ++c->p;
  }
  out[n] = '\0';
  return c->p < c->end && *c->p++ == q;
}

/* Reads a tuple of non-negative integers like "(2, 3)", "(5,)" or "()". */
static int read_shape(cursor *c, int64_t *dims, int32_t *rank) {
  *rank = 0;
  if (!accept(c, '('))
    return 0;
  for (;;) {
    if (accept(c, ')'))
      return 1;
    skip_ws(c);
    if (c->p >= c->end || *c->p < '0' || *c->p > '9' || *rank >= DSRT_MAX_RANK)
      return 0;
    int64_t v = 0;
    while (c->p < c->end && *c->p >= '0' && *c->p <= '9') {
      if (v > (INT64_MAX - 9) / 10)
        return 0;
      v = v * 10 + (*c->p++ - '0');
    }
    if (c->p < c->end && *c->p == 'L') /* Python 2 longs */
      ++c->p;
    dims[(*rank)++] = v;
    if (!accept(c, ',')) {
      return accept(c, ')');
    }
  }
}

static uint32_t le32(const unsigned char *p) {
  return (uint32_t)p[0] | (uint32_t)p[1] << 8 | (uint32_t)p[2] << 16 | (uint32_t)p[3] << 24;
}

dsrt_status dsrt_npy_parse(const unsigned char *buf, size_t len, const char *path,
                   dsrt_host_tensor *out, char *err, size_t err_len) {
  if (len < 10 || memcmp(buf, npy_magic, sizeof(npy_magic)) != 0) {
    dsrt_io_error(err, err_len, path, len < 10 ? "truncated .npy file (%zu bytes)"
                                               : "bad magic: not a .npy file (%zu bytes)", len);
    return DSRT_ERR_PARSE;
  }
  unsigned major = buf[6];
  size_t hstart, hlen;
  if (major == 1) {
    hstart = 10;
    hlen = (size_t)buf[8] | (size_t)buf[9] << 8;
  } else if (major == 2 || major == 3) {
    if (len < 12) {
      dsrt_io_error(err, err_len, path, "truncated .npy header");
      return DSRT_ERR_PARSE;
    }
    hstart = 12;
    hlen = le32(buf + 8);
  } else {
    dsrt_io_error(err, err_len, path, "unsupported .npy format version %u.%u", major, buf[7]);
    return DSRT_ERR_PARSE;
  }
  if (hlen > len - hstart) {
    dsrt_io_error(err, err_len, path, "truncated .npy header (%zu of %zu bytes)", len - hstart,
                  hlen);
    return DSRT_ERR_PARSE;
  }
  const char *h = (const char *)buf + hstart;

  cursor c;
  char descr[16];
  if (!find_key(h, hlen, "descr", &c) || !read_string(&c, descr, sizeof(descr))) {
    dsrt_io_error(err, err_len, path, "malformed .npy header: no 'descr' string (structured arrays are not supported)");
    return DSRT_ERR_PARSE;
  }
  int32_t dtype = 0;
  for (size_t i = 0; i < NPY_NCODES; ++i)
    if (descr[0] && strcmp(descr + 1, npy_codes[i].code) == 0)
      dtype = npy_codes[i].dtype;
  int one_byte = dtype && dsrt_dtype_size(dtype) == 1;
  if (!dtype || !(descr[0] == '<' || descr[0] == '=' || descr[0] == '|' ||
                  (descr[0] == '>' && one_byte))) {
    dsrt_io_error(err, err_len, path, "unsupported .npy dtype '%s'%s", descr,
                  descr[0] == '>' ? " (big-endian)" : "");
    return DSRT_ERR_DTYPE;
  }

  if (!find_key(h, hlen, "fortran_order", &c)) {
    dsrt_io_error(err, err_len, path, "malformed .npy header: no 'fortran_order'");
    return DSRT_ERR_PARSE;
  }
  skip_ws(&c);
  if ((size_t)(c.end - c.p) >= 4 && memcmp(c.p, "True", 4) == 0) {
    dsrt_io_error(err, err_len, path,
                  "fortran_order True is not supported; save the array in C order "
                  "(numpy.ascontiguousarray)");
    return DSRT_ERR_PARSE;
  }
  if ((size_t)(c.end - c.p) < 5 || memcmp(c.p, "False", 5) != 0) {
    dsrt_io_error(err, err_len, path, "malformed .npy header: bad 'fortran_order'");
    return DSRT_ERR_PARSE;
  }

  int64_t dims[DSRT_MAX_RANK];
  int32_t rank;
  if (!find_key(h, hlen, "shape", &c) || !read_shape(&c, dims, &rank)) {
    dsrt_io_error(err, err_len, path, "malformed .npy header: bad 'shape' (rank at most %d)",
                  DSRT_MAX_RANK);
    return DSRT_ERR_PARSE;
  }

  dsrt_status st =
      dsrt_tensor_shape_alloc(out, dtype, rank, dims, len - hstart - hlen, path, err, err_len);
  if (st != DSRT_OK)
    return st;
  size_t have = len - hstart - hlen;
  if (have != out->size_bytes) {
    dsrt_io_error(err, err_len, path, "%s .npy data: %zu bytes, the header says %zu",
                  have < out->size_bytes ? "truncated" : "trailing bytes after", have,
                  out->size_bytes);
    return DSRT_ERR_PARSE;
  }
  memcpy(out->data, buf + hstart + hlen, out->size_bytes);
  return DSRT_OK;
}

dsrt_status dsrt_npy_write(FILE *f, const dsrt_host_tensor *t, const char *path, char *err,
                           size_t err_len) {
  const char *code = NULL;
  for (size_t i = 0; i < NPY_NCODES; ++i)
    if (npy_codes[i].dtype == t->dtype)
      code = npy_codes[i].code;
  if (!code || t->rank < 0 || t->rank > DSRT_MAX_RANK) {
    dsrt_io_error(err, err_len, path, "%s cannot be stored in a .npy file",
                  code ? "this rank" : dsrt_dtype_name(t->dtype));
    return DSRT_ERR_DTYPE;
  }
  char hdr[1024];
  int n = snprintf(hdr, sizeof(hdr), "{'descr': '%c%s', 'fortran_order': False, 'shape': (",
                   dsrt_dtype_size(t->dtype) == 1 ? '|' : '<', code);
  for (int32_t i = 0; i < t->rank; ++i)
    n += snprintf(hdr + n, sizeof(hdr) - (size_t)n, "%s%lld", i ? ", " : "",
                  (long long)t->dims[i]);
  n += snprintf(hdr + n, sizeof(hdr) - (size_t)n, "%s), }", t->rank == 1 ? "," : "");
  /* NumPy pads with spaces and a final newline so the data starts 64-byte aligned. */
  size_t total = 10 + (size_t)n + 1;
  size_t padded = (total + 63) / 64 * 64;
  memset(hdr + n, ' ', padded - total);
  n += (int)(padded - total);
  hdr[n++] = '\n';
  unsigned char pre[10];
  memcpy(pre, npy_magic, 6);
  pre[6] = 1;
  pre[7] = 0;
  pre[8] = (unsigned char)(n & 0xff);
  pre[9] = (unsigned char)(n >> 8);
  fwrite(pre, 1, sizeof(pre), f);
  fwrite(hdr, 1, (size_t)n, f);
  fwrite(t->data, 1, t->size_bytes, f);
  return DSRT_OK;
}
