// `tensorbox doctor`: checks the machine and the environment, and says how to fix each problem.
//
// CPU model and features and which kernels the engine runs on them; memory (and the container's
// limit) and /dev/shm; NVIDIA GPUs through NVML (driver, CUDA version, compute capability, memory,
// device nodes; why none is visible); the Python runtime against the lock file (drift); the
// workspace's writability for the service user; the image manifest when there is one.
// `--json` prints the same report as one JSON object. Exit code 1 when a check found an error.
#pragma once

#include <string>

namespace tb::env {

struct DoctorOptions {
  bool json = false;
  std::string python;  // main: default_python()
  std::string lock;  // default: the installed (or source tree's) env/requirements.lock
  std::string workspace = "./workspace";
  std::string user;
};

int doctor(const DoctorOptions& options);

}  // namespace tb::env
