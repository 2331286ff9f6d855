/* Compiled into every emulated kernel library (scripts/gpu_emulate.py): the
 * NVVM intrinsics a deepseek kernel calls, for one GPU thread at a time on
 * the CPU. fake_cuda_device.c sets the thread's ids before each call.
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

/* Threads run one after another, so a block's threads cannot meet at a
 * barrier: a kernel that needs one cannot be emulated this way. */
void dsemu_nvvm_barrier0(void) {
  fprintf(stderr, "gpu emulator: a kernel waits at a barrier; threads run one at a time here\n");
  abort();
}
