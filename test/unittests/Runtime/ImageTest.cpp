// ImageTest.cpp - dsrt_image_load on hand-built 8x8 gray JPEGs and PNGs: the
// valid files decode to the exact gray they encode, and what Debian's
// stb_image 2.27 would read out of bounds, abort on or allocate gigabytes for
// is refused before stb sees it (runtime/dsrt_image.c).
#include "dsrt/dsrt_io.h"

#include <gtest/gtest.h>

#include <cstdint>
#include <filesystem>
#include <fstream>
#include <string>
#include <unistd.h>
#include <vector>

namespace {

using Bytes = std::vector<unsigned char>;

void append(Bytes &out, std::initializer_list<int> bytes) {
  for (int b : bytes)
    out.push_back(static_cast<unsigned char>(b));
}

// A marker segment: FF <marker>, the 16-bit length (itself included), body.
void segment(Bytes &out, int marker, const Bytes &body) {
  size_t len = body.size() + 2;
  append(out, {0xFF, marker, static_cast<int>(len >> 8), static_cast<int>(len & 0xFF)});
  out.insert(out.end(), body.begin(), body.end());
}

// A DHT body for one table: class/id, 16 counts, the symbols (all 0: the
// DC table's symbol 0 is "no difference", the AC table's is end-of-block).
Bytes huffmanTable(int tableClass, int id, const std::vector<int> &counts) {
  Bytes body{static_cast<unsigned char>(tableClass << 4 | id)};
  size_t symbols = 0;
  for (int i = 0; i < 16; ++i) {
    int count = i < static_cast<int>(counts.size()) ? counts[i] : 0;
    body.push_back(static_cast<unsigned char>(count));
    symbols += count;
  }
  body.insert(body.end(), symbols, 0);
  return body;
}

struct Jpeg {
  bool progressive = false;
  std::vector<int> dcCounts{1}; // one code of length 1: "0" -> symbol 0
  std::vector<int> acCounts{1}; // "0" -> end of block; empty: no AC table
  int scanTables = 0x00;        // Td << 4 | Ta of the scan's one component
  int spectralEnd = 63;

  // SOI, DQT (all 1), SOF0/SOF2 8x8 gray, the DHTs, SOS, one block, EOI.
  Bytes build() const {
    Bytes out{0xFF, 0xD8};
    Bytes dqt{0x00};
    dqt.insert(dqt.end(), 64, 1);
    segment(out, 0xDB, dqt);
    segment(out, progressive ? 0xC2 : 0xC0, {8, 0, 8, 0, 8, 1, 1, 0x11, 0});
    segment(out, 0xC4, huffmanTable(0, 0, dcCounts));
    if (!acCounts.empty())
      segment(out, 0xC4, huffmanTable(1, 0, acCounts));
    segment(out, 0xDA, {1, 1, static_cast<unsigned char>(scanTables), 0,
                        static_cast<unsigned char>(spectralEnd), 0});
    // DC "0" (no difference), then for baseline AC "0" (end of block); the
    // rest of the byte is 1-bit padding.
    append(out, {progressive ? 0x7F : 0x3F, 0xFF, 0xD9});
    return out;
  }
};

class ImageTest : public ::testing::Test {
protected:
  void SetUp() override {
    dir = std::filesystem::temp_directory_path() /
          ("dsrt-image-test-" + std::to_string(::getpid()) + "-" +
           ::testing::UnitTest::GetInstance()->current_test_info()->name());
    std::filesystem::create_directories(dir);
  }
  void TearDown() override { std::filesystem::remove_all(dir); }

