// Matrix multiplication through oneDNN, with the Dense layer's bias and activation fused in
// as oneDNN post-ops (one pass over the output instead of three).
//
// a: [..., M, K] (or [..., K, M] with transpose_a), b: [..., K, N] (or [..., N, K]);
// batch dimensions broadcast. float32 and bfloat16 run on oneDNN's JIT kernels (AVX2,
// AVX-512, AVX512-BF16/AMX where present); float16 is widened to float32 inside the kernel
// on CPUs without native f16 GEMM; float64 and integers use a plain loop (tests and
// oracles, not speed).
//
//   Tensor y = tb::kernels::cpu::matmul(x, w, false, false, &bias, Epilogue::relu);
#pragma once

#include "tensorbox/core/tensor.h"

namespace tb::kernels::cpu {

enum class Epilogue { none, relu, sigmoid, tanh };

Tensor matmul(const Tensor& a, const Tensor& b, bool transpose_a = false,
              bool transpose_b = false, const Tensor* bias = nullptr,
              Epilogue epilogue = Epilogue::none);

// The oneDNN version string and the ISA its JIT chose, for `doctor` and benchmark reports.
std::string onednn_info();
// Whether bfloat16 GEMMs run natively in oneDNN here (AVX-512 and up); otherwise they are
// computed in float32 from the bfloat16 values.
bool native_bf16_gemm();

}  // namespace tb::kernels::cpu
