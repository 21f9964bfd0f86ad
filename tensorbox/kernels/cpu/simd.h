// Entry points of the Highway SIMD kernels (simd.cpp). Each is compiled for every x86
// instruction set Highway targets and dispatched at run time to the best the CPU has.
// Callers pass contiguous float32 ranges; a *_scalar flag means "one value, broadcast".
#pragma once

#include <cstdint>
#include <string>

namespace tb::kernels::cpu::simd {

// Returns false when `op` has no SIMD version (the caller then runs its scalar loop).
bool unary_f32(int op, const float* x, float* y, int64_t n);
bool binary_f32(int op, const float* a, bool a_scalar, const float* b, bool b_scalar, float* y,
                int64_t n);
// y[j] += x[j] for j < n (accumulating rows, e.g. column sums).
void accumulate_f32(const float* x, float* y, int64_t n);
float sum_f32(const float* x, int64_t n);
float max_f32(const float* x, int64_t n);

// One fused Adam step over n elements (keras-facts.md 1.3); vhat is null unless amsgrad.
// lr_wd = learning_rate * weight_decay applies AdamW's decoupled decay first (0 for Adam);
// the gradient used is g * gscale (the loss scale's 1/scale, folded in: no separate pass).
void adam_f32(float* var, float* m, float* v, float* vhat, const float* g, int64_t n, float alpha,
              float beta1, float beta2, float epsilon, float lr_wd, float gscale = 1.0f);
// SGD with Keras momentum (keras-facts.md 1.4); momentum == 0 means plain SGD (mom unused).
void sgd_f32(float* var, float* mom, const float* g, int64_t n, float lr, float momentum,
             bool nesterov);

// No Inf and no NaN among x[0..n) (the loss-scale check of mixed precision).
bool all_finite_f32(const float* x, int64_t n);
// y[0:n] = bias[0:n] (or 0) + x[0:k] @ w, w a k x n block with row stride ldw: the one-row matmul
// (batch-1 inference), streamed row by row.
void gemv_f32(const float* x, const float* w, int64_t ldw, const float* bias, float* y, int64_t k, int64_t n);
// float32 <-> float16 / bfloat16 bit patterns, round to nearest even, NaN kept quiet: exactly
// what tb::float16 / tb::bfloat16 do one value at a time, a vector at a time.
void f32_to_f16(const float* x, uint16_t* y, int64_t n);
void f16_to_f32(const uint16_t* x, float* y, int64_t n);
void f32_to_bf16(const float* x, uint16_t* y, int64_t n);
void bf16_to_f32(const uint16_t* x, float* y, int64_t n);
// Single-core float32 FMA throughput of the SIMD target this CPU runs (GFLOP/s), measured
// with a register-only loop (~0.1 s): the machine limit benchmarks and `doctor` report.
double fma_peak_gflops();

// The Highway target the dispatcher chose on this CPU ("AVX2", "AVX3" = AVX-512, "AVX3_ZEN4",
// ...): which of the compiled kernel sets runs here, for `doctor`.
std::string target();

}  // namespace tb::kernels::cpu::simd
