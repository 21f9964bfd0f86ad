// The weights file (Model::save_weights/load_weights): a round trip keeps names, dtypes, shapes
// and bytes; every corrupt file the fuzzer (tests/fuzz) or a user could produce is a
// DataLossError naming the file and the entry, never a crash or a read outside the data.
#include "tensorbox/keras/utils/weights_file.h"

#include <unistd.h>

#include <cstdio>
#include <filesystem>
#include <fstream>

#include <gtest/gtest.h>

namespace tb::keras::utils {
namespace {

struct WeightsFile : ::testing::Test {
  std::string path = (std::filesystem::temp_directory_path() / ("tb-weights-" + std::to_string(::getpid()))).string();
  void TearDown() override { std::remove(path.c_str()); }
  void write_raw(const std::string& bytes) { std::ofstream(path, std::ios::binary) << bytes; }
  std::string load_error() {
    try {
      read_weights_file(path);
    } catch (const DataLossError& e) {
      return e.what();
    }
    return "no error";
  }
};

TEST_F(WeightsFile, RoundTripsEveryDtypeAndShape) {
  const Tensor k = Tensor::from_vector<float>({1, 2, 3, 4, 5, 6}, {2, 3});
  const Tensor steps = Tensor::from_vector<int64_t>({7}, {});
  const Tensor mask = Tensor::from_vector<bool>({true, false}, {2});
  const Tensor empty = Tensor::zeros({0, 4}, DType::bfloat16);
  write_weights_file(path, {{"dense/kernel:0", k}, {"iterations:0", steps}, {"mask:0", mask}, {"empty:0", empty}});
  const auto back = read_weights_file(path);
  ASSERT_EQ(back.size(), 4u);
  EXPECT_EQ(back[0].first, "dense/kernel:0");
  EXPECT_EQ(back[0].second.to_vector<float>(), k.to_vector<float>());
  EXPECT_EQ(back[0].second.shape(), k.shape());
  EXPECT_EQ(back[1].second.dtype(), DType::int64);
  EXPECT_EQ(back[1].second.item(), 7);
  EXPECT_EQ(back[2].second.to_vector<bool>(), (std::vector<bool>{true, false}));
  EXPECT_EQ(back[3].second.shape(), (Shape{0, 4}));
}

TEST_F(WeightsFile, MissingFileIsNotFound) {
  EXPECT_THROW(read_weights_file(path + ".absent"), NotFoundError);
}

TEST_F(WeightsFile, CorruptFilesAreDataLossNamingFileAndEntry) {
  const std::string head = "TBWEIGHTS 1\n";
  struct Case { std::string bytes, expect; };
  for (const Case& c : std::vector<Case>{
           {"TBWEIGHTS 2\n[]\n", "is not a tensorbox weights file"},
           {head + "[", "no index line"},
           {head + "[{]\n", "corrupt weights index"},
           {head + R"([{"name":"w","dtype":"float32","shape":[2],"offset":0,"bytes":8}])" "\n1234", "'w' is truncated"},
           {head + R"([{"name":"w","dtype":"float32","shape":[2],"offset":18446744073709551615,"bytes":8}])" "\n12345678",
            "'w' has an offset that is not an integer"},
           {head + R"([{"name":"w","dtype":"float32","shape":[1],"offset":9223372036854775807,"bytes":4}])" "\n1234", "'w' is truncated"},
           {head + R"([{"name":"w","dtype":"float32","shape":[1],"offset":1.5,"bytes":4}])" "\n1234", "offset that is not an integer"},
           {head + R"([{"name":"w","dtype":"float32","shape":[3.2e81],"offset":0,"bytes":4}])" "\n1234", "a shape entry that is not"},
           {head + R"([{"name":"w","dtype":"float32","shape":[-1],"offset":0,"bytes":4}])" "\n1234", "'w' is truncated"},
           {head + R"([{"name":"w","dtype":"uint8","shape":[4294967296,4294967296],"offset":0,"bytes":0}])" "\n", "'w' is truncated"},
           {head + R"([{"name":"w","dtype":"quaternion","shape":[1],"offset":0,"bytes":4}])" "\n1234", "unknown dtype 'quaternion'"},
           {head + R"([{"name":"b","dtype":"bool","shape":[2],"offset":0,"bytes":2}])" "\n\x01:", "holds the byte 58 at element 1"},
           {head + R"([{"name":"w"}])" "\n", "corrupt weights index entry"},
           {head + R"({"name":"w"})" "\n", "corrupt weights index entry"},
       }) {
    write_raw(c.bytes);
    const std::string message = load_error();
    EXPECT_NE(message.find(c.expect), std::string::npos) << "for file " << c.bytes << "\ngot: " << message;
    EXPECT_NE(message.find(path), std::string::npos) << message;
  }
}

}  // namespace
}  // namespace tb::keras::utils
