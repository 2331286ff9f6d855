/* dsrt_main.c - the command line of every compiled model executable.
 *
 *   ./model --input x.npy|x.pb|image.jpg|image.png ... [--output y.npy|y.pb|result.json ...]
 *           [--raw] [--bench N [--instances K]] [--threads T] [--help]
 *
 * The compiler emits only `main() { return dsrt_main_ex(argc, argv, &<name>_model,
 * &<name>_config); }` (image preprocessing, default threads), so all executables share
 * this one tested implementation. */
#ifndef _POSIX_C_SOURCE
#define _POSIX_C_SOURCE 200809L
#endif

#include "dsrt/dsrt_io.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#define ERR_LEN 512

typedef struct {
  const char **inputs, **outputs;
  int num_inputs, num_outputs;
  int bench;   /* timed runs; 0 = no benchmark */
  int instances; /* --bench with this many instances at once; 0 = one, run after run */
  int threads; /* -1 = runtime default */
  int raw;     /* JSON output: every score, not only the top 5 */
  int help;
} cli_args;

static void print_tensor_desc(FILE *f, const dsrt_tensor_desc *d) {
  fprintf(f, "  %s: %s [", d->name ? d->name : "?", dsrt_dtype_name(d->dtype));
  for (int32_t i = 0; i < d->rank; ++i)
    fprintf(f, "%s%lld", i ? ", " : "", (long long)d->dims[i]);
  fputs("]\n", f);
}

static void print_usage(FILE *f, const char *prog, const dsrt_model_desc *desc) {
  fprintf(f,
          "usage: %s --input FILE ... [--output FILE ...] [--raw] [--bench N [--instances K]]\n"
          "       [--threads T]\n"
          "Runs the compiled model '%s'.\n"
          "  --input FILE   one per model input, in order (.npy, ONNX TensorProto .pb, or a\n"
          "                 .jpg/.png image, resized and normalized as compiled in)\n"
          "  --output FILE  one per model output, in order (.npy, .pb or .json), or one\n"
          "                 .json file for all outputs (top-5 for classifiers, latency);\n"
          "                 without --output a summary is printed\n"
          "  --raw          in .json output, every score too\n"
          "  --bench N      run once to warm up, then N timed runs; print the timing\n"
          "  --instances K  with --bench: K instances of the model run at once, one thread\n"
          "                 each (on a GPU, one stream each), N runs apiece; print the\n"
          "                 throughput\n"
          "  --threads T    threads to use; 0 = all online CPUs (the default)\n",
          prog, desc->name ? desc->name : "?");
  fprintf(f, "inputs:\n");
  for (uint32_t i = 0; i < desc->num_inputs; ++i)
    print_tensor_desc(f, &desc->inputs[i]);
  fprintf(f, "outputs:\n");
  for (uint32_t i = 0; i < desc->num_outputs; ++i)
    print_tensor_desc(f, &desc->outputs[i]);
}

/* Parses a decimal int in [lo, hi]; 0 on anything else. */
static int parse_int(const char *s, int lo, int hi, int *out) {
  char *end;
  errno = 0;
  long v = strtol(s, &end, 10);
  if (errno || end == s || *end || v < lo || v > hi)
    return 0;
  *out = (int)v;
  return 1;
}

/* Accepts "--opt VALUE" and "--opt=VALUE"; returns the value or NULL. */
static const char *option_value(int argc, char **argv, int *i, const char *opt, int *matched) {
  size_t n = strlen(opt);
  *matched = 0;
  if (strncmp(argv[*i], opt, n) != 0)
    return NULL;
  if (argv[*i][n] == '=') {
    *matched = 1;
    return argv[*i] + n + 1;
  }
  if (argv[*i][n] != '\0')
    return NULL;
  *matched = 1;
  return *i + 1 < argc ? argv[++*i] : NULL;
}

