/* Calls MODEL(in, out, arena) with a malloc'ed arena of 128 bytes (two
 * 16-byte buffers, each at its own 64-byte slot under poison-lifetimes). */
#include <stdio.h>
#include <stdlib.h>

void MODEL(float *in, float *out, void *arena);

int main(void) {
  float in[4] = {3, 0, 0, 0}, out[4] = {0, 0, 0, 0};
  void *arena = aligned_alloc(64, 128);
  MODEL(in, out, arena);
  printf("out %g %g\n", out[0], out[1]);
  free(arena);
  return 0;
}
