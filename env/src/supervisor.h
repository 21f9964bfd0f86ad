// The supervisor: starts services, restarts the ones that die, and stops them all cleanly.
//
// - Each service runs in its own session; its stdout/stderr come back through a pipe and are
//   logged line by line as JSON (component = the service's name; Jupyter's "[W ...]" prefixes
//   give the level).
// - A service that exits is restarted after a back-off that doubles from 1 s up to 30 s; a run
//   that lasted a minute resets it. After 5 failures in a row the service is given up, everything
//   is stopped and run() returns ExitCode::gave_up.
// - SIGTERM, SIGINT, SIGHUP and SIGQUIT stop every service: SIGTERM to each process group, then
//   SIGKILL to whatever is left after the grace period (8 s, within Docker's 10 s), including
//   orphans: the supervisor is a child subreaper (and reaps everything when it is PID 1).
//
//   Supervisor::block_signals();          // first thing in main, before any thread starts
//   Supervisor sup;
//   sup.add({"jupyter", argv, env, "/workspace", user});
//   return sup.run();
#pragma once

#include <sys/types.h>

#include <chrono>
#include <functional>
#include <map>
#include <mutex>
#include <string>
#include <vector>

#include "process.h"

namespace tb::env {

// What `tensorbox` exits with.
enum ExitCode : int {
  exit_ok = 0,          // stopped by a signal, everything ended cleanly
  exit_failure = 1,     // start-up failed (a message says why)
  exit_usage = 2,       // bad flags or values
  exit_gave_up = 3,     // a service kept failing and was given up
  exit_port_taken = 4,  // a port is held by another process
};

struct ServiceSpec {
  std::string name;
  std::vector<std::string> argv;
  std::map<std::string, std::string> env;
  std::string cwd;
  ServiceUser user;
};

struct ServiceStatus {
  std::string name;
  bool up = false;
  pid_t pid = -1;
  int restarts = 0;
  bool given_up = false;
};

class Supervisor {
 public:
  struct Policy {
    double initial_backoff_s = 1, max_backoff_s = 30, healthy_after_s = 60, stop_timeout_s = 8;
    int max_failures = 5;
  };
  Supervisor() = default;
  explicit Supervisor(Policy policy) : policy_(policy) {}

  // Blocks the signals run() waits for in the calling thread (and every thread started later).
  static void block_signals();

  void add(ServiceSpec spec);
  // Called about every 250 ms from run()'s loop (readiness announcements and the like).
  void on_tick(std::function<void()> f) { tick_ = std::move(f); }
  // Runs until a stop signal or a give-up; returns the exit code.
  int run();

  // Thread-safe snapshots for the health server.
  std::vector<ServiceStatus> status() const;
  pid_t pid_of(const std::string& name) const;

 private:
  using Clock = std::chrono::steady_clock;
  struct Service {
    ServiceSpec spec;
    ServiceStatus st;
    Clock::time_point started{}, restart_at{};
    int failures = 0;
    bool pending_restart = false;
  };
  struct Output {
    int fd;
    std::string component, buffer;
  };
  void start(Service& s);
  void reap(bool stopping);
  void read_output(Output& o, bool flush);
  void stop_all();

  Policy policy_;
  std::vector<Service> services_;
  std::vector<Output> outputs_;
  std::function<void()> tick_;
  mutable std::mutex mu_;
  int gave_up_ = 0;
};

}  // namespace tb::env
