// Micro-benchmarks of the kernels one training step of the reference MLP runs, at its shapes.
// Reports time and throughput per kernel; nothing is asserted.
//
//   ./build/release/bench/kernels_bench --benchmark_filter=Adam
#include <benchmark/benchmark.h>

#include <cstdlib>
#include <memory>

#include "tensorbox/autodiff/gradient_tape.h"
#include "tensorbox/core/random.h"
#include "tensorbox/core/threading.h"
#include "tensorbox/kernels/cpu/elementwise.h"
#include "tensorbox/kernels/cpu/matmul.h"
#include "tensorbox/kernels/cpu/reduce.h"
#include "tensorbox/kernels/cpu/softmax.h"
#include "tensorbox/ops/math_ops.h"
#include "tensorbox/ops/training_ops.h"

namespace k = tb::kernels::cpu;
using tb::Tensor;

static void BM_DenseForward(benchmark::State& state) {
  const int64_t batch = state.range(0);
  const Tensor x = tb::random::uniform({batch, 784}), w = tb::random::uniform({784, 1024}), b = tb::random::uniform({1024});
  for (auto _ : state) benchmark::DoNotOptimize(k::matmul(x, w, false, false, &b, k::Epilogue::relu));
  state.counters["GFLOP/s"] = benchmark::Counter(2.0 * double(batch) * 784 * 1024, benchmark::Counter::kIsIterationInvariantRate, benchmark::Counter::kIs1000);
}
BENCHMARK(BM_DenseForward)->Arg(32)->Arg(128)->Arg(512);

static void BM_KernelGradient(benchmark::State& state) {
  const int64_t batch = state.range(0);
  const Tensor x = tb::random::uniform({batch, 784}), g = tb::random::uniform({batch, 1024});
  for (auto _ : state) benchmark::DoNotOptimize(k::matmul(x, g, true, false));
  state.counters["GFLOP/s"] = benchmark::Counter(2.0 * double(batch) * 784 * 1024, benchmark::Counter::kIsIterationInvariantRate, benchmark::Counter::kIs1000);
}
BENCHMARK(BM_KernelGradient)->Arg(32)->Arg(128)->Arg(512);

static void BM_BiasAddBroadcast(benchmark::State& state) {
  const Tensor x = tb::random::uniform({state.range(0), 1024}), b = tb::random::uniform({1024});
  for (auto _ : state) benchmark::DoNotOptimize(k::binary(k::BinaryOp::add, x, b));
  state.SetBytesProcessed(state.iterations() * state.range(0) * 1024 * 8);
}
BENCHMARK(BM_BiasAddBroadcast)->Arg(128)->Arg(512);

static void BM_ReluGrad(benchmark::State& state) {
  const Tensor g = tb::random::uniform({state.range(0), 1024}), x = tb::random::uniform({state.range(0), 1024}, -1, 1);
  for (auto _ : state) benchmark::DoNotOptimize(k::binary(k::BinaryOp::relu_grad, g, x));
  state.SetBytesProcessed(state.iterations() * state.range(0) * 1024 * 12);
}
BENCHMARK(BM_ReluGrad)->Arg(128)->Arg(512);

static void BM_BiasGradient(benchmark::State& state) {
  const Tensor g = tb::random::uniform({state.range(0), 1024});
  for (auto _ : state) benchmark::DoNotOptimize(k::reduce(k::ReduceOp::sum, g, {0}, false));
  state.SetBytesProcessed(state.iterations() * state.range(0) * 1024 * 4);
}
BENCHMARK(BM_BiasGradient)->Arg(128)->Arg(512);

static void BM_SparseSoftmaxXent(benchmark::State& state) {
  const Tensor logits = tb::random::uniform({state.range(0), 10});
  const Tensor labels = Tensor::zeros({state.range(0)}, tb::DType::int64);
  for (auto _ : state) benchmark::DoNotOptimize(k::sparse_softmax_xent(labels, logits));
}
BENCHMARK(BM_SparseSoftmaxXent)->Arg(128);

static void BM_Adam(benchmark::State& state) {
  Tensor var = tb::random::uniform({784, 1024}), m = Tensor::zeros({784, 1024}), v = Tensor::zeros({784, 1024});
  const Tensor g = tb::random::uniform({784, 1024}, -1, 1);
  int64_t step = 1;
  for (auto _ : state) tb::ops::apply_adam(var, m, v, nullptr, g, {}, step++);
  state.SetBytesProcessed(state.iterations() * 784 * 1024 * 4 * 7);  // 4 streams read, 3 written
}
BENCHMARK(BM_Adam);

// Per-op eager overhead: a one-element elementwise op, where the arithmetic is nothing and the
// time is the op's checks, allocation and dispatch; with a tape watching, plus recording its node.
static void BM_EagerAddOverhead(benchmark::State& state) {
  const Tensor a = Tensor::scalar(1.5), b = Tensor::scalar(2.5);
  for (auto _ : state) benchmark::DoNotOptimize(tb::ops::add(a, b));
}
BENCHMARK(BM_EagerAddOverhead);

static void BM_EagerAddRecorded(benchmark::State& state) {
  const Tensor a = Tensor::scalar(1.5), b = Tensor::scalar(2.5);
  auto tape = std::make_unique<tb::GradientTape>();
  tape->watch(a);
  int64_t n = 0;
  for (auto _ : state) {
    benchmark::DoNotOptimize(tb::ops::add(a, b));
    if (++n % 4096 == 0) {  // a fresh tape now and then, so the recorded nodes do not pile up
      state.PauseTiming();
      tape = std::make_unique<tb::GradientTape>();
      tape->watch(a);
      state.ResumeTiming();
    }
  }
}
BENCHMARK(BM_EagerAddRecorded);

int main(int argc, char** argv) {
  if (const char* t = std::getenv("TB_BENCH_THREADS")) tb::set_num_threads(std::atoi(t));
  benchmark::Initialize(&argc, argv);
  if (benchmark::ReportUnrecognizedArguments(argc, argv)) return 1;
  benchmark::RunSpecifiedBenchmarks();
  benchmark::Shutdown();
  return 0;
}