  // Loads |bytes|, written to |name|, as an 8x8 gray input with mean 0 and
  // std 1. Returns the status; the pixels land in |pixels|, the message in
  // |error|.
  dsrt_status load(const Bytes &bytes, std::vector<float> &pixels, std::string &error,
                   const char *name = "image.jpg") {
    std::string path = (dir / name).string();
    std::ofstream(path, std::ios::binary)
        .write(reinterpret_cast<const char *>(bytes.data()), bytes.size());
    static const int64_t dims[4] = {1, 1, 8, 8};
    dsrt_tensor_desc input = {"image", DSRT_FLOAT32, 4, dims, 64 * 4};
    dsrt_image_preprocess pre = {{0, 0, 0}, {1, 1, 1}, DSRT_LAYOUT_NCHW, 0};
    dsrt_host_tensor t;
    char err[512] = "";
    dsrt_status status = dsrt_image_load(path.c_str(), &input, &pre, &t, err, sizeof err);
    error = err;
    if (status == DSRT_OK) {
      const float *data = static_cast<const float *>(t.data);
      pixels.assign(data, data + 64);
      dsrt_tensor_free(&t);
    }
    return status;
  }

  void expectGray128(const Jpeg &jpeg) {
    std::vector<float> pixels;
    std::string error;
    ASSERT_EQ(load(jpeg.build(), pixels, error), DSRT_OK) << error;
    for (float v : pixels)
      EXPECT_FLOAT_EQ(v, 128.0f / 255.0f); // a zero DCT block is mid-gray exactly
  }

  void expectRefused(const Jpeg &jpeg) {
    std::vector<float> pixels;
    std::string error;
    EXPECT_EQ(load(jpeg.build(), pixels, error), DSRT_ERR_IO);
    EXPECT_NE(error.find("image.jpg: cannot read as a JPEG or PNG image: corrupt JPEG (an "
                         "invalid Huffman table)"),
              std::string::npos)
        << error;
  }

