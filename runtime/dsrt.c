/* dsrt.c - model instances: open, validate tensors against the descriptor, run.
 *
 * Everything the run path needs (the arena, the buffer-pointer table, the error text) is
 * allocated in dsrt_model_open, so dsrt_model_run itself never allocates. */
#ifndef _POSIX_C_SOURCE
#define _POSIX_C_SOURCE 200809L
#endif

#include "dsrt/dsrt.h"

#include "dsrt_arena_pool.h"
#include "dsrt_pool.h"

#include <inttypes.h>
#include <stdio.h>
#include <stdint.h>
#include <stdlib.h>

struct dsrt_model {
  const dsrt_model_desc *desc;
  void *arena;     /* arena_size bytes, 64-byte aligned, or NULL */
  int owns_arena;  /* 0 when the caller provided it (dsrt_model_set_arena) */
  dsrt_arena_pool *arena_pool; /* runs borrow their arena here when set */
  void **buffers;  /* num_inputs + num_outputs pointers handed to desc->run */
  dsrt_pool *pool;
  void *device;    /* a DSRT_MODEL_CUDA model's device state (libdsrt_cuda), from its first run */
  char error[256];
};

/* libdsrt_cuda's hooks for models that launch GPU kernels (DSRT_MODEL_CUDA;
 * include/dsrt/dsrt_cuda.h). Weak, so that CPU programs need not link it: a
 * CUDA model in a program without it is refused instead of failing to link. */
__attribute__((weak)) int dsrt_cuda_prepare(void **state, char *err, size_t err_size);
__attribute__((weak)) int dsrt_cuda_finish(void *state, char *err, size_t err_size);
__attribute__((weak)) void dsrt_cuda_release(void *state);

/* The host arena a model needs: a GPU model's arena is on the device
 * (libdsrt_cuda allocates it with the instance's other device buffers). */
static uint64_t host_arena_size(const dsrt_model_desc *desc) {
  return (desc->flags & DSRT_MODEL_CUDA) ? 0 : desc->arena_size;
}

const char *dsrt_status_string(dsrt_status status) {
  switch (status) {
  case DSRT_OK: return "ok";
  case DSRT_ERR_INVALID_ARGUMENT: return "invalid argument";
  case DSRT_ERR_ABI_MISMATCH: return "ABI version mismatch";
  case DSRT_ERR_DTYPE: return "wrong or unsupported dtype";
  case DSRT_ERR_SHAPE: return "wrong shape";
  case DSRT_ERR_SIZE: return "wrong size";
  case DSRT_ERR_OUT_OF_MEMORY: return "out of memory";
  case DSRT_ERR_IO: return "I/O error";
  case DSRT_ERR_PARSE: return "parse error";
  case DSRT_ERR_DEVICE: return "GPU error";
  }
  return "unknown status";
}

size_t dsrt_dtype_size(int32_t dtype) {
  switch (dtype) {
  case DSRT_UINT8: case DSRT_INT8: case DSRT_BOOL: return 1;
  case DSRT_UINT16: case DSRT_INT16: case DSRT_FLOAT16: case DSRT_BFLOAT16: return 2;
  case DSRT_FLOAT32: case DSRT_INT32: case DSRT_UINT32: return 4;
  case DSRT_INT64: case DSRT_FLOAT64: case DSRT_UINT64: return 8;
  }
  return 0;
}

const char *dsrt_dtype_name(int32_t dtype) {
  switch (dtype) {
  case DSRT_FLOAT32: return "float32";
  case DSRT_UINT8: return "uint8";
  case DSRT_INT8: return "int8";
  case DSRT_UINT16: return "uint16";
  case DSRT_INT16: return "int16";
  case DSRT_INT32: return "int32";
  case DSRT_INT64: return "int64";
  case DSRT_BOOL: return "bool";
  case DSRT_FLOAT16: return "float16";
  case DSRT_FLOAT64: return "float64";
  case DSRT_UINT32: return "uint32";
  case DSRT_UINT64: return "uint64";
  case DSRT_BFLOAT16: return "bfloat16";
  }
  return "unknown";
}

