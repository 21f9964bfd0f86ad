#include "tensorbox/core/dtype.h"

#include "tensorbox/core/errors.h"

namespace tb {

size_t dtype_size(DType t) {
  switch (t) {
    case DType::float32: case DType::int32: return 4;
    case DType::float16: case DType::bfloat16: return 2;
    case DType::float64: case DType::int64: return 8;
    case DType::uint8: case DType::bool_: return 1;
  }
  return 0;
}

std::string_view dtype_name(DType t) {
  switch (t) {
    case DType::float32: return "float32";
    case DType::float16: return "float16";
    case DType::bfloat16: return "bfloat16";
    case DType::float64: return "float64";
    case DType::int32: return "int32";
    case DType::int64: return "int64";
    case DType::uint8: return "uint8";
    case DType::bool_: return "bool";
  }
  return "?";
}

DType dtype_from_name(std::string_view n) {
  for (DType t : kAllDTypes)
    if (dtype_name(t) == n) return t;
  if (n == "float" ) return DType::float32;
  if (n == "half") return DType::float16;
  if (n == "double") return DType::float64;
  throw InvalidArgumentError("Unknown dtype '" + std::string(n) +
                             "'. Valid dtypes: float32, float16, bfloat16, float64, int32, "
                             "int64, uint8, bool");
}

bool is_floating(DType t) {
  return t == DType::float32 || t == DType::float16 || t == DType::bfloat16 ||
         t == DType::float64;
}
bool is_integer(DType t) { return t == DType::int32 || t == DType::int64 || t == DType::uint8; }

uint16_t float16::from_float(float f) {
  const uint32_t u = float_bits(f);
  const uint32_t sign = (u >> 16) & 0x8000u;
  const uint32_t a = u & 0x7fffffffu;
  if (a > 0x7f800000u) return uint16_t(sign | 0x7e00u);      // NaN
  if (a >= 0x477ff000u) return uint16_t(sign | 0x7c00u);     // rounds to >= 65520: inf
  if (a < 0x38800000u) {                                     // result is subnormal or zero
    // Add 0.5 (as a float) so the FPU's own round-to-nearest-even aligns the mantissa.
    const float r = bits_float(a) + 0.5f;
    return uint16_t(sign | (float_bits(r) - 0x3f000000u));
  }
  const uint32_t odd = (a >> 13) & 1u;
  const uint32_t v = a + 0xc8000fffu + odd;  // rebias exponent (-112 << 23) and round
  return uint16_t(sign | (v >> 13));
}

float float16::to_float(uint16_t h) {
  const uint32_t sign = uint32_t(h & 0x8000u) << 16;
  const uint32_t exp = (h >> 10) & 0x1fu;
  const uint32_t man = h & 0x3ffu;
  if (exp == 0x1f) return bits_float(sign | 0x7f800000u | (man << 13));
  if (exp == 0) {
    const float v = float(man) * 5.9604644775390625e-8f;  // 2^-24
    return sign ? -v : v;
  }
  return bits_float(sign | ((exp + 112) << 23) | (man << 13));
}

}  // namespace tb
