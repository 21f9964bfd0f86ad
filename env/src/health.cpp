#include "health.h"

#include <httplib.h>
#include <signal.h>
#include <unistd.h>

#include <cerrno>
#include <cmath>
#include <filesystem>
#include <fstream>
#include <nlohmann/json.hpp>
#include <sstream>

#include "gpu.h"
#include "jupyter.h"
#include "log.h"
#include "tensorbox/io/atomic_write.h"

namespace tb::env {

namespace {

std::string label(const std::string& v) {
  std::string out;
  for (char c : v) {
    if (c == '\\' || c == '"') out += '\\';
    if (c == '\n') {
      out += "\\n";
      continue;
    }
    out += c;
  }
  return out;
}

std::string num(double v) {
  if (std::isnan(v)) return "NaN";
  std::ostringstream s;
  s.precision(12);
  s << v;
  return s.str();
}

class Writer {
 public:
  void family(const std::string& name, const std::string& type, const std::string& help) {
    out_ << "# HELP " << name << " " << help << "\n# TYPE " << name << " " << type << "\n";
  }
  void sample(const std::string& name, const std::string& labels, double v) {
    out_ << name << (labels.empty() ? "" : "{" + labels + "}") << " " << num(v) << "\n";
  }
  std::string str() const { return out_.str(); }

