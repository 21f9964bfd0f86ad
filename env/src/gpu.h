// NVIDIA GPUs through NVML, loaded at run time (dlopen "libnvidia-ml.so.1"): the same binary runs
// on machines without a driver and says so. Used by `doctor` and by /metrics.
//
//   GpuReport r = query_gpus();
//   if (!r.library) std::puts(r.error.c_str());
#pragma once

#include <string>
#include <vector>

namespace tb::env {

struct GpuDevice {
  int index = 0;
  std::string name;
  int cc_major = 0, cc_minor = 0;  // compute capability
  unsigned long long memory_total = 0, memory_used = 0;
  unsigned utilization = 0;  // percent of time a kernel ran over the last sample period
};

struct GpuReport {
  bool library = false;               // libnvidia-ml.so.1 was found and initialised
  std::string error;                  // why not, when !library (or a per-device problem)
  std::string driver_version;         // "550.54.15"
  int cuda_driver_version = 0;        // 12040 = CUDA 12.4, the newest CUDA the driver supports
  std::vector<std::string> device_nodes;  // /dev/nvidia0, /dev/nvidiactl, ... present here
  std::vector<GpuDevice> devices;
};

GpuReport query_gpus();

}  // namespace tb::env
