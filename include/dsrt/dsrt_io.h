/* dsrt_io.h - tensor files for compiled-model executables and tests (library dsrt_io).
 *
 * Kept out of libdsrt so that an application linking only the runtime stays tiny.
 * Formats: NumPy .npy (read 1.0/2.0/3.0, write 1.0; little-endian, C order), ONNX
 * TensorProto .pb (read and write), and JSON (write only). Every error message names the
 * file and what is wrong with it. */
#ifndef DSRT_DSRT_IO_H
#define DSRT_DSRT_IO_H

#include "dsrt/dsrt.h"

#include <stdio.h>

#ifdef __cplusplus
extern "C" {
#endif

#define DSRT_MAX_RANK 16

/* A tensor that owns its data (malloc-ed; free with dsrt_tensor_free). */
typedef struct dsrt_host_tensor {
  int32_t dtype; /* dsrt_dtype */
  int32_t rank;
  int64_t dims[DSRT_MAX_RANK];
  void *data;
  size_t size_bytes;
  char name[128]; /* "" when the file has none (.npy) */
} dsrt_host_tensor;

/* Loads a .npy or .pb file (chosen by extension, case-insensitive) into *out.
 * On failure *out is empty and err holds "PATH: what is wrong". */
dsrt_status dsrt_tensor_load(const char *path, dsrt_host_tensor *out, char *err, size_t err_len);
/* Saves to .npy, .pb or .json (chosen by extension). JSON is
 * {"name":...,"dtype":...,"shape":[...],"data":[...]}. */
dsrt_status dsrt_tensor_save(const char *path, const dsrt_host_tensor *t, char *err,
                             size_t err_len);
/* Frees the data and empties *t. Safe on an already empty tensor. */
void dsrt_tensor_free(dsrt_host_tensor *t);

/* Makes *out a zero-filled tensor shaped like the descriptor entry. */
dsrt_status dsrt_tensor_alloc(dsrt_host_tensor *out, const dsrt_tensor_desc *desc, char *err,
                              size_t err_len);
/* The runtime's view of a host tensor, for dsrt_model_run. */
dsrt_tensor dsrt_tensor_view(dsrt_host_tensor *t);

/* Writes the results of a run as JSON:
 * {"outputs":[{"name":...,"dtype":...,"shape":[...],"data":[...],"top5":[...]}, ...]}
 * "top5" ({"index":i,"score":s}, best first) appears for a float32 output of shape [N]
 * or [1,N] with N >= 2 (a classifier). Floats use %.9g; NaN and infinities are written
 * as NaN/Infinity/-Infinity like Python's json module. */
dsrt_status dsrt_results_save_json(const char *path, const dsrt_host_tensor *outputs, size_t n,
                                   char *err, size_t err_len);
void dsrt_results_write_json(FILE *f, const dsrt_host_tensor *outputs, size_t n);

/* The k best (index, score) pairs of a float32 vector, best first (ties: lower index
 * first); returns how many were written (min(k, n)). */
size_t dsrt_topk_f32(const float *scores, size_t n, size_t k, size_t *index, float *score);

/* Element i of t converted to double (float16/bfloat16 decoded, bool as 0/1). */
double dsrt_tensor_get_f64(const dsrt_host_tensor *t, size_t i);
/* Number of elements (product of dims). */
size_t dsrt_tensor_numel(const dsrt_host_tensor *t);

/* Times |runs| runs of an opened model (after a warm-up run the caller did) and prints
 * "bench: runs=N median=X ms min=Y ms max=Z ms threads=T" to stdout. Returns 0, or 1
 * with a message on stderr when a run fails. */
int dsrt_bench(dsrt_model *m, int runs, const dsrt_tensor *in, size_t nin, dsrt_tensor *out,
               size_t nout);
/* Several instances at once, as a server running one model on several threads (or
 * several GPU streams) would: opens instances - 1 more instances of m's model (m's thread
 * count, their own outputs shaped like |out|), runs each once to warm up, then runs all
 * of them at the same time, one thread each, |runs| runs apiece, and prints
 * "bench: instances=K runs=N each wall=W ms throughput=X runs/s median=Y ms min=.. max=..
 * threads=T" (the median over all K*N runs). m must have had its warm-up run. Returns
 * 0, or 1 with a message on stderr. */
int dsrt_bench_instances(dsrt_model *m, int instances, int runs, const dsrt_tensor *in,
                         size_t nin, const dsrt_tensor *out, size_t nout);

/* How an image file becomes a model input (the executables accept .jpg/.jpeg/.png where
 * a tensor file is expected): decoded, resized (bilinear) to the input's height and
 * width, x = (pixel / 255 - mean[c]) / std[c] per RGB channel (gray for 1-channel
 * inputs), laid out NCHW or NHWC. The compiler bakes one into each executable. */
enum { DSRT_LAYOUT_NCHW = 0, DSRT_LAYOUT_NHWC = 1 };
typedef struct dsrt_image_preprocess {
  float mean[3];
  float std[3];
  int32_t layout; /* DSRT_LAYOUT_NCHW or DSRT_LAYOUT_NHWC */
  int32_t reserved;
} dsrt_image_preprocess;

/* torchvision's ImageNet normalization, NCHW: what executables use unless compiled with
 * other --mean/--std/--layout. */
extern const dsrt_image_preprocess dsrt_imagenet_preprocess;

/* Whether |path| names an image the executables decode (by extension). */
int dsrt_is_image_path(const char *path);

/* Loads the image at |path| as |input| (float32 [1, C, H, W] or [1, H, W, C]) wants it. */
dsrt_status dsrt_image_load(const char *path, const dsrt_tensor_desc *input,
                            const dsrt_image_preprocess *pre, dsrt_host_tensor *out, char *err,
                            size_t err_len);

/* The JSON of dsrt_results_save_json, plus "latency_ms" (when >= 0); with |raw| = 0 the
 * class-score outputs give only their top-5, not every score. */
dsrt_status dsrt_results_save_json_ex(const char *path, const dsrt_host_tensor *outputs,
                                      size_t n, double latency_ms, int raw, char *err,
                                      size_t err_len);

/* The executable's main: `model --input F... [--output F...] [--bench N] [--threads T]`.
 * The compiler emits `int main(int c, char **v) { return dsrt_main(c, v, &m_model); }`.
 * Returns 0 on success, 1 on a run or file error, 2 on a usage error. */
int dsrt_main(int argc, char **argv, const dsrt_model_desc *desc);

/* What the compiler bakes into an executable besides the model. */
typedef struct dsrt_exe_config {
  dsrt_image_preprocess image; /* how image inputs become tensors */
  int32_t threads;             /* threads when --threads is not given; 0 = all cores */
  int32_t reserved;
} dsrt_exe_config;

/* dsrt_main with the executable's baked-in configuration (NULL: ImageNet images,
 * all cores). */
int dsrt_main_ex(int argc, char **argv, const dsrt_model_desc *desc,
                 const dsrt_exe_config *config);

#ifdef __cplusplus
} /* extern "C" */
#endif

#endif /* DSRT_DSRT_IO_H */
