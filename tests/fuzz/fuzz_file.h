// Shared by the fuzz harnesses: the readers under test take a path, so each input is written to
// one scratch file (in /dev/shm when it exists: no disk traffic per run) and read back.
#pragma once

#include <unistd.h>

#include <cstdint>
#include <cstdio>
#include <string>

namespace tb::fuzz {

inline const std::string& scratch_path() {
  static const std::string path = std::string(access("/dev/shm", W_OK) == 0 ? "/dev/shm" : "/tmp") +
                                  "/tensorbox-fuzz-" + std::to_string(getpid());
  return path;
}

inline const std::string& write_input(const uint8_t* data, size_t size) {
  const std::string& path = scratch_path();
  std::FILE* f = std::fopen(path.c_str(), "wb");
  if (!f) std::abort();
  if (size && std::fwrite(data, 1, size, f) != size) std::abort();
  std::fclose(f);
  return path;
}

}  // namespace tb::fuzz
