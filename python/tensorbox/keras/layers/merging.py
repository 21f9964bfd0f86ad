"""The merge layers and their functional forms (keras.layers.add, concatenate, ...)."""
from .base import Layer


class _Merge(Layer):
    def __init__(self, **kwargs):
        self._build_impl(type(self).__name__, {}, kwargs)


class Add(_Merge):
    pass


class Subtract(_Merge):
    pass


class Multiply(_Merge):
    pass


class Average(_Merge):
    pass


class Maximum(_Merge):
    pass


class Minimum(_Merge):
    pass


class Concatenate(Layer):
    def __init__(self, axis=-1, **kwargs):
        self._build_impl("Concatenate", {"axis": int(axis)}, kwargs)


class Dot(Layer):
    def __init__(self, axes, normalize=False, **kwargs):
        self._build_impl("Dot", {"axes": int(axes) if isinstance(axes, int) else [int(a) for a in axes],
                                 "normalize": bool(normalize)}, kwargs)


# Keras's functional forms: keras.layers.add([a, b]) == keras.layers.Add()([a, b]).
def add(inputs, **kwargs):
    return Add(**kwargs)(inputs)


def subtract(inputs, **kwargs):
    return Subtract(**kwargs)(inputs)


def multiply(inputs, **kwargs):
    return Multiply(**kwargs)(inputs)


def average(inputs, **kwargs):
    return Average(**kwargs)(inputs)


def maximum(inputs, **kwargs):
    return Maximum(**kwargs)(inputs)


def minimum(inputs, **kwargs):
    return Minimum(**kwargs)(inputs)


def concatenate(inputs, axis=-1, **kwargs):
    return Concatenate(axis=axis, **kwargs)(inputs)


def dot(inputs, axes, normalize=False, **kwargs):
    return Dot(axes=axes, normalize=normalize, **kwargs)(inputs)
