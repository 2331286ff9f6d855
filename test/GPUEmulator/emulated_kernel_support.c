/* Compiled into every emulated kernel library (scripts/gpu_emulate.py): the
 * NVVM intrinsics a deepseek kernel calls, for one GPU thread at a time on
 * the CPU, and dsemu_run_block for kernels with barriers (their block's
 * threads as fibers). fake_cuda_device.c sets the thread's ids before each
 * call, or calls dsemu_run_block per block.
 *
 * The kernels' LLVM IR names these @llvm.nvvm.<name>; gpu_emulate.py
 * renames them @dsemu_nvvm_<name> (dots as underscores). An intrinsic with
 * no definition here leaves the library with an undefined symbol, which
 * gpu_emulate.py reports by name. */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>

/* Per host thread: several model instances may run at once. */
static _Thread_local unsigned tid[3], ntid[3], ctaid[3], nctaid[3];

void dsemu_set_ids(const unsigned thread[3], const unsigned block_dim[3],
                   const unsigned block[3], const unsigned grid_dim[3]) {
  for (int i = 0; i < 3; ++i) {
    tid[i] = thread[i];
    ntid[i] = block_dim[i];
    ctaid[i] = block[i];
    nctaid[i] = grid_dim[i];
  }
}

/* dsemu_nvvm_read_ptx_sreg_tid_x () .. _nctaid_z (): the special registers. */
#define DSEMU_SREG(name, axis, index)                                                           \
  unsigned dsemu_nvvm_read_ptx_sreg_##name##_##axis(void) { return name[index]; }
#define DSEMU_SREG_XYZ(name) DSEMU_SREG(name, x, 0) DSEMU_SREG(name, y, 1) DSEMU_SREG(name, z, 2)
DSEMU_SREG_XYZ(tid)
DSEMU_SREG_XYZ(ntid)
DSEMU_SREG_XYZ(ctaid)
DSEMU_SREG_XYZ(nctaid)
#undef DSEMU_SREG_XYZ
#undef DSEMU_SREG

/* Kernels with barriers (gpu_emulate.py marks them with a symbol
 * <kernel>__emu_barriers): the block's threads run as fibers on this host
 * thread, each until it reaches a barrier or returns; when every thread
 * waits at the barrier, all go on. A barrier that some threads of the block
 * never reach (they returned) is a bug in the kernel (a barrier under
 * divergent control flow): the emulator says so and aborts. Shared
 * memory is the library's globals, one copy per host thread (gpu_emulate.py
 * makes them thread-local); blocks run one at a time, so one copy is all a
 * block needs. */
#include <ucontext.h>

typedef void (*dsemu_entry)(void **params);

enum { kFiberStack = 64 * 1024 };
/* A fiber waits at a block barrier or at a warp-wide MMA (which waits for
 * the whole block: the emulator needs every thread of the block to reach
 * it, as the tiled kernels' threads all do). */
enum fiber_state { kReady, kAtBarrier, kAtMma, kDone };
struct fiber {
  ucontext_t context;
  unsigned tid[3];
  enum fiber_state state;
  unsigned mma_calls; /* which of the two fragment buffers this call uses */
  char *stack;
};
/* One thread's fragments of an m16n8k16 f16 MMA. */
struct mma_fragments {
  _Float16 a[8], b[4];
};
static _Thread_local struct {
  struct fiber *fibers;
  /* Two sets, used by alternate calls: a thread can be writing its next
   * call's fragments while others of its warp still read this call's. */
  struct mma_fragments *mma[2];
  unsigned capacity;
  ucontext_t scheduler;
  struct fiber *current;
  dsemu_entry entry;
  void **params;
} block;

static void fiber_main(void) {
  block.entry(block.params);
  block.current->state = kDone; /* returns to block.scheduler (uc_link) */
}

static void run_fiber(struct fiber *f) {
  block.current = f;
  for (int i = 0; i < 3; ++i)
    tid[i] = f->tid[i];
  if (swapcontext(&block.scheduler, &f->context) != 0) {
    perror("gpu emulator: swapcontext");
    abort();
  }
  block.current = NULL;
}

