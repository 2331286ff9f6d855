/* dsrt_pb.c - ONNX TensorProto (.pb) files with a minimal protobuf wire-format codec.
 *
 * A TensorProto is small enough to decode by hand, which keeps protobuf out of the
 * runtime's dependencies. Reading takes two passes over the message: the first collects
 * dims, data_type, name, raw_data and how many typed values each repeated field holds
 * (fields may come in any order), the second stores the typed values once the element
 * type and count are known. Field numbers are those of onnx.proto's TensorProto. */
#ifndef _POSIX_C_SOURCE
#define _POSIX_C_SOURCE 200809L
#endif

#include "dsrt_io_internal.h"

#include <string.h>

enum {
  F_DIMS = 1, F_DATA_TYPE = 2, F_FLOAT_DATA = 4, F_INT32_DATA = 5, F_STRING_DATA = 6,
  F_INT64_DATA = 7, F_NAME = 8, F_RAW_DATA = 9, F_DOUBLE_DATA = 10, F_UINT64_DATA = 11,
  F_EXTERNAL_DATA = 13, F_DATA_LOCATION = 14
};
enum { WT_VARINT = 0, WT_FIXED64 = 1, WT_BYTES = 2, WT_FIXED32 = 5 };
#define ONNX_STRING 8

typedef struct {
  const unsigned char *p, *end;
} pbuf;

/* What pass 1 learns about the message. */
typedef struct {
  int64_t dims[DSRT_MAX_RANK];
  int32_t rank;
  uint64_t data_type;
  const unsigned char *raw;
  size_t raw_len;
  int has_raw;
  int external;
  size_t count[12]; /* typed values seen, by field number */
  char name[128];
} pb_info;

/* Where pass 2 stores typed values. */
typedef struct {
  dsrt_host_tensor *t;
  int field; /* the typed field that carries this dtype */
  size_t next;
} pb_fill;

static int read_varint(pbuf *b, uint64_t *v) {
  uint64_t r = 0;
  for (int shift = 0; shift < 64; shift += 7) {
    if (b->p >= b->end)
      return 0;
    unsigned char c = *b->p++;
    r |= (uint64_t)(c & 0x7f) << shift;
    if (!(c & 0x80)) {
      *v = r;
      return 1;
    }
  }
  return 0; /* more than 10 bytes */
}

static uint64_t load_le(const unsigned char *p, int n) {
  uint64_t v = 0;
  for (int i = n - 1; i >= 0; --i)
    v = v << 8 | p[i];
  return v;
}

/* The repeated field holding values of an ONNX data type, or 0 if there is none. */
static int typed_field(uint64_t dtype) {
  switch (dtype) {
  case DSRT_FLOAT32: return F_FLOAT_DATA;
  case DSRT_INT32: case DSRT_INT16: case DSRT_INT8: case DSRT_UINT16: case DSRT_UINT8:
  case DSRT_BOOL: case DSRT_FLOAT16: case DSRT_BFLOAT16: return F_INT32_DATA;
  case DSRT_INT64: return F_INT64_DATA;
  case DSRT_FLOAT64: return F_DOUBLE_DATA;
  case DSRT_UINT32: case DSRT_UINT64: return F_UINT64_DATA;
  }
  return 0;
}

/* Stores one typed value (raw bits or a varint) as element fill->next. */
static void store(pb_fill *fill, uint64_t v) {
  dsrt_host_tensor *t = fill->t;
  unsigned char *dst = (unsigned char *)t->data + fill->next * dsrt_dtype_size(t->dtype);
  fill->next++;
  switch (dsrt_dtype_size(t->dtype)) {
  case 1: *dst = t->dtype == DSRT_BOOL ? (v != 0) : (unsigned char)v; break;
  case 2: { uint16_t x = (uint16_t)v; memcpy(dst, &x, 2); break; }
  case 4: { uint32_t x = (uint32_t)v; memcpy(dst, &x, 4); break; }
  default: memcpy(dst, &v, 8); break;
  }
}

/* One typed value arrived for `field`: count it (pass 1) or store it (pass 2). */
static void typed_value(pb_info *info, pb_fill *fill, int field, uint64_t v) {
  if (fill) {
    if (field == fill->field && fill->next < dsrt_tensor_numel(fill->t))
      store(fill, v);
  } else {
    info->count[field]++;
  }
}

/* Walks every field of the message. Pass 1 (fill == NULL) fills *info; pass 2 stores
 * typed values. Returns DSRT_OK or an error with a message. */
