/* dsrt_output.c - output files written whole or not at all.
 *
 * A compiled executable's --output may name a file the user already has (the
 * last run's results). Writing it in place would leave it truncated if the
 * disk fills, the write fails or the process is killed half way; instead the
 * data goes to a temporary file beside it, renamed over it once complete
 * (rename is atomic within one file system). */
#ifndef _POSIX_C_SOURCE
#define _POSIX_C_SOURCE 200809L
#endif

#include "dsrt_io_internal.h"

#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

/* Opens |temp| exclusively, honoring the umask as the final file would. A
 * stale temporary left by a killed process with the same pid is replaced. */
static int open_temp(const char *temp) {
  for (int attempt = 0; attempt < 2; ++attempt) {
    int fd = open(temp, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0666);
    if (fd >= 0 || errno != EEXIST)
      return fd;
    unlink(temp);
  }
  return -1;
}

dsrt_status dsrt_output_open(dsrt_output *out, const char *path, const char *mode, char *err,
                             size_t err_len) {
  memset(out, 0, sizeof(*out));
  out->path = path;
  struct stat st;
  if (stat(path, &st) == 0 && !S_ISREG(st.st_mode)) {
    if (S_ISDIR(st.st_mode)) {
      dsrt_io_error(err, err_len, path, "cannot write: is a folder");
      return DSRT_ERR_IO;
    }
    /* /dev/stdout, a FIFO: written in place (renaming onto them would replace
     * the device node). */
    out->f = fopen(path, mode);
    if (!out->f) {
      dsrt_io_error(err, err_len, path, "cannot open for writing: %s", strerror(errno));
      return DSRT_ERR_IO;
    }
    return DSRT_OK;
  }
  size_t len = strlen(path) + 32;
  out->temp = (char *)malloc(len);
  if (!out->temp) {
    dsrt_io_error(err, err_len, path, "out of memory");
    return DSRT_ERR_OUT_OF_MEMORY;
  }
  snprintf(out->temp, len, "%s.partial-%ld", path, (long)getpid());
  int fd = open_temp(out->temp);
  if (fd >= 0)
    out->f = fdopen(fd, mode);
  if (!out->f) {
    dsrt_io_error(err, err_len, path, "cannot create: %s", strerror(errno));
    if (fd >= 0) {
      close(fd);
      unlink(out->temp);
    }
    free(out->temp);
    out->temp = NULL;
    return DSRT_ERR_IO;
  }
  return DSRT_OK;
}

dsrt_status dsrt_output_close(dsrt_output *out, dsrt_status st, char *err, size_t err_len) {
  if (!out->f)
    return st;
  int failed = ferror(out->f);
  int saved_errno = errno;
  if (fclose(out->f) != 0) {
    failed = 1;
    saved_errno = errno;
  }
  out->f = NULL;
  if (st == DSRT_OK && failed) {
    dsrt_io_error(err, err_len, out->path, "write failed: %s", strerror(saved_errno));
    st = DSRT_ERR_IO;
  }
  if (out->temp) {
    if (st == DSRT_OK && rename(out->temp, out->path) != 0) {
      dsrt_io_error(err, err_len, out->path, "cannot replace: %s", strerror(errno));
      st = DSRT_ERR_IO;
    }
    if (st != DSRT_OK)
      unlink(out->temp); /* the user's file, if any, is untouched */
    free(out->temp);
    out->temp = NULL;
  }
  return st;
}
