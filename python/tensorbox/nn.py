"""tf.nn: activations, softmax family, fused cross-entropies, bias_add and dropout."""
from . import _C
from . import dtypes as _dt
from .framework import convert_to_tensor, _value
from .ops import sigmoid, tanh  # noqa: F401

o = _C.ops


def _t(x):
    return convert_to_tensor(_value(x))


def relu(features, name=None):
    return o.relu(_t(features))


def gelu(features, approximate=False, name=None):
    if approximate:
        raise NotImplementedError("tensorbox: gelu(approximate=True) is not in the engine yet; the exact form is")
    return o.gelu(_t(features))


def elu(features, name=None):
    return o.elu(_t(features))


def selu(features, name=None):
    return o.selu(_t(features))


def softplus(features, name=None):
    return o.softplus(_t(features))


def silu(features, beta=1.0, name=None):
    if beta != 1.0:
        raise NotImplementedError("tensorbox: silu/swish with beta != 1 is not in the engine yet")
    return o.swish(_t(features))


swish = silu


def softmax(logits, axis=None, name=None):
    return o.softmax(_t(logits), -1 if axis is None else int(axis))


def log_softmax(logits, axis=None, name=None):
    return o.log_softmax(_t(logits), -1 if axis is None else int(axis))


def sparse_softmax_cross_entropy_with_logits(labels=None, logits=None, name=None):
    if labels is None or logits is None:
        raise ValueError("sparse_softmax_cross_entropy_with_logits needs labels= and logits=")
    lab = convert_to_tensor(labels)
    if lab.dtype not in (_dt.int32, _dt.int64):
        raise TypeError("labels must be int32 or int64, got %s" % lab.dtype.name)
    return o.sparse_softmax_cross_entropy_with_logits(lab, _t(logits))


def softmax_cross_entropy_with_logits(labels=None, logits=None, axis=-1, name=None):
    if labels is None or logits is None:
        raise ValueError("softmax_cross_entropy_with_logits needs labels= and logits=")
    if axis not in (-1, None):
        raise NotImplementedError("tensorbox: softmax_cross_entropy_with_logits over the last axis only")
    lg = _t(logits)
    return o.softmax_cross_entropy_with_logits(convert_to_tensor(labels, dtype=lg.dtype), lg)


def bias_add(value, bias, data_format=None, name=None):
    if data_format not in (None, "NHWC", "N...C"):
        raise NotImplementedError("tensorbox: bias_add supports channels-last data only")
    v = _t(value)
    return o.bias_add(v, convert_to_tensor(bias, dtype=v.dtype))


def dropout(x, rate, noise_shape=None, seed=None, name=None):
    if noise_shape is not None:
        raise NotImplementedError("tensorbox: dropout noise_shape is not supported yet")
    if not 0 <= float(rate) < 1:
        raise ValueError("rate must be a scalar tensor or a float in the range [0, 1), got %s" % rate)
    return o.dropout(_t(x), float(rate))
