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
enum fiber_state { kReady, kAtBarrier, kDone };
struct fiber {
  ucontext_t context;
  unsigned tid[3];
  enum fiber_state state;
  char *stack;
};
static _Thread_local struct {
  struct fiber *fibers;
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
    if (!block.fibers) {
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
    getcontext(&f->context);
    f->context.uc_stack.ss_sp = f->stack;
    f->context.uc_stack.ss_size = kFiberStack;
    f->context.uc_link = &block.scheduler;
    makecontext(&f->context, fiber_main, 0);
  }
  for (;;) {
    unsigned waiting = 0, done = 0;
    for (unsigned i = 0; i < count; ++i) {
      if (block.fibers[i].state == kReady)
        run_fiber(&block.fibers[i]);
      waiting += block.fibers[i].state == kAtBarrier;
      done += block.fibers[i].state == kDone;
    }
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

/* bar.sync 0 (LLVM 22 names it llvm.nvvm.barrier.cta.sync.aligned.all;
 * barrier0 is the older name). */
void dsemu_nvvm_barrier_cta_sync_aligned_all(int id) {
  if (id != 0 || !block.current) {
    fprintf(stderr, id ? "gpu emulator: barrier %d: only barrier 0 is emulated\n"
                       : "gpu emulator: a barrier in a kernel not run as fibers\n",
            id);
    abort();
  }
  struct fiber *f = block.current;
  f->state = kAtBarrier;
  if (swapcontext(&f->context, &block.scheduler) != 0) {
    perror("gpu emulator: swapcontext");
    abort();
  }
}
void dsemu_nvvm_barrier0(void) { dsemu_nvvm_barrier_cta_sync_aligned_all(0); }
