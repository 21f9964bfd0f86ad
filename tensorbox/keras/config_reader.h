// ConfigReader: reads a Keras config dict ({"learning_rate": 0.01, ...}) into an options
// struct, field by field, and rejects keys nobody read, the way Keras rejects an unknown
// keyword argument. Configs are how the Python front end and saved models build objects,
// so this is the one place their keys are checked.
//
//   ConfigReader r(config, "optimizer Adam");
//   r.read("beta_1", o.beta_1);
//   r.ignore("decay", 0.0);     // accepted only with its default value
//   r.finish();                 // TypeError naming the unknown key and the allowed ones
#pragma once
#include <array>
#include <cmath>
#include <limits>
#include <optional>
#include <set>
#include <string>
#include <type_traits>
#include <vector>

#include <nlohmann/json.hpp>

#include "tensorbox/core/errors.h"

namespace tb::keras {

class ConfigReader {
 public:
  ConfigReader(const nlohmann::ordered_json& config, std::string what) : c_(config), what_(std::move(what)) {
    if (!c_.is_object()) throw TypeError(what_ + ": config must be a dict, got " + c_.dump());
  }

  bool has(const char* key) const { return c_.contains(key) && !c_.at(key).is_null(); }
  const nlohmann::ordered_json& at(const char* key) {
    allowed_.insert(key);
    return c_.at(key);
  }

  // Marks a key as known without reading it (read with has()/at() when present).
  void allow(const char* key) { allowed_.insert(key); }

  // Assigns the value when the key is present (null leaves optionals empty).
  template <class T>
  void read(const char* key, T& field) {
    allowed_.insert(key);
    if (!c_.contains(key)) return;
    const auto& v = c_.at(key);
    try {
      if constexpr (is_optional<T>::value) {
        if (v.is_null()) field.reset();
        else field = checked<typename T::value_type>(v);
      } else {
        if (v.is_null()) throw TypeError("null");
        field = checked<T>(v);
      }
    } catch (const std::exception&) {
      throw TypeError(what_ + ": invalid value for `" + key + "`: " + v.dump());
    }
  }

  // Like read, but a missing or null value leaves the field at its default (Keras's None
  // meaning "the default", e.g. data_format=None).
  template <class T>
  void read_if_set(const char* key, T& field) {
    if (has(key)) read(key, field);
    else allow(key);
  }

  // A Keras key tensorbox accepts only at its default (e.g. the legacy `decay` of optimizers).
  void ignore(const char* key, const nlohmann::ordered_json& default_value) {
    allowed_.insert(key);
    if (has(key) && c_.at(key) != default_value)
      throw UnimplementedError(what_ + ": `" + key + "` other than " + default_value.dump() +
                               " is not supported (got " + c_.at(key).dump() + ")");
  }

  void finish() const {
    for (auto it = c_.begin(); it != c_.end(); ++it)
      if (!allowed_.count(it.key())) {
        std::string allowed;
        for (const auto& k : allowed_) allowed += (allowed.empty() ? "" : ", ") + k;
        throw TypeError(what_ + ": unexpected keyword argument '" + it.key() + "'. Allowed: " + allowed);
      }
  }

 private:
  template <class T> struct is_optional : std::false_type {};
  template <class T> struct is_optional<std::optional<T>> : std::true_type {};
  template <class T> struct is_vector : std::false_type {};
  template <class U> struct is_vector<std::vector<U>> : std::true_type {};
  template <class T> struct is_array : std::false_type {};
  template <class U, size_t N> struct is_array<std::array<U, N>> : std::true_type {};

  // nlohmann converts a float or an out-of-range number to an integer with undefined behaviour,
  // and a list of them the same way: numbers are checked here first. A float in range
  // truncates, as Keras's int(units) does; infinities, NaN and values beyond T do not.
  template <class T>
  static T checked(const nlohmann::ordered_json& v) {
    if constexpr (std::is_same_v<T, bool>) {
      if (!v.is_boolean()) throw TypeError("not a bool");
      return v.get<bool>();
    } else if constexpr (std::is_integral_v<T>) {
      if (v.is_number_integer()) {
        if (v.is_number_unsigned() ? v.get<uint64_t>() > uint64_t(std::numeric_limits<T>::max())
                                   : (v.get<int64_t>() < int64_t(std::numeric_limits<T>::min()) ||
                                      (v.get<int64_t>() > 0 && uint64_t(v.get<int64_t>()) > uint64_t(std::numeric_limits<T>::max()))))
          throw TypeError("out of range");
        return v.get<T>();
      }
      if (!v.is_number_float()) throw TypeError("not a number");
      const double d = v.get<double>();
      if (!std::isfinite(d) || d < double(std::numeric_limits<T>::min()) || d >= double(std::numeric_limits<T>::max()))
        throw TypeError("out of range");
      return T(d);
    } else if constexpr (std::is_floating_point_v<T>) {
      if (!v.is_number()) throw TypeError("not a number");
      return v.get<T>();
    } else if constexpr (is_vector<T>::value) {
      if (!v.is_array()) throw TypeError("not a list");
      T out;
      for (const auto& e : v) out.push_back(checked<typename T::value_type>(e));
      return out;
    } else if constexpr (is_array<T>::value) {
      if (!v.is_array() || v.size() != std::tuple_size_v<T>) throw TypeError("not a list of the right length");
      T out{};
      for (size_t i = 0; i < out.size(); ++i) out[i] = checked<typename T::value_type>(v[i]);
      return out;
    } else {
      return v.get<T>();
    }
  }
  const nlohmann::ordered_json& c_;
  std::string what_;
  std::set<std::string> allowed_;
};

}  // namespace tb::keras
