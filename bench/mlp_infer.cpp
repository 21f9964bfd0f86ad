// Inference speed of the reference MLP (784-1024-10) from the C++ API: batch-1 latency (each of
// `--calls` calls timed on its own: median and p99 in microseconds) and batch-512 throughput
// (samples/s, the median of 5 timed rounds), as one JSON line. Timing only, no assertion.
// Driven by bench/compare_inference.py, side by side with PyTorch and TensorFlow.
//
//   ./build/release/bench/mlp_infer --threads 1 [--calls 2000]
#include <algorithm>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <string>
#include <vector>

#include "tensorbox/tensorbox.h"

using namespace tb;
using namespace tb::keras;
using namespace tb::keras::layers;
using Clock = std::chrono::steady_clock;

int main(int argc, char** argv) {
  int threads = 1, calls = 2000;
  for (int i = 1; i + 1 < argc; i += 2) {
    const std::string a = argv[i];
    if (a == "--threads") threads = std::atoi(argv[i + 1]);
    else if (a == "--calls") calls = std::atoi(argv[i + 1]);
    else {
      std::fprintf(stderr, "unknown flag %s\n", a.c_str());
      return 2;
    }
  }
  set_num_threads(threads);
  random::set_seed(1);
  Sequential model({Dense(1024, {.activation = "relu", .input_shape = {784}}), Dense(10)});
  const Tensor one = random::uniform({1, 784});
  const Tensor big = random::uniform({512, 784});
  for (int i = 0; i < 200; ++i) model(one);  // build, JIT, caches
  std::vector<double> us(size_t(calls), 0.0);
  for (auto& t : us) {
    const auto t0 = Clock::now();
    model(one);
    t = std::chrono::duration<double, std::micro>(Clock::now() - t0).count();
  }
  std::sort(us.begin(), us.end());
  for (int i = 0; i < 5; ++i) model(big);
  std::vector<double> rates;
  for (int round = 0; round < 5; ++round) {
    const auto t0 = Clock::now();
    for (int i = 0; i < 10; ++i) model(big);
    rates.push_back(512.0 * 10 / std::chrono::duration<double>(Clock::now() - t0).count());
  }
  std::sort(rates.begin(), rates.end());
  std::printf("{\"system\": \"tensorbox\", \"threads\": %d, \"latency_us_median\": %.1f, \"latency_us_p99\": %.1f, "
              "\"throughput_512\": %.0f}\n",
              threads, us[us.size() / 2], us[size_t(double(us.size()) * 0.99)], rates[2]);
  return 0;
}
