/* dsrt.h - the deepseek runtime (libdsrt): run a model compiled by deepseek.
 *
 * The compiler emits, in the model's object file, one `dsrt_model_desc` global whose
 * layout is exactly the structs below (LP64: x86-64, aarch64). Changing a field's order
 * or type breaks every compiled model: bump DSRT_ABI_VERSION instead.
 *
 * Typical use:
 *   dsrt_model *m;
 *   if (dsrt_model_open(&resnet_model, &m) != DSRT_OK) ...
 *   dsrt_tensor in = {DSRT_FLOAT32, 4, dims, data, bytes}, out = {...};
 *   if (dsrt_model_run(m, &in, 1, &out, 1) != DSRT_OK) puts(dsrt_model_error(m));
 *   dsrt_model_close(m);
 *
 * A dsrt_model is not safe for concurrent dsrt_model_run calls (it owns one arena);
 * open one instance per thread instead. dsrt_model_run allocates nothing, except that
 * the first parallel region starts the worker threads, and a GPU model's first run
 * (DSRT_MODEL_CUDA) allocates the instance's device buffers (inputs, outputs, arena,
 * weights: uploaded then, once) and its CUDA stream; later runs copy only the inputs in
 * and the outputs out, and instances' runs overlap on the GPU on their own streams. Instances can share arenas:
 * one caller-owned arena (dsrt_model_set_arena) or a dsrt_arena_pool.
 */
#ifndef DSRT_DSRT_H
#define DSRT_DSRT_H

#include <stddef.h>
#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

#define DSRT_ABI_VERSION 1

/* Element types use ONNX TensorProto.DataType numbering. */
typedef enum dsrt_dtype {
  DSRT_FLOAT32 = 1,
  DSRT_UINT8 = 2,
  DSRT_INT8 = 3,
  DSRT_UINT16 = 4,
  DSRT_INT16 = 5,
  DSRT_INT32 = 6,
  DSRT_INT64 = 7,
  DSRT_BOOL = 9,
  DSRT_FLOAT16 = 10,
  DSRT_FLOAT64 = 11,
  DSRT_UINT32 = 12,
  DSRT_UINT64 = 13,
  DSRT_BFLOAT16 = 16
} dsrt_dtype;

/* One model input or output, as the compiler saw it. */
typedef struct dsrt_tensor_desc {
  const char *name;
  int32_t dtype;       /* dsrt_dtype */
  int32_t rank;
  const int64_t *dims; /* rank entries, all static */
  int64_t size_bytes;  /* product(dims) * element size; bool is 1 byte */
} dsrt_tensor_desc;    /* 32 bytes */

/* The compiled model: emitted by the compiler as `<name>_model`. */
typedef struct dsrt_model_desc {
  uint32_t abi_version; /* DSRT_ABI_VERSION */
  uint32_t num_inputs;
  uint32_t num_outputs;
  uint32_t flags;       /* DSRT_MODEL_CUDA: run launches GPU kernels (link libdsrt_cuda) */
  const char *name;
  const dsrt_tensor_desc *inputs;
  const dsrt_tensor_desc *outputs;
  uint64_t arena_size; /* bytes of scratch (the planned intermediates) the model needs; 0 = none.
                          A DSRT_MODEL_CUDA model's arena is on the device: no host arena */
  /* buffers: num_inputs input pointers then num_outputs output pointers, each a dense
     row-major buffer of size_bytes; arena: arena_size bytes, 64-byte aligned, or NULL when 0. */
  void (*run)(void **buffers, void *arena);
} dsrt_model_desc; /* 56 bytes */

/* dsrt_model_desc.flags */
#define DSRT_MODEL_CUDA 1u

/* The compiler relies on these sizes; they hold on every LP64 target. */
#if defined(__LP64__) || defined(_LP64)
#ifdef __cplusplus
static_assert(sizeof(dsrt_tensor_desc) == 32, "dsrt_tensor_desc ABI");
static_assert(sizeof(dsrt_model_desc) == 56, "dsrt_model_desc ABI");
#else
_Static_assert(sizeof(dsrt_tensor_desc) == 32, "dsrt_tensor_desc ABI");
_Static_assert(sizeof(dsrt_model_desc) == 56, "dsrt_model_desc ABI");
#endif
#endif

typedef enum dsrt_status {
  DSRT_OK = 0,
  DSRT_ERR_INVALID_ARGUMENT,
  DSRT_ERR_ABI_MISMATCH,
  DSRT_ERR_DTYPE,
  DSRT_ERR_SHAPE,
  DSRT_ERR_SIZE,
  DSRT_ERR_OUT_OF_MEMORY,
  DSRT_ERR_IO,
  DSRT_ERR_PARSE,
  DSRT_ERR_DEVICE /* a GPU model could not run: no driver or device, a failed launch */
} dsrt_status;

