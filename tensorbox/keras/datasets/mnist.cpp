#include "tensorbox/keras/datasets/mnist.h"

#include <cstdlib>
#include <filesystem>

#include "tensorbox/core/errors.h"
#include "tensorbox/io/idx.h"

namespace tb::keras::datasets::mnist {

std::string default_dir() {
  if (const char* env = std::getenv("TB_MNIST_DIR"); env && *env) return env;
  return TB_DEFAULT_MNIST_DIR;
}

Dataset load_data(const std::string& dir_in) {
  const std::string dir = dir_in.empty() ? default_dir() : dir_in;
  auto find = [&](const std::string& base) {
    for (const std::string& cand : {base + ".gz", base})
      if (std::filesystem::exists(dir + "/" + cand)) return dir + "/" + cand;
    throw NotFoundError("MNIST file " + base + "[.gz] not found in " + dir +
                        " (set TB_MNIST_DIR to the folder holding train-images-idx3-ubyte.gz, "
                        "train-labels-idx1-ubyte.gz, t10k-images-idx3-ubyte.gz, t10k-labels-idx1-ubyte.gz)");
  };
  Dataset ds{io::read_idx(find("train-images-idx3-ubyte")), io::read_idx(find("train-labels-idx1-ubyte")),
             io::read_idx(find("t10k-images-idx3-ubyte")), io::read_idx(find("t10k-labels-idx1-ubyte"))};
  auto check = [&](const Tensor& x, const Tensor& y, const char* what) {
    if (x.rank() != 3 || y.rank() != 1 || x.dim(0) != y.dim(0))
      throw DataLossError("MNIST " + std::string(what) + " in " + dir + ": images " + x.shape().to_string() +
                          " and labels " + y.shape().to_string() + " do not match");
  };
  check(ds.x_train, ds.y_train, "training set");
  check(ds.x_test, ds.y_test, "test set");
  return ds;
}

}  // namespace tb::keras::datasets::mnist
