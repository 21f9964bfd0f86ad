"""tf.config: devices and threading. The devices are the engine's registered ones (core/device):
the CPU only until the CUDA backend exists, so list_physical_devices('GPU') is empty, as in
tensorflow-cpu."""
import collections
import os
import types

from . import _C

PhysicalDevice = collections.namedtuple("PhysicalDevice", ["name", "device_type"])
LogicalDevice = collections.namedtuple("LogicalDevice", ["name", "device_type"])


def _devices(device_type):
    # TensorFlow matches the type exactly ("cpu" lists nothing) and lists nothing for a type it
    # does not know.
    if device_type is not None and device_type not in ("CPU", "GPU"):
        return []
    return _C.list_devices(device_type)


def list_physical_devices(device_type=None):
    return [PhysicalDevice("/physical_device:" + name, kind) for name, kind in _devices(device_type)]


def list_logical_devices(device_type=None):
    return [LogicalDevice("/device:" + name, kind) for name, kind in _devices(device_type)]


def get_visible_devices(device_type=None):
    return list_physical_devices(device_type)


def _set_intra(num_threads):
    """0 means the default (all cores, or OMP_NUM_THREADS), as in TensorFlow."""
    n = int(num_threads)
    if n < 0:
        raise ValueError("num_threads must be >= 0, got %d" % n)
    _C.set_num_threads(n if n > 0 else int(os.environ.get("OMP_NUM_THREADS", os.cpu_count() or 1)))


def _set_inter(num_threads):
    """Accepted for compatibility: the engine runs one op at a time, parallel inside the op."""
    if int(num_threads) < 0:
        raise ValueError("num_threads must be >= 0, got %d" % num_threads)


threading = types.SimpleNamespace(
    set_intra_op_parallelism_threads=_set_intra,
    get_intra_op_parallelism_threads=lambda: _C.get_num_threads(),
    set_inter_op_parallelism_threads=_set_inter,
    get_inter_op_parallelism_threads=lambda: 0,
)

experimental = types.SimpleNamespace(
    set_memory_growth=lambda device, enable: None,
    get_memory_growth=lambda device: False,
    list_physical_devices=list_physical_devices,
)


def set_soft_device_placement(enabled):
    """On (the default): a tf.device naming a device that is not present runs on the CPU."""
    _C.set_soft_device_placement(bool(enabled))


def get_soft_device_placement():
    return _C.get_soft_device_placement()