/* Returns 0, or 2 after printing a usage error. */
static int parse_args(int argc, char **argv, cli_args *a) {
  for (int i = 1; i < argc; ++i) {
    int m;
    const char *v;
    if (!strcmp(argv[i], "--help") || !strcmp(argv[i], "-h")) {
      a->help = 1;
    } else if (!strcmp(argv[i], "--raw")) {
      a->raw = 1;
    } else if ((v = option_value(argc, argv, &i, "--input", &m)) || m) {
      if (!v)
        goto missing;
      a->inputs[a->num_inputs++] = v;
    } else if ((v = option_value(argc, argv, &i, "--output", &m)) || m) {
      if (!v)
        goto missing;
      a->outputs[a->num_outputs++] = v;
    } else if ((v = option_value(argc, argv, &i, "--bench", &m)) || m) {
      if (!v || !parse_int(v, 1, 100000000, &a->bench)) {
        fprintf(stderr, "error: --bench needs a run count >= 1\n");
        return 2;
      }
    } else if ((v = option_value(argc, argv, &i, "--instances", &m)) || m) {
      if (!v || !parse_int(v, 1, 256, &a->instances)) {
        fprintf(stderr, "error: --instances needs a count in [1, 256]\n");
        return 2;
      }
    } else if ((v = option_value(argc, argv, &i, "--threads", &m)) || m) {
      if (!v || !parse_int(v, 0, 1024, &a->threads)) {
        fprintf(stderr, "error: --threads needs a count in [0, 1024]\n");
        return 2;
      }
    } else {
      fprintf(stderr, "error: unknown argument '%s' (see --help)\n", argv[i]);
      return 2;
    }
    continue;
  missing:
    fprintf(stderr, "error: %s needs a file name\n", argv[i]);
    return 2;
  }
  if (a->instances && !a->bench) {
    fprintf(stderr, "error: --instances needs --bench N (the runs each instance times)\n");
    return 2;
  }
  return 0;
}

static int ends_with_json(const char *path) {
  size_t n = strlen(path);
  return n >= 5 && (!strcmp(path + n - 5, ".json") || !strcmp(path + n - 5, ".JSON"));
}

static void print_summary(const dsrt_host_tensor *t) {
  printf("output '%s': %s [", t->name, dsrt_dtype_name(t->dtype));
  for (int32_t i = 0; i < t->rank; ++i)
    printf("%s%lld", i ? ", " : "", (long long)t->dims[i]);
  printf("]\n  data:");
  size_t n = dsrt_tensor_numel(t), shown = n < 10 ? n : 10;
  for (size_t i = 0; i < shown; ++i)
    printf(" %.6g", dsrt_tensor_get_f64(t, i));
  printf("%s\n", n > shown ? " ..." : "");
  int classifier = t->dtype == DSRT_FLOAT32 &&
                   ((t->rank == 1 && t->dims[0] >= 2) ||
                    (t->rank == 2 && t->dims[0] == 1 && t->dims[1] >= 2));
  if (classifier) {
    size_t idx[5];
    float sc[5];
    size_t k = dsrt_topk_f32((const float *)t->data, n, 5, idx, sc);
    printf("  top5:");
    for (size_t i = 0; i < k; ++i)
      printf(" %zu (%.6g)", idx[i], sc[i]);
    printf("\n");
  }
}

static double now_ms(void) {
  struct timespec ts;
  clock_gettime(CLOCK_MONOTONIC, &ts);
  return (double)ts.tv_sec * 1e3 + (double)ts.tv_nsec * 1e-6;
}

/* Writes outputs per the --output arguments, or prints a summary. */
static int write_outputs(const cli_args *a, const dsrt_host_tensor *outs, size_t nout,
                         double latency_ms) {
  char err[ERR_LEN];
  if (a->num_outputs == 1 && ends_with_json(a->outputs[0])) {
    if (dsrt_results_save_json_ex(a->outputs[0], outs, nout, latency_ms, a->raw, err,
                                  sizeof(err)) != DSRT_OK) {
      fprintf(stderr, "error: %s\n", err);
      return 1;
    }
    return 0;
  }
  for (int i = 0; i < a->num_outputs; ++i) {
    if (dsrt_tensor_save(a->outputs[i], &outs[i], err, sizeof(err)) != DSRT_OK) {
      fprintf(stderr, "error: %s\n", err);
      return 1;
    }
  }
  if (a->num_outputs == 0 && a->bench == 0)
    for (size_t i = 0; i < nout; ++i)
      print_summary(&outs[i]);
  return 0;
}

