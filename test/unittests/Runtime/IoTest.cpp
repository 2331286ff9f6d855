// IoTest.cpp - dsrt_io: .npy/.pb/.json files and the generic executable main.
#include "ToyModels.h"

#include "dsrt/dsrt_io.h"

#include <gtest/gtest.h>

#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <fcntl.h>
#include <filesystem>
#include <fstream>
#include <regex>
#include <signal.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <sstream>
#include <string>
#include <unistd.h>
#include <vector>

namespace {

const char *kOnnxAdd = "/usr/share/libonnx-testdata/data/node/test_add/test_data_set_0/";

std::string readBytes(const std::string &path) {
  std::ifstream f(path, std::ios::binary);
  std::stringstream ss;
  ss << f.rdbuf();
  return ss.str();
}

void writeBytes(const std::string &path, const std::string &bytes) {
  std::ofstream f(path, std::ios::binary);
  f << bytes;
}

// A fresh directory per test, removed afterwards.
class IoTest : public ::testing::Test {
protected:
  void SetUp() override {
    char tmpl[] = "/tmp/dsrt-io-test-XXXXXX";
    ASSERT_NE(mkdtemp(tmpl), nullptr);
    dir = tmpl;
  }
  void TearDown() override { std::filesystem::remove_all(dir); }
  std::string path(const std::string &name) const { return dir + "/" + name; }

