#include "tensorbox/core/device.h"

#include <array>
#include <atomic>
#include <cctype>
#include <cstring>
#include <mutex>

#include "tensorbox/core/errors.h"

namespace tb {

const char* device_type_name(DeviceType type) {
  switch (type) {
    case DeviceType::CPU: return "CPU";
    case DeviceType::GPU: return "GPU";
  }
  return "UNKNOWN";
}

std::string Device::name() const { return std::string(device_type_name(type)) + ":" + std::to_string(index); }

std::string Device::full_name() const { return "/job:localhost/replica:0/task:0/device:" + name(); }

namespace {

std::string lower(std::string_view s) {
  std::string out(s);
  for (char& c : out) c = char(std::tolower(static_cast<unsigned char>(c)));
  return out;
}

std::vector<std::string_view> split(std::string_view s, char sep) {
  std::vector<std::string_view> parts;
  size_t start = 0;
  for (size_t i = 0; i <= s.size(); ++i)
    if (i == s.size() || s[i] == sep) {
      parts.push_back(s.substr(start, i - start));
      start = i + 1;
    }
  return parts;
}

std::optional<int> parse_index(std::string_view text, std::string_view spec) {
  if (text == "*") return std::nullopt;
  const bool negative = text.size() > 1 && text[0] == '-';
  const std::string_view digits = negative ? text.substr(1) : text;
  bool ok = !digits.empty() && digits.size() <= 9;
  int value = 0;
  for (char c : digits)
    if (ok && std::isdigit(static_cast<unsigned char>(c))) value = value * 10 + (c - '0');
    else ok = false;
  if (!ok)
    throw ValueError("device index '" + std::string(text) + "' in device specification '" +
                     std::string(spec) + "' is not an integer");
  if (negative)
    throw InvalidArgumentError("Malformed device specification '" + std::string(spec) + "': device index " +
                               std::string(text) + " is negative");
  return value;
}

std::optional<DeviceType> parse_type(std::string_view text) {
  const std::string t = lower(text);
  if (t == "cpu") return DeviceType::CPU;
  if (t == "gpu") return DeviceType::GPU;
  return std::nullopt;
}

// A device type name as TensorFlow's parser accepts one: letters, digits and '_' ("XLA_CPU").
bool is_type_name(std::string_view text) {
  if (text.empty()) return false;
  for (char c : text)
    if (!std::isalnum(static_cast<unsigned char>(c)) && c != '_') return false;
  return true;
}

void set_type(DeviceSpec& out, std::string_view text) {
  out.type = parse_type(text);
  out.other_type.clear();
  if (!out.type) {
    out.other_type = std::string(text);
    for (char& c : out.other_type) c = char(std::toupper(static_cast<unsigned char>(c)));
  }
}

// The local process is the only job tensorbox runs: job:localhost, replica 0, task 0.
void check_local(std::string_view key, std::string_view value, std::string_view spec) {
  const bool local = key == "job" ? value == "localhost" : (value == "0" || value == "*");
  if (!local)
    throw InvalidArgumentError("device specification '" + std::string(spec) + "' names " +
                               std::string(key) + " '" + std::string(value) +
                               "': tensorbox runs devices of the local process only "
                               "(/job:localhost/replica:0/task:0)");
}

struct Registry {
  std::mutex mu;
  std::array<std::optional<DeviceTypeInfo>, kNumDeviceTypes> types;
};

Registry& registry() {
  // Leaked on purpose: tensors freed after main returns still find their allocator.
  static Registry* r = [] {
    auto* reg = new Registry();
    DeviceTypeInfo cpu;
    cpu.count = 1;
    cpu.host_memory = true;
    cpu.allocator = [](int) -> Allocator& { return cpu_allocator(); };
    reg->types[size_t(DeviceType::CPU)] = std::move(cpu);
    return reg;
  }();
  return *r;
}

// A copy of a present device's registration; NotFoundError naming it otherwise.
DeviceTypeInfo info_of(const Device& device) {
  Registry& r = registry();
  std::lock_guard<std::mutex> lock(r.mu);
  const auto& info = r.types[size_t(device.type)];
  if (!info || device.index < 0 || device.index >= info->count)
    throw NotFoundError("device " + device.name() + " is not present on this machine");
  return *info;
}

std::atomic<bool> g_soft_placement{true};
thread_local Device t_current;  // the CPU outside any scope

}  // namespace

DeviceSpec DeviceSpec::parse(std::string_view spec) {
  DeviceSpec out;
  for (std::string_view part : split(spec, '/')) {
    if (part.empty()) continue;
    const std::vector<std::string_view> f = split(part, ':');
    const std::string key = lower(f[0]);
    if ((key == "job" || key == "replica" || key == "task") && f.size() == 2) {
      check_local(key, f[1], spec);
    } else if (key == "device" && (f.size() == 2 || f.size() == 3) && is_type_name(f[1])) {
      set_type(out, f[1]);
      out.index = f.size() == 3 ? parse_index(f[2], spec) : std::nullopt;
    } else if (f.size() == 2 && is_type_name(f[0]) && key != "device") {
      set_type(out, f[0]);
      out.index = parse_index(f[1], spec);
    } else if (f.size() == 1 && parse_type(f[0])) {
      set_type(out, f[0]);
      out.index = std::nullopt;
    } else {
      throw ValueError("Unknown attribute '" + std::string(part) +
                       "' is encountered while parsing the device spec: '" + std::string(spec) + "'.");
    }
  }
  return out;
}

std::string DeviceSpec::to_string() const {
  if (empty()) return "";
  return "/job:localhost/replica:0/task:0/device:" + (type ? std::string(device_type_name(*type)) : other_type) +
         ":" + (index ? std::to_string(*index) : "*");
}

void register_device_type(DeviceType type, DeviceTypeInfo info) {
  if (type == DeviceType::CPU) throw InvalidArgumentError("the CPU device type is registered by the engine itself");
  if (info.count < 0 || !info.allocator)
    throw InvalidArgumentError(std::string("registering device type ") + device_type_name(type) +
                               ": needs a device count >= 0 and an allocator");
  if (!info.host_memory && (!info.copy_from_host || !info.copy_to_host))
    throw InvalidArgumentError(std::string("registering device type ") + device_type_name(type) +
                               ": a device without host memory needs copy_from_host and copy_to_host");
  Registry& r = registry();
  std::lock_guard<std::mutex> lock(r.mu);
  r.types[size_t(type)] = std::move(info);
}

void unregister_device_type(DeviceType type) {
  if (type == DeviceType::CPU) throw InvalidArgumentError("the CPU device type cannot be unregistered");
  Registry& r = registry();
  std::lock_guard<std::mutex> lock(r.mu);
  r.types[size_t(type)].reset();
}

std::vector<Device> list_devices(std::optional<DeviceType> type) {
  Registry& r = registry();
  std::lock_guard<std::mutex> lock(r.mu);
  std::vector<Device> out;
  for (int t = 0; t < kNumDeviceTypes; ++t) {
    const auto& info = r.types[size_t(t)];
    if (!info || (type && DeviceType(t) != *type)) continue;
    for (int i = 0; i < info->count; ++i) out.push_back(Device{DeviceType(t), i});
  }
  return out;
}

bool device_exists(const Device& device) {
  Registry& r = registry();
  std::lock_guard<std::mutex> lock(r.mu);
  const auto& info = r.types[size_t(device.type)];
  return info && device.index >= 0 && device.index < info->count;
}

bool is_host_memory(const Device& device) {
  if (device == Device::cpu()) return true;  // the hot path: no lock
  return info_of(device).host_memory;
}

Allocator& device_allocator(const Device& device) {
  if (device == Device::cpu()) return cpu_allocator();
  return info_of(device).allocator(device.index);
}

void copy_from_host(const Device& device, void* device_dst, const void* host_src, size_t bytes) {
  if (bytes == 0) return;
  if (is_host_memory(device)) std::memmove(device_dst, host_src, bytes);
  else info_of(device).copy_from_host(device.index, device_dst, host_src, bytes);
}

void copy_to_host(const Device& device, void* host_dst, const void* device_src, size_t bytes) {
  if (bytes == 0) return;
  if (is_host_memory(device)) std::memmove(host_dst, device_src, bytes);
  else info_of(device).copy_to_host(device.index, host_dst, device_src, bytes);
}

void set_soft_device_placement(bool enabled) { g_soft_placement = enabled; }
bool soft_device_placement() { return g_soft_placement; }

Device place(const DeviceSpec& spec) {
  if (spec.empty()) return current_device();
  if (spec.type)
    for (const Device& d : list_devices(*spec.type))
      if (!spec.index || d.index == *spec.index) return d;
  if (soft_device_placement()) return Device::cpu();
  // TensorFlow's words, so that a search for the message finds the fix.
  std::string types, names;
  for (const Device& d : list_devices()) {
    const std::string type = device_type_name(d.type);
    if (types.find(type) == std::string::npos) types += (types.empty() ? "" : ", ") + type;
    names += (names.empty() ? "" : ", ") + d.full_name();
  }
  throw InvalidArgumentError("Could not satisfy device specification '" + spec.to_string() +
                             "'. enable_soft_placement=0. Supported device types [" + types +
                             "]. All available devices [" + names + "].");
}

DeviceScope::DeviceScope(const DeviceSpec& spec) : DeviceScope(place(spec)) {}

DeviceScope::DeviceScope(const Device& device) : saved_(t_current) {
  if (!device_exists(device)) throw NotFoundError("device " + device.name() + " is not present on this machine");
  t_current = device;
}

DeviceScope::~DeviceScope() { t_current = saved_; }

Device current_device() { return t_current; }

}  // namespace tb
