// Devices: where a tensor's storage lives and where the ops on it run, named as TensorFlow names
// them ("CPU:0", "/job:localhost/replica:0/task:0/device:GPU:1").
//
// Each device type is registered once with what it provides: how many devices of the type the
// machine has, the allocator of each, whether its memory is host memory (only then do tensors
// on it have host pointers), and how bytes move between it and the host. The CPU is always
// registered, with the caching allocator; a CUDA backend registers GPU when a driver is present.
//
// A DeviceScope (tf.device) sets the default device of the ops and factories that run on this
// thread inside it. A requested device that is not present is placed as TensorFlow 2 places it:
// with soft placement (the default) on the CPU, without it as an error naming the request.
//
//   tb::DeviceScope on_cpu(tb::DeviceSpec::parse("/device:CPU:0"));
//   tb::Tensor t = tb::Tensor::zeros({2, 2});    // t.device() == tb::Device::cpu()
//   for (const tb::Device& d : tb::list_devices()) std::puts(d.name().c_str());   // CPU:0
#pragma once

#include <cstdint>
#include <functional>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "tensorbox/core/allocator.h"

namespace tb {

enum class DeviceType : uint8_t { CPU, GPU };
inline constexpr int kNumDeviceTypes = 2;

// "CPU", "GPU": TensorFlow's device_type strings.
const char* device_type_name(DeviceType type);

struct Device {
  DeviceType type = DeviceType::CPU;
  int index = 0;

  static constexpr Device cpu() { return Device{}; }
  // "CPU:0".
  std::string name() const;
  // "/job:localhost/replica:0/task:0/device:CPU:0", as Tensor.device reads in TensorFlow.
  std::string full_name() const;
  bool operator==(const Device&) const = default;
};

// A device request as tf.device takes it: each part may be left open ("GPU" is any GPU, ""
// is no constraint). Accepts TensorFlow's spellings: "/device:GPU:1", "/GPU:1", "gpu:1", "CPU",
// "/job:localhost/replica:0/task:0/device:CPU:0", "/cpu:*". A type tensorbox has no devices of
// ("/device:TPU:0") is kept by name and placed as a missing device is.
struct DeviceSpec {
  std::optional<DeviceType> type;
  std::string other_type;  // set instead of `type` for a type that is not CPU or GPU
  std::optional<int> index;

  // Throws ValueError (as TensorFlow's parser) for text that is not a device specification,
  // InvalidArgumentError for a negative index or a remote job/replica/task.
  static DeviceSpec parse(std::string_view spec);
  bool empty() const { return !type && other_type.empty(); }
  // "/job:localhost/replica:0/task:0/device:GPU:0" ("" for an empty spec).
  std::string to_string() const;
};

// What a registered device type provides.
struct DeviceTypeInfo {
  int count = 0;             // devices of this type on this machine
  bool host_memory = false;  // whether tensors on it have host pointers
  std::function<Allocator&(int index)> allocator;
  // Copies `bytes` between host memory and device `index` (unused for host-memory types).
  std::function<void(int index, void* device_dst, const void* host_src, size_t bytes)> copy_from_host;
  std::function<void(int index, void* host_dst, const void* device_src, size_t bytes)> copy_to_host;
};

// Registers (or replaces) a device type. The CPU is registered before main runs; a second
// registration of CPU is refused.
void register_device_type(DeviceType type, DeviceTypeInfo info);
// Removes a registered non-CPU type (a backend unloading, and tests).
void unregister_device_type(DeviceType type);

// The devices present, CPU first; only those of `type` if given.
std::vector<Device> list_devices(std::optional<DeviceType> type = std::nullopt);
bool device_exists(const Device& device);
bool is_host_memory(const Device& device);
// The allocator of a present device; NotFoundError naming it otherwise.
Allocator& device_allocator(const Device& device);
// Copies between a present device and the host (memcpy for host-memory devices).
void copy_from_host(const Device& device, void* device_dst, const void* host_src, size_t bytes);
void copy_to_host(const Device& device, void* host_dst, const void* device_src, size_t bytes);

// TensorFlow 2's soft device placement (tf.config.set_soft_device_placement), on by default:
// a request for a device that is not present is placed on the CPU instead of failing.
void set_soft_device_placement(bool enabled);
bool soft_device_placement();
// The present device a request resolves to: the first match (lowest index) of the requested
// type, the CPU under soft placement if none matches, InvalidArgumentError naming the request
// and the devices present otherwise.
Device place(const DeviceSpec& spec);

// While alive, `current_device()` on this thread is `place(spec)` (resolved when the scope is
// entered). Scopes nest; an empty spec keeps the enclosing device.
class DeviceScope {
 public:
  explicit DeviceScope(const DeviceSpec& spec);
  explicit DeviceScope(const Device& device);
  ~DeviceScope();
  DeviceScope(const DeviceScope&) = delete;
  DeviceScope& operator=(const DeviceScope&) = delete;

 private:
  Device saved_;
};

// The device that ops without inputs and tensor factories use on this thread: the innermost
// DeviceScope's, the CPU outside any.
Device current_device();

}  // namespace tb
