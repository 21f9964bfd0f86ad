// ConfigReader: a Keras config dict read field by field; unknown keys, wrong types and numbers
// that do not fit are TypeErrors naming the object and the key, never undefined behaviour.
#include "tensorbox/keras/config_reader.h"

#include <gtest/gtest.h>

#include <array>
#include <optional>
#include <vector>

namespace tb::keras {
namespace {

using json = nlohmann::ordered_json;

TEST(ConfigReader, ReadsFieldsAndRejectsUnknownKeys) {
  const json c = json::parse(R"({"units": 8, "rate": 0.5, "use_bias": false, "name": "d", "kernel_size": [3, 2],
                                 "strides": [2, 2], "seed": null})");
  ConfigReader r(c, "layer Dense");
  int units = 0;
  double rate = 0;
  bool use_bias = true;
  std::string name;
  std::vector<int64_t> kernel_size;
  std::array<int64_t, 2> strides{};
  std::optional<int64_t> seed = 3;
  r.read("units", units);
  r.read("rate", rate);
  r.read("use_bias", use_bias);
  r.read("name", name);
  r.read("kernel_size", kernel_size);
  r.read("strides", strides);
  r.read("seed", seed);
  EXPECT_NO_THROW(r.finish());
  EXPECT_EQ(units, 8);
  EXPECT_EQ(rate, 0.5);
  EXPECT_FALSE(use_bias);
  EXPECT_EQ(name, "d");
  EXPECT_EQ(kernel_size, (std::vector<int64_t>{3, 2}));
  EXPECT_EQ(strides, (std::array<int64_t, 2>{2, 2}));
  EXPECT_FALSE(seed.has_value());  // null: None

  const json extra = json::parse(R"({"units": 8, "unitz": 9})");
  ConfigReader r2(extra, "layer Dense");
  r2.read("units", units);
  try {
    r2.finish();
    ADD_FAILURE() << "accepted an unknown key";
  } catch (const TypeError& e) {
    EXPECT_NE(std::string(e.what()).find("unexpected keyword argument 'unitz'. Allowed: units"), std::string::npos) << e.what();
  }
  EXPECT_THROW(ConfigReader(json::array(), "layer Dense"), TypeError);
}

TEST(ConfigReader, NumbersThatDoNotFitAreTypeErrorsNotWraps) {
  auto read_int = [](const char* text) {
    const json c = json::parse(std::string(R"({"units": )") + text + "}");
    ConfigReader r(c, "layer Dense");
    int units = 0;
    r.read("units", units);
    return units;
  };
  EXPECT_EQ(read_int("7"), 7);
  EXPECT_EQ(read_int("7.9"), 7);  // Keras's int(units)
  for (const char* bad : {"3.2e81", "-1e300", "4294967296", "18446744073709551615", "\"8\"", "true", "[8]"})
    EXPECT_THROW(read_int(bad), TypeError) << bad;
  const json lists = json::parse(R"({"kernel_size": [3, 1e99], "strides": [1], "rate": true})");
  ConfigReader r(lists, "layer Conv2D");
  std::vector<int64_t> kernel_size;
  std::array<int64_t, 2> strides{};
  double rate = 0;
  EXPECT_THROW(r.read("kernel_size", kernel_size), TypeError);
  EXPECT_THROW(r.read("strides", strides), TypeError);
  EXPECT_THROW(r.read("rate", rate), TypeError);
}

TEST(ConfigReader, IgnoredKeysAreAcceptedOnlyAtTheirDefault) {
  const json c = json::parse(R"({"decay": 0.0, "amsgrad": true})");
  ConfigReader r(c, "optimizer Adam");
  EXPECT_NO_THROW(r.ignore("decay", 0.0));
  EXPECT_THROW(r.ignore("amsgrad", false), UnimplementedError);
}

}  // namespace
}  // namespace tb::keras
