#include "tensorbox/keras/utils/weights_file.h"

#include <cstdio>
#include <fstream>
#include <sstream>

#include <nlohmann/json.hpp>

#include "tensorbox/io/atomic_write.h"

namespace tb::keras::utils {

namespace {
constexpr const char* kMagic = "TBWEIGHTS 1";
}

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
      const DType dt = dtype_from_name(e.at("dtype").get<std::string>());
      const Shape shape(e.at("shape").get<std::vector<int64_t>>());
      const size_t off = e.at("offset").get<size_t>(), bytes = e.at("bytes").get<size_t>();
      if (bytes != size_t(shape.num_elements()) * dtype_size(dt) || base + off + bytes > data.size())
        throw DataLossError(path + ": weight '" + name + "' is truncated or its size does not match shape " +
                            shape.to_string());
      Tensor t = Tensor::empty(shape, dt);
      std::memcpy(t.raw_data(), data.data() + base + off, bytes);
      out.emplace_back(name, t);
    }
  } catch (const nlohmann::json::exception& e) {
    throw DataLossError(path + ": corrupt weights index entry: " + e.what());
  }
  return out;
}

}  // namespace tb::keras::utils
