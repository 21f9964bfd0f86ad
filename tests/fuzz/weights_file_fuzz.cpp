// libFuzzer harness for the weights-file reader (Model::load_weights): any bytes either give
// tensors whose shapes, dtypes and sizes agree with their data or a tensorbox error; never a
// crash, a leak or undefined behaviour.
#include <cstdint>
#include <cstdlib>

#include "tensorbox/core/errors.h"
#include "tensorbox/keras/utils/weights_file.h"
#include "tests/fuzz/fuzz_file.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  try {
    for (const auto& [name, t] : tb::keras::utils::read_weights_file(tb::fuzz::write_input(data, size))) {
      if (t.nbytes() != size_t(t.size()) * tb::dtype_size(t.dtype())) std::abort();
      volatile double sink = 0;
      if (t.size() > 0) sink = t.element(t.size() - 1);  // the last element is inside the data
      (void)sink;
    }
  } catch (const tb::Error&) {
  }
  return 0;
}
