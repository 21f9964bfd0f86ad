// The keras.io "Simple MNIST convnet" example in C++ (the twin of examples/mnist_convnet.py):
// Conv2D 32 -> MaxPooling -> Conv2D 64 -> MaxPooling -> Flatten -> Dropout 0.5 -> Dense 10
// softmax, Adam, categorical cross-entropy on one-hot labels, batch 128, 15 epochs, 10% held
// out for validation. Prints Keras's progress bar and the test accuracy; exits non-zero below
// the 98.5% the example is known for.
//
//   ./build/release/mnist_convnet [--epochs N] [--batch-size N] [--threads N] [--seed N]
#include <cstdio>
#include <cstdlib>
#include <string>

#include "tensorbox/tensorbox.h"

using namespace tb;
using namespace tb::keras;
using namespace tb::keras::layers;

int main(int argc, char** argv) {
  int epochs = 15, threads = 0;
  int64_t batch_size = 128, seed = 1;
  for (int i = 1; i + 1 < argc; i += 2) {
    const std::string a = argv[i];
    const long long v = std::atoll(argv[i + 1]);
    if (a == "--epochs") epochs = int(v);
    else if (a == "--batch-size") batch_size = v;
    else if (a == "--threads") threads = int(v);
    else if (a == "--seed") seed = v;
    else {
      std::fprintf(stderr, "unknown flag %s (flags: --epochs --batch-size --threads --seed)\n", a.c_str());
      return 2;
    }
  }
  try {
    if (threads > 0) set_num_threads(threads);
    random::set_seed(uint64_t(seed));
    const auto d = datasets::mnist::load_data();
    // Scale to [0, 1] and add the channel axis: (60000, 28, 28, 1); one-hot labels.
    const Tensor x_train = ops::cast(d.x_train, DType::float32).reshape({-1, 28, 28, 1}) / 255.0;
    const Tensor x_test = ops::cast(d.x_test, DType::float32).reshape({-1, 28, 28, 1}) / 255.0;
    const Tensor y_train = ops::one_hot(d.y_train, 10);
    const Tensor y_test = ops::one_hot(d.y_test, 10);

    Sequential model({Conv2D(32, {.kernel_size = {3, 3}, .activation = "relu", .input_shape = {28, 28, 1}}),
                      MaxPooling2D({.pool_size = {2, 2}}),
                      Conv2D(64, {.kernel_size = {3, 3}, .activation = "relu"}),
                      MaxPooling2D({.pool_size = {2, 2}}),
                      Flatten(),
                      Dropout(0.5),
                      Dense(10, {.activation = "softmax"})});
    model.summary();
    model.compile({.optimizer = "adam", .loss = "categorical_crossentropy", .metrics = {"accuracy"}});
    model.fit(x_train, y_train, {.batch_size = batch_size, .epochs = epochs, .validation_split = 0.1});
    const Logs scores = model.evaluate(x_test, y_test, {.verbose = 0});
    std::printf("Test loss: %.4f\nTest accuracy: %.4f\n", scores.at("loss"), scores.at("accuracy"));
    return scores.at("accuracy") >= 0.985 ? 0 : 1;
  } catch (const std::exception& e) {
    std::fprintf(stderr, "mnist_convnet: %s\n", e.what());
    return 1;
  }
}
