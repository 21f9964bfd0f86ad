// The supervisor's own HTTP endpoints (served on a private loopback port; the public
// --health-port is a relay in front of it, under the same allow-list as every service):
//
//   /healthz  200 while the supervisor runs
//   /readyz   200 when Jupyter's /api answers (URL from its runtime file), else 503 with the reason
//   /metrics  Prometheus text format 0.0.4: services (up, restarts, CPU, RSS of each process tree),
//             relay connections accepted/refused, GPUs (NVML) when present, and the training
//             metrics that fit() calls in any kernel publish (keras MetricsPublisher)
#pragma once

#include <chrono>
#include <memory>
#include <string>
#include <thread>
#include <utility>
#include <vector>

#include "net.h"
#include "supervisor.h"

namespace httplib {
class Server;
}

namespace tb::env {

struct HealthSources {
  const Supervisor* supervisor = nullptr;
  std::string runtime_dir;  // Jupyter's runtime files
  std::string metrics_dir;  // training metrics files
  std::vector<std::pair<std::string, const Relay*>> relays;
  std::chrono::steady_clock::time_point started = std::chrono::steady_clock::now();
};

std::string render_metrics(const HealthSources& src);

// `tensorbox up` announces its ports in <workspace>/.tensorbox/runtime/tensorbox-up.json, so that
// `tensorbox healthcheck` (the image's HEALTHCHECK) finds a custom --health-port by itself.
void announce_ports(const std::string& runtime_dir, int port, int health_port);
// The health port announced for `workspace`, or 8889 when there is none.
int announced_health_port(const std::string& workspace);

// `tensorbox healthcheck`: GET http://127.0.0.1:<port><path>; prints the answer, returns 0 on 200.
int healthcheck(int port, const std::string& path);

class HealthServer {
 public:
  explicit HealthServer(HealthSources src);
  ~HealthServer();
  // Binds a free loopback port and returns it; serve() then answers from a thread (sources()
  // may be completed in between, before anyone can connect).
  int bind();
  void serve();
  HealthSources& sources() { return src_; }

 private:
  HealthSources src_;
  std::unique_ptr<httplib::Server> server_;
  std::thread thread_;
};

}  // namespace tb::env
