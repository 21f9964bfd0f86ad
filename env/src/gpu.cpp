#include "gpu.h"

#include <dlfcn.h>

#include <algorithm>
#include <filesystem>

namespace tb::env {

namespace {

// The few NVML entry points we use, declared as NVML's header does (nvml.h is not needed to build).
using nvmlDevice_t = void*;
struct nvmlMemory_t {
  unsigned long long total, free, used;
};
struct nvmlUtilization_t {
  unsigned int gpu, memory;
};

template <class F>
F sym(void* lib, const char* name) {
  return reinterpret_cast<F>(dlsym(lib, name));
}

}  // namespace

GpuReport query_gpus() {
  GpuReport r;
  std::error_code ec;
  for (const auto& e : std::filesystem::directory_iterator("/dev", ec)) {
    const std::string n = e.path().filename().string();
    if (n.rfind("nvidia", 0) == 0) r.device_nodes.push_back(e.path().string());
  }
  std::sort(r.device_nodes.begin(), r.device_nodes.end());
  void* lib = dlopen("libnvidia-ml.so.1", RTLD_NOW | RTLD_LOCAL);
  if (!lib) {
    r.error = "libnvidia-ml.so.1 (the NVIDIA driver's NVML library) is not present";
    return r;
  }
  auto init = sym<int (*)()>(lib, "nvmlInit_v2");
  auto shutdown = sym<int (*)()>(lib, "nvmlShutdown");
  auto err_str = sym<const char* (*)(int)>(lib, "nvmlErrorString");
  auto driver = sym<int (*)(char*, unsigned)>(lib, "nvmlSystemGetDriverVersion");
  auto cuda = sym<int (*)(int*)>(lib, "nvmlSystemGetCudaDriverVersion");
  auto count = sym<int (*)(unsigned*)>(lib, "nvmlDeviceGetCount_v2");
  auto handle = sym<int (*)(unsigned, nvmlDevice_t*)>(lib, "nvmlDeviceGetHandleByIndex_v2");
  auto name = sym<int (*)(nvmlDevice_t, char*, unsigned)>(lib, "nvmlDeviceGetName");
  auto memory = sym<int (*)(nvmlDevice_t, nvmlMemory_t*)>(lib, "nvmlDeviceGetMemoryInfo");
  auto util = sym<int (*)(nvmlDevice_t, nvmlUtilization_t*)>(lib, "nvmlDeviceGetUtilizationRates");
  auto cc = sym<int (*)(nvmlDevice_t, int*, int*)>(lib, "nvmlDeviceGetCudaComputeCapability");
  if (!init || !shutdown || !driver || !cuda || !count || !handle || !name || !memory || !util || !cc) {
    r.error = "libnvidia-ml.so.1 lacks NVML functions tensorbox needs (driver too old)";
    dlclose(lib);
    return r;
  }
  if (int rc = init(); rc != 0) {
    r.error = std::string("NVML did not initialise: ") + (err_str ? err_str(rc) : std::to_string(rc));
    dlclose(lib);
    return r;
  }
  r.library = true;
  char buf[96] = {};
  if (driver(buf, sizeof buf) == 0) r.driver_version = buf;
  cuda(&r.cuda_driver_version);
  unsigned n = 0;
  count(&n);
  for (unsigned i = 0; i < n; ++i) {
    nvmlDevice_t dev = nullptr;
    if (handle(i, &dev) != 0) continue;
    GpuDevice d;
    d.index = int(i);
    char nm[96] = {};
    if (name(dev, nm, sizeof nm) == 0) d.name = nm;
    nvmlMemory_t mem{};
    if (memory(dev, &mem) == 0) {
      d.memory_total = mem.total;
      d.memory_used = mem.used;
    }
    nvmlUtilization_t u{};
    if (util(dev, &u) == 0) d.utilization = u.gpu;
    cc(dev, &d.cc_major, &d.cc_minor);
    r.devices.push_back(d);
  }
  shutdown();
  dlclose(lib);
  return r;
}

}  // namespace tb::env