/* "ok", "invalid argument", ...; never NULL. */
const char *dsrt_status_string(dsrt_status status);

/* Bytes per element (bool is 1), or 0 for an unknown dtype. */
size_t dsrt_dtype_size(int32_t dtype);
/* "float32", "int64", "bool", ...; "unknown" for an unknown dtype. */
const char *dsrt_dtype_name(int32_t dtype);

/* A caller-owned view of one input or output buffer (dense, row-major). */
typedef struct dsrt_tensor {
  int32_t dtype; /* dsrt_dtype */
  int32_t rank;
  const int64_t *dims;
  void *data;
  size_t size_bytes;
} dsrt_tensor;

/* An opened model: its arena, its thread pool and its last error message. */
typedef struct dsrt_model dsrt_model;

/* Checks the descriptor (ABI version, run function, tensor tables) and allocates the
 * arena once. The thread count starts at the number of online CPUs. On failure *out is
 * NULL and the code says why (there is no model to hold a message). */
dsrt_status dsrt_model_open(const dsrt_model_desc *desc, dsrt_model **out);
/* Stops the worker threads and frees the arena (and a GPU model's device buffers and
 * stream). NULL is a no-op. */
void dsrt_model_close(dsrt_model *model);
/* The descriptor the model was opened with. */
const dsrt_model_desc *dsrt_model_describe(const dsrt_model *model);
/* Threads used by dsrt_parallel_for inside this model's runs, the caller included;
 * 0 = the number of online CPUs. */
dsrt_status dsrt_model_set_threads(dsrt_model *model, int threads);
/* The thread count in effect (after resolving 0). */
int dsrt_model_threads(const dsrt_model *model);
/* Runs the model in the caller's arena from now on (desc->arena_size bytes or more,
 * 64-byte aligned, owned by the caller and outliving the model's runs); the arena
 * allocated at open is freed. Several models that never run at the same time may
 * share one arena of the largest size. A model with arena_size 0 ignores it, as does a
 * GPU model (its arena is on the device). */
dsrt_status dsrt_model_set_arena(dsrt_model *model, void *arena, size_t size);
/* A pool of arenas shared by model instances. It holds `arenas` arenas, each as large
 * as the largest arena_size of the models using it; a run borrows one for its duration,
 * so up to `arenas` of its models run at once and a run that finds all of them lent out
 * waits for one. Models that never run at the same time (the stages of a pipeline on
 * one thread) need a pool of 1: their intermediates then cost one arena, not one each.
 * `arenas` is in [1, 1024]; memory is allocated when models attach, never in a run. */
typedef struct dsrt_arena_pool dsrt_arena_pool;
dsrt_status dsrt_arena_pool_create(int arenas, dsrt_arena_pool **out);
/* Drops the creator's hold; the pool's memory goes when the last model using it is
 * closed (or right away if none uses it). NULL is a no-op. */
void dsrt_arena_pool_release(dsrt_arena_pool *pool);
/* The bytes the pool's arenas take now (arenas x the largest arena). */
size_t dsrt_arena_pool_bytes(dsrt_arena_pool *pool);
/* Runs the model in arenas borrowed from `pool` from now on; its own arena is freed.
 * Grows the pool's arenas if this model needs more (waiting until none is lent out;
 * call it outside the pool's runs). A model with arena_size 0 or a GPU model ignores
 * the pool. */
dsrt_status dsrt_model_use_arena_pool(dsrt_model *model, dsrt_arena_pool *pool);
/* Validates every tensor against the descriptor (count, dtype, rank, dims, size_bytes,
 * non-NULL data; no output sharing bytes with an input or another output), then runs
 * the model. On failure the message names the tensor, e.g.
 * "input 'x': dim 2 is 5, the model expects 7". */
dsrt_status dsrt_model_run(dsrt_model *model, const dsrt_tensor *inputs, size_t num_inputs,
                           dsrt_tensor *outputs, size_t num_outputs);
/* The message of the last failed dsrt_model_run or dsrt_model_set_threads; "" after a
 * successful one. Never NULL. */
const char *dsrt_model_error(const dsrt_model *model);

/* Called by generated code: runs fn over contiguous chunks of [0, n) on the current
 * model's threads (the caller takes the first chunk) and returns when all are done.
 * Outside dsrt_model_run, with one thread, inside a worker, or inside another
 * dsrt_parallel_for it calls fn(ctx, 0, n) directly. fn is not called when n <= 0. */
void dsrt_parallel_for(int64_t n, void (*fn)(void *ctx, int64_t begin, int64_t end), void *ctx);

#ifdef __cplusplus
} /* extern "C" */
#endif

#endif /* DSRT_DSRT_H */
