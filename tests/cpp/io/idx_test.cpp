// io::read_idx: raw and gzipped IDX files, and every malformed one rejected naming the file.
#include "tensorbox/io/idx.h"

#include <filesystem>
#include <fstream>

#include <gtest/gtest.h>
#include <zlib.h>

namespace tb::io {
namespace {
namespace fs = std::filesystem;

class IdxFiles : public ::testing::Test {
 protected:
  void SetUp() override {
    dir_ = fs::temp_directory_path() / ("tb_idx_" + std::to_string(::getpid()));
    fs::create_directories(dir_);
  }
  void TearDown() override { fs::remove_all(dir_); }
  std::string write(const std::string& name, const std::string& bytes) {
    const fs::path p = dir_ / name;
    std::ofstream(p, std::ios::binary) << bytes;
    return p.string();
  }
  static std::string header(std::vector<uint32_t> dims, uint8_t type = 0x08) {
    std::string h = {0, 0, char(type), char(dims.size())};
    for (uint32_t d : dims) h += {char(d >> 24), char(d >> 16), char(d >> 8), char(d)};
    return h;
  }
  fs::path dir_;
};

TEST_F(IdxFiles, ReadsRawAndGzip) {
  const std::string body = header({2, 3}) + std::string("\x01\x02\x03\x04\x05\x06", 6);
  const Tensor t = read_idx(write("a.idx", body));
  EXPECT_EQ(t.shape(), (Shape{2, 3}));
  EXPECT_EQ(t.element(5), 6);
  // The same bytes gzipped.
  const std::string gz_path = (dir_ / "a.idx.gz").string();
  gzFile f = gzopen(gz_path.c_str(), "wb");
  gzwrite(f, body.data(), unsigned(body.size()));
  gzclose(f);
  EXPECT_EQ(read_idx(gz_path).element(4), 5);
}

TEST_F(IdxFiles, RejectsBadFilesNamingThem) {
  auto expect = [](const std::string& path, const std::string& part) {
    try {
      read_idx(path);
      FAIL() << path;
    } catch (const DataLossError& e) {
      EXPECT_NE(std::string(e.what()).find(path), std::string::npos) << e.what();
      EXPECT_NE(std::string(e.what()).find(part), std::string::npos) << e.what();
    }
  };
  expect(write("trunc.idx", header({2, 3}) + "\x01\x02"), "holds 2 bytes");
  // 2^128 elements: the size must not wrap around to what the file holds.
  expect(write("huge.idx", header({65536, 65536, 65536, 65536}) + "x"), "more than 2^64");
  expect(write("big.idx", header({65536, 65536, 65536}) + "x"), "(281474976710656 bytes of data)");
  expect(write("magic.idx", std::string("\x01\x00\x08\x01", 4) + header({1}).substr(4) + "x"), "not an IDX file");
  expect(write("type.idx", header({1}, 0x0d) + "abcd"), "element type");
  expect(write("short.idx", std::string("\x00\x00", 2)), "too short");
  expect(write("hdr.idx", std::string("\x00\x00\x08\x03\x00\x00", 6)), "truncated IDX header");
  expect(write("bad.gz", std::string("\x1f\x8b\x08\x00garbage", 11)), "gzip");
  EXPECT_THROW(read_idx((dir_ / "missing.idx").string()), NotFoundError);
}

}  // namespace
}  // namespace tb::io
