/* Links a model compiled with --emit obj (or lib) into a C program: the way a
 * backend engineer uses deepseek. Runs the bundled tiny_cnn on a constant image
 * and prints the best class and its score. */
#include "model.h"

#include <stdio.h>

int main(void) {
  float image[64], probabilities[10];
  for (int i = 0; i < 64; ++i)
    image[i] = (float)(i % 8) / 8.0f;
  dsrt_model *model = NULL;
  dsrt_status status = dsrt_model_open(&tiny_model, &model);
  if (status != DSRT_OK) {
    printf("open failed: %s\n", dsrt_status_string(status));
    return 1;
  }
  const dsrt_model_desc *desc = dsrt_model_describe(model);
  printf("model %s: %u input(s), %u output(s), input '%s'\n", desc->name, desc->num_inputs,
         desc->num_outputs, desc->inputs[0].name);
  int64_t in_dims[] = {1, 1, 8, 8}, out_dims[] = {1, 10};
  dsrt_tensor in = {DSRT_FLOAT32, 4, in_dims, image, sizeof image};
  dsrt_tensor out = {DSRT_FLOAT32, 2, out_dims, probabilities, sizeof probabilities};
  status = dsrt_model_run(model, &in, 1, &out, 1);
  if (status != DSRT_OK) {
    printf("run failed: %s\n", dsrt_model_error(model));
    return 1;
  }
  int best = 0;
  float sum = 0;
  for (int i = 0; i < 10; ++i) {
    sum += probabilities[i];
    if (probabilities[i] > probabilities[best])
      best = i;
  }
  printf("best class %d, probabilities sum to %.3f\n", best, sum);
  /* A wrongly shaped input is refused with a message naming the tensor. */
  int64_t bad_dims[] = {1, 1, 8, 7};
  dsrt_tensor bad = {DSRT_FLOAT32, 4, bad_dims, image, sizeof image};
  status = dsrt_model_run(model, &bad, 1, &out, 1);
  printf("bad input: %s: %s\n", dsrt_status_string(status), dsrt_model_error(model));
  dsrt_model_close(model);
  return 0;
}
