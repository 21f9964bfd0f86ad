#include "log.h"

#include <fcntl.h>
#include <unistd.h>

#include <chrono>
#include <ctime>
#include <cerrno>
#include <cstring>
#include <stdexcept>

namespace tb::env {

Logger& log() {
  static Logger logger;
  return logger;
}

std::string utc_timestamp() {
  const auto now = std::chrono::system_clock::now();
  const std::time_t t = std::chrono::system_clock::to_time_t(now);
  const auto ms = std::chrono::duration_cast<std::chrono::milliseconds>(now.time_since_epoch()).count() % 1000;
  std::tm tm{};
  gmtime_r(&t, &tm);
  char buf[96];
  std::snprintf(buf, sizeof buf, "%04d-%02d-%02dT%02d:%02d:%02d.%03dZ", tm.tm_year + 1900, tm.tm_mon + 1,
                tm.tm_mday, tm.tm_hour, tm.tm_min, tm.tm_sec, int(ms));
  return buf;
}

void Logger::open_file(const std::string& path) {
  const int fd = ::open(path.c_str(), O_WRONLY | O_CREAT | O_APPEND | O_CLOEXEC, 0640);
  FILE* f = fd < 0 ? nullptr : ::fdopen(fd, "a");
  if (!f) throw std::runtime_error("cannot open the log file " + path + ": " + std::strerror(errno));
  std::lock_guard lock(mu_);
  if (file_) std::fclose(file_);
  file_ = f;
}

void Logger::write(const std::string& level, const std::string& component, const std::string& msg,
                   const nlohmann::json& fields) {
  // Keys in reading order (ts, level, component, msg, fields), not sorted.
  nlohmann::ordered_json j;
  j["ts"] = utc_timestamp();
  j["level"] = level;
  j["component"] = component;
  j["msg"] = msg;
  j["fields"] = fields;
  // Child output is not always valid UTF-8: replace bad bytes rather than throw.
  const std::string line = j.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace) + "\n";
  std::lock_guard lock(mu_);
  std::fwrite(line.data(), 1, line.size(), stdout);
  std::fflush(stdout);
  if (file_) {
    std::fwrite(line.data(), 1, line.size(), file_);
    std::fflush(file_);
  }
}

Logger::~Logger() {
  if (file_) std::fclose(file_);
}

}  // namespace tb::env
