// Keras backend state: unique object names and the global constants of keras.backend.
//
//   tb::keras::backend::unique_object_name("dense");   // "dense", then "dense_1", ...
//   tb::keras::backend::clear_session();               // names start over
#pragma once

#include <string>
#include <vector>

namespace tb::keras::backend {

inline constexpr double kEpsilon = 1e-7;  // keras.backend.epsilon()
inline constexpr const char* kFloatx = "float32";

// "dense", "dense_1", "dense_2" ... per prefix, as Keras names layers and models; with
// zero_based=false "input_1", "input_2" ... (Keras's InputLayer names).
std::string unique_object_name(const std::string& prefix, bool zero_based = true);
void clear_session();
// "Dense" -> "dense", "BatchNormalization" -> "batch_normalization".
std::string to_snake_case(const std::string& class_name);

// "a, b, c" from the keys of a name table, for "Unknown ...: 'x'. Valid ...: a, b, c" errors.
template <class Map>
std::string join_keys(const Map& table) {
  std::string out;
  for (const auto& entry : table) out += (out.empty() ? "" : ", ") + entry.first;
  return out;
}
// "a, b, c" from a list of names.
inline std::string join(const std::vector<std::string>& names) {
  std::string out;
  for (const auto& n : names) out += (out.empty() ? "" : ", ") + n;
  return out;
}

}  // namespace tb::keras::backend
