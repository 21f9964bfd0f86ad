"""tensorbox: `import tensorbox as tf` runs tf.keras code on tensorbox's C++ engine.

The namespace mirrors TensorFlow 2.9 for what the engine has. tf.function runs its function
eagerly until the graph compiler exists (same results). Output that Keras prints (progress
bars, callback messages) goes to sys.stdout, so it shows in Jupyter.
"""
import os as _os
import sys as _sys

from . import _C
from . import dtypes
from ._device import device
from .dtypes import DType, as_dtype, bfloat16, bool, double, float16, float32, float64, half, int32, int64, uint8  # noqa: A004
from .framework import GradientTape, Tensor, TensorShape, Variable, constant, convert_to_tensor, function
from .ops import (  # noqa: A004
    abs, add, add_n, argmax, argmin, broadcast_to, cast, clip_by_value, concat, divide, equal, exp, expand_dims, fill,
    gather, greater, greater_equal, identity, less, less_equal, log, logical_and, logical_not, logical_or, matmul,
    maximum, minimum, multiply, negative, not_equal, one_hot, ones, ones_like, pow, range, rank, reduce_logsumexp,
    reduce_max, reduce_mean, reduce_min, reduce_sum, reshape, rsqrt, shape, sigmoid, sign, size, slice, sqrt, square,
    squeeze, stack, stop_gradient, subtract, tanh, transpose, truediv, where, zeros, zeros_like,
)
from . import config, errors, math, nn, random  # noqa: E402
from . import keras  # noqa: E402

newaxis = None
__version__ = "0.1.0"
linalg = type(_sys)("tensorbox.linalg")
linalg.matmul = matmul


def executing_eagerly():
    return True


def _console(stream, text):
    out = _sys.stderr if stream else _sys.stdout
    out.write(text)
    out.flush()


# Keras-style output from the engine goes through Python's streams (Jupyter shows those).
_C.set_console_writer(_console)

# `tensorbox up` sets TENSORBOX_METRICS_DIR for Jupyter and so for every kernel: each fit() then
# publishes its progress there for the /metrics endpoint (the engine itself reads no variable).
if _os.environ.get("TENSORBOX_METRICS_DIR"):
    _C.publish_training_metrics(_os.environ["TENSORBOX_METRICS_DIR"])
