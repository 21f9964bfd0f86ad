// Engine exceptions -> the exception a TensorFlow user catches: tf.errors.* classes (defined
// in tensorbox/errors.py) for op errors, Python's ValueError/TypeError for Keras-level ones.
#include "bindings.h"

namespace tbpy {

namespace {
void raise(const char* cls, const char* what) {
  nb::object errors = nb::module_::import_("tensorbox.errors");
  PyErr_SetString(errors.attr(cls).ptr(), what);
}
}  // namespace

void bind_errors(nb::module_&) {
  nb::register_exception_translator([](const std::exception_ptr& p, void*) {
    try {
      std::rethrow_exception(p);
    } catch (const tb::ValueError& e) {
      PyErr_SetString(PyExc_ValueError, e.what());
    } catch (const tb::TypeError& e) {
      PyErr_SetString(PyExc_TypeError, e.what());
    } catch (const tb::LookupError& e) {
      PyErr_SetString(PyExc_LookupError, e.what());
    } catch (const tb::InvalidArgumentError& e) {
      raise("InvalidArgumentError", e.what());
    } catch (const tb::OutOfRangeError& e) {
      raise("OutOfRangeError", e.what());
    } catch (const tb::NotFoundError& e) {
      raise("NotFoundError", e.what());
    } catch (const tb::UnimplementedError& e) {
      raise("UnimplementedError", e.what());
    } catch (const tb::FailedPreconditionError& e) {
      raise("FailedPreconditionError", e.what());
    } catch (const tb::DataLossError& e) {
      raise("DataLossError", e.what());
    } catch (const tb::InternalError& e) {
      raise("InternalError", e.what());
    }
  });
}

}  // namespace tbpy
