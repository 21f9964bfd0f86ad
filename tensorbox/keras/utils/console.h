// Console: where the user-facing text of Keras-style training goes (progress bars, callback
// messages, warnings). By default it is the process's stdout/stderr; a front end redirects it
// (the Python package sends it to sys.stdout, which is what Jupyter shows, since a notebook
// kernel does not display what C code writes to file descriptor 1).
//
//   utils::print("Epoch 1/5\n");
//   utils::set_console_writer([](utils::Stream s, std::string_view text) { ... });
#pragma once
#include <functional>
#include <string>
#include <string_view>

namespace tb::keras::utils {

enum class Stream { out, err };
using ConsoleWriter = std::function<void(Stream, std::string_view)>;

// Replaces the writer for all threads; an empty function restores stdout/stderr.
void set_console_writer(ConsoleWriter writer);
// Writes and flushes (a progress bar must show at once).
void print(std::string_view text);
void print_err(std::string_view text);
// printf-style formatting into a std::string.
std::string format(const char* fmt, ...) __attribute__((format(printf, 1, 2)));

}  // namespace tb::keras::utils