  std::filesystem::path dir;
};

TEST_F(ImageTest, BaselineDecodes) { expectGray128(Jpeg{}); }

// A progressive DC scan decodes with its DC table only: no AC table needs to
// exist (libjpeg writes Ta = 0 in such scans before defining any AC table).
TEST_F(ImageTest, ProgressiveDcScanNeedsNoAcTable) {
  Jpeg jpeg;
  jpeg.progressive = true;
  jpeg.acCounts.clear();
  jpeg.spectralEnd = 0;
  expectGray128(jpeg);
}

// stb 2.27 decodes a baseline scan's AC coefficients whatever its spectral
// end says; with a table never defined it read stale heap bytes as the table
// and indexed its symbols at -1
// (fuzz/regressions/image_fuzzer/baseline-scan-undefined-ac-table-*).
TEST_F(ImageTest, BaselineScanWithUndefinedAcTableIsRefusedEvenWithSpectralEndZero) {
  Jpeg jpeg;
  jpeg.scanTables = 0x01;
  jpeg.spectralEnd = 0;
  expectRefused(jpeg);
  jpeg.spectralEnd = 63;
  expectRefused(jpeg);
}

TEST_F(ImageTest, UndefinedDcTableIsRefused) {
  Jpeg jpeg;
  jpeg.scanTables = 0x10;
  expectRefused(jpeg);
}

TEST_F(ImageTest, TableIdsOutOfRangeAreRefused) {
  Jpeg jpeg;
  jpeg.scanTables = 0x04; // Ta = 4: there are four AC tables, 0-3
  expectRefused(jpeg);
}

// Three codes of length 1 cannot exist; stb 2.27 indexed its tables out of
// bounds for such over-subscribed code lengths.
TEST_F(ImageTest, OverSubscribedTableIsRefused) {
  Jpeg jpeg;
  jpeg.acCounts = {3};
  expectRefused(jpeg);
  jpeg.acCounts = {1, 2, 1}; // 1/2 + 2/4 + 1/8 > 1
  expectRefused(jpeg);
}

// 257 codes fit the code space (255 of length 9, 2 of length 10) but not
// stb 2.27's 256-symbol arrays, which it wrote past.
TEST_F(ImageTest, TableWithMoreThan256CodesIsRefused) {
  Jpeg jpeg;
  jpeg.acCounts = {0, 0, 0, 0, 0, 0, 0, 0, 255, 2};
  expectRefused(jpeg);
}

// 256 codes whose last one fits stb's 9-bit lookup table: that table's
// "no code" mark is index 255, so decoding that code fails stb's assertion.
TEST_F(ImageTest, Table256CodesLastWithinNineBitsIsRefused) {
  Jpeg jpeg;
  jpeg.acCounts = {0, 0, 0, 0, 0, 0, 0, 255, 1};
  expectRefused(jpeg);
}

// The largest table stb can hold is fine when its last code is longer.
TEST_F(ImageTest, TableWith256CodesDecodes) {
  Jpeg jpeg;
  jpeg.acCounts = {0, 0, 0, 0, 0, 0, 0, 254, 1, 1};
  // The end-of-block symbol is now code 00000000: DC "0", AC "00000000", pad.
  Bytes bytes = jpeg.build();
  ASSERT_GE(bytes.size(), 3u);
  bytes[bytes.size() - 3] = 0x00;
  bytes.insert(bytes.end() - 2, 0x7F);
  std::vector<float> pixels;
  std::string error;
  ASSERT_EQ(load(bytes, pixels, error), DSRT_OK) << error;
  for (float v : pixels)
    EXPECT_FLOAT_EQ(v, 128.0f / 255.0f);
}

// A PNG: signature, chunks (length, type, data, CRC; stb does not check the
// CRC, so it is left 0 here).
void pngChunk(Bytes &out, const char *type, const Bytes &data, size_t claimedLength) {
  append(out, {static_cast<int>(claimedLength >> 24 & 0xFF),
               static_cast<int>(claimedLength >> 16 & 0xFF),
               static_cast<int>(claimedLength >> 8 & 0xFF), static_cast<int>(claimedLength & 0xFF)});
  out.insert(out.end(), type, type + 4);
  out.insert(out.end(), data.begin(), data.end());
  append(out, {0, 0, 0, 0});
}

// An 8x8 8-bit gray PNG of one value: its IDAT is a zlib stream with one
// stored block (filter byte 0 and 8 pixels per row).
Bytes grayPng(unsigned char value, size_t claimedIdatLength = 0) {
  Bytes raw;
  for (int y = 0; y < 8; ++y) {
    raw.push_back(0);
    raw.insert(raw.end(), 8, value);
  }
  uint32_t a = 1, b = 0; // Adler-32 of the raw bytes
  for (unsigned char c : raw) {
    a = (a + c) % 65521;
    b = (b + a) % 65521;
  }
  Bytes idat{0x78, 0x01, 0x01, static_cast<unsigned char>(raw.size()), 0,
             static_cast<unsigned char>(~raw.size() & 0xFF), 0xFF};
  idat.insert(idat.end(), raw.begin(), raw.end());
  uint32_t adler = b << 16 | a;
  append(idat, {static_cast<int>(adler >> 24), static_cast<int>(adler >> 16 & 0xFF),
                static_cast<int>(adler >> 8 & 0xFF), static_cast<int>(adler & 0xFF)});
  Bytes out{137, 80, 78, 71, 13, 10, 26, 10};
  pngChunk(out, "IHDR", {0, 0, 0, 8, 0, 0, 0, 8, 8, 0, 0, 0, 0}, 13);
  pngChunk(out, "IDAT", idat, claimedIdatLength ? claimedIdatLength : idat.size());
  pngChunk(out, "IEND", {}, 0);
  return out;
}

TEST_F(ImageTest, PngDecodes) {
  std::vector<float> pixels;
  std::string error;
  ASSERT_EQ(load(grayPng(200), pixels, error, "image.png"), DSRT_OK) << error;
  for (float v : pixels)
    EXPECT_FLOAT_EQ(v, 200.0f / 255.0f);
}

// stb 2.27 grew its IDAT buffer to a chunk's declared length (2 GiB here)
// before finding the bytes missing.
TEST_F(ImageTest, PngChunkLongerThanTheFileIsRefused) {
  std::vector<float> pixels;
  std::string error;
  EXPECT_EQ(load(grayPng(200, 0x7FFFF000), pixels, error, "image.png"), DSRT_ERR_IO);
  EXPECT_NE(error.find("image.png: cannot read as a JPEG or PNG image: corrupt PNG (a chunk "
                       "longer than the file)"),
            std::string::npos)
      << error;
}

} // namespace