  std::string dir;
  char err[512] = {};
};

// A tensor with distinct, dtype-valid bytes (bool elements are 0/1).
dsrt_host_tensor makeTensor(int32_t dtype, std::vector<int64_t> dims, const char *name = "t") {
  dsrt_host_tensor t{};
  std::vector<int64_t> d = dims;
  dsrt_tensor_desc desc{name, dtype, static_cast<int32_t>(d.size()), d.data(), 0};
  char err[256];
  EXPECT_EQ(dsrt_tensor_alloc(&t, &desc, err, sizeof(err)), DSRT_OK) << err;
  auto *p = static_cast<unsigned char *>(t.data);
  for (size_t i = 0; i < t.size_bytes; ++i)
    p[i] = dtype == DSRT_BOOL ? (i % 3 == 0) : static_cast<unsigned char>(i * 37 + 11);
  return t;
}

void expectSameTensor(const dsrt_host_tensor &a, const dsrt_host_tensor &b) {
  EXPECT_EQ(a.dtype, b.dtype);
  ASSERT_EQ(a.rank, b.rank);
  for (int i = 0; i < a.rank; ++i)
    EXPECT_EQ(a.dims[i], b.dims[i]);
  ASSERT_EQ(a.size_bytes, b.size_bytes);
  EXPECT_EQ(std::memcmp(a.data, b.data, a.size_bytes), 0);
}

// --- .npy --------------------------------------------------------------------------

TEST_F(IoTest, NpyRoundTrip) {
  const int32_t dtypes[] = {DSRT_FLOAT32, DSRT_FLOAT64, DSRT_FLOAT16, DSRT_UINT8,
                            DSRT_INT8,    DSRT_INT16,   DSRT_UINT16,  DSRT_INT32,
                            DSRT_UINT32,  DSRT_INT64,   DSRT_UINT64,  DSRT_BOOL};
  const std::vector<std::vector<int64_t>> shapes = {{}, {5}, {2, 3, 4}, {0, 3}};
  for (int32_t dtype : dtypes) {
    for (const auto &shape : shapes) {
      SCOPED_TRACE(std::string(dsrt_dtype_name(dtype)) + " rank " + std::to_string(shape.size()));
      dsrt_host_tensor t = makeTensor(dtype, shape);
      std::string file = path("t.npy");
      ASSERT_EQ(dsrt_tensor_save(file.c_str(), &t, err, sizeof(err)), DSRT_OK) << err;
      std::string bytes = readBytes(file);
      ASSERT_GE(bytes.size(), 10u);
      EXPECT_EQ(bytes.substr(0, 8), std::string("\x93NUMPY\x01\x00", 8));
      size_t hlen = static_cast<unsigned char>(bytes[8]) | static_cast<unsigned char>(bytes[9]) << 8;
      EXPECT_EQ((10 + hlen) % 64, 0u) << "NumPy aligns the data to 64 bytes";
      dsrt_host_tensor back;
      ASSERT_EQ(dsrt_tensor_load(file.c_str(), &back, err, sizeof(err)), DSRT_OK) << err;
      expectSameTensor(t, back);
      EXPECT_STREQ(back.name, "");
      dsrt_tensor_free(&back);
      dsrt_tensor_free(&t);
    }
  }
}

TEST_F(IoTest, NpyHeaderFormats) {
  // What numpy.save writes for np.arange(3, dtype='<i8'), as format 2.0 with a
  // double-quoted, oddly spaced dict: all must be accepted.
  std::string dict = "{\"descr\":\"<i8\",\"fortran_order\":False,\"shape\":( 3 , ),}\n";
  std::string hdr = std::string("\x93NUMPY\x02\x00", 8);
  uint32_t n = static_cast<uint32_t>(dict.size());
  hdr += std::string(reinterpret_cast<const char *>(&n), 4) + dict;
  int64_t data[3] = {7, -8, 9};
  writeBytes(path("v2.npy"), hdr + std::string(reinterpret_cast<char *>(data), sizeof(data)));
  dsrt_host_tensor t;
  ASSERT_EQ(dsrt_tensor_load(path("v2.npy").c_str(), &t, err, sizeof(err)), DSRT_OK) << err;
  EXPECT_EQ(t.dtype, DSRT_INT64);
  ASSERT_EQ(t.rank, 1);
  EXPECT_EQ(t.dims[0], 3);
  EXPECT_EQ(static_cast<int64_t *>(t.data)[1], -8);
  dsrt_tensor_free(&t);
}

// Builds a version 1.0 .npy file with the given dict and data.
std::string npyFile(const std::string &dict, size_t data_bytes) {
  std::string h = dict + "\n";
  std::string out = std::string("\x93NUMPY\x01\x00", 8);
  out += static_cast<char>(h.size() & 0xff);
  out += static_cast<char>(h.size() >> 8);
  return out + h + std::string(data_bytes, '\0');
}

TEST_F(IoTest, NpyErrors) {
  struct Case {
    std::string name, bytes;
    dsrt_status code;
    std::string says;
  } cases[] = {
      {"fortran.npy", npyFile("{'descr': '<f4', 'fortran_order': True, 'shape': (2, 2), }", 16),
       DSRT_ERR_PARSE, "fortran_order True"},
      {"big.npy", npyFile("{'descr': '>f4', 'fortran_order': False, 'shape': (2,), }", 8),
       DSRT_ERR_DTYPE, "big-endian"},
      {"complex.npy", npyFile("{'descr': '<c8', 'fortran_order': False, 'shape': (2,), }", 16),
       DSRT_ERR_DTYPE, "'<c8'"},
      {"short.npy", npyFile("{'descr': '<f4', 'fortran_order': False, 'shape': (2, 3), }", 23),
       DSRT_ERR_PARSE, "truncated"},
      {"long.npy", npyFile("{'descr': '<f4', 'fortran_order': False, 'shape': (2, 3), }", 25),
       DSRT_ERR_PARSE, "trailing"},
      {"noshape.npy", npyFile("{'descr': '<f4', 'fortran_order': False, }", 4), DSRT_ERR_PARSE,
       "shape"},
      {"negative.npy", npyFile("{'descr': '<f4', 'fortran_order': False, 'shape': (-1,), }", 4),
       DSRT_ERR_PARSE, "shape"},
      {"magic.npy", "PK\x03\x04 this is a zip file", DSRT_ERR_PARSE, "bad magic"},
      {"empty.npy", "", DSRT_ERR_PARSE, "truncated"},
  };
  for (const Case &c : cases) {
    SCOPED_TRACE(c.name);
    std::string file = path(c.name);
    writeBytes(file, c.bytes);
    dsrt_host_tensor t;
    EXPECT_EQ(dsrt_tensor_load(file.c_str(), &t, err, sizeof(err)), c.code);
    EXPECT_NE(std::string(err).find(file), std::string::npos) << err;
    EXPECT_NE(std::string(err).find(c.says), std::string::npos) << err;
    EXPECT_EQ(t.data, nullptr);
  }
  dsrt_host_tensor t;
  EXPECT_EQ(dsrt_tensor_load(path("missing.npy").c_str(), &t, err, sizeof(err)), DSRT_ERR_IO);
  EXPECT_NE(std::string(err).find("missing.npy"), std::string::npos) << err;
  EXPECT_EQ(dsrt_tensor_load(path("x.txt").c_str(), &t, err, sizeof(err)),
            DSRT_ERR_INVALID_ARGUMENT);
}

// Every prefix of a valid file is either rejected cleanly or (the whole file) accepted.
void expectPrefixesRejected(const std::string &file, const std::string &bytes, char *err,
                            size_t err_len) {
  for (size_t n = 0; n < bytes.size(); ++n) {
    writeBytes(file, bytes.substr(0, n));
    dsrt_host_tensor t;
    dsrt_status st = dsrt_tensor_load(file.c_str(), &t, err, err_len);
    EXPECT_EQ(st, DSRT_ERR_PARSE) << "prefix of " << n << " bytes: " << err;
    EXPECT_NE(std::string(err).find(file), std::string::npos) << err;
    dsrt_tensor_free(&t);
  }
}

TEST_F(IoTest, TruncatedNpy) {
  dsrt_host_tensor t = makeTensor(DSRT_FLOAT32, {2, 3});
  std::string file = path("t.npy");
  ASSERT_EQ(dsrt_tensor_save(file.c_str(), &t, err, sizeof(err)), DSRT_OK) << err;
  expectPrefixesRejected(file, readBytes(file), err, sizeof(err));
  dsrt_tensor_free(&t);
}

// --- .pb (ONNX TensorProto) ---------------------------------------------------------

TEST_F(IoTest, ReadsOnnxTestData) {
  std::string dir = kOnnxAdd;
  dsrt_host_tensor a, b, sum;
  ASSERT_EQ(dsrt_tensor_load((dir + "input_0.pb").c_str(), &a, err, sizeof(err)), DSRT_OK) << err;
  EXPECT_EQ(a.dtype, DSRT_FLOAT32);
  ASSERT_EQ(a.rank, 3);
  EXPECT_EQ(a.dims[0], 3);
  EXPECT_EQ(a.dims[1], 4);
  EXPECT_EQ(a.dims[2], 5);
  EXPECT_EQ(a.size_bytes, 240u);
  EXPECT_STREQ(a.name, "x");
  EXPECT_FLOAT_EQ(static_cast<float *>(a.data)[0], 1.7640524f); // numpy seed 0
  // The test's expected output is the sum of its inputs: a check on every value.
  ASSERT_EQ(dsrt_tensor_load((dir + "input_1.pb").c_str(), &b, err, sizeof(err)), DSRT_OK) << err;
  ASSERT_EQ(dsrt_tensor_load((dir + "output_0.pb").c_str(), &sum, err, sizeof(err)), DSRT_OK) << err;
  for (size_t i = 0; i < 60; ++i)
    EXPECT_FLOAT_EQ(static_cast<float *>(a.data)[i] + static_cast<float *>(b.data)[i],
                    static_cast<float *>(sum.data)[i]);
  dsrt_tensor_free(&a);
  dsrt_tensor_free(&b);
  dsrt_tensor_free(&sum);
}

TEST_F(IoTest, PbRoundTrip) {
  for (int32_t dtype : {DSRT_FLOAT32, DSRT_INT64, DSRT_UINT8, DSRT_BOOL, DSRT_FLOAT16,
                        DSRT_BFLOAT16, DSRT_FLOAT64}) {
    SCOPED_TRACE(dsrt_dtype_name(dtype));
    dsrt_host_tensor t = makeTensor(dtype, {3, 1, 200}, "logits");
    std::string file = path("t.pb");
    ASSERT_EQ(dsrt_tensor_save(file.c_str(), &t, err, sizeof(err)), DSRT_OK) << err;
    dsrt_host_tensor back;
    ASSERT_EQ(dsrt_tensor_load(file.c_str(), &back, err, sizeof(err)), DSRT_OK) << err;
    expectSameTensor(t, back);
    EXPECT_STREQ(back.name, "logits");
    dsrt_tensor_free(&back);
    dsrt_tensor_free(&t);
  }
}

// Protobuf encoding helpers for hand-made TensorProtos.
std::string varint(uint64_t v) {
  std::string s;
  do {
    unsigned char b = v & 0x7f;
    v >>= 7;
    s += static_cast<char>(b | (v ? 0x80 : 0));
  } while (v);
  return s;
}
std::string key(int field, int wt) { return varint(static_cast<uint64_t>(field) << 3 | wt); }
std::string bytesField(int field, const std::string &b) { return key(field, 2) + varint(b.size()) + b; }
template <typename T> std::string raw(const std::vector<T> &v) {
  return std::string(reinterpret_cast<const char *>(v.data()), v.size() * sizeof(T));
}

TEST_F(IoTest, PbTypedDataFields) {
  struct Case {
    std::string name, bytes;
    int32_t dtype;
    std::vector<double> values;
  } cases[] = {
      // float_data packed, dims packed, data_type after the data.
      {"float_packed", bytesField(1, varint(3)) + bytesField(4, raw<float>({1.5f, -2, 3})) +
                           key(2, 0) + varint(DSRT_FLOAT32),
       DSRT_FLOAT32, {1.5, -2, 3}},
      // float_data unpacked (fixed32 one at a time).
      {"float_unpacked", key(1, 0) + varint(2) + key(2, 0) + varint(DSRT_FLOAT32) + key(4, 5) +
                             raw<float>({0.25f}) + key(4, 5) + raw<float>({4}),
       DSRT_FLOAT32, {0.25, 4}},
      // int8 in int32_data: negative values are 10-byte sign-extended varints.
      {"int8", key(1, 0) + varint(3) + key(2, 0) + varint(DSRT_INT8) +
                   bytesField(5, varint(static_cast<uint64_t>(int64_t{-128})) + varint(0) +
                                     varint(127)),
       DSRT_INT8, {-128, 0, 127}},
      // float16 bit patterns in int32_data: 1.0 = 0x3c00, -2.0 = 0xc000.
      {"float16", key(1, 0) + varint(2) + key(2, 0) + varint(DSRT_FLOAT16) + key(5, 0) +
                      varint(0x3c00) + key(5, 0) + varint(0xc000),
       DSRT_FLOAT16, {1.0, -2.0}},
      {"bool", key(1, 0) + varint(2) + key(2, 0) + varint(DSRT_BOOL) + key(5, 0) + varint(1) +
                   key(5, 0) + varint(0),
       DSRT_BOOL, {1, 0}},
      {"int64", key(1, 0) + varint(2) + key(2, 0) + varint(DSRT_INT64) + key(7, 0) +
                    varint(static_cast<uint64_t>(int64_t{-5})) + key(7, 0) + varint(1ull << 40),
       DSRT_INT64, {-5, static_cast<double>(1ull << 40)}},
      {"double", key(1, 0) + varint(1) + key(2, 0) + varint(DSRT_FLOAT64) + key(10, 1) +
                     raw<double>({-0.125}),
       DSRT_FLOAT64, {-0.125}},
      {"uint32", key(1, 0) + varint(1) + key(2, 0) + varint(DSRT_UINT32) +
                     bytesField(11, varint(4000000000u)),
       DSRT_UINT32, {4000000000.0}},
      // A scalar (no dims), with unknown fields (doc_string=12, segment=3) to skip.
      {"scalar", bytesField(12, "doc") + bytesField(3, key(1, 0) + varint(0)) + key(2, 0) +
                     varint(DSRT_INT32) + key(5, 0) + varint(42),
       DSRT_INT32, {42}},
  };
  for (const Case &c : cases) {
    SCOPED_TRACE(c.name);
    std::string file = path(c.name + ".pb");
    writeBytes(file, c.bytes);
    dsrt_host_tensor t;
    ASSERT_EQ(dsrt_tensor_load(file.c_str(), &t, err, sizeof(err)), DSRT_OK) << err;
    EXPECT_EQ(t.dtype, c.dtype);
    ASSERT_EQ(dsrt_tensor_numel(&t), c.values.size());
    for (size_t i = 0; i < c.values.size(); ++i)
      EXPECT_EQ(dsrt_tensor_get_f64(&t, i), c.values[i]) << "element " << i;
    dsrt_tensor_free(&t);
  }
}

TEST_F(IoTest, PbErrors) {
  std::string f32 = key(1, 0) + varint(2) + key(2, 0) + varint(DSRT_FLOAT32);
  struct Case {
    std::string name, bytes;
    dsrt_status code;
    std::string says;
  } cases[] = {
      {"external", f32 + bytesField(13, bytesField(1, "location") + bytesField(2, "w.bin")) +
                       key(14, 0) + varint(1),
       DSRT_ERR_PARSE, "external"},
      {"string", key(1, 0) + varint(1) + key(2, 0) + varint(8) + bytesField(6, "hi"),
       DSRT_ERR_DTYPE, "string"},
      {"complex", key(1, 0) + varint(1) + key(2, 0) + varint(14) + bytesField(9, raw<float>({1, 2})),
       DSRT_ERR_DTYPE, "data_type 14"},
      {"too_few", f32 + bytesField(4, raw<float>({1})), DSRT_ERR_PARSE, "1 data values for 2"},
      {"wrong_field", f32 + bytesField(7, varint(1) + varint(2)), DSRT_ERR_PARSE, "does not match"},
      {"raw_size", f32 + bytesField(9, raw<float>({1, 2, 3})), DSRT_ERR_PARSE, "raw_data"},
      {"no_type", key(1, 0) + varint(2), DSRT_ERR_PARSE, "data_type"},
      {"group", f32 + key(4, 3), DSRT_ERR_PARSE, "wire type 3"},
      {"bad_wire", key(1, 0) + varint(2) + key(2, 2) + varint(0), DSRT_ERR_PARSE, "field 2"},
      {"long_varint", f32 + key(7, 0) + std::string(11, '\xff'), DSRT_ERR_PARSE, "truncated"},
  };
  for (const Case &c : cases) {
    SCOPED_TRACE(c.name);
    std::string file = path(c.name + ".pb");
    writeBytes(file, c.bytes);
    dsrt_host_tensor t;
    EXPECT_EQ(dsrt_tensor_load(file.c_str(), &t, err, sizeof(err)), c.code) << err;
    EXPECT_NE(std::string(err).find(file), std::string::npos) << err;
    EXPECT_NE(std::string(err).find(c.says), std::string::npos) << err;
    EXPECT_EQ(t.data, nullptr);
  }
}

TEST_F(IoTest, TruncatedPb) {
  std::string bytes = readBytes(std::string(kOnnxAdd) + "input_0.pb");
  ASSERT_GT(bytes.size(), 240u);
  std::string file = path("cut.pb");
  writeBytes(file, bytes.substr(0, bytes.size() - 10)); // inside raw_data
  dsrt_host_tensor t;
  EXPECT_EQ(dsrt_tensor_load(file.c_str(), &t, err, sizeof(err)), DSRT_ERR_PARSE);
  EXPECT_NE(std::string(err).find(file), std::string::npos) << err;
  expectPrefixesRejected(file, bytes, err, sizeof(err));
}

// --- JSON ----------------------------------------------------------------------------

TEST_F(IoTest, TensorJson) {
  dsrt_host_tensor t = makeTensor(DSRT_FLOAT32, {2, 2}, "out\"put");
  float *v = static_cast<float *>(t.data);
  v[0] = 0.1f;
  v[1] = -2;
  v[2] = NAN;
  v[3] = -INFINITY;
  std::string file = path("t.json");
  ASSERT_EQ(dsrt_tensor_save(file.c_str(), &t, err, sizeof(err)), DSRT_OK) << err;
  EXPECT_EQ(readBytes(file), "{\"name\": \"out\\\"put\", \"dtype\": \"float32\", \"shape\": [2, 2], "
                             "\"data\": [0.100000001, -2, NaN, -Infinity]}\n");
  dsrt_tensor_free(&t);

  dsrt_host_tensor b = makeTensor(DSRT_BOOL, {3}, "mask");
  ASSERT_EQ(dsrt_tensor_save(file.c_str(), &b, err, sizeof(err)), DSRT_OK) << err;
  EXPECT_NE(readBytes(file).find("\"data\": [true, false, false]"), std::string::npos)
      << readBytes(file);
  dsrt_tensor_free(&b);
}

// --- Output files: whole or not at all ------------------------------------------------

// Names in |dir| other than |keep| (leftover temporaries).
std::vector<std::string> otherFiles(const std::string &dir, const std::string &keep) {
  std::vector<std::string> names;
  for (const auto &entry : std::filesystem::directory_iterator(dir))
    if (entry.path().filename() != keep)
      names.push_back(entry.path().filename().string());
  return names;
}

TEST_F(IoTest, FailedSaveKeepsTheExistingFile) {
  std::string file = path("out.npy");
  writeBytes(file, "the user's previous results");
  dsrt_host_tensor big = makeTensor(DSRT_FLOAT32, {256, 1024}); // 1 MiB
  // A file size limit makes the write fail part way (EFBIG), as a full disk
  // would; SIGXFSZ is ignored so the process sees the error.
  struct rlimit old;
  ASSERT_EQ(getrlimit(RLIMIT_FSIZE, &old), 0);
  struct rlimit small = old;
  small.rlim_cur = 64 * 1024;
  void (*oldHandler)(int) = signal(SIGXFSZ, SIG_IGN);
  ASSERT_EQ(setrlimit(RLIMIT_FSIZE, &small), 0);
  dsrt_status npy = dsrt_tensor_save(file.c_str(), &big, err, sizeof(err));
  std::string npyErr = err;
  dsrt_status json = dsrt_results_save_json(path("out.json").c_str(), &big, 1, err, sizeof(err));
  std::string jsonErr = err;
  setrlimit(RLIMIT_FSIZE, &old);
  signal(SIGXFSZ, oldHandler);
  EXPECT_EQ(npy, DSRT_ERR_IO);
  EXPECT_NE(npyErr.find(file + ": write failed"), std::string::npos) << npyErr;
  EXPECT_EQ(readBytes(file), "the user's previous results");
  EXPECT_EQ(json, DSRT_ERR_IO) << jsonErr;
  EXPECT_FALSE(std::filesystem::exists(path("out.json")));
  EXPECT_EQ(otherFiles(dir, "out.npy"), std::vector<std::string>{}) << "temporaries left";
  dsrt_tensor_free(&big);
}

TEST_F(IoTest, SaveReplacesTheExistingFileWhole) {
  std::string file = path("out.pb");
  writeBytes(file, "old");
  dsrt_host_tensor t = makeTensor(DSRT_INT32, {3});
  ASSERT_EQ(dsrt_tensor_save(file.c_str(), &t, err, sizeof(err)), DSRT_OK) << err;
  dsrt_host_tensor back;
  ASSERT_EQ(dsrt_tensor_load(file.c_str(), &back, err, sizeof(err)), DSRT_OK) << err;
  expectSameTensor(t, back);
  EXPECT_EQ(otherFiles(dir, "out.pb"), std::vector<std::string>{});
  // Created with the umask's permissions, like any file (not mkstemp's 0600).
  mode_t mask = umask(0);
  umask(mask);
  EXPECT_EQ(std::filesystem::status(file).permissions(),
            static_cast<std::filesystem::perms>(0666 & ~mask));
  dsrt_tensor_free(&back);
  dsrt_tensor_free(&t);
}

TEST_F(IoTest, SaveErrorsNameThePath) {
  dsrt_host_tensor t = makeTensor(DSRT_FLOAT32, {2});
  // A folder where the file should go, and a folder that does not exist.
  std::string folder = path("results.npy");
  std::filesystem::create_directory(folder);
  EXPECT_EQ(dsrt_tensor_save(folder.c_str(), &t, err, sizeof(err)), DSRT_ERR_IO);
  EXPECT_EQ(std::string(err), folder + ": cannot write: is a folder");
  std::string missing = path("no/such/dir/out.npy");
  EXPECT_EQ(dsrt_tensor_save(missing.c_str(), &t, err, sizeof(err)), DSRT_ERR_IO);
  EXPECT_EQ(std::string(err), missing + ": cannot create: No such file or directory");
  // Character devices are written in place, never replaced by a file.
  EXPECT_EQ(dsrt_results_save_json("/dev/null", &t, 1, err, sizeof(err)), DSRT_OK) << err;
  EXPECT_TRUE(std::filesystem::is_character_file("/dev/null"));
  dsrt_tensor_free(&t);
}

TEST(IoTopK, OrdersByScoreThenIndex) {
  const float s[] = {0.1f, 0.7f, 0.3f, 0.7f, -1.0f, 0.5f};
  size_t idx[5];
  float sc[5];
  ASSERT_EQ(dsrt_topk_f32(s, 6, 5, idx, sc), 5u);
  const size_t want[] = {1, 3, 5, 2, 0};
  for (int i = 0; i < 5; ++i)
    EXPECT_EQ(idx[i], want[i]) << "rank " << i;
  EXPECT_EQ(dsrt_topk_f32(s, 2, 5, idx, sc), 2u);
  EXPECT_EQ(idx[0], 1u);
  EXPECT_EQ(dsrt_topk_f32(s, 6, 0, idx, sc), 0u);
}

// --- dsrt_main ------------------------------------------------------------------------

struct MainResult {
  int rc;
  std::string out, err;
};

// Calls dsrt_main with stdout and stderr redirected into files.
MainResult runMain(const std::string &dir, const dsrt_model_desc &desc,
                   std::vector<std::string> args) {
  args.insert(args.begin(), "model");
  std::vector<char *> argv;
  for (auto &a : args)
    argv.push_back(a.data());
  argv.push_back(nullptr);
  std::string outPath = dir + "/stdout.txt", errPath = dir + "/stderr.txt";
  fflush(stdout);
  fflush(stderr);
  int savedOut = dup(1), savedErr = dup(2);
  int fo = open(outPath.c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0644);
  int fe = open(errPath.c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0644);
  dup2(fo, 1);
  dup2(fe, 2);
  int rc = dsrt_main(static_cast<int>(args.size()), argv.data(), &desc);
  fflush(stdout);
  fflush(stderr);
  dup2(savedOut, 1);
  dup2(savedErr, 2);
  for (int fd : {fo, fe, savedOut, savedErr})
    close(fd);
  return {rc, readBytes(outPath), readBytes(errPath)};
}

// Writes the add-one model's input x = [0..5] as .npy (or .pb).
std::string writeAddOneInput(const std::string &file) {
  dsrt_host_tensor x = makeTensor(DSRT_FLOAT32, {2, 3}, "x");
  for (int i = 0; i < 6; ++i)
    static_cast<float *>(x.data)[i] = static_cast<float>(i);
  char err[256];
  EXPECT_EQ(dsrt_tensor_save(file.c_str(), &x, err, sizeof(err)), DSRT_OK) << err;
  dsrt_tensor_free(&x);
  return file;
}

TEST_F(IoTest, MainWritesOutputFiles) {
  for (const char *in : {"x.npy", "x.pb"}) {
    for (const char *out : {"y.npy", "y.pb"}) {
      SCOPED_TRACE(std::string(in) + " -> " + out);
      writeAddOneInput(path(in));
      MainResult r = runMain(dir, toy::kAddOne, {"--input", path(in), "--output", path(out)});
      ASSERT_EQ(r.rc, 0) << r.err;
      EXPECT_EQ(r.err, "");
      dsrt_host_tensor y;
      ASSERT_EQ(dsrt_tensor_load(path(out).c_str(), &y, err, sizeof(err)), DSRT_OK) << err;
      ASSERT_EQ(y.dtype, DSRT_FLOAT32);
      ASSERT_EQ(y.size_bytes, 24u);
      for (int i = 0; i < 6; ++i)
        EXPECT_FLOAT_EQ(static_cast<float *>(y.data)[i], i + 1.0f);
      dsrt_tensor_free(&y);
    }
  }
}

TEST_F(IoTest, MainJsonResultsWithTop5) {
  dsrt_host_tensor x = makeTensor(DSRT_FLOAT32, {1, 10}, "pixels");
  const float scores[10] = {0.1f, 0.05f, 0.9f, 0.0f, 0.3f, 0.2f, 0.01f, 0.6f, 0.02f, 0.4f};
  std::memcpy(x.data, scores, sizeof(scores));
  ASSERT_EQ(dsrt_tensor_save(path("x.npy").c_str(), &x, err, sizeof(err)), DSRT_OK);
  dsrt_tensor_free(&x);
  MainResult r = runMain(dir, toy::kClassifier,
                         {"--input=" + path("x.npy"), "--output", path("result.json")});
  ASSERT_EQ(r.rc, 0) << r.err;
  std::string json = readBytes(path("result.json"));
  EXPECT_NE(json.find("\"name\": \"scores\", \"dtype\": \"float32\", \"shape\": [1, 10]"),
            std::string::npos) << json;
  EXPECT_NE(json.find("\"top5\": [{\"index\": 2, \"score\": 0.899999976}, "
                      "{\"index\": 7, \"score\": 0.600000024}, {\"index\": 9, \"score\": "
                      "0.400000006}, {\"index\": 4, \"score\": 0.300000012}, {\"index\": 5, "
                      "\"score\": 0.200000003}]"),
            std::string::npos) << json;
  // The first run's latency leads; class scores give their top 5 only.
  EXPECT_EQ(json.substr(0, 15), "{\"latency_ms\": ") << json;
  EXPECT_NE(json.find(", \"outputs\": ["), std::string::npos) << json;
  EXPECT_EQ(json.find("\"data\""), std::string::npos) << json;

  // --raw: every score too.
  r = runMain(dir, toy::kClassifier,
              {"--input", path("x.npy"), "--output", path("raw.json"), "--raw"});
  ASSERT_EQ(r.rc, 0) << r.err;
  std::string raw = readBytes(path("raw.json"));
  EXPECT_NE(raw.find("\"data\": [0.100000001, 0.0500000007, 0.899999976"), std::string::npos)
      << raw;

  // Without --output: a summary on stdout, with the top 5.
  r = runMain(dir, toy::kClassifier, {"--input", path("x.npy")});
  ASSERT_EQ(r.rc, 0) << r.err;
  EXPECT_NE(r.out.find("output 'scores': float32 [1, 10]"), std::string::npos) << r.out;
  EXPECT_NE(r.out.find("top5: 2 (0.9) 7 (0.6) 9 (0.4) 4 (0.3) 5 (0.2)"), std::string::npos)
      << r.out;
}

TEST_F(IoTest, MainBench) {
  writeAddOneInput(path("x.npy"));
  int before = toy::addOneRuns;
  MainResult r = runMain(dir, toy::kAddOne,
                         {"--input", path("x.npy"), "--bench", "3", "--threads", "2"});
  ASSERT_EQ(r.rc, 0) << r.err;
  EXPECT_EQ(toy::addOneRuns, before + 4) << "one warm-up run, then 3 timed runs";
  std::regex line(R"(bench: runs=3 median=\d+\.\d{3} ms min=\d+\.\d{3} ms max=\d+\.\d{3} ms threads=2\n)");
  EXPECT_TRUE(std::regex_match(r.out, line)) << "stdout was: " << r.out;
}

TEST_F(IoTest, MainHelpListsTensors) {
  MainResult r = runMain(dir, toy::kAddOne, {"--help"});
  EXPECT_EQ(r.rc, 0);
  EXPECT_NE(r.out.find("usage: model --input"), std::string::npos) << r.out;
  EXPECT_NE(r.out.find("inputs:\n  x: float32 [2, 3]\noutputs:\n  y: float32 [2, 3]\n"),
            std::string::npos) << r.out;
}

TEST_F(IoTest, MainErrors) {
  writeAddOneInput(path("x.npy"));
  dsrt_host_tensor wrong = makeTensor(DSRT_FLOAT32, {2, 4}, "x");
  ASSERT_EQ(dsrt_tensor_save(path("wrong.npy").c_str(), &wrong, err, sizeof(err)), DSRT_OK);
  dsrt_tensor_free(&wrong);
  writeBytes(path("bad.pb"), "\x08\x02\x10");

  struct Case {
    std::vector<std::string> args;
    int rc;
    std::string says;
  } cases[] = {
      {{"--input", path("wrong.npy")}, 1, "error: input 'x': dim 1 is 4, the model expects 3\n"},
      {{"--input", path("bad.pb")}, 1, "error: " + path("bad.pb") + ": truncated"},
      {{"--input", path("none.npy")}, 1, "error: " + path("none.npy") + ": cannot open"},
      {{}, 2, "error: the model has 1 input, got 0 --input"},
      {{"--input", path("x.npy"), "--output", "a.npy", "--output", "b.npy"}, 2, "error: the model has 1 output"},
      {{"--input", path("x.npy"), "--output", path("y.txt")}, 1, "unknown file type"},
      {{"--input", path("x.npy"), "--output", path("no/such/dir/y.npy")}, 1, "cannot create"},
      {{"--input", path("x.npy"), "--bench", "0"}, 2, "error: --bench"},
      {{"--input", path("x.npy"), "--threads", "x"}, 2, "error: --threads"},
      {{"--input"}, 2, "error: --input needs a file name"},
      {{"--frobnicate"}, 2, "error: unknown argument '--frobnicate'"},
  };
  for (const Case &c : cases) {
    std::string joined;
    for (const auto &a : c.args)
      joined += a + " ";
    SCOPED_TRACE(joined);
    MainResult r = runMain(dir, toy::kAddOne, c.args);
    EXPECT_EQ(r.rc, c.rc);
    EXPECT_NE(r.err.find(c.says), std::string::npos) << r.err;
  }

  dsrt_model_desc future = toy::kAddOne;
  future.abi_version = 2;
  MainResult r = runMain(dir, future, {"--input", path("x.npy")});
  EXPECT_EQ(r.rc, 1);
  EXPECT_NE(r.err.find("ABI 2"), std::string::npos) << r.err;
}

} // namespace
