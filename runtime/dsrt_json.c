/* dsrt_json.c - JSON output: one tensor, or a run's results with top-5 for classifiers.
 *
 * Written with fprintf directly; the shapes are fixed, so no JSON library is needed. */
#ifndef _POSIX_C_SOURCE
#define _POSIX_C_SOURCE 200809L
#endif

#include "dsrt_io_internal.h"

#include <errno.h>
#include <math.h>
#include <string.h>

static void write_string(FILE *f, const char *s) {
  fputc('"', f);
  for (; *s; ++s) {
    unsigned char c = (unsigned char)*s;
    if (c == '"' || c == '\\')
      fprintf(f, "\\%c", c);
    else if (c < 0x20)
      fprintf(f, "\\u%04x", c);
    else
      fputc(c, f);
  }
  fputc('"', f);
}

/* NaN and infinities as Python's json module writes and reads them. */
static void write_float(FILE *f, double v, int digits) {
  if (isnan(v))
    fputs("NaN", f);
  else if (isinf(v))
    fputs(v > 0 ? "Infinity" : "-Infinity", f);
  else
    fprintf(f, "%.*g", digits, v);
}

static void write_element(FILE *f, const dsrt_host_tensor *t, size_t i) {
  const unsigned char *p = (const unsigned char *)t->data;
  switch (t->dtype) {
  case DSRT_FLOAT64: write_float(f, ((const double *)p)[i], 17); break;
  case DSRT_FLOAT32: case DSRT_FLOAT16: case DSRT_BFLOAT16:
    write_float(f, dsrt_tensor_get_f64(t, i), 9);
    break;
  case DSRT_BOOL: fputs(p[i] ? "true" : "false", f); break;
  case DSRT_INT64: fprintf(f, "%lld", (long long)((const int64_t *)p)[i]); break;
  case DSRT_UINT64: fprintf(f, "%llu", (unsigned long long)((const uint64_t *)p)[i]); break;
  default: fprintf(f, "%.0f", dsrt_tensor_get_f64(t, i)); break; /* exact for <= 32 bits */
  }
}

/* "name", "dtype", "shape" and (with |data|) "data" members, without the braces. */
static void write_members(FILE *f, const dsrt_host_tensor *t, int data) {
  fputs("\"name\": ", f);
  write_string(f, t->name);
  fprintf(f, ", \"dtype\": \"%s\", \"shape\": [", dsrt_dtype_name(t->dtype));
  for (int32_t i = 0; i < t->rank; ++i)
    fprintf(f, "%s%lld", i ? ", " : "", (long long)t->dims[i]);
  fputc(']', f);
  if (!data)
    return;
  fputs(", \"data\": [", f);
  size_t n = dsrt_tensor_numel(t);
  for (size_t i = 0; i < n; ++i) {
    if (i)
      fputs(", ", f);
    write_element(f, t, i);
  }
  fputc(']', f);
}

void dsrt_json_write_tensor(FILE *f, const dsrt_host_tensor *t) {
  fputc('{', f);
  write_members(f, t, 1);
  fputs("}\n", f);
}

size_t dsrt_topk_f32(const float *scores, size_t n, size_t k, size_t *index, float *score) {
  size_t cnt = 0;
  if (k == 0)
    return 0;
  for (size_t i = 0; i < n; ++i) {
    float s = scores[i];
    if (cnt == k && !(s > score[cnt - 1]))
      continue;
    size_t pos = cnt < k ? cnt++ : k - 1;
    /* Strict > keeps the lower index first among equal scores. */
    for (; pos > 0 && s > score[pos - 1]; --pos) {
      score[pos] = score[pos - 1];
      index[pos] = index[pos - 1];
    }
    score[pos] = s;
    index[pos] = i;
  }
  return cnt;
}

/* A float32 [N] or [1, N] output with N >= 2 is taken to be class scores. */
static int is_classifier(const dsrt_host_tensor *t) {
  if (t->dtype != DSRT_FLOAT32)
    return 0;
  if (t->rank == 1)
    return t->dims[0] >= 2;
  return t->rank == 2 && t->dims[0] == 1 && t->dims[1] >= 2;
}

static void write_results(FILE *f, const dsrt_host_tensor *outputs, size_t n,
                          double latency_ms, int raw) {
  fputc('{', f);
  if (latency_ms >= 0) {
    fputs("\"latency_ms\": ", f);
    write_float(f, latency_ms, 6);
    fputs(", ", f);
  }
  fputs("\"outputs\": [", f);
  for (size_t o = 0; o < n; ++o) {
    const dsrt_host_tensor *t = &outputs[o];
    fputs(o ? ",\n  {" : "\n  {", f);
    write_members(f, t, raw || !is_classifier(t));
    if (is_classifier(t)) {
      size_t idx[5];
      float sc[5];
      size_t k = dsrt_topk_f32((const float *)t->data, dsrt_tensor_numel(t), 5, idx, sc);
      fputs(", \"top5\": [", f);
      for (size_t i = 0; i < k; ++i) {
        fprintf(f, "%s{\"index\": %zu, \"score\": ", i ? ", " : "", idx[i]);
        write_float(f, sc[i], 9);
        fputc('}', f);
      }
      fputc(']', f);
    }
    fputc('}', f);
  }
  fputs("\n]}\n", f);
}

void dsrt_results_write_json(FILE *f, const dsrt_host_tensor *outputs, size_t n) {
  write_results(f, outputs, n, -1.0, 1);
}

dsrt_status dsrt_results_save_json(const char *path, const dsrt_host_tensor *outputs, size_t n,
                                   char *err, size_t err_len) {
  return dsrt_results_save_json_ex(path, outputs, n, -1.0, 1, err, err_len);
}

dsrt_status dsrt_results_save_json_ex(const char *path, const dsrt_host_tensor *outputs,
                                      size_t n, double latency_ms, int raw, char *err,
                                      size_t err_len) {
  dsrt_output out;
  dsrt_status st = dsrt_output_open(&out, path, "w", err, err_len);
  if (st != DSRT_OK)
    return st;
  write_results(out.f, outputs, n, latency_ms, raw);
  return dsrt_output_close(&out, DSRT_OK, err, err_len);
}
