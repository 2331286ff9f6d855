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
