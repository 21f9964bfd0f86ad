// Ref<Base>: a handle to a Keras object given the way Keras accepts it: by string name
// ("adam"), by value (Adam({.learning_rate = 1e-4})) or by shared pointer. Base provides
// `static std::shared_ptr<Base> get(const std::string&)`, which resolves names.
//
//   CompileOptions{.optimizer = "adam", .loss = losses::SparseCategoricalCrossentropy({.from_logits = true})}
#pragma once

#include <concepts>
#include <memory>
#include <string>
#include <type_traits>

namespace tb::keras {

template <class Base>
class Ref {
 public:
  Ref() = default;
  Ref(const char* name) : ptr_(Base::get(name)) {}          // NOLINT: implicit on purpose
  Ref(const std::string& name) : ptr_(Base::get(name)) {}   // NOLINT
  template <class T>
    requires std::derived_from<std::remove_cvref_t<T>, Base>
  Ref(T&& obj)  // NOLINT
      : ptr_(std::make_shared<std::remove_cvref_t<T>>(std::forward<T>(obj))) {}
  template <class T>
    requires std::derived_from<T, Base>
  Ref(std::shared_ptr<T> p) : ptr_(std::move(p)) {}  // NOLINT

  explicit operator bool() const { return ptr_ != nullptr; }
  Base* operator->() const { return ptr_.get(); }
  Base& operator*() const { return *ptr_; }
  const std::shared_ptr<Base>& get() const { return ptr_; }

 private:
  std::shared_ptr<Base> ptr_;
};

}  // namespace tb::keras