/* Loads inputs, allocates outputs, runs, benchmarks and writes; returns the exit code. */
static int run_model(const cli_args *a, const dsrt_model_desc *desc,
                     const dsrt_image_preprocess *image, dsrt_model *m, dsrt_host_tensor *host,
                     dsrt_tensor *views) {
  size_t nin = desc->num_inputs, nout = desc->num_outputs;
  char err[ERR_LEN];
  for (size_t i = 0; i < nin; ++i) {
    dsrt_status loaded =
        dsrt_is_image_path(a->inputs[i])
            ? dsrt_image_load(a->inputs[i], &desc->inputs[i], image, &host[i], err, sizeof(err))
            : dsrt_tensor_load(a->inputs[i], &host[i], err, sizeof(err));
    if (loaded != DSRT_OK) {
      fprintf(stderr, "error: %s\n", err);
      return 1;
    }
  }
  for (size_t i = 0; i < nout; ++i) {
    if (dsrt_tensor_alloc(&host[nin + i], &desc->outputs[i], err, sizeof(err)) != DSRT_OK) {
      fprintf(stderr, "error: output %s\n", err);
      return 1;
    }
  }
  for (size_t i = 0; i < nin + nout; ++i)
    views[i] = dsrt_tensor_view(&host[i]);
  /* The first run validates the inputs and doubles as the benchmark's warm-up. */
  double start = now_ms();
  if (dsrt_model_run(m, views, nin, views + nin, nout) != DSRT_OK) {
    fprintf(stderr, "error: %s\n", dsrt_model_error(m));
    return 1;
  }
  double latency_ms = now_ms() - start;
  if (a->bench && a->instances > 0 &&
      dsrt_bench_instances(m, a->instances, a->bench, views, nin, views + nin, nout) != 0)
    return 1;
  if (a->bench && a->instances == 0 && dsrt_bench(m, a->bench, views, nin, views + nin, nout) != 0)
    return 1;
  return write_outputs(a, host + nin, nout, latency_ms);
}

int dsrt_main(int argc, char **argv, const dsrt_model_desc *desc) {
  return dsrt_main_ex(argc, argv, desc, NULL);
}

int dsrt_main_ex(int argc, char **argv, const dsrt_model_desc *desc,
                 const dsrt_exe_config *config) {
  const dsrt_image_preprocess *image = config ? &config->image : &dsrt_imagenet_preprocess;
  const char *prog = argc > 0 && argv[0] ? argv[0] : "model";
  if (!desc) {
    fprintf(stderr, "error: no model descriptor\n");
    return 1;
  }
  cli_args a;
  memset(&a, 0, sizeof(a));
  a.threads = -1;
  a.inputs = (const char **)calloc((size_t)(argc > 0 ? argc : 1), sizeof(char *));
  a.outputs = (const char **)calloc((size_t)(argc > 0 ? argc : 1), sizeof(char *));
  size_t nin = desc->num_inputs, nout = desc->num_outputs;
  dsrt_host_tensor *host = (dsrt_host_tensor *)calloc(nin + nout + 1, sizeof(*host));
  dsrt_tensor *views = (dsrt_tensor *)calloc(nin + nout + 1, sizeof(*views));
  dsrt_model *m = NULL;
  int rc = 0;
  if (!a.inputs || !a.outputs || !host || !views) {
    fprintf(stderr, "error: out of memory\n");
    rc = 1;
    goto done;
  }
  if ((rc = parse_args(argc, argv, &a)) != 0)
    goto done;
  if (a.help) {
    print_usage(stdout, prog, desc);
    goto done;
  }
  if ((size_t)a.num_inputs != nin) {
    fprintf(stderr, "error: the model has %zu input%s, got %d --input (see --help)\n", nin,
            nin == 1 ? "" : "s", a.num_inputs);
    rc = 2;
    goto done;
  }
  if (a.num_outputs != 0 && (size_t)a.num_outputs != nout &&
      !(a.num_outputs == 1 && ends_with_json(a.outputs[0]))) {
    fprintf(stderr,
            "error: the model has %zu output%s, got %d --output (give one per output, or a "
            "single .json file)\n",
            nout, nout == 1 ? "" : "s", a.num_outputs);
    rc = 2;
    goto done;
  }

  dsrt_status st = dsrt_model_open(desc, &m);
  if (st == DSRT_ERR_ABI_MISMATCH) {
    fprintf(stderr, "error: the model was compiled for runtime ABI %u, this runtime has %d\n",
            desc->abi_version, DSRT_ABI_VERSION);
    rc = 1;
    goto done;
  }
  if (st != DSRT_OK) {
    fprintf(stderr, "error: cannot open the model: %s\n", dsrt_status_string(st));
    rc = 1;
    goto done;
  }
  if (a.threads < 0 && config && config->threads > 0)
    a.threads = config->threads;
  if (a.threads >= 0 && dsrt_model_set_threads(m, a.threads) != DSRT_OK) {
    fprintf(stderr, "error: %s\n", dsrt_model_error(m));
    rc = 1;
    goto done;
  }
  rc = run_model(&a, desc, image, m, host, views);

done:
  fflush(stdout);
  dsrt_model_close(m);
  if (host)
    for (size_t i = 0; i < nin + nout; ++i)
      dsrt_tensor_free(&host[i]);
  free(host);
  free(views);
  free(a.inputs);
  free(a.outputs);
  return rc;
}
