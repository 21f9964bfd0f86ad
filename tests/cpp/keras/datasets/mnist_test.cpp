// keras.datasets.mnist.load_data() on the real files, and where it looked when they are missing.
#include "tensorbox/keras/datasets/mnist.h"

#include <unistd.h>

#include <algorithm>
#include <filesystem>

#include <gtest/gtest.h>

#include "tensorbox/core/errors.h"

namespace tb::keras::datasets {
namespace {

TEST(Mnist, LoadsTheRealData) {
  const auto d = mnist::load_data();
  EXPECT_EQ(d.x_train.shape(), (Shape{60000, 28, 28}));
  EXPECT_EQ(d.y_train.shape(), (Shape{60000}));
  EXPECT_EQ(d.x_test.shape(), (Shape{10000, 28, 28}));
  EXPECT_EQ(d.y_test.shape(), (Shape{10000}));
  EXPECT_EQ(d.x_train.dtype(), DType::uint8);
  EXPECT_EQ(d.y_train.element(0), 5);  // the first training label of MNIST
  EXPECT_EQ(d.y_test.element(0), 7);
  int64_t max_label = 0;
  for (int64_t i = 0; i < d.y_train.size(); ++i) max_label = std::max<int64_t>(max_label, int64_t(d.y_train.element(i)));
  EXPECT_EQ(max_label, 9);
}

TEST(Mnist, MissingFolderNamesWhereItLooked) {
  const std::string nowhere = (std::filesystem::temp_directory_path() / ("tb_nowhere_" + std::to_string(::getpid()))).string();
  try {
    mnist::load_data(nowhere);
    FAIL();
  } catch (const NotFoundError& e) {
    EXPECT_NE(std::string(e.what()).find(nowhere), std::string::npos);
    EXPECT_NE(std::string(e.what()).find("train-images-idx3-ubyte"), std::string::npos);
  }
}

}  // namespace
}  // namespace tb::keras::datasets
