/* dsrt_io_internal.h - helpers shared by the format readers and writers of dsrt_io. */
#ifndef DSRT_IO_INTERNAL_H
#define DSRT_IO_INTERNAL_H

#include "dsrt/dsrt_io.h"

/* Writes "PATH: <formatted message>" into err (which may be NULL). */
void dsrt_io_error(char *err, size_t err_len, const char *path, const char *fmt, ...)
#if defined(__GNUC__)
    __attribute__((format(printf, 4, 5)))
#endif
    ;

/* Reads a whole file into a malloc-ed buffer (*len bytes; *data is non-NULL on success
 * even for an empty file). */
dsrt_status dsrt_read_file(const char *path, unsigned char **data, size_t *len, char *err,
                           size_t err_len);

/* Sets dtype and shape of an empty tensor and allocates zeroed data for it, checking
 * the dtype, the rank, negative dims, overflow and that the data fits in
 * |max_bytes| (what the file holds; SIZE_MAX for none). */
dsrt_status dsrt_tensor_shape_alloc(dsrt_host_tensor *t, int32_t dtype, int32_t rank,
                                    const int64_t *dims, size_t max_bytes, const char *path,
                                    char *err, size_t err_len);

/* An output file written whole or not at all (dsrt_output.c): the data goes to
 * a temporary file beside |path|, renamed onto it by dsrt_output_close once
 * complete, so a failure never leaves a truncated file or destroys the file
 * already there. Paths that exist and are not regular files (/dev/stdout, a
 * FIFO) are written in place. */
typedef struct {
  FILE *f;          /* write here */
  const char *path; /* the final name */
  char *temp;       /* the temporary file, or NULL when written in place */
} dsrt_output;

dsrt_status dsrt_output_open(dsrt_output *out, const char *path, const char *mode, char *err,
                             size_t err_len);
/* Ends the file: on |st| == DSRT_OK and no write error it takes the final
 * name; otherwise the temporary is removed. Returns the final status. */
dsrt_status dsrt_output_close(dsrt_output *out, dsrt_status st, char *err, size_t err_len);

/* The tensor file formats dsrt_tensor_load reads. */
typedef enum { DSRT_TENSOR_FILE_NPY, DSRT_TENSOR_FILE_PB } dsrt_tensor_file_format;

/* Parses a whole tensor file held in memory. It owns what it allocated until
 * it succeeds: on any error *out is freed and empty (callers, and the fuzz
 * targets, need not clean up). */
dsrt_status dsrt_tensor_parse(dsrt_tensor_file_format format, const unsigned char *buf,
                              size_t len, const char *path, dsrt_host_tensor *out, char *err,
                              size_t err_len);

/* Format back ends; the buffers hold the whole file; *out starts zeroed and
 * may hold a partial allocation after an error (dsrt_tensor_parse frees it). */
dsrt_status dsrt_npy_parse(const unsigned char *buf, size_t len, const char *path,
                           dsrt_host_tensor *out, char *err, size_t err_len);
dsrt_status dsrt_npy_write(FILE *f, const dsrt_host_tensor *t, const char *path, char *err,
                           size_t err_len);
dsrt_status dsrt_pb_parse(const unsigned char *buf, size_t len, const char *path,
                          dsrt_host_tensor *out, char *err, size_t err_len);
dsrt_status dsrt_pb_write(FILE *f, const dsrt_host_tensor *t);
void dsrt_json_write_tensor(FILE *f, const dsrt_host_tensor *t);

/* An image file already in memory (dsrt_image_load's decoder; the fuzz
 * target calls it directly). */
dsrt_status dsrt_image_decode(const unsigned char *buf, size_t len, const char *path,
                              const dsrt_tensor_desc *input, const dsrt_image_preprocess *pre,
                              dsrt_host_tensor *out, char *err, size_t err_len);

float dsrt_half_to_float(uint16_t h);
float dsrt_bfloat16_to_float(uint16_t b);

#endif /* DSRT_IO_INTERNAL_H */