void dsemu_run_block(dsemu_entry entry, void **params, const unsigned block_dim[3],
                     const unsigned block_id[3], const unsigned grid_dim[3]) {
  unsigned count = block_dim[0] * block_dim[1] * block_dim[2];
  if (count > block.capacity) {
    block.fibers = realloc(block.fibers, count * sizeof *block.fibers);
    block.mma[0] = realloc(block.mma[0], count * sizeof *block.mma[0]);
    block.mma[1] = realloc(block.mma[1], count * sizeof *block.mma[1]);
    if (!block.fibers || !block.mma[0] || !block.mma[1]) {
      fprintf(stderr, "gpu emulator: out of memory for %u fibers\n", count);
      abort();
    }
    for (unsigned i = block.capacity; i < count; ++i)
      if (!(block.fibers[i].stack = malloc(kFiberStack))) {
        fprintf(stderr, "gpu emulator: out of memory for fiber stacks\n");
        abort();
      }
    block.capacity = count;
  }
  const unsigned zero[3] = {0, 0, 0};
  dsemu_set_ids(zero, block_dim, block_id, grid_dim);
  block.entry = entry;
  block.params = params;
  for (unsigned i = 0; i < count; ++i) {
    struct fiber *f = &block.fibers[i];
    f->tid[0] = i % block_dim[0];
    f->tid[1] = i / block_dim[0] % block_dim[1];
    f->tid[2] = i / (block_dim[0] * block_dim[1]);
    f->state = kReady;
    f->mma_calls = 0;
    getcontext(&f->context);
    f->context.uc_stack.ss_sp = f->stack;
    f->context.uc_stack.ss_size = kFiberStack;
    f->context.uc_link = &block.scheduler;
    makecontext(&f->context, fiber_main, 0);
  }
  for (;;) {
    unsigned waiting = 0, at_mma = 0, done = 0;
    for (unsigned i = 0; i < count; ++i) {
      if (block.fibers[i].state == kReady)
        run_fiber(&block.fibers[i]);
      waiting += block.fibers[i].state == kAtBarrier;
      at_mma += block.fibers[i].state == kAtMma;
      done += block.fibers[i].state == kDone;
    }
    if (waiting && at_mma) {
      fprintf(stderr,
              "gpu emulator: block (%u, %u, %u): %u threads wait at a barrier while %u wait at "
              "a warp-wide MMA\n",
              block_id[0], block_id[1], block_id[2], waiting, at_mma);
      abort();
    }
    waiting += at_mma;
    if (done == count)
      return;
    if (done) {
      fprintf(stderr,
              "gpu emulator: block (%u, %u, %u): %u of %u threads wait at a barrier that the "
              "other %u returned without reaching\n",
              block_id[0], block_id[1], block_id[2], waiting, count, done);
      abort();
    }
    for (unsigned i = 0; i < count; ++i)
      block.fibers[i].state = kReady;
  }
}

static void wait_for_block(enum fiber_state state) {
  struct fiber *f = block.current;
  f->state = state;
  if (swapcontext(&f->context, &block.scheduler) != 0) {
    perror("gpu emulator: swapcontext");
    abort();
  }
}

/* bar.sync 0 (LLVM 22 names it llvm.nvvm.barrier.cta.sync.aligned.all;
 * barrier0 is the older name). */
void dsemu_nvvm_barrier_cta_sync_aligned_all(int id) {
  if (id != 0 || !block.current) {
    fprintf(stderr, id ? "gpu emulator: barrier %d: only barrier 0 is emulated\n"
                       : "gpu emulator: a barrier in a kernel not run as fibers\n",
            id);
    abort();
  }
  wait_for_block(kAtBarrier);
}
void dsemu_nvvm_barrier0(void) { dsemu_nvvm_barrier_cta_sync_aligned_all(0); }

/* mma.sync.aligned.m16n8k16.row.col.f32.f16.f16.f32, for one lane
 * (emulated_mma.ll passes the intrinsic's operands here): D = A B + C of
 * the lane's warp, A 16 x 16 and B 16 x 8 in f16, C and D in f32. Lane l
 * (group g = l / 4, position q = l % 4) holds, per the PTX ISA's fragment
 * layouts: a[2r + e] = A[g + 8 (r % 2)][2q + e + 8 (r / 2)], b[2r + e] =
 * B[2q + e + 8r][g], c[i] and d[i] at row g + 8 (i / 2), column
 * 2q + i % 2. Every product of two f16 is exact in f32; the sums are f32,
 * k in order (the hardware's order and intermediate precision are its
 * own). */
void dsemu_mma_m16n8k16_f32_f16(const _Float16 a[8], const _Float16 b[4], const float c[4],
                                float d[4]) {
  struct fiber *f = block.current;
  if (!f) {
    fprintf(stderr, "gpu emulator: a warp-wide MMA in a kernel not run as fibers\n");
    abort();
  }
  unsigned linear = f->tid[0] + ntid[0] * (f->tid[1] + ntid[1] * f->tid[2]);
  struct mma_fragments *set = block.mma[f->mma_calls++ % 2];
  for (int i = 0; i < 8; ++i)
    set[linear].a[i] = a[i];
  for (int i = 0; i < 4; ++i)
    set[linear].b[i] = b[i];
  wait_for_block(kAtMma);
  const struct mma_fragments *warp = set + (linear - linear % 32);
  unsigned g = linear % 32 / 4, q = linear % 4;
  for (unsigned i = 0; i < 4; ++i) {
    unsigned row = g + 8 * (i / 2), col = 2 * q + i % 2;
    float sum = c[i];
    for (unsigned k = 0; k < 16; ++k) {
      /* A[row][k]: lane 4 (row % 8) + (k % 8) / 2, register (row / 8) + 2 (k / 8). */
      _Float16 x = warp[4 * (row % 8) + k % 8 / 2].a[2 * (row / 8 + 2 * (k / 8)) + k % 2];
      /* B[k][col]: lane 4 col + (k % 8) / 2, register k / 8. */
      _Float16 y = warp[4 * col + k % 8 / 2].b[2 * (k / 8) + k % 2];
      sum += (float)x * (float)y;
    }
    d[i] = sum;
  }
}

