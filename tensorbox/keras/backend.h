// Keras backend state: unique object names and the global constants of keras.backend.
//
//   tb::keras::backend::unique_object_name("dense");   // "dense", then "dense_1", ...
//   tb::keras::backend::clear_session();               // names start over
#pragma once

#include <string>

namespace tb::keras::backend {

inline constexpr double kEpsilon = 1e-7;  // keras.backend.epsilon()
inline constexpr const char* kFloatx = "float32";

// "dense", "dense_1", "dense_2" ... per prefix, as Keras names layers and models.
std::string unique_object_name(const std::string& prefix);
void clear_session();
// "Dense" -> "dense", "BatchNormalization" -> "batch_normalization".
std::string to_snake_case(const std::string& class_name);

}  // namespace tb::keras::backend
