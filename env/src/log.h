// The environment's structured log: one JSON object per line,
//   {"ts":"2026-11-26T05:07:17.123Z","level":"info","component":"supervisor","msg":"...","fields":{...}}
// on stdout and, with --log-file, appended to a file as well. Child output is wrapped the same way
// (component = the service). Thread-safe: the relay, the health server and the supervisor all log.
//
//   tb::env::log().info("supervisor", "starting", {{"port", 8888}});
#pragma once

#include <cstdio>
#include <mutex>
#include <nlohmann/json.hpp>
#include <string>

namespace tb::env {

class Logger {
 public:
  // Also appends every line to `path` (created 0640 if missing); throws std::runtime_error naming
  // the file when it cannot be opened.
  void open_file(const std::string& path);
  void write(const std::string& level, const std::string& component, const std::string& msg,
             const nlohmann::json& fields = nlohmann::json::object());
  void info(const std::string& c, const std::string& m, const nlohmann::json& f = nlohmann::json::object()) { write("info", c, m, f); }
  void warning(const std::string& c, const std::string& m, const nlohmann::json& f = nlohmann::json::object()) { write("warning", c, m, f); }
  void error(const std::string& c, const std::string& m, const nlohmann::json& f = nlohmann::json::object()) { write("error", c, m, f); }
  ~Logger();

 private:
  std::mutex mu_;
  FILE* file_ = nullptr;
};

Logger& log();

// An ISO-8601 UTC timestamp with milliseconds.
std::string utc_timestamp();

}  // namespace tb::env