static dsrt_status pb_walk(const unsigned char *buf, size_t len, pb_info *info, pb_fill *fill,
                           const char *path, char *err, size_t err_len) {
  pbuf b = {buf, buf + len};
  while (b.p < b.end) {
    size_t at = (size_t)(b.p - buf);
    uint64_t key, v = 0;
    if (!read_varint(&b, &key))
      goto truncated;
    int field = key >> 3 > 64 ? 64 : (int)(key >> 3), wt = (int)(key & 7);
    pbuf sub = {NULL, NULL};
    switch (wt) {
    case WT_VARINT:
      if (!read_varint(&b, &v))
        goto truncated;
      break;
    case WT_FIXED64:
    case WT_FIXED32: {
      size_t n = wt == WT_FIXED64 ? 8 : 4;
      if ((size_t)(b.end - b.p) < n)
        goto truncated;
      v = load_le(b.p, (int)n);
      b.p += n;
      break;
    }
    case WT_BYTES:
      if (!read_varint(&b, &v) || v > (uint64_t)(b.end - b.p))
        goto truncated;
      sub.p = b.p;
      sub.end = b.p + v;
      b.p += v;
      break;
    default:
      dsrt_io_error(err, err_len, path, "not a TensorProto: wire type %d at byte %zu", wt, at);
      return DSRT_ERR_PARSE;
    }
    if (field == 0) {
      dsrt_io_error(err, err_len, path, "not a TensorProto: field number 0 at byte %zu", at);
      return DSRT_ERR_PARSE;
    }

    /* The wire types each known field may legally use; packed repeated scalars come as
     * WT_BYTES, unpacked ones one value at a time. */
    int ok = 1;
    switch (field) {
    case F_DIMS:
    case F_INT32_DATA:
    case F_INT64_DATA:
    case F_UINT64_DATA:
      if (wt == WT_VARINT) {
        if (field == F_DIMS) {
          if (!fill && info->rank < DSRT_MAX_RANK)
            info->dims[info->rank] = (int64_t)v;
          if (!fill)
            info->rank++;
        } else {
          typed_value(info, fill, field, v);
        }
      } else if (wt == WT_BYTES) {
        while (sub.p < sub.end) {
          if (!read_varint(&sub, &v))
            goto truncated;
          if (field == F_DIMS) {
            if (!fill && info->rank < DSRT_MAX_RANK)
              info->dims[info->rank] = (int64_t)v;
            if (!fill)
              info->rank++;
          } else {
            typed_value(info, fill, field, v);
          }
        }
      } else {
        ok = 0;
      }
      break;
    case F_FLOAT_DATA:
    case F_DOUBLE_DATA: {
      int fixed = field == F_FLOAT_DATA ? WT_FIXED32 : WT_FIXED64;
      size_t n = field == F_FLOAT_DATA ? 4 : 8;
      if (wt == fixed) {
        typed_value(info, fill, field, v);
      } else if (wt == WT_BYTES && (size_t)(sub.end - sub.p) % n == 0) {
        for (; sub.p < sub.end; sub.p += n)
          typed_value(info, fill, field, load_le(sub.p, (int)n));
      } else {
        ok = 0;
      }
      break;
    }
    case F_DATA_TYPE:
      ok = wt == WT_VARINT;
      info->data_type = v;
      break;
    case F_STRING_DATA:
      dsrt_io_error(err, err_len, path, "string tensors are not supported");
      return DSRT_ERR_DTYPE;
    case F_NAME:
      ok = wt == WT_BYTES;
      if (ok && !fill) {
        size_t n = (size_t)(sub.end - sub.p);
        if (n >= sizeof(info->name))
          n = sizeof(info->name) - 1;
        memcpy(info->name, sub.p, n);
        info->name[n] = '\0';
      }
      break;
    case F_RAW_DATA:
      ok = wt == WT_BYTES;
      info->raw = sub.p;
      info->raw_len = (size_t)(sub.end - sub.p);
      info->has_raw = 1;
      break;
    case F_EXTERNAL_DATA:
      info->external = 1;
      break;
    case F_DATA_LOCATION:
      ok = wt == WT_VARINT;
      if (v == 1) /* EXTERNAL */
        info->external = 1;
      break;
    default:
      break; /* segment, doc_string, metadata_props, ...: not needed */
    }
    if (!ok) {
      dsrt_io_error(err, err_len, path,
                    "not a TensorProto: field %d has wire type %d at byte %zu", field, wt, at);
      return DSRT_ERR_PARSE;
    }
  }
  return DSRT_OK;
truncated:
  dsrt_io_error(err, err_len, path, "truncated or corrupt TensorProto (%zu bytes)", len);
  return DSRT_ERR_PARSE;
}

