"""tf.device: the device scope of the engine (core/device), as TensorFlow 2 has it in eager mode.

Inside `with tf.device("GPU:0"):` the engine's current device is the one the name resolves to;
with soft placement (the default) a device that is not present resolves to the CPU, as in
tensorflow-cpu. Tensors report where they are in `.device`.
"""
from . import _C


def device(device_name):
    if callable(device_name):
        raise RuntimeError("tf.device does not support functions.")
    if device_name is None:
        return _C.DeviceContext("CPU:0")  # TensorFlow's None clears the scope: the default device
    if not isinstance(device_name, str) and hasattr(device_name, "to_string"):
        device_name = device_name.to_string()  # a tf.DeviceSpec-like object
    if not isinstance(device_name, str):
        raise TypeError("tf.device expects a device name string, got %r" % (device_name,))
    return _C.DeviceContext(device_name)
