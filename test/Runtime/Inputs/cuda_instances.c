/* Two instances of one GPU model (tiny_cnn, linked as model.o), run in
 * turn, twice each, then closed: what libdsrt asks of the driver shows in
 * fake_cuda_device's counts. */
#include "model.h"

#include <stdio.h>

static void run(const char *name, int round, dsrt_model *model) {
  static float in[64], out[10];
  static const int64_t in_dims[] = {1, 1, 8, 8}, out_dims[] = {1, 10};
  dsrt_tensor x = {DSRT_FLOAT32, 4, in_dims, in, sizeof in};
  dsrt_tensor y = {DSRT_FLOAT32, 2, out_dims, out, sizeof out};
  dsrt_status status = dsrt_model_run(model, &x, 1, &y, 1);
  printf("run %s %d: %s %s\n", name, round, dsrt_status_string(status), dsrt_model_error(model));
}

int main(void) {
  setvbuf(stdout, NULL, _IONBF, 0); /* before the driver's report at exit */
  dsrt_model *a = NULL, *b = NULL;
  if (dsrt_model_open(&tiny_model, &a) != DSRT_OK || dsrt_model_open(&tiny_model, &b) != DSRT_OK)
    return 1;
  /* The arena is on the device: a host arena is ignored, even none. */
  printf("host arena: %s\n", dsrt_status_string(dsrt_model_set_arena(a, NULL, 0)));
  for (int round = 1; round <= 2; ++round) {
    run("a", round, a);
    run("b", round, b);
  }
  dsrt_model_close(a);
  dsrt_model_close(b);
  printf("closed\n");
  return 0;
}
