#include "tensorbox/io/idx.h"

#include <zlib.h>

#include <algorithm>
#include <cstring>
#include <fstream>
#include <sstream>

#include "tensorbox/core/errors.h"

namespace tb::io {

namespace {

std::string read_file(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) throw NotFoundError("cannot open " + path);
  std::stringstream ss;
  ss << in.rdbuf();
  return ss.str();
}

std::string gunzip(const std::string& gz, const std::string& path) {
  z_stream zs{};
  if (inflateInit2(&zs, 16 + MAX_WBITS) != Z_OK) throw InternalError("zlib inflateInit2 failed for " + path);
  zs.next_in = reinterpret_cast<Bytef*>(const_cast<char*>(gz.data()));
  zs.avail_in = uInt(gz.size());
  std::string out;
  char buf[1 << 16];
  int rc;
  do {
    zs.next_out = reinterpret_cast<Bytef*>(buf);
    zs.avail_out = sizeof buf;
    rc = inflate(&zs, Z_NO_FLUSH);
    if (rc != Z_OK && rc != Z_STREAM_END) {
      inflateEnd(&zs);
      throw DataLossError(path + ": corrupt gzip data (" + std::string(zs.msg ? zs.msg : "inflate error") + ")");
    }
    out.append(buf, sizeof buf - zs.avail_out);
    // Input used up is not the end: inflate may still hold output for a full buffer.
  } while (rc != Z_STREAM_END && (zs.avail_in > 0 || zs.avail_out == 0));
  inflateEnd(&zs);
  if (rc != Z_STREAM_END) throw DataLossError(path + ": truncated gzip stream");
  return out;
}

uint32_t be32(const std::string& d, size_t at) {
  const auto* p = reinterpret_cast<const unsigned char*>(d.data() + at);
  return (uint32_t(p[0]) << 24) | (uint32_t(p[1]) << 16) | (uint32_t(p[2]) << 8) | uint32_t(p[3]);
}

}  // namespace

Tensor read_idx(const std::string& path) {
  std::string d = read_file(path);
  if (d.size() >= 2 && uint8_t(d[0]) == 0x1f && uint8_t(d[1]) == 0x8b) d = gunzip(d, path);
  if (d.size() < 4) throw DataLossError(path + ": too short for an IDX header (" + std::to_string(d.size()) + " bytes)");
  if (d[0] != 0 || d[1] != 0)
    throw DataLossError(path + ": not an IDX file (the magic number must start with two zero bytes)");
  if (uint8_t(d[2]) != 0x08)
    throw DataLossError(path + ": unsupported IDX element type 0x" + std::to_string(int(uint8_t(d[2]))) +
                        " (only unsigned bytes, 0x08, are supported)");
  const int rank = uint8_t(d[3]);
  if (rank < 1 || rank > 4) throw DataLossError(path + ": IDX rank " + std::to_string(rank) + " is not in [1, 4]");
  const size_t header = 4 + 4 * size_t(rank);
  if (d.size() < header) throw DataLossError(path + ": truncated IDX header");
  std::vector<int64_t> dims;
  for (int i = 0; i < rank; ++i) dims.push_back(int64_t(be32(d, 4 + 4 * size_t(i))));
  const Shape shape(dims);
  const size_t have = d.size() - header;
  // Four 32-bit dims can overflow 64 bits: such a header announces more than any file holds.
  size_t want = 1;
  bool overflow = false;
  for (int64_t n : dims) overflow |= __builtin_mul_overflow(want, size_t(n), &want);
  if (std::find(dims.begin(), dims.end(), 0) != dims.end()) want = 0, overflow = false;
  if (overflow || want != have)
    throw DataLossError(path + ": the header announces shape " + shape.to_string() + " (" +
                        (overflow ? "more than 2^64" : std::to_string(want)) +
                        " bytes of data) but the file holds " + std::to_string(have) + " bytes after the header");
  Tensor t = Tensor::empty(shape, DType::uint8);
  std::memcpy(t.raw_data(), d.data() + header, want);
  return t;
}

}  // namespace tb::io
