// Training throughput of the reference MLP (784-1024-10, Adam, sparse CE from logits) over
// one MNIST epoch, plus oneDNN sgemm GFLOP/s at the workload's GEMM shapes, as one JSON line.
// Timing only: no assertion anywhere. Driven by bench/compare_mlp.py.
//
//   ./build/release/mlp_train --batch-size 128 --threads 1 [--epochs 1] [--samples 60000] [--policy mixed_bfloat16]
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <string>
#include <vector>

#include "bench/machine.h"
#include "tensorbox/kernels/cpu/matmul.h"
#include "tensorbox/kernels/cpu/simd.h"
#include "tensorbox/tensorbox.h"

using namespace tb;
using namespace tb::keras;
using namespace tb::keras::layers;
using bench::Clock;
using bench::seconds_since;
using bench::sgemm_gflops;
using bench::triad_gbps;


int main(int argc, char** argv) {
  int64_t batch = 128, samples = 60000;
  int threads = 1, epochs = 1;
  std::string policy = "float32";
  for (int i = 1; i + 1 < argc; i += 2) {
    const std::string a = argv[i];
    const long long v = std::atoll(argv[i + 1]);
    if (a == "--policy") policy = argv[i + 1];
    else if (a == "--batch-size") batch = v;
    else if (a == "--threads") threads = int(v);
    else if (a == "--epochs") epochs = int(v);
    else if (a == "--samples") samples = v;
    else {
      std::fprintf(stderr, "unknown flag %s\n", a.c_str());
      return 2;
    }
  }
  set_num_threads(threads);
  random::set_seed(1);
  mixed_precision::set_global_policy(mixed_precision::Policy(policy));
  const auto d = datasets::mnist::load_data();
  Tensor x = ops::cast(d.x_train, DType::float32).reshape({-1, 784}) / 255.0;
  Tensor y = d.y_train;
  if (samples < x.dim(0)) {
    x = ops::slice(x, {0, 0}, {samples, 784});
    y = ops::slice(y, {0}, {samples});
  }
  // Under a mixed policy the output layer stays float32, as the mixed-precision guide says.
  Sequential model({Dense(1024, {.activation = "relu", .input_shape = {784}}), Dense(10, {.dtype = "float32"})});
  model.compile({.optimizer = "adam", .loss = losses::SparseCategoricalCrossentropy({.from_logits = true}),
                 .metrics = {"accuracy"}});
  // One warm-up step so JIT compilation and first allocations are not timed (PyTorch gets the same).
  model.train_on_batch(ops::slice(x, {0, 0}, {batch, 784}), ops::slice(y, {0}, {batch}));
  const auto t0 = Clock::now();
  auto h = model.fit(x, y, {.batch_size = batch, .epochs = epochs, .verbose = 0});
  const double secs = seconds_since(t0);
  const double sps = double(x.dim(0)) * epochs / secs;
  // GEMMs of one step: forward x@W1, h@W2; backward W1 grad x^T@g (784x1024 over the batch),
  // W2 grad, and the hidden gradient g@W2^T. The input gradient is skipped (nothing asks for it).
  const double flops_per_sample = 2.0 * (784.0 * 1024 * 2 + 1024.0 * 10 * 3);
  const double peak = sgemm_gflops(1024, 1024, 1024, false, false);
  const double fma_peak = kernels::cpu::simd::fma_peak_gflops();  // one core
  const double fwd = sgemm_gflops(batch, 784, 1024, false, false);
  const double wgrad = sgemm_gflops(784, batch, 1024, true, false);
  const double params = 784.0 * 1024 + 1024 + 1024.0 * 10 + 10;
  const double dram = triad_gbps(threads, int64_t(32) << 20);
  const double bandwidth = triad_gbps(threads, int64_t(params));
  // The roofline floor of one sample: its GEMM FLOPs at the measured sgemm speed, plus its share of
  // the step's Adam traffic (read var, m, v, gradient; write var, m, v: 7 x 4 bytes per parameter)
  // at the measured bandwidth. Everything else (activations, the loss) is left out: a floor.
  const double floor_s = flops_per_sample / (peak * 1e9) + params * 7 * 4 / double(batch) / (bandwidth * 1e9);
  std::printf("{\"system\": \"tensorbox\", \"batch_size\": %lld, \"threads\": %d, \"samples_per_s\": %.1f, "
              "\"epoch_s\": %.3f, \"final_loss\": %.4f, \"step_gflops\": %.1f, \"sgemm_peak_gflops\": %.1f, "
              "\"sgemm_fwd_gflops\": %.1f, \"sgemm_wgrad_gflops\": %.1f, \"fma_peak_gflops_per_core\": %.1f, \"onednn\": \"%s\", "
              "\"policy\": \"%s\", \"triad_dram_gbps\": %.1f, \"triad_gbps\": %.1f, \"roofline_share\": %.3f}\n",
              (long long)batch, threads, sps, secs / epochs, h->history["loss"].back(), sps * flops_per_sample / 1e9,
              peak, fwd, wgrad, fma_peak, kernels::cpu::onednn_info().c_str(), policy.c_str(), dram, bandwidth, floor_s * sps);
  return 0;
}
