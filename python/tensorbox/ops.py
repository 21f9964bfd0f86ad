"""The top-level op functions of TensorFlow's namespace (tf.add, tf.reshape, tf.reduce_sum, ...).

Each converts its arguments (NumPy arrays, Python scalars, Variables) and calls one engine op;
no numerics happen in Python.
"""
import builtins

import numpy as np

from . import _C
from . import dtypes as _dt
from .framework import Tensor, Variable, convert_to_tensor, _value

o = _C.ops


def _t(x, dtype=None):
    return convert_to_tensor(x, dtype=dtype)


def _pair(a, b):
    """Converts two operands; a non-tensor takes the dtype of the tensor beside it."""
    a, b = _value(a), _value(b)
    if isinstance(a, Tensor) and not isinstance(b, Tensor):
        return a, _t(b, a.dtype)
    if isinstance(b, Tensor) and not isinstance(a, Tensor):
        return _t(a, b.dtype), b
    return _t(a), _t(b)


def _axes(axis):
    if axis is None:
        return []
    if isinstance(axis, Tensor):
        axis = axis.numpy().tolist()
    if isinstance(axis, (list, tuple, np.ndarray)):
        return [int(a) for a in axis]
    return [int(axis)]


def _binary(op):
    def f(x, y, name=None):
        if type(x) is Tensor and type(y) is Tensor:  # the eager hot path: nothing to convert
            return op(x, y)
        return op(*_pair(x, y))
    f.__name__ = op.__name__
    return f


add = _binary(o.add)
subtract = _binary(o.sub)
multiply = _binary(o.mul)
divide = _binary(o.div)
truediv = divide
pow = _binary(o.pow)  # noqa: A001 - TensorFlow's name
maximum = _binary(o.maximum)
minimum = _binary(o.minimum)
equal = _binary(o.equal)
not_equal = _binary(o.not_equal)
less = _binary(o.less)
less_equal = _binary(o.less_equal)
greater = _binary(o.greater)
greater_equal = _binary(o.greater_equal)
logical_and = _binary(o.logical_and)
logical_or = _binary(o.logical_or)


def _unary(op):
    def f(x, name=None):
        if type(x) is Tensor:
            return op(x)
        return op(_t(_value(x)))
    f.__name__ = op.__name__
    return f


negative = _unary(o.neg)
abs = _unary(o.abs)  # noqa: A001
sign = _unary(o.sign)
exp = _unary(o.exp)
log = _unary(o.log)
sqrt = _unary(o.sqrt)
rsqrt = _unary(o.rsqrt)
square = _unary(o.square)
tanh = _unary(o.tanh)
sigmoid = _unary(o.sigmoid)
logical_not = _unary(o.logical_not)
stop_gradient = _unary(o.stop_gradient)
zeros_like = _unary(o.zeros_like)
ones_like = _unary(o.ones_like)


def identity(input, name=None):
    return _t(_value(input))


def cast(x, dtype, name=None):
    return o.cast(_t(_value(x)), _dt.as_dtype(dtype).name)


def reshape(tensor, shape, name=None):
    if isinstance(shape, Tensor):
        shape = shape.numpy().tolist()
    return o.reshape(_t(_value(tensor)), [int(d) for d in shape])


def transpose(a, perm=None, conjugate=False, name=None):
    return o.transpose(_t(_value(a)), [] if perm is None else [int(p) for p in perm])


def matmul(a, b, transpose_a=False, transpose_b=False, adjoint_a=False, adjoint_b=False, a_is_sparse=False,
           b_is_sparse=False, output_type=None, name=None):
    a, b = _pair(a, b)
    return o.matmul(a, b, builtins.bool(transpose_a or adjoint_a), builtins.bool(transpose_b or adjoint_b))


def _reduce(op):
    def f(input_tensor, axis=None, keepdims=False, name=None):
        return op(_t(_value(input_tensor)), _axes(axis), builtins.bool(keepdims))
    f.__name__ = op.__name__
    return f


reduce_sum = _reduce(o.reduce_sum)
reduce_mean = _reduce(o.reduce_mean)
reduce_max = _reduce(o.reduce_max)
reduce_min = _reduce(o.reduce_min)
reduce_logsumexp = _reduce(o.reduce_logsumexp)


def argmax(input, axis=None, output_type=_dt.int64, name=None):
    r = o.argmax(_t(_value(input)), 0 if axis is None else int(axis))
    return r if _dt.as_dtype(output_type) == _dt.int64 else o.cast(r, _dt.as_dtype(output_type).name)


