// Element types of tensors and the 16-bit float formats.
//
// DType names follow TensorFlow (`float32`, `bfloat16`, `bool`...). float16 and bfloat16 are
// storage types: kernels convert them to float32 to compute, with round-to-nearest-even on
// the way back, as TensorFlow and oneDNN do.
//
//   tb::DType t = tb::dtype_from_name("bfloat16");
//   tb::bfloat16 h = tb::bfloat16(1.5f); float f = float(h);
#pragma once

#include <cstdint>
#include <cstring>
#include <string>
#include <string_view>

namespace tb {

enum class DType : uint8_t { float32, float16, bfloat16, float64, int32, int64, uint8, bool_ };

inline constexpr DType kAllDTypes[] = {DType::float32, DType::float16, DType::bfloat16,
                                       DType::float64, DType::int32,   DType::int64,
                                       DType::uint8,   DType::bool_};

size_t dtype_size(DType t);
std::string_view dtype_name(DType t);
// Accepts TensorFlow's names ("float32", "half", "float", "double", "bool" ...).
// Throws InvalidArgumentError listing the valid names.
DType dtype_from_name(std::string_view name);
bool is_floating(DType t);
bool is_integer(DType t);  // int32, int64, uint8 (not bool)

inline uint32_t float_bits(float f) {
  uint32_t u;
  std::memcpy(&u, &f, 4);
  return u;
}
inline float bits_float(uint32_t u) {
  float f;
  std::memcpy(&f, &u, 4);
  return f;
}

// IEEE 754 binary16.
struct float16 {
  uint16_t bits = 0;
  float16() = default;
  explicit float16(float f) : bits(from_float(f)) {}
  explicit operator float() const { return to_float(bits); }
  static uint16_t from_float(float f);  // round to nearest even, NaN kept quiet
  static float to_float(uint16_t h);
};

// bfloat16: the upper 16 bits of a float32, rounded to nearest even.
struct bfloat16 {
  uint16_t bits = 0;
  bfloat16() = default;
  explicit bfloat16(float f) : bits(from_float(f)) {}
  explicit operator float() const { return bits_float(uint32_t(bits) << 16); }
  static uint16_t from_float(float f) {
    uint32_t u = float_bits(f);
    if ((u & 0x7fffffffu) > 0x7f800000u) return uint16_t((u >> 16) | 0x40);  // quiet NaN
    u += 0x7fffu + ((u >> 16) & 1u);
    return uint16_t(u >> 16);
  }
};

// C++ type of each DType, for templated kernels.
template <DType T> struct dtype_traits;
template <> struct dtype_traits<DType::float32> { using type = float; };
template <> struct dtype_traits<DType::float16> { using type = float16; };
template <> struct dtype_traits<DType::bfloat16> { using type = bfloat16; };
template <> struct dtype_traits<DType::float64> { using type = double; };
template <> struct dtype_traits<DType::int32> { using type = int32_t; };
template <> struct dtype_traits<DType::int64> { using type = int64_t; };
template <> struct dtype_traits<DType::uint8> { using type = uint8_t; };
template <> struct dtype_traits<DType::bool_> { using type = bool; };

template <class T> constexpr DType dtype_of();
template <> constexpr DType dtype_of<float>() { return DType::float32; }
template <> constexpr DType dtype_of<float16>() { return DType::float16; }
template <> constexpr DType dtype_of<bfloat16>() { return DType::bfloat16; }
template <> constexpr DType dtype_of<double>() { return DType::float64; }
template <> constexpr DType dtype_of<int32_t>() { return DType::int32; }
template <> constexpr DType dtype_of<int64_t>() { return DType::int64; }
template <> constexpr DType dtype_of<uint8_t>() { return DType::uint8; }
template <> constexpr DType dtype_of<bool>() { return DType::bool_; }

// Calls f(T{}) with the C++ type of `t`: the one switch every generic kernel goes through.
template <class F>
decltype(auto) visit_dtype(DType t, F&& f) {
  switch (t) {
    case DType::float32: return f(float{});
    case DType::float16: return f(float16{});
    case DType::bfloat16: return f(bfloat16{});
    case DType::float64: return f(double{});
    case DType::int32: return f(int32_t{});
    case DType::int64: return f(int64_t{});
    case DType::uint8: return f(uint8_t{});
    case DType::bool_: break;
  }
  return f(bool{});
}

// The type kernels compute in: float for the 16-bit floats, the type itself otherwise.
template <class T> struct compute_type { using type = T; };
template <> struct compute_type<float16> { using type = float; };
template <> struct compute_type<bfloat16> { using type = float; };
template <class T> using compute_t = typename compute_type<T>::type;

template <class T> inline compute_t<T> load_c(T v) {
  if constexpr (std::is_same_v<T, float16> || std::is_same_v<T, bfloat16>)
    return float(v);
  else
    return v;
}
template <class T, class C> inline T store_c(C v) {
  if constexpr (std::is_same_v<T, float16> || std::is_same_v<T, bfloat16>)
    return T(float(v));
  else if constexpr (std::is_same_v<T, bool>)
    return v != C(0);
  else
    return static_cast<T>(v);
}

}  // namespace tb
