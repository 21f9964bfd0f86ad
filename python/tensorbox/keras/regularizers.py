"""tf.keras.regularizers: L1, L2, L1L2 and their names ("l1", "l2", "l1_l2"), as Keras 2.9.

A regularizer given to a layer (kernel_regularizer=..., bias_regularizer=...,
activity_regularizer=...) travels to the engine as its Keras config; fit adds the penalties to
the loss and `layer.losses` / `model.losses` list them.
"""


class Regularizer:
    """Base class: a callable x -> penalty with a Keras config."""

    def __call__(self, x):
        from .. import math as _math
        from ..framework import convert_to_tensor
        x = convert_to_tensor(x)
        total = 0.0
        if getattr(self, "l1", 0):
            total = total + self.l1 * _math.reduce_sum(_math.abs(x))
        if getattr(self, "l2", 0):
            total = total + self.l2 * _math.reduce_sum(_math.square(x))
        return convert_to_tensor(total) if not hasattr(total, "numpy") else total

    @classmethod
    def from_config(cls, config):
        return cls(**config)


class L1(Regularizer):
    def __init__(self, l1=0.01):
        self.l1 = float(l1)

    def get_config(self):
        return {"l1": self.l1}


class L2(Regularizer):
    def __init__(self, l2=0.01):
        self.l2 = float(l2)

    def get_config(self):
        return {"l2": self.l2}


class L1L2(Regularizer):
    def __init__(self, l1=0.0, l2=0.0):
        self.l1, self.l2 = float(l1), float(l2)

    def get_config(self):
        return {"l1": self.l1, "l2": self.l2}


def l1_l2(l1=0.01, l2=0.01):
    return L1L2(l1=l1, l2=l2)


l1, l2 = L1, L2
_NAMES = {"l1": L1, "l2": L2, "l1_l2": l1_l2, "L1": L1, "L2": L2, "L1L2": L1L2}


def serialize(regularizer):
    return {"class_name": type(regularizer).__name__, "config": regularizer.get_config()}


def deserialize(config, custom_objects=None):
    cls = _NAMES.get(config.get("class_name"))
    if cls is None:
        raise ValueError("Unknown regularizer: '%s'. Valid regularizers: l1, l2, l1_l2" % config.get("class_name"))
    return cls(**config.get("config", {}))


def get(identifier):
    if identifier is None or isinstance(identifier, Regularizer):
        return identifier
    if isinstance(identifier, dict):
        return deserialize(identifier)
    if isinstance(identifier, str):
        if identifier not in _NAMES:
            raise ValueError("Unknown regularizer: '%s'. Valid regularizers: l1, l2, l1_l2" % identifier)
        return _NAMES[identifier]()
    raise ValueError("Could not interpret regularizer identifier: %r" % (identifier,))


def config_of(identifier):
    """The Keras config of a regularizer argument (None stays None), for the engine."""
    r = get(identifier)
    return None if r is None else serialize(r)
