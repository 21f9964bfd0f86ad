// The reference model of the product brief, trained on real MNIST with the C++ API:
// Dense(1024, relu) -> Dense(10) logits, Adam, sparse categorical cross-entropy from logits,
// 5 epochs at batch size 128 with 10% held out for validation. Prints Keras's progress bar
// and the test accuracy; exits non-zero below the 97.5% the brief asks for. --policy trains
// under a mixed-precision policy (the brief's flagship: mixed_float16), the output layer kept
// in float32 as the mixed-precision guide says.
//
//   ./build/release/seed_mlp [--epochs N] [--batch-size N] [--threads N] [--seed N] [--policy NAME]
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <string>

#include "tensorbox/tensorbox.h"

using namespace tb;
using namespace tb::keras;
using namespace tb::keras::layers;

int main(int argc, char** argv) {
  int epochs = 5, threads = 0;
  int64_t batch_size = 128, seed = 1;
  std::string policy = "float32";
  for (int i = 1; i + 1 < argc; i += 2) {
    const std::string a = argv[i];
    const long long v = std::atoll(argv[i + 1]);
    if (a == "--policy") policy = argv[i + 1];
    else if (a == "--epochs") epochs = int(v);
    else if (a == "--batch-size") batch_size = v;
    else if (a == "--threads") threads = int(v);
    else if (a == "--seed") seed = v;
    else {
      std::fprintf(stderr, "unknown flag %s (flags: --epochs --batch-size --threads --seed --policy)\n", a.c_str());
      return 2;
    }
  }
  try {
    if (threads > 0) set_num_threads(threads);
    random::set_seed(uint64_t(seed));
    mixed_precision::set_global_policy(mixed_precision::Policy(policy));
    const auto d = datasets::mnist::load_data();
    // Flatten to 784 and scale to [0, 1], as the brief's Python does.
    const Tensor x_train = ops::cast(d.x_train, DType::float32).reshape({-1, 784}) / 255.0;
    const Tensor x_test = ops::cast(d.x_test, DType::float32).reshape({-1, 784}) / 255.0;

    Sequential model({Dense(1024, {.activation = "relu", .input_shape = {784}}), Dense(10, {.dtype = "float32"})});
    model.summary();
    model.compile({.optimizer = "adam",
                   .loss = losses::SparseCategoricalCrossentropy({.from_logits = true}),
                   .metrics = {"accuracy"}});
    model.fit(x_train, d.y_train, {.batch_size = batch_size, .epochs = epochs, .validation_split = 0.1});
    const Logs scores = model.evaluate(x_test, d.y_test, {.verbose = 0});
    std::printf("test loss: %.4f - test accuracy: %.4f\n", scores.at("loss"), scores.at("accuracy"));
    return scores.at("accuracy") >= 0.975 ? 0 : 1;
  } catch (const std::exception& e) {
    std::fprintf(stderr, "seed_mlp: %s\n", e.what());
    return 1;
  }
}
