// tensorbox errors: typed exceptions that carry a message naming what was wrong.
//
// The classes mirror TensorFlow's status codes (tf.errors.*) and the two Python built-ins
// Keras raises (ValueError, TypeError), so the Python front end maps each to the exception a
// TensorFlow user expects.
//
//   try { tb::ops::matmul(a, b); }
//   catch (const tb::InvalidArgumentError& e) { std::puts(e.what()); }
#pragma once

#include <stdexcept>
#include <string>

namespace tb {

class Error : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
};

#define TB_DEFINE_ERROR(Name) \
  class Name : public Error { \
   public: \
    using Error::Error; \
  };

TB_DEFINE_ERROR(InvalidArgumentError)   // bad shapes, dtypes or values given to an op
TB_DEFINE_ERROR(OutOfRangeError)        // an index or label outside its valid range
TB_DEFINE_ERROR(NotFoundError)          // a file or named thing that does not exist
TB_DEFINE_ERROR(UnimplementedError)     // a valid request this build cannot serve
TB_DEFINE_ERROR(FailedPreconditionError)  // called in the wrong state (e.g. fit before compile)
TB_DEFINE_ERROR(DataLossError)          // a truncated or corrupt file
TB_DEFINE_ERROR(InternalError)          // a broken invariant: a bug in tensorbox
TB_DEFINE_ERROR(ValueError)             // Keras-level argument errors (Python ValueError)
TB_DEFINE_ERROR(TypeError)              // Keras-level type errors (Python TypeError)
TB_DEFINE_ERROR(LookupError)            // an op without a gradient on a gradient's path (Python LookupError)

#undef TB_DEFINE_ERROR

}  // namespace tb
