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

/* Format back ends; the buffers hold the whole file. */
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
