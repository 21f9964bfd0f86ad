// Training throughput of the keras.io MNIST convnet (Conv2D 32 -> MaxPool -> Conv2D 64 ->
// MaxPool -> Flatten -> Dropout 0.5 -> Dense 10 softmax, Adam, categorical cross-entropy) over
// one MNIST epoch, with the share of the machine's oneDNN sgemm peak the step reaches, as one
// JSON line. Timing only: no assertion anywhere. Driven by bench/compare_convnet.py.
//
//   ./build/release/bench/convnet_train --batch-size 128 --threads 1 [--samples 60000]
#include <cstdio>
#include <cstdlib>
#include <string>

#include "bench/machine.h"
#include "tensorbox/tensorbox.h"

using namespace tb;
using namespace tb::keras;
using namespace tb::keras::layers;

int main(int argc, char** argv) {
  int64_t batch = 128, samples = 60000;
  int threads = 1;
  for (int i = 1; i + 1 < argc; i += 2) {
    const std::string a = argv[i];
    const long long v = std::atoll(argv[i + 1]);
    if (a == "--batch-size") batch = v;
    else if (a == "--threads") threads = int(v);
    else if (a == "--samples") samples = v;
    else {
      std::fprintf(stderr, "unknown flag %s\n", a.c_str());
      return 2;
    }
  }
  set_num_threads(threads);
  random::set_seed(1);
  const auto d = datasets::mnist::load_data();
  Tensor x = ops::cast(d.x_train, DType::float32).reshape({-1, 28, 28, 1}) / 255.0;
  Tensor y = ops::one_hot(d.y_train, 10);
  if (samples < x.dim(0)) {
    x = ops::slice(x, {0, 0, 0, 0}, {samples, 28, 28, 1});
    y = ops::slice(y, {0, 0}, {samples, 10});
  }
  Sequential model({Conv2D(32, {.kernel_size = {3, 3}, .activation = "relu", .input_shape = {28, 28, 1}}),
                    MaxPooling2D({.pool_size = {2, 2}}), Conv2D(64, {.kernel_size = {3, 3}, .activation = "relu"}),
                    MaxPooling2D({.pool_size = {2, 2}}), Flatten(), Dropout(0.5), Dense(10, {.activation = "softmax"})});
  model.compile({.optimizer = "adam", .loss = "categorical_crossentropy", .metrics = {"accuracy"}});
  // One warm-up step so JIT compilation and first allocations are not timed (the peers get the same).
  model.train_on_batch(ops::slice(x, {0, 0, 0, 0}, {batch, 28, 28, 1}), ops::slice(y, {0, 0}, {batch, 10}));
  const auto t0 = bench::Clock::now();
  auto h = model.fit(x, y, {.batch_size = batch, .epochs = 1, .verbose = 0});
  const double secs = bench::seconds_since(t0);
  const double sps = double(x.dim(0)) / secs;
  // FLOPs of one sample's step: forward conv1 (26*26*32 outputs x 9 taps), conv2 (11*11*64 x 9*32),
  // dense (1600 x 10); backward: weight gradients of all three, the input gradients of conv2 and
  // dense (conv1's input gradient is skipped: nothing asks for it).
  const double conv1 = 2.0 * 26 * 26 * 32 * 9, conv2 = 2.0 * 11 * 11 * 64 * 9 * 32, dense = 2.0 * 1600 * 10;
  const double flops_per_sample = 2 * conv1 + 3 * conv2 + 3 * dense;
  const double peak = bench::sgemm_gflops(1024, 1024, 1024, false, false);
  std::printf("{\"system\": \"tensorbox\", \"batch_size\": %lld, \"threads\": %d, \"samples_per_s\": %.1f, "
              "\"epoch_s\": %.3f, \"final_loss\": %.4f, \"step_gflops\": %.1f, \"sgemm_peak_gflops\": %.1f, "
              "\"mflop_per_sample\": %.2f, \"onednn\": \"%s\"}\n",
              (long long)batch, threads, sps, secs, h->history["loss"].back(), sps * flops_per_sample / 1e9, peak,
              flops_per_sample / 1e6, kernels::cpu::onednn_info().c_str());
  return 0;
}