/* The run-time checks index desc->dims, so a descriptor must be sane before use. */
static int descs_valid(const dsrt_tensor_desc *d, uint32_t n) {
  for (uint32_t i = 0; i < n; ++i)
    if (d[i].rank < 0 || (d[i].rank > 0 && !d[i].dims) || dsrt_dtype_size(d[i].dtype) == 0)
      return 0;
  return 1;
}

dsrt_status dsrt_model_open(const dsrt_model_desc *desc, dsrt_model **out) {
  if (!out)
    return DSRT_ERR_INVALID_ARGUMENT;
  *out = NULL;
  if (!desc)
    return DSRT_ERR_INVALID_ARGUMENT;
  if (desc->abi_version != DSRT_ABI_VERSION)
    return DSRT_ERR_ABI_MISMATCH;
  if (!desc->run || (desc->num_inputs && !desc->inputs) ||
      (desc->num_outputs && !desc->outputs) || !descs_valid(desc->inputs, desc->num_inputs) ||
      !descs_valid(desc->outputs, desc->num_outputs))
    return DSRT_ERR_INVALID_ARGUMENT;

  dsrt_model *m = (dsrt_model *)calloc(1, sizeof(*m));
  if (!m)
    return DSRT_ERR_OUT_OF_MEMORY;
  m->desc = desc;
  size_t nbuf = (size_t)desc->num_inputs + desc->num_outputs;
  m->buffers = (void **)calloc(nbuf ? nbuf : 1, sizeof(void *));
  m->pool = dsrt_pool_create(0);
  uint64_t arena_size = host_arena_size(desc);
  if (arena_size > 0) {
    size_t bytes = dsrt_arena_bytes(arena_size);
    if (bytes)
      m->arena = aligned_alloc(DSRT_ARENA_ALIGN, bytes);
    m->owns_arena = 1;
  }
  if (!m->buffers || !m->pool || (arena_size > 0 && !m->arena)) {
    dsrt_model_close(m);
    return DSRT_ERR_OUT_OF_MEMORY;
  }
  *out = m;
  return DSRT_OK;
}

/* Lets go of the model's arena, whichever kind it has: its own, the caller's or a pool's. */
static void drop_arena(dsrt_model *m) {
  if (m->owns_arena)
    free(m->arena);
  if (m->arena_pool)
    dsrt_arena_pool_detach(m->arena_pool);
  m->arena = NULL;
  m->arena_pool = NULL;
  m->owns_arena = 0;
}

void dsrt_model_close(dsrt_model *m) {
  if (!m)
    return;
  if (m->device && dsrt_cuda_release)
    dsrt_cuda_release(m->device);
  dsrt_pool_destroy(m->pool);
  drop_arena(m);
  free(m->buffers);
  free(m);
}

const dsrt_model_desc *dsrt_model_describe(const dsrt_model *m) { return m ? m->desc : NULL; }

dsrt_status dsrt_model_set_threads(dsrt_model *m, int threads) {
  if (!m)
    return DSRT_ERR_INVALID_ARGUMENT;
  m->error[0] = '\0';
  if (threads < 0 || threads > 1024) {
    snprintf(m->error, sizeof(m->error), "thread count %d is out of range [0, 1024]", threads);
    return DSRT_ERR_INVALID_ARGUMENT;
  }
  if (dsrt_pool_set_threads(m->pool, threads) != 0) {
    snprintf(m->error, sizeof(m->error), "out of memory setting %d threads", threads);
    return DSRT_ERR_OUT_OF_MEMORY;
  }
  return DSRT_OK;
}

int dsrt_model_threads(const dsrt_model *m) { return m ? dsrt_pool_threads(m->pool) : 0; }

dsrt_status dsrt_model_set_arena(dsrt_model *m, void *arena, size_t size) {
  if (!m)
    return DSRT_ERR_INVALID_ARGUMENT;
  m->error[0] = '\0';
  uint64_t need = host_arena_size(m->desc);
  if (need == 0)
    return DSRT_OK; /* nothing to place; the model never reads its arena */
  if (!arena || (uintptr_t)arena % DSRT_ARENA_ALIGN != 0) {
    snprintf(m->error, sizeof(m->error), "the arena must be a non-NULL, %d-byte aligned pointer",
             DSRT_ARENA_ALIGN);
    return DSRT_ERR_INVALID_ARGUMENT;
  }
  if ((uint64_t)size < need) {
    snprintf(m->error, sizeof(m->error), "the arena has %zu bytes, the model needs %llu", size,
             (unsigned long long)need);
    return DSRT_ERR_SIZE;
  }
  drop_arena(m);
  m->arena = arena;
  return DSRT_OK;
}

