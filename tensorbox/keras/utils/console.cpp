#include "tensorbox/keras/utils/console.h"

#include <cstdarg>
#include <cstdio>
#include <memory>
#include <mutex>

namespace tb::keras::utils {

namespace {
std::mutex g_mu;
std::shared_ptr<const ConsoleWriter> g_writer;  // null: stdio

void write(Stream s, std::string_view text) {
  std::shared_ptr<const ConsoleWriter> w;
  {
    std::lock_guard lock(g_mu);
    w = g_writer;
  }
  if (w) {
    (*w)(s, text);
    return;
  }
  std::FILE* f = s == Stream::out ? stdout : stderr;
  std::fwrite(text.data(), 1, text.size(), f);
  std::fflush(f);
}
}  // namespace

void set_console_writer(ConsoleWriter writer) {
  std::lock_guard lock(g_mu);
  g_writer = writer ? std::make_shared<const ConsoleWriter>(std::move(writer)) : nullptr;
}

void print(std::string_view text) { write(Stream::out, text); }
void print_err(std::string_view text) { write(Stream::err, text); }

std::string format(const char* fmt, ...) {
  va_list ap;
  va_start(ap, fmt);
  va_list ap2;
  va_copy(ap2, ap);
  const int n = std::vsnprintf(nullptr, 0, fmt, ap);
  va_end(ap);
  std::string s(size_t(n > 0 ? n : 0), '\0');
  std::vsnprintf(s.data(), s.size() + 1, fmt, ap2);
  va_end(ap2);
  return s;
}

}  // namespace tb::keras::utils