def argmin(input, axis=None, output_type=_dt.int64, name=None):
    r = o.argmin(_t(_value(input)), 0 if axis is None else int(axis))
    return r if _dt.as_dtype(output_type) == _dt.int64 else o.cast(r, _dt.as_dtype(output_type).name)


def concat(values, axis, name=None):
    ts = [_value(v) for v in values]
    like = next((t for t in ts if isinstance(t, Tensor)), None)
    ts = [t if isinstance(t, Tensor) else _t(t, None if like is None else like.dtype) for t in ts]
    return o.concat(ts, int(axis))


def stack(values, axis=0, name=None):
    ts = [_value(v) for v in values]
    like = next((t for t in ts if isinstance(t, Tensor)), None)
    ts = [t if isinstance(t, Tensor) else _t(t, None if like is None else like.dtype) for t in ts]
    return o.concat([o.expand_dims(t, int(axis)) for t in ts], int(axis))


def expand_dims(input, axis, name=None):
    return o.expand_dims(_t(_value(input)), int(axis))


def squeeze(input, axis=None, name=None):
    return o.squeeze(_t(_value(input)), _axes(axis))


def gather(params, indices, validate_indices=None, axis=None, batch_dims=0, name=None):
    if batch_dims:
        raise NotImplementedError("tensorbox: tf.gather with batch_dims is not supported yet")
    idx = _t(indices)
    if idx.dtype not in (_dt.int32, _dt.int64):
        raise TypeError("gather: indices must be int32 or int64, got %s" % idx.dtype.name)
    return o.gather(_t(_value(params)), idx, 0 if axis is None else int(axis))


def one_hot(indices, depth, on_value=None, off_value=None, axis=None, dtype=None, name=None):
    if axis not in (None, -1):
        raise NotImplementedError("tensorbox: tf.one_hot supports the last axis only")
    dt = _dt.as_dtype(dtype) if dtype is not None else _dt.float32
    return o.one_hot(_t(indices), int(depth), 1.0 if on_value is None else float(on_value),
                     0.0 if off_value is None else float(off_value), dt.name)


def broadcast_to(input, shape, name=None):
    return o.broadcast_to(_t(_value(input)), [int(d) for d in shape])


def where(condition, x=None, y=None, name=None):
    if x is None or y is None:
        raise NotImplementedError("tensorbox: tf.where needs x and y (the index form is not supported yet)")
    x, y = _pair(x, y)
    return o.where(_t(condition, _dt.bool), x, y)


def zeros(shape, dtype=_dt.float32, name=None):
    return _fill(shape, 0, dtype)


def ones(shape, dtype=_dt.float32, name=None):
    return _fill(shape, 1, dtype)


def fill(dims, value, name=None):
    return o.broadcast_to(_t(value), [int(d) for d in dims])


def _fill(shape, value, dtype):
    dt = _dt.as_dtype(dtype)
    shape = [int(d) for d in (shape if isinstance(shape, (list, tuple)) else [shape])]
    return o.broadcast_to(_t(value, dt), shape)


def range(start, limit=None, delta=1, dtype=None, name=None):  # noqa: A001
    if limit is None:
        start, limit = 0, start
    vals = np.arange(start, limit, delta)
    return convert_to_tensor(vals, dtype=dtype if dtype is not None else
                             (_dt.float32 if vals.dtype.kind == "f" else _dt.int32))


def shape(input, out_type=_dt.int32, name=None):
    return convert_to_tensor(np.array(_t(_value(input))._shape), dtype=out_type)


def rank(input, name=None):
    return convert_to_tensor(len(_t(_value(input))._shape), dtype=_dt.int32)


def size(input, out_type=_dt.int32, name=None):
    return convert_to_tensor(int(np.prod(_t(_value(input))._shape)), dtype=out_type)


def add_n(inputs, name=None):
    ts = [_t(_value(t)) for t in inputs]
    out = ts[0]
    for t in ts[1:]:
        out = o.add(out, t)
    return out


def clip_by_value(t, clip_value_min, clip_value_max, name=None):
    t = _t(_value(t))
    return o.minimum(o.maximum(t, _t(clip_value_min, t.dtype)), _t(clip_value_max, t.dtype))


def slice(input_, begin, size, name=None):  # noqa: A001
    return o.slice(_t(_value(input_)), [int(b) for b in begin], [int(s) for s in size])
