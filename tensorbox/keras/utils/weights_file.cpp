#include "tensorbox/keras/utils/weights_file.h"

#include <cstdint>
#include <cstdio>
#include <fstream>
#include <sstream>

#include <nlohmann/json.hpp>

#include "tensorbox/io/atomic_write.h"

namespace tb::keras::utils {

namespace {
constexpr const char* kMagic = "TBWEIGHTS 1";

// An integer field of the index; nlohmann would convert a float or an out-of-range number with
// undefined behaviour, so anything but an integer JSON number is a corrupt file.
int64_t integer(const nlohmann::json& v, const std::string& path, const std::string& name, const char* field) {
  if (!v.is_number_integer() || (v.is_number_unsigned() && v.get<uint64_t>() > uint64_t(INT64_MAX)))
    throw DataLossError(path + ": weight '" + name + "' has " + field + " that is not an integer: " + v.dump());
  return v.get<int64_t>();
}
}  // namespace

void write_weights_file(const std::string& path, const std::vector<std::pair<std::string, Tensor>>& weights) {
  nlohmann::json index = nlohmann::json::array();
  std::string payload;
  for (const auto& [name, t] : weights) {
    index.push_back({{"name", name}, {"dtype", std::string(dtype_name(t.dtype()))}, {"shape", t.shape().dims()},
                     {"offset", payload.size()}, {"bytes", t.nbytes()}});
    payload.append(static_cast<const char*>(t.raw_data()), t.nbytes());
  }
  io::atomic_write(path, std::string(kMagic) + "\n" + index.dump() + "\n" + payload);
}

std::vector<std::pair<std::string, Tensor>> read_weights_file(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) throw NotFoundError("weights file not found: " + path);
  std::stringstream ss;
  ss << in.rdbuf();
  const std::string data = ss.str();
  const size_t l1 = data.find('\n');
  if (l1 == std::string::npos || data.compare(0, l1, kMagic) != 0)
    throw DataLossError(path + " is not a tensorbox weights file (expected the header line \"" +
                        std::string(kMagic) + "\")");
  const size_t l2 = data.find('\n', l1 + 1);
  if (l2 == std::string::npos) throw DataLossError(path + ": truncated weights file (no index line)");
  nlohmann::json index;
  try {
    index = nlohmann::json::parse(data.substr(l1 + 1, l2 - l1 - 1));
  } catch (const std::exception& e) {
    throw DataLossError(path + ": corrupt weights index: " + e.what());
  }
  const size_t base = l2 + 1;
  std::vector<std::pair<std::string, Tensor>> out;
  try {
    for (const auto& e : index) {
      const std::string name = e.at("name").get<std::string>();
      const std::string dtype = e.at("dtype").get<std::string>();
      DType dt;
      try {
        dt = dtype_from_name(dtype);
      } catch (const Error&) {
        throw DataLossError(path + ": weight '" + name + "' has an unknown dtype '" + dtype + "'");
      }
      const nlohmann::json& shape_field = e.at("shape");
      if (!shape_field.is_array()) throw DataLossError(path + ": weight '" + name + "' has a shape that is not a list");
      std::vector<int64_t> dims;
      for (const auto& d : shape_field) dims.push_back(integer(d, path, name, "a shape entry"));
      const int64_t off_field = integer(e.at("offset"), path, name, "an offset");
      const int64_t bytes_field = integer(e.at("bytes"), path, name, "a byte count");
      if (off_field < 0 || bytes_field < 0)
        throw DataLossError(path + ": weight '" + name + "' has a negative offset or byte count");
      const size_t off = size_t(off_field), bytes = size_t(bytes_field);
      // Every size is checked before it is used: a file names any numbers it likes.
      size_t want = dtype_size(dt);
      bool bad = false;
      for (int64_t d : dims) bad |= d < 0 || __builtin_mul_overflow(want, size_t(d), &want);
      const Shape shape(dims);
      if (bad || bytes != want || off > data.size() - base || bytes > data.size() - base - off)
        throw DataLossError(path + ": weight '" + name + "' is truncated or its size does not match shape " +
                            shape.to_string() + " (" + std::to_string(bytes) + " bytes at offset " + std::to_string(off) +
                            ", " + std::to_string(data.size() - base) + " bytes of data)");
      const char* src = data.data() + base + off;
      if (dt == DType::bool_)
        for (size_t i = 0; i < bytes; ++i)
          if (src[i] != 0 && src[i] != 1)
            throw DataLossError(path + ": weight '" + name + "' holds the byte " + std::to_string(int(uint8_t(src[i]))) +
                                " at element " + std::to_string(i) + ", which is not a bool (0 or 1)");
      Tensor t = Tensor::empty(shape, dt);
      std::memcpy(t.raw_data(), src, bytes);
      out.emplace_back(name, t);
    }
  } catch (const nlohmann::json::exception& e) {
    throw DataLossError(path + ": corrupt weights index entry: " + e.what());
  }
  return out;
}

}  // namespace tb::keras::utils