dsrt_status dsrt_model_use_arena_pool(dsrt_model *m, dsrt_arena_pool *pool) {
  if (!m)
    return DSRT_ERR_INVALID_ARGUMENT;
  m->error[0] = '\0';
  if (!pool) {
    snprintf(m->error, sizeof(m->error), "the arena pool is NULL");
    return DSRT_ERR_INVALID_ARGUMENT;
  }
  uint64_t need = host_arena_size(m->desc);
  if (need == 0 || pool == m->arena_pool)
    return DSRT_OK; /* no intermediates: the model never borrows an arena */
  if (dsrt_arena_pool_attach(pool, need) != DSRT_OK) {
    snprintf(m->error, sizeof(m->error), "out of memory growing the arena pool to %llu bytes",
             (unsigned long long)need);
    return DSRT_ERR_OUT_OF_MEMORY;
  }
  drop_arena(m);
  m->arena_pool = pool;
  return DSRT_OK;
}

const char *dsrt_model_error(const dsrt_model *m) { return m ? m->error : ""; }

/* Formats "input 'x'" (or "input #0" for a nameless tensor) into buf. */
static void tensor_label(char *buf, size_t len, const char *kind, size_t index,
                         const dsrt_tensor_desc *d) {
  if (d->name && d->name[0])
    snprintf(buf, len, "%s '%s'", kind, d->name);
  else
    snprintf(buf, len, "%s #%zu", kind, index);
}

/* Checks one caller tensor against its descriptor entry; on mismatch writes a message
 * naming the tensor and what differs. */
static dsrt_status check_tensor(dsrt_model *m, const char *kind, size_t index,
                                const dsrt_tensor_desc *d, const dsrt_tensor *t) {
  char label[160];
  tensor_label(label, sizeof(label), kind, index, d);
  if (t->dtype != d->dtype) {
    snprintf(m->error, sizeof(m->error), "%s: dtype is %s, the model expects %s", label,
             dsrt_dtype_name(t->dtype), dsrt_dtype_name(d->dtype));
    return DSRT_ERR_DTYPE;
  }
  if (t->rank != d->rank) {
    snprintf(m->error, sizeof(m->error), "%s: rank is %" PRId32 ", the model expects %" PRId32,
             label, t->rank, d->rank);
    return DSRT_ERR_SHAPE;
  }
  if (t->rank > 0 && !t->dims) {
    snprintf(m->error, sizeof(m->error), "%s: dims is NULL", label);
    return DSRT_ERR_INVALID_ARGUMENT;
  }
  for (int32_t i = 0; i < t->rank; ++i) {
    if (t->dims[i] != d->dims[i]) {
      snprintf(m->error, sizeof(m->error),
               "%s: dim %" PRId32 " is %" PRId64 ", the model expects %" PRId64, label, i,
               t->dims[i], d->dims[i]);
      return DSRT_ERR_SHAPE;
    }
  }
  if ((uint64_t)t->size_bytes != (uint64_t)d->size_bytes) {
    snprintf(m->error, sizeof(m->error), "%s: size_bytes is %zu, the model expects %" PRId64,
             label, t->size_bytes, d->size_bytes);
    return DSRT_ERR_SIZE;
  }
  if (!t->data) {
    snprintf(m->error, sizeof(m->error), "%s: data is NULL", label);
    return DSRT_ERR_INVALID_ARGUMENT;
  }
  return DSRT_OK;
}

