"""tf.math: the engine's elementwise and reduction ops under TensorFlow's math names."""
from . import _C
from .framework import convert_to_tensor, _value
from .ops import (  # noqa: F401 - re-exported names
    abs, add, add_n, argmax, argmin, divide, equal, exp, greater, greater_equal, less, less_equal, log,
    logical_and, logical_not, logical_or, maximum, minimum, multiply, negative, not_equal, pow, reduce_logsumexp,
    reduce_max, reduce_mean, reduce_min, reduce_sum, rsqrt, sigmoid, sign, sqrt, square, subtract, tanh, truediv,
)


def _u(op):
    def f(x, name=None):
        return op(convert_to_tensor(_value(x)))
    f.__name__ = op.__name__
    return f


softplus = _u(_C.ops.softplus)