/* The warpgroup MMA (sm_90a). Its operands are in shared memory, addressed
 * by matrix descriptors whose address field is bits 4..17 of a shared-memory
 * address: gpu_emulate.py has a kernel that issues wgmma name its one shared
 * buffer (dsemu_set_shared_window) before it runs, and a descriptor's
 * address is read as an offset from that buffer's. */
static _Thread_local const unsigned char *shared_window;
void dsemu_set_shared_window(const void *base) { shared_window = base; }

/* A k-major operand in core matrices (8 rows of 16 bytes), no swizzle: the
 * leading offset is the distance between core matrices adjacent in k, the
 * stride offset between those adjacent in rows (PTX ISA, matrix descriptor
 * format; scripts/wgmma_layout_probe.cu checks that reading on a GPU). */
struct core_matrices {
  const unsigned char *start;
  unsigned leading, stride;
};

static struct core_matrices read_descriptor(uint64_t desc) {
  if (!shared_window) {
    fprintf(stderr, "gpu emulator: wgmma in a kernel whose shared buffer is unknown\n");
    abort();
  }
  if (desc >> 62 || (desc >> 49 & 7)) {
    fprintf(stderr, "gpu emulator: wgmma descriptor %#llx: only no-swizzle layouts with base "
                    "offset 0 are emulated\n", (unsigned long long)desc);
    abort();
  }
  unsigned address = (unsigned)(desc & 0x3FFF) << 4;
  struct core_matrices m = {
      shared_window + ((address - (unsigned)((uintptr_t)shared_window & 0x3FFFF)) & 0x3FFFF),
      (unsigned)(desc >> 16 & 0x3FFF) << 4, (unsigned)(desc >> 32 & 0x3FFF) << 4};
  return m;
}

/* Element (row, k) of |m|. */
static _Float16 core_element(struct core_matrices m, unsigned row, unsigned k) {
  _Float16 value;
  __builtin_memcpy(&value, m.start + row / 8 * m.stride + k / 8 * m.leading + row % 8 * 16 +
                               k % 8 * 2,
                   sizeof value);
  return value;
}

/* wgmma.mma_async.sync.aligned.m64n32k16.f32.f16.f16, for one thread of the
 * warpgroup (emulated_mma.ll passes the inline PTX's operands here): D = A B
 * (+ D when scale_d), A 64 x 16 and B^T 32 x 16 from shared memory. Warp w
 * of the warpgroup holds rows 16w ..; accumulator i of lane l (g = l / 4,
 * q = l % 4) is row 16w + g + 8 ((i / 2) % 2), column 8 (i / 4) + 2q + i % 2.
 * Every thread's operands are in shared memory, so each computes its own
 * accumulators (no waiting for the warpgroup); the sums are f32, k in order.
 * The instruction is asynchronous on the GPU: its fence, commit and wait
 * below have nothing to order here. */
void dsemu_wgmma_m64n32k16_f32_f16(float d[16], uint64_t desc_a, uint64_t desc_b, int scale_d,
                                   int scale_a, int scale_b, int trans_a, int trans_b) {
  struct fiber *f = block.current;
  if (!f) {
    fprintf(stderr, "gpu emulator: a warpgroup MMA in a kernel not run as fibers\n");
    abort();
  }
  if (trans_a || trans_b) {
    fprintf(stderr, "gpu emulator: wgmma with transposed operands is not emulated\n");
    abort();
  }
  unsigned linear = f->tid[0] + ntid[0] * (f->tid[1] + ntid[1] * f->tid[2]);
  unsigned warp = linear % 128 / 32, g = linear % 32 / 4, q = linear % 4;
  struct core_matrices a = read_descriptor(desc_a), b = read_descriptor(desc_b);
  float sign = (float)(scale_a * scale_b);
  for (unsigned i = 0; i < 16; ++i) {
    unsigned row = 16 * warp + g + 8 * (i / 2 % 2), col = 8 * (i / 4) + 2 * q + i % 2;
    float sum = scale_d ? d[i] : 0.0f;
    for (unsigned k = 0; k < 16; ++k)
      sum += sign * ((float)core_element(a, row, k) * (float)core_element(b, col, k));
    d[i] = sum;
  }
}
void dsemu_nvvm_wgmma_fence_sync_aligned(void) {}
void dsemu_nvvm_wgmma_commit_group_sync_aligned(void) {}
void dsemu_nvvm_wgmma_wait_group_sync_aligned(long long groups) { (void)groups; }
/* Ordinary stores and the async proxy's reads are one memory here. */
void dsemu_nvvm_fence_proxy_async_shared_cta(void) {}