dsrt_status dsrt_pb_parse(const unsigned char *buf, size_t len, const char *path,
                   dsrt_host_tensor *out, char *err, size_t err_len) {
  pb_info info;
  memset(&info, 0, sizeof(info));
  dsrt_status st = pb_walk(buf, len, &info, NULL, path, err, err_len);
  if (st != DSRT_OK)
    return st;
  if (info.external) {
    dsrt_io_error(err, err_len, path,
                  "the tensor's data is stored in an external file, which is not supported");
    return DSRT_ERR_PARSE;
  }
  if (info.data_type == ONNX_STRING) {
    dsrt_io_error(err, err_len, path, "string tensors are not supported");
    return DSRT_ERR_DTYPE;
  }
  if (info.data_type == 0) {
    dsrt_io_error(err, err_len, path, "no data_type: not a TensorProto, or truncated");
    return DSRT_ERR_PARSE;
  }
  int field = typed_field(info.data_type);
  if (!field) {
    dsrt_io_error(err, err_len, path, "unsupported ONNX data_type %llu",
                  (unsigned long long)info.data_type);
    return DSRT_ERR_DTYPE;
  }
  if (info.rank > DSRT_MAX_RANK) {
    dsrt_io_error(err, err_len, path, "rank %d is not supported (at most %d)", (int)info.rank,
                  DSRT_MAX_RANK);
    return DSRT_ERR_SHAPE;
  }
  /* Every element takes at least one byte of the file (raw, packed or varint). */
  size_t esize = dsrt_dtype_size((int32_t)info.data_type);
  size_t max_bytes = esize && len <= SIZE_MAX / esize ? len * esize : SIZE_MAX;
  st = dsrt_tensor_shape_alloc(out, (int32_t)info.data_type, info.rank, info.dims, max_bytes,
                               path, err, err_len);
  if (st != DSRT_OK)
    return st;
  memcpy(out->name, info.name, sizeof(out->name));

  size_t numel = dsrt_tensor_numel(out), typed = 0;
  for (int f = 0; f < 12; ++f)
    typed += info.count[f];
  if (info.has_raw) {
    if (typed) {
      dsrt_io_error(err, err_len, path, "has both raw_data and typed data fields");
      return DSRT_ERR_PARSE;
    }
    if (info.raw_len != out->size_bytes) {
      dsrt_io_error(err, err_len, path, "raw_data has %zu bytes, the shape needs %zu",
                    info.raw_len, out->size_bytes);
      return DSRT_ERR_PARSE;
    }
    memcpy(out->data, info.raw, info.raw_len); /* little-endian, like the host */
    return DSRT_OK;
  }
  if (typed != info.count[field]) {
    dsrt_io_error(err, err_len, path, "has values in a data field that does not match data_type %s",
                  dsrt_dtype_name(out->dtype));
    return DSRT_ERR_PARSE;
  }
  if (info.count[field] != numel) {
    dsrt_io_error(err, err_len, path,
                  "has %zu data values for %zu elements of %s (is the file truncated?)", typed,
                  numel, dsrt_dtype_name(out->dtype));
    return DSRT_ERR_PARSE;
  }
  pb_fill fill = {out, field, 0};
  return pb_walk(buf, len, &info, &fill, path, err, err_len);
}

static void put_varint(FILE *f, uint64_t v) {
  unsigned char b[10];
  int n = 0;
  do {
    b[n] = (unsigned char)(v & 0x7f);
    v >>= 7;
    if (v)
      b[n] |= 0x80;
    ++n;
  } while (v);
  fwrite(b, 1, (size_t)n, f);
}

static void put_key(FILE *f, int field, int wt) { put_varint(f, (uint64_t)field << 3 | (uint64_t)wt); }

dsrt_status dsrt_pb_write(FILE *f, const dsrt_host_tensor *t) {
  /* In field-number order, as protobuf serializers do; dims unpacked as onnx.proto
   * (proto2) declares them. */
  for (int32_t i = 0; i < t->rank; ++i) {
    put_key(f, F_DIMS, WT_VARINT);
    put_varint(f, (uint64_t)t->dims[i]);
  }
  put_key(f, F_DATA_TYPE, WT_VARINT);
  put_varint(f, (uint64_t)t->dtype);
  size_t name_len = strnlen(t->name, sizeof(t->name));
  if (name_len) {
    put_key(f, F_NAME, WT_BYTES);
    put_varint(f, name_len);
    fwrite(t->name, 1, name_len, f);
  }
  put_key(f, F_RAW_DATA, WT_BYTES);
  put_varint(f, t->size_bytes);
  fwrite(t->data, 1, t->size_bytes, f);
  return DSRT_OK;
}
