#include "tensorbox/core/device.h"

#include <gtest/gtest.h>

#include <atomic>
#include <cstdlib>
#include <cstring>

#include "tensorbox/core/tensor.h"
#include "tensorbox/ops/math_ops.h"

namespace tb {
namespace {

TEST(Device, NamesAreTensorFlows) {
  EXPECT_EQ(Device::cpu().name(), "CPU:0");
  EXPECT_EQ((Device{DeviceType::GPU, 1}).full_name(), "/job:localhost/replica:0/task:0/device:GPU:1");
}

TEST(DeviceSpec, ParsesTensorFlowSpellings) {
  struct Case { const char* text; std::optional<DeviceType> type; std::optional<int> index; };
  for (const Case& c : {Case{"/device:CPU:0", DeviceType::CPU, 0}, Case{"/GPU:1", DeviceType::GPU, 1},
                        Case{"gpu:12", DeviceType::GPU, 12}, Case{"CPU", DeviceType::CPU, std::nullopt},
                        Case{"/cpu:*", DeviceType::CPU, std::nullopt}, Case{"", std::nullopt, std::nullopt},
                        Case{"/job:localhost/replica:0/task:0/device:GPU:0", DeviceType::GPU, 0},
                        Case{"/job:localhost", std::nullopt, std::nullopt}}) {
    const DeviceSpec s = DeviceSpec::parse(c.text);
    EXPECT_EQ(s.type, c.type) << c.text;
    EXPECT_EQ(s.index, c.index) << c.text;
  }
}

TEST(DeviceSpec, RejectsWhatIsNotASpecificationAsTensorFlowDoes) {
  auto message = [](const char* text) {
    try {
      DeviceSpec::parse(text);
    } catch (const ValueError& e) {
      return "ValueError: " + std::string(e.what());
    } catch (const InvalidArgumentError& e) {
      return "InvalidArgumentError: " + std::string(e.what());
    }
    return std::string("no error");
  };
  EXPECT_EQ(message("foo"), "ValueError: Unknown attribute 'foo' is encountered while parsing the device spec: 'foo'.");
  EXPECT_NE(message("GPU:x").find("ValueError: device index 'x'"), std::string::npos);
  EXPECT_NE(message("GPU:99999999999").find("ValueError: device index"), std::string::npos);
  EXPECT_NE(message("GPU:-1").find("InvalidArgumentError: Malformed device specification 'GPU:-1'"), std::string::npos);
  EXPECT_NE(message("/job:worker/device:CPU:0").find("job 'worker'"), std::string::npos);
  EXPECT_NE(message("/task:3/CPU:0").find("task '3'"), std::string::npos);
  // A type without devices here is a valid request: it is placed as a missing device is.
  const DeviceSpec tpu = DeviceSpec::parse("/device:TPU:0");
  EXPECT_EQ(tpu.other_type, "TPU");
  EXPECT_FALSE(tpu.type);
  EXPECT_EQ(tpu.to_string(), "/job:localhost/replica:0/task:0/device:TPU:0");
  EXPECT_EQ(place(tpu), Device::cpu());
}

TEST(Device, OnlyTheCpuIsPresentAndTensorsLiveThere) {
  ASSERT_EQ(list_devices(), std::vector<Device>{Device::cpu()});
  EXPECT_TRUE(list_devices(DeviceType::GPU).empty());
  EXPECT_TRUE(is_host_memory(Device::cpu()));
  EXPECT_EQ(&device_allocator(Device::cpu()), &cpu_allocator());
  EXPECT_THROW(device_allocator(Device{DeviceType::GPU, 0}), NotFoundError);
  EXPECT_THROW(device_allocator(Device{DeviceType::CPU, 1}), NotFoundError);
  const Tensor t = Tensor::zeros({2});
  EXPECT_EQ(t.device(), Device::cpu());
  EXPECT_TRUE(t.to(Device::cpu()).same_as(t));
  EXPECT_THROW(t.to(Device{DeviceType::GPU, 0}), NotFoundError);
  EXPECT_THROW(register_device_type(DeviceType::CPU, DeviceTypeInfo{}), InvalidArgumentError);
  EXPECT_THROW(unregister_device_type(DeviceType::CPU), InvalidArgumentError);
}

TEST(Device, SoftPlacementPutsAMissingDeviceOnTheCpu) {
  EXPECT_TRUE(soft_device_placement());
  EXPECT_EQ(place(DeviceSpec::parse("GPU:0")), Device::cpu());
  {
    DeviceScope scope(DeviceSpec::parse("/device:GPU:0"));
    EXPECT_EQ(current_device(), Device::cpu());
    EXPECT_EQ(Tensor::zeros({1}).device(), Device::cpu());
  }
  set_soft_device_placement(false);
  try {
    place(DeviceSpec::parse("GPU:0"));
    ADD_FAILURE() << "placed a GPU that is not present";
  } catch (const InvalidArgumentError& e) {
    EXPECT_EQ(std::string(e.what()),
              "Could not satisfy device specification '/job:localhost/replica:0/task:0/device:GPU:0'. "
              "enable_soft_placement=0. Supported device types [CPU]. All available devices "
              "[/job:localhost/replica:0/task:0/device:CPU:0].");
  }
  EXPECT_THROW(place(DeviceSpec::parse("TPU:0")), InvalidArgumentError);
  EXPECT_EQ(place(DeviceSpec::parse("CPU")), Device::cpu());
  set_soft_device_placement(true);
}

// A device type whose memory is not host memory, standing in for the CUDA backend: its blocks
// come from malloc, but the engine may reach them only through the registered copies.
struct TestDevice {
  struct Mem final : Allocator {
    std::atomic<int> live{0};
    void* allocate(size_t bytes) override {
      ++live;
      return std::malloc(bytes ? bytes : 1);
    }
    void deallocate(void* p, size_t) override {
      --live;
      std::free(p);
    }
  };
  Mem mem[2];
  std::atomic<int> copies{0};
  TestDevice() {
    DeviceTypeInfo info;
    info.count = 2;
    info.host_memory = false;
    info.allocator = [this](int i) -> Allocator& { return mem[i]; };
    info.copy_from_host = [this](int, void* d, const void* s, size_t n) { ++copies, std::memcpy(d, s, n); };
    info.copy_to_host = [this](int, void* d, const void* s, size_t n) { ++copies, std::memcpy(d, s, n); };
    register_device_type(DeviceType::GPU, std::move(info));
  }
  ~TestDevice() { unregister_device_type(DeviceType::GPU); }
};

TEST(Device, TensorsOnADeviceWithoutHostMemoryAreReachedOnlyByCopies) {
  TestDevice gpu;
  const Device gpu1{DeviceType::GPU, 1};
  ASSERT_EQ(list_devices().size(), 3u);
  EXPECT_EQ(list_devices(DeviceType::GPU).back(), gpu1);
  const Tensor host = Tensor::from_vector<float>({1, 2, 3}, {3});
  {
    const Tensor on_gpu = host.to(gpu1);
    EXPECT_EQ(on_gpu.device(), gpu1);
    EXPECT_EQ(gpu.mem[1].live, 1);
    EXPECT_FALSE(on_gpu.host_memory());
    try {
      (void)on_gpu.data<float>();
      ADD_FAILURE() << "handed out a host pointer to device memory";
    } catch (const FailedPreconditionError& e) {
      EXPECT_NE(std::string(e.what()).find("GPU:1"), std::string::npos) << e.what();
    }
    // Reading values copies them to the host; a device-to-device copy goes through it.
    EXPECT_EQ(on_gpu.element(2), 3.0);
    EXPECT_EQ(on_gpu.to_vector<float>(), (std::vector<float>{1, 2, 3}));
    const Tensor on_gpu0 = on_gpu.to(Device{DeviceType::GPU, 0});
    EXPECT_EQ(on_gpu0.to(Device::cpu()).to_vector<float>(), (std::vector<float>{1, 2, 3}));
    EXPECT_EQ(on_gpu.clone().device(), gpu1);
    // No CPU kernel reads device memory: an op on it fails instead of reading garbage.
    EXPECT_THROW(ops::add(on_gpu, on_gpu), FailedPreconditionError);
    EXPECT_GT(gpu.copies, 0);
  }
  EXPECT_EQ(gpu.mem[1].live, 0);  // every block went back to its device's allocator
  {
    DeviceScope scope(DeviceSpec::parse("GPU"));
    EXPECT_EQ(current_device(), (Device{DeviceType::GPU, 0}));
    const Tensor z = Tensor::full({2}, 5);
    EXPECT_EQ(z.device(), current_device());
    EXPECT_EQ(z.to_vector<float>(), (std::vector<float>{5, 5}));
    {
      DeviceScope inner(DeviceSpec::parse("CPU:0"));
      EXPECT_EQ(Tensor::empty({1}).device(), Device::cpu());
      DeviceScope keeps(DeviceSpec::parse(""));
      EXPECT_EQ(current_device(), Device::cpu());
    }
    EXPECT_EQ(current_device(), (Device{DeviceType::GPU, 0}));
  }
  EXPECT_EQ(current_device(), Device::cpu());
  EXPECT_THROW(DeviceScope(Device{DeviceType::GPU, 2}), NotFoundError);
}

TEST(Device, ARegistrationMustBeComplete) {
  DeviceTypeInfo no_copies;
  no_copies.count = 1;
  no_copies.allocator = [](int) -> Allocator& { return cpu_allocator(); };
  EXPECT_THROW(register_device_type(DeviceType::GPU, no_copies), InvalidArgumentError);
  EXPECT_THROW(register_device_type(DeviceType::GPU, DeviceTypeInfo{}), InvalidArgumentError);
  EXPECT_TRUE(list_devices(DeviceType::GPU).empty());
}

}  // namespace
}  // namespace tb
