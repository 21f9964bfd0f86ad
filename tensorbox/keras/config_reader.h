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
#include <optional>
#include <set>
#include <string>

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
        else field = v.get<typename T::value_type>();
      } else {
        if (v.is_null()) throw TypeError("null");
        field = v.get<T>();
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
  const nlohmann::ordered_json& c_;
  std::string what_;
  std::set<std::string> allowed_;
};

}  // namespace tb::keras