 private:
  std::ostringstream out_;
};

bool alive(pid_t pid) { return ::kill(pid, 0) == 0 || errno == EPERM; }

}  // namespace

std::string render_metrics(const HealthSources& src) {
  Writer w;
  const double uptime = std::chrono::duration<double>(std::chrono::steady_clock::now() - src.started).count();
  w.family("tensorbox_uptime_seconds", "gauge", "Seconds since tensorbox up started.");
  w.sample("tensorbox_uptime_seconds", "", uptime);

  const auto services = src.supervisor ? src.supervisor->status() : std::vector<ServiceStatus>{};
  w.family("tensorbox_service_up", "gauge", "1 while the service's process runs.");
  for (const auto& s : services) w.sample("tensorbox_service_up", "service=\"" + s.name + "\"", s.up ? 1 : 0);
  w.family("tensorbox_service_restarts_total", "counter", "Restarts of the service after it died.");
  for (const auto& s : services) w.sample("tensorbox_service_restarts_total", "service=\"" + s.name + "\"", s.restarts);
  w.family("tensorbox_service_given_up", "gauge", "1 when the service failed too often and was given up.");
  for (const auto& s : services) w.sample("tensorbox_service_given_up", "service=\"" + s.name + "\"", s.given_up ? 1 : 0);

  // CPU and memory of each service's process tree (Jupyter's includes its kernels).
  // The supervisor's own share is its whole tree less its services' trees.
  std::vector<std::pair<std::string, Usage>> usage{{"supervisor", {}}};
  {
    std::vector<pid_t> roots{::getpid()};
    for (const auto& s : services)
      if (s.pid > 0) roots.push_back(s.pid);
    const std::vector<Usage> trees = process_tree_usage(roots);
    Usage own = trees[0];
    for (size_t i = 1; i < trees.size(); ++i) {
      own.cpu_seconds -= trees[i].cpu_seconds;
      own.rss_bytes -= trees[i].rss_bytes;
    }
    usage[0].second = own;
    size_t i = 1;
    for (const auto& s : services)
      if (s.pid > 0) usage.push_back({s.name, trees[i++]});
  }
  w.family("tensorbox_process_cpu_seconds_total", "counter", "User+system CPU seconds of the service's processes.");
  for (const auto& [n, u] : usage) w.sample("tensorbox_process_cpu_seconds_total", "service=\"" + n + "\"", u.cpu_seconds);
  w.family("tensorbox_process_resident_memory_bytes", "gauge", "Resident memory of the service's processes.");
  for (const auto& [n, u] : usage) w.sample("tensorbox_process_resident_memory_bytes", "service=\"" + n + "\"", u.rss_bytes);

  w.family("tensorbox_relay_connections_total", "counter", "Connections to a public port, by allow-list result.");
  for (const auto& [n, r] : src.relays) {
    w.sample("tensorbox_relay_connections_total", "service=\"" + n + "\",result=\"accepted\"", double(r->accepted()));
    w.sample("tensorbox_relay_connections_total", "service=\"" + n + "\",result=\"refused\"", double(r->refused()));
  }

  const GpuReport gpus = query_gpus();
  w.family("tensorbox_gpu_count", "gauge", "NVIDIA GPUs visible through NVML (0 without a driver).");
  w.sample("tensorbox_gpu_count", "", double(gpus.devices.size()));
  if (!gpus.devices.empty()) {
    w.family("tensorbox_gpu_memory_used_bytes", "gauge", "GPU memory in use.");
    for (const auto& d : gpus.devices)
      w.sample("tensorbox_gpu_memory_used_bytes", "gpu=\"" + std::to_string(d.index) + "\",name=\"" + label(d.name) + "\"", double(d.memory_used));
    w.family("tensorbox_gpu_memory_total_bytes", "gauge", "GPU memory in all.");
    for (const auto& d : gpus.devices)
      w.sample("tensorbox_gpu_memory_total_bytes", "gpu=\"" + std::to_string(d.index) + "\",name=\"" + label(d.name) + "\"", double(d.memory_total));
    w.family("tensorbox_gpu_utilization_ratio", "gauge", "Share of time a GPU kernel ran (0..1).");
    for (const auto& d : gpus.devices)
      w.sample("tensorbox_gpu_utilization_ratio", "gpu=\"" + std::to_string(d.index) + "\",name=\"" + label(d.name) + "\"", d.utilization / 100.0);
  }

  // Training metrics, one file per process that runs (or ran) fit(); files of dead processes go.
  std::vector<nlohmann::json> runs;
  std::error_code ec;
  for (const auto& e : std::filesystem::directory_iterator(src.metrics_dir, ec)) {
    if (e.path().extension() != ".json") continue;
    std::ifstream in(e.path());
    try {
      nlohmann::json j;
      in >> j;
      const pid_t pid = j.at("pid").get<pid_t>();
      if (!alive(pid)) {
        std::filesystem::remove(e.path(), ec);
        continue;
      }
      runs.push_back(std::move(j));
    } catch (const std::exception&) {
    }
  }
  const std::pair<const char*, const char*> fields[] = {
      {"steps", "tensorbox_training_steps_total"}, {"samples", "tensorbox_training_samples_total"},
      {"samples_per_second", "tensorbox_training_samples_per_second"}, {"loss", "tensorbox_training_loss"},
      {"epoch", "tensorbox_training_epoch"}, {"epochs", "tensorbox_training_epochs"},
      {"running", "tensorbox_training_running"}};
  const char* helps[] = {"Training steps (batches) of the current fit().", "Samples trained on in the current fit().",
                         "Training throughput since the previous update.", "Loss of the latest batch (the running epoch mean).",
                         "Current epoch (from 1).", "Epochs the fit() was asked for.", "1 while fit() runs."};
  for (size_t i = 0; i < std::size(fields); ++i) {
    const bool counter = i < 2;
    w.family(fields[i].second, counter ? "counter" : "gauge", helps[i]);
    for (const auto& j : runs) {
      const auto& v = j.contains(fields[i].first) ? j[fields[i].first] : nlohmann::json();
      const double x = v.is_boolean() ? (v.get<bool>() ? 1.0 : 0.0) : v.is_number() ? v.get<double>() : NAN;
      w.sample(fields[i].second, "pid=\"" + std::to_string(j["pid"].get<long>()) + "\"", x);
    }
  }
  return w.str();
}

void announce_ports(const std::string& runtime_dir, int port, int health_port) {
  const std::string path = runtime_dir + "/tensorbox-up.json";
  try {
    tb::io::atomic_write(path, nlohmann::json{{"pid", ::getpid()}, {"port", port}, {"health_port", health_port}}.dump() + "\n");
  } catch (const std::exception& e) {
    log().warning("supervisor", e.what());
  }
}

int announced_health_port(const std::string& workspace) {
  std::ifstream in(workspace + "/.tensorbox/runtime/tensorbox-up.json");
  try {
    if (in) return nlohmann::json::parse(in).at("health_port").get<int>();
  } catch (const std::exception&) {
  }
  return 8889;
}

int healthcheck(int port, const std::string& path) {
  httplib::Client cli("127.0.0.1", port);
  cli.set_connection_timeout(2);
  cli.set_read_timeout(3);
  auto res = cli.Get(path.c_str());
  if (!res) {
    std::fprintf(stderr, "tensorbox healthcheck: GET http://127.0.0.1:%d%s: %s\n", port, path.c_str(),
                 httplib::to_string(res.error()).c_str());
    return 1;
  }
  std::fputs(res->body.c_str(), stdout);
  return res->status == 200 ? 0 : 1;
}

HealthServer::HealthServer(HealthSources src) : src_(std::move(src)), server_(std::make_unique<httplib::Server>()) {
  server_->Get("/healthz", [this](const httplib::Request&, httplib::Response& res) {
    const double up = std::chrono::duration<double>(std::chrono::steady_clock::now() - src_.started).count();
    res.set_content(nlohmann::json{{"status", "ok"}, {"uptime_seconds", up}}.dump() + "\n", "application/json");
  });
  server_->Get("/readyz", [this](const httplib::Request&, httplib::Response& res) {
    const pid_t pid = src_.supervisor ? src_.supervisor->pid_of("jupyter") : -1;
    const Readiness r = jupyter_readiness(src_.runtime_dir, pid);
    res.status = r.ready ? 200 : 503;
    res.set_content(nlohmann::json{{"ready", r.ready}, {r.ready ? "jupyter" : "reason", r.detail}}.dump() + "\n",
                    "application/json");
  });
  server_->Get("/metrics", [this](const httplib::Request&, httplib::Response& res) {
    res.set_content(render_metrics(src_), "text/plain; version=0.0.4; charset=utf-8");
  });
}

int HealthServer::bind() {
  const int port = server_->bind_to_any_port("127.0.0.1");
  if (port <= 0) throw std::runtime_error("cannot bind the health server to a loopback port");
  return port;
}

void HealthServer::serve() {
  thread_ = std::thread([this] { server_->listen_after_bind(); });
}

HealthServer::~HealthServer() {
  server_->stop();
  if (thread_.joinable()) thread_.join();
}

}  // namespace tb::env
