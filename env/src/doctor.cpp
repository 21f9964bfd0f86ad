#include "doctor.h"

#include <sys/statvfs.h>
#include <unistd.h>

#include <cstdio>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <nlohmann/json.hpp>
#include <set>
#include <sstream>

#include "gpu.h"
#include "process.h"
#include "tensorbox/core/threading.h"
#include "tensorbox/kernels/cpu/matmul.h"
#include "tensorbox/kernels/cpu/simd.h"
#include "workspace.h"

namespace fs = std::filesystem;
using nlohmann::json;

namespace tb::env {

namespace {

// The CUDA version the GPU image is built on (env/Containerfile.gpu): older drivers cannot run it.
constexpr int kCudaForImage = 12000;

struct Report {
  json j = json::object();
  json problems = json::array();
  void problem(const std::string& check, const std::string& severity, const std::string& what, const std::string& fix) {
    problems.push_back({{"check", check}, {"severity", severity}, {"problem", what}, {"fix", fix}});
  }
};

std::string read_file(const std::string& path) {
  std::ifstream in(path);
  return std::string((std::istreambuf_iterator<char>(in)), {});
}

std::string gib(double bytes) {
  char b[32];
  std::snprintf(b, sizeof b, "%.1f GiB", bytes / (1024.0 * 1024 * 1024));
  return b;
}

void check_cpu(Report& r) {
  std::istringstream in(read_file("/proc/cpuinfo"));
  std::string line, model, flags;
  while (std::getline(in, line)) {
    const auto colon = line.find(':');
    if (colon == std::string::npos) continue;
    const std::string key = line.substr(0, line.find_last_not_of(" \t", colon - 1) + 1);
    const std::string value = colon + 2 <= line.size() ? line.substr(colon + 2) : "";
    if (key == "model name" && model.empty()) model = value;
    if (key == "flags" && flags.empty()) flags = " " + value + " ";
  }
  json features = json::object();
  for (const char* f : {"sse4_2", "avx", "avx2", "fma", "f16c", "avx512f", "avx512bw", "avx512vl", "avx512_vnni",
                        "avx512_bf16", "avx512_fp16", "amx_tile", "amx_bf16"})
    features[f] = flags.find(std::string(" ") + f + " ") != std::string::npos;
  const std::string onednn = kernels::cpu::onednn_info();
  r.j["cpu"] = {{"model", model},
                {"logical_cpus", int(::sysconf(_SC_NPROCESSORS_ONLN))},
                {"features", features},
                {"kernels",
                 {{"simd_target", kernels::cpu::simd::target()},
                  {"onednn", onednn},
                  {"native_bf16_gemm", kernels::cpu::native_bf16_gemm()},
                  {"threads", get_num_threads()}}}};
  if (!features["avx2"].get<bool>() || !features["fma"].get<bool>())
    r.problem("cpu", "warning", "this CPU has no AVX2/FMA: the engine runs its baseline SSE kernels, several times slower",
              "run on a CPU from 2013 (Intel Haswell / AMD Excavator) or newer; results stay correct");
}

void check_memory(Report& r) {
  std::istringstream in(read_file("/proc/meminfo"));
  std::string key;
  double total = 0, available = 0, v;
  std::string unit;
  while (in >> key >> v >> unit) {
    if (key == "MemTotal:") total = v * 1024;
    if (key == "MemAvailable:") available = v * 1024;
  }
  double limit = 0;
  const std::string cg = read_file("/sys/fs/cgroup/memory.max");
  if (!cg.empty() && cg.rfind("max", 0) != 0) limit = std::stod(cg);
  r.j["memory"] = {{"total_bytes", total}, {"available_bytes", available}, {"cgroup_limit_bytes", limit > 0 ? json(limit) : json()}};
  const double usable = limit > 0 ? std::min(limit, available) : available;
  if (usable < 2.0 * (1 << 30))
    r.problem("memory", "warning", "only " + gib(usable) + " of memory is available; training MNIST-sized models needs about 2 GiB",
              "give the container more memory (docker/podman run --memory 8g) or close other programs");
  struct statvfs st{};
  if (::statvfs("/dev/shm", &st) == 0) {
    const double shm = double(st.f_blocks) * double(st.f_frsize);
    r.j["shm"] = {{"path", "/dev/shm"}, {"size_bytes", shm}};
    if (shm < 1.0 * (1 << 30))
      r.problem("shm", "warning", "/dev/shm is " + gib(shm) + " (Docker's default is 64 MB): data loaders and kernels that share memory fail with 'bus error'",
                "start the container with --shm-size=2g (docker and podman)");
  } else {
    r.j["shm"] = {{"path", "/dev/shm"}, {"size_bytes", nullptr}};
    r.problem("shm", "warning", "/dev/shm is missing", "mount a tmpfs at /dev/shm (containers get one by default)");
  }
}

void check_gpu(Report& r) {
  const GpuReport g = query_gpus();
  json devices = json::array();
  for (const auto& d : g.devices)
    devices.push_back({{"index", d.index}, {"name", d.name},
                       {"compute_capability", std::to_string(d.cc_major) + "." + std::to_string(d.cc_minor)},
                       {"memory_total_bytes", d.memory_total}, {"memory_used_bytes", d.memory_used},
                       {"utilization_percent", d.utilization}});
  const int cv = g.cuda_driver_version;
  r.j["gpu"] = {{"nvml", g.library},
                {"error", g.library ? json() : json(g.error)},
                {"driver_version", g.library ? json(g.driver_version) : json()},
                {"cuda_driver_version", g.library ? json(std::to_string(cv / 1000) + "." + std::to_string(cv % 1000 / 10)) : json()},
                {"device_nodes", g.device_nodes},
                {"devices", devices},
                {"engine_backend", "cpu"},
                {"note", "the engine runs on the CPU; its CUDA backend is not built yet, so GPUs are reported, not used"}};
  const bool nodes = !g.device_nodes.empty();
  if (!g.library && nodes)
    r.problem("gpu", "error", "NVIDIA device nodes are present (" + g.device_nodes.front() + ") but " + g.error +
                                  ": the driver's user-space libraries were not mounted into the container",
              "install the NVIDIA Container Toolkit on the host and start with --gpus all (docker) or --device nvidia.com/gpu=all (podman, CDI)");
  else if (g.library && g.devices.empty())
    r.problem("gpu", "error", "the NVIDIA driver is loaded but no GPU is visible",
              "check CUDA_VISIBLE_DEVICES / NVIDIA_VISIBLE_DEVICES, and start the container with --gpus all");
  else if (g.library && cv > 0 && cv < kCudaForImage)
    r.problem("gpu", "error", "the driver " + g.driver_version + " supports CUDA up to " + std::to_string(cv / 1000) + "." +
                                  std::to_string(cv % 1000 / 10) + "; tensorbox's GPU image is built on CUDA 12.0",
              "upgrade the host's NVIDIA driver to 525.60.13 or newer");
  r.j["gpu"]["summary"] = g.library ? std::to_string(g.devices.size()) + " NVIDIA GPU(s), driver " + g.driver_version
                          : nodes   ? "GPU device nodes without a usable driver"
                                    : "no NVIDIA GPU visible (none on this machine, or the container was started without --gpus)";
}

std::string normalize(std::string name) {
  for (auto& c : name) c = (c == '_' || c == '.') ? '-' : char(std::tolower(static_cast<unsigned char>(c)));
  return name;
}

std::string default_lock() {
  std::error_code ec;
  const fs::path exe = fs::read_symlink("/proc/self/exe", ec);
  const fs::path installed = exe.parent_path().parent_path() / "share/tensorbox/requirements.lock";
  if (!ec && fs::exists(installed)) return installed.string();
  return TB_SOURCE_LOCK;
}

void check_python(Report& r, const DoctorOptions& o) {
  static const char* script =
      "import json, sys, importlib.metadata as m\n"
      "pk = {d.metadata['Name']: d.version for d in m.distributions() if d.metadata['Name']}\n"
      "try:\n"
      "    import tensorbox; tb = getattr(tensorbox, '__version__', 'unknown'); err = None\n"
      "except Exception as e:\n"
      "    tb = None; err = repr(e)\n"
      "print(json.dumps({'executable': sys.executable, 'version': sys.version.split()[0], 'packages': pk, 'tensorbox': tb, 'tensorbox_error': err}))\n";
  // Run directly (no shell), with its output merged, as the current user.
  std::string out;
  const std::string python = find_executable(o.python);
  if (!python.empty()) {
    try {
      out = run_to_end({python, "-c", script}, current_environment(), current_user(), "/").output;
    } catch (const std::exception& e) {
      out = e.what();
    }
  } else {
    out = "no such executable";
  }
  json info;
  try {
    info = json::parse(out.substr(out.rfind("\n{") == std::string::npos ? 0 : out.rfind("\n{") + 1));
  } catch (const std::exception&) {
    r.j["python"] = {{"interpreter", o.python}, {"error", out}};
    r.problem("python", "error", "cannot run the Python interpreter '" + o.python + "': " + out.substr(0, 200),
              "pass the environment's interpreter with --python PATH (or TENSORBOX_PYTHON)");
    return;
  }
  std::map<std::string, std::string> installed;
  for (auto& [k, v] : info["packages"].items()) installed[normalize(k)] = v.get<std::string>();
  const std::string lock = o.lock.empty() ? default_lock() : o.lock;
  std::ifstream in(lock);
  const bool have_lock = bool(in);
  json drift = json::array();
  int locked = 0;
  if (in) {
    // Pins are "name==version \" lines (hashes and comments follow on their own lines).
    std::string line;
    while (std::getline(in, line)) {
      const auto eq = line.find("==");
      if (line.empty() || !std::isalnum(static_cast<unsigned char>(line[0])) || eq == std::string::npos) continue;
      const auto end = line.find_first_of(" \\;", eq + 2);
      ++locked;
      const std::string name = normalize(line.substr(0, eq));
      const std::string want = line.substr(eq + 2, end == std::string::npos ? std::string::npos : end - eq - 2);
      const auto it = installed.find(name);
      if (it == installed.end() || it->second != want)
        drift.push_back({{"package", name}, {"locked", want}, {"installed", it == installed.end() ? json() : json(it->second)}});
    }
  }
  r.j["python"] = {{"interpreter", o.python}, {"executable", info["executable"]}, {"version", info["version"]},
                   {"tensorbox", info["tensorbox"]}, {"lock_file", lock}, {"locked_packages", locked},
                   {"installed_packages", installed.size()}, {"drift", drift}};
  if (!info["tensorbox_error"].is_null())
    r.problem("python", "error", "`import tensorbox` fails in " + o.python + ": " + info["tensorbox_error"].get<std::string>(),
              "install the tensorbox wheel into that environment (pip install tensorbox-*.whl), or pass --python");
  if (!have_lock)
    r.problem("python", "warning", "no lock file at " + lock + ": drift not checked", "pass --lock PATH to env/requirements.lock");
  else if (!drift.empty())
    r.problem("python", "warning", std::to_string(drift.size()) + " package(s) differ from " + lock + " (first: " +
                                       drift[0]["package"].get<std::string>() + ")",
              "'" + o.python + "' -m pip install --require-hashes -r " + lock);
}

void check_workspace(Report& r, const DoctorOptions& o) {
  std::error_code ec;
  const std::string root = fs::absolute(o.workspace, ec).lexically_normal().string();
  ServiceUser user;
  try {
    user = resolve_user(o.user, false);
  } catch (const std::exception& e) {
    r.problem("workspace", "error", e.what(), "name an unprivileged user with --user");
    return;
  }
  const bool exists = fs::is_directory(root, ec);
  const std::string problem = exists ? writability_problem(root, user) : "";
  r.j["workspace"] = {{"path", root}, {"exists", exists}, {"service_uid", user.uid}, {"writable", exists && problem.empty()}};
  if (!exists)
    r.j["workspace"]["note"] = "does not exist yet; `tensorbox up` creates it";
  else if (!problem.empty())
    r.problem("workspace", "error", problem.substr(0, problem.find(": nothing")), problem.substr(problem.find("Fix: ") + 5));
  const std::string manifest = read_file("/etc/tensorbox/manifest.json");
  try {
    r.j["manifest"] = manifest.empty() ? json() : json::parse(manifest);
  } catch (const std::exception&) {
    r.problem("manifest", "warning", "/etc/tensorbox/manifest.json is not valid JSON", "rebuild the image");
  }
}

void print_text(const Report& r) {
  const json& j = r.j;
  std::cout << "tensorbox doctor " << j["version"].get<std::string>() << "\n\n";
  const auto& cpu = j["cpu"];
  std::cout << "CPU        " << cpu["model"].get<std::string>() << ", " << cpu["logical_cpus"] << " logical CPUs\n";
  std::string have;
  for (auto& [k, v] : cpu["features"].items())
    if (v.get<bool>()) have += " " + k;
  std::cout << "  features" << have << "\n";
  std::cout << "  kernels  SIMD " << cpu["kernels"]["simd_target"].get<std::string>() << ", "
            << cpu["kernels"]["onednn"].get<std::string>()
            << (cpu["kernels"]["native_bf16_gemm"].get<bool>() ? ", native bf16 GEMM" : ", bf16 GEMM via float32") << "\n";
  std::cout << "Memory     " << gib(j["memory"]["available_bytes"].get<double>()) << " available of "
            << gib(j["memory"]["total_bytes"].get<double>());
  if (!j["memory"]["cgroup_limit_bytes"].is_null()) std::cout << ", container limit " << gib(j["memory"]["cgroup_limit_bytes"].get<double>());
  std::cout << "\n/dev/shm   " << (j["shm"]["size_bytes"].is_null() ? std::string("missing") : gib(j["shm"]["size_bytes"].get<double>())) << "\n";
  std::cout << "GPU        " << j["gpu"]["summary"].get<std::string>() << "\n";
  for (const auto& d : j["gpu"]["devices"])
    std::cout << "  gpu " << d["index"] << "  " << d["name"].get<std::string>() << ", compute " << d["compute_capability"].get<std::string>()
              << ", " << gib(d["memory_total_bytes"].get<double>()) << "\n";
  std::cout << "  " << j["gpu"]["note"].get<std::string>() << "\n";
  if (j["python"].contains("version"))
    std::cout << "Python     " << j["python"]["executable"].get<std::string>() << " " << j["python"]["version"].get<std::string>()
              << ", tensorbox " << (j["python"]["tensorbox"].is_null() ? "NOT importable" : j["python"]["tensorbox"].get<std::string>())
              << ", " << j["python"]["drift"].size() << " of " << j["python"]["locked_packages"] << " locked packages differ\n";
  if (j.contains("workspace"))
    std::cout << "Workspace  " << j["workspace"]["path"].get<std::string>()
              << (j["workspace"]["exists"].get<bool>() ? (j["workspace"]["writable"].get<bool>() ? " (writable by uid " : " (NOT writable by uid ")
                                                       : " (not created yet; uid ")
              << j["workspace"]["service_uid"] << ")\n";
  const json& m = j["manifest"];
  if (m.is_null()) {
    std::cout << "Manifest   none (not running in the tensorbox image)\n";
  } else {
    std::cout << "Manifest   /etc/tensorbox/manifest.json: image " << m.value("version", "?") << " (revision "
              << m.value("revision", "?").substr(0, 12) << "), base " << m.value("base", "?") << " "
              << m.value("base_digest", "?") << ", " << m["os_packages"].size() << " OS packages ("
              << m.value("os_mode", "?") << " build) and " << m["python_packages"].size()
              << " Python packages (--json lists them)\n";
  }
  if (r.problems.empty()) {
    std::cout << "\nNo problems found.\n";
    return;
  }
  std::cout << "\nProblems:\n";
  for (const auto& p : r.problems)
    std::cout << "  [" << p["severity"].get<std::string>() << "] " << p["check"].get<std::string>() << ": "
              << p["problem"].get<std::string>() << "\n      fix: " << p["fix"].get<std::string>() << "\n";
}

}  // namespace

int doctor(const DoctorOptions& o) {
  Report r;
  r.j["version"] = TB_VERSION;
  check_cpu(r);
  check_memory(r);
  check_gpu(r);
  check_python(r, o);
  check_workspace(r, o);
  r.j["problems"] = r.problems;
  bool errors = false;
  for (const auto& p : r.problems) errors |= p["severity"] == "error";
  r.j["ok"] = !errors;
  if (o.json)
    std::cout << r.j.dump(2) << "\n";
  else
    print_text(r);
  return errors ? 1 : 0;
}

}  // namespace tb::env
