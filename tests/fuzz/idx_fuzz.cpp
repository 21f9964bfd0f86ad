// libFuzzer harness for io::read_idx: any bytes (raw or gzipped) either give a tensor whose size
// is what the header announces or a tensorbox error; never a crash, a leak or undefined behaviour.
#include <cstdint>
#include <cstdlib>

#include "tensorbox/core/errors.h"
#include "tensorbox/io/idx.h"
#include "tests/fuzz/fuzz_file.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  try {
    const tb::Tensor t = tb::io::read_idx(tb::fuzz::write_input(data, size));
    if (t.dtype() != tb::DType::uint8 || t.rank() < 1 || t.rank() > 4) std::abort();
    volatile uint8_t sink = 0;
    const uint8_t* p = t.data<uint8_t>();
    for (int64_t i = 0; i < t.size(); ++i) sink = sink ^ p[i];  // every byte is readable
  } catch (const tb::Error&) {
    // a rejected file: what the reader promises
  }
  return 0;
}
