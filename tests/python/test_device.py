"""Devices as TensorFlow 2 shows them on a machine without a GPU: the same device lists, tensor and
variable .device names, tf.device scopes with soft placement, and the same errors as real
TensorFlow (run side by side in this process)."""
import pytest


def _outcome(tf, spec):
    try:
        with tf.device(spec):
            y = tf.constant(1.0) + 1.0
        return ("ok", y.device)
    except Exception as e:  # noqa: BLE001 - the type is what is compared
        return (type(e).__name__,)


def test_device_lists_match_tensorflow(tb, tfr):
    for kind in (None, "CPU", "cpu", "GPU", "TPU"):
        assert [tuple(d) for d in tb.config.list_logical_devices(kind)] == \
            [tuple(d) for d in tfr.config.list_logical_devices(kind)], kind
        assert [tuple(d) for d in tb.config.list_physical_devices(kind)] == \
            [tuple(d) for d in tfr.config.list_physical_devices(kind)], kind


def test_tensors_and_variables_name_their_device(tb, tfr):
    assert tb.constant([1.0, 2.0]).device == tfr.constant([1.0, 2.0]).device
    assert tb.Variable(1.0).device == tfr.Variable(1.0).device


def test_scopes_place_as_tensorflow_does_with_soft_placement(tb, tfr):
    for spec in ("GPU:0", "/gpu:3", "/device:CPU:0", "CPU", "/job:localhost/replica:0/task:0/device:CPU:0",
                 "/device:TPU:0", None, "foo", "GPU:x", "/job:worker/CPU:0", "GPU:-1"):
        assert _outcome(tb, spec) == _outcome(tfr, spec), spec
    with tb.device("GPU:0"):
        with tb.device("CPU:0"):
            assert tb.zeros([2]).device.endswith("CPU:0")
    with pytest.raises(RuntimeError, match="does not support functions"):
        tb.device(lambda op: "CPU:0")


def test_without_soft_placement_a_missing_device_fails_naming_it(tb, tfr):
    assert tb.config.get_soft_device_placement() is True
    tb.config.set_soft_device_placement(False)
    tfr.config.set_soft_device_placement(False)
    try:
        assert _outcome(tb, "GPU:0") == _outcome(tfr, "GPU:0") == ("InvalidArgumentError",)
        with pytest.raises(tb.errors.InvalidArgumentError, match=r"Could not satisfy device specification "
                           r"'/job:localhost/replica:0/task:0/device:GPU:0'\. enable_soft_placement=0"):
            with tb.device("GPU:0"):
                pass
        assert _outcome(tb, "CPU:0") == _outcome(tfr, "CPU:0")
    finally:
        tb.config.set_soft_device_placement(True)
        tfr.config.set_soft_device_placement(True)