/* Checks a count and each tensor of one side (inputs or outputs). */
static dsrt_status check_side(dsrt_model *m, const char *kind, const dsrt_tensor_desc *descs,
                              uint32_t expected, const dsrt_tensor *ts, size_t count) {
  if (count != expected) {
    snprintf(m->error, sizeof(m->error), "got %zu %ss, the model has %" PRIu32, count, kind,
             expected);
    return DSRT_ERR_INVALID_ARGUMENT;
  }
  if (count > 0 && !ts) {
    snprintf(m->error, sizeof(m->error), "the %s array is NULL", kind);
    return DSRT_ERR_INVALID_ARGUMENT;
  }
  for (size_t i = 0; i < count; ++i) {
    dsrt_status st = check_tensor(m, kind, i, &descs[i], &ts[i]);
    if (st != DSRT_OK)
      return st;
  }
  return DSRT_OK;
}

static int overlaps(const dsrt_tensor *a, const dsrt_tensor *b) {
  uintptr_t a0 = (uintptr_t)a->data, b0 = (uintptr_t)b->data;
  return a->size_bytes > 0 && b->size_bytes > 0 && a0 < b0 + b->size_bytes &&
         b0 < a0 + a->size_bytes;
}

/* Generated kernels treat every buffer as `noalias` (they read inputs while writing
 * outputs in any order), so an output may share no byte with an input or another
 * output. */
static dsrt_status check_disjoint(dsrt_model *m, const dsrt_tensor *inputs,
                                  size_t num_inputs, const dsrt_tensor *outputs,
                                  size_t num_outputs) {
  const dsrt_model_desc *d = m->desc;
  for (size_t o = 0; o < num_outputs; ++o) {
    for (size_t i = 0; i < num_inputs; ++i)
      if (overlaps(&outputs[o], &inputs[i])) {
        snprintf(m->error, sizeof(m->error), "output '%s' overlaps input '%s' in memory",
                 d->outputs[o].name, d->inputs[i].name);
        return DSRT_ERR_INVALID_ARGUMENT;
      }
    for (size_t p = 0; p < o; ++p)
      if (overlaps(&outputs[o], &outputs[p])) {
        snprintf(m->error, sizeof(m->error), "output '%s' overlaps output '%s' in memory",
                 d->outputs[o].name, d->outputs[p].name);
        return DSRT_ERR_INVALID_ARGUMENT;
      }
  }
  return DSRT_OK;
}


dsrt_status dsrt_model_run(dsrt_model *m, const dsrt_tensor *inputs, size_t num_inputs,
                           dsrt_tensor *outputs, size_t num_outputs) {
  if (!m)
    return DSRT_ERR_INVALID_ARGUMENT;
  const dsrt_model_desc *d = m->desc;
  m->error[0] = '\0';
  dsrt_status st = check_side(m, "input", d->inputs, d->num_inputs, inputs, num_inputs);
  if (st == DSRT_OK)
    st = check_side(m, "output", d->outputs, d->num_outputs, outputs, num_outputs);
  if (st == DSRT_OK)
    st = check_disjoint(m, inputs, num_inputs, outputs, num_outputs);
  if (st != DSRT_OK)
    return st;

  int cuda = (d->flags & DSRT_MODEL_CUDA) != 0;
  if (cuda) {
    if (!dsrt_cuda_prepare) {
      snprintf(m->error, sizeof(m->error),
               "model '%s' runs on a GPU: link libdsrt_cuda (and -ldl) to run it", d->name);
      return DSRT_ERR_DEVICE;
    }
    if (dsrt_cuda_prepare(&m->device, m->error, sizeof(m->error)) != 0)
      return DSRT_ERR_DEVICE;
  }
  for (size_t i = 0; i < num_inputs; ++i)
    m->buffers[i] = inputs[i].data;
  for (size_t i = 0; i < num_outputs; ++i)
    m->buffers[num_inputs + i] = outputs[i].data;
  /* Swap rather than set, so a model run from inside another model's run (a custom
   * operator calling a sub-model) restores the outer pool afterwards. */
  dsrt_pool *outer = dsrt_pool_swap_current(m->pool);
  if (m->arena_pool) {
    void *arena = dsrt_arena_pool_acquire(m->arena_pool);
    d->run(m->buffers, arena);
    dsrt_arena_pool_give_back(m->arena_pool, arena);
  } else {
    d->run(m->buffers, m->arena);
  }
  dsrt_pool_swap_current(outer);
  if (cuda && dsrt_cuda_finish(m->device, m->error, sizeof(m->error)) != 0)
    return DSRT_ERR_DEVICE;
  return DSRT_OK;
}
