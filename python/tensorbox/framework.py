"""Tensors, conversion, Variable, GradientTape and tf.function for the Python front end.

`Tensor` is the engine's tensor (tensorbox._C.Tensor) with the EagerTensor surface added
here: .numpy(), __array__, .shape, .dtype, operators, indexing, len and TensorFlow's repr.
NumPy arrays are borrowed by the engine without a copy when C-contiguous; .numpy() returns a
view of the tensor's memory (TensorFlow shares memory the same way on CPU).
"""
import builtins
import functools
import numbers

import numpy as np

from . import _C
from . import dtypes as _dt

Tensor = _C.Tensor


class TensorShape(tuple):
    """The shape of a tensor: a tuple of ints (None for unknown) with TensorFlow's helpers."""

    def __new__(cls, dims):
        if dims is None:
            dims = ()
        return super().__new__(cls, tuple(None if d is None or d < 0 else int(d) for d in dims))

    rank = property(lambda self: len(self))
    ndims = rank
    dims = property(lambda self: list(self))

    def as_list(self):
        return list(self)

    def num_elements(self):
        n = 1
        for d in self:
            if d is None:
                return None
            n *= d
        return n

    def is_fully_defined(self):
        return None not in self

    def __getitem__(self, key):
        r = tuple.__getitem__(self, key)
        return TensorShape(r) if isinstance(key, slice) else r

    def __repr__(self):
        return "TensorShape(%s)" % list(self)

    def __str__(self):
        return "(" + ", ".join("None" if d is None else str(d) for d in self) + ("," if len(self) == 1 else "") + ")"


# ---------------------------------------------------------------------------------------------
# Conversion

_PY_DEFAULTS = {np.dtype(np.float64): np.float32, np.dtype(np.int64): np.int32}


def _from_numpy(arr, dtype=None):
    if dtype is not None:
        want = dtype.as_numpy_dtype
        if arr.dtype != want:
            arr = arr.astype(want)
    elif arr.dtype.kind in "OUS":
        raise TypeError("Cannot convert %r to a tensor: unsupported element type %s" % (arr, arr.dtype))
    d = _dt.as_dtype(arr.dtype)
    if not arr.flags.c_contiguous:
        arr = np.ascontiguousarray(arr)  # (keeps ndim >= 1; only taken for non-contiguous arrays)
    if d.name == "bfloat16":
        arr = arr.view(np.uint16)
    return _C.from_buffer(arr, d.name)


def convert_to_tensor(value, dtype=None, dtype_hint=None, name=None):
    """tf.convert_to_tensor: Tensors pass through, Variables give their value, NumPy arrays are
    borrowed, Python scalars and lists become float32 / int32 (TensorFlow's defaults)."""
    del name
    dtype = _dt.as_dtype(dtype) if dtype is not None else None
    if isinstance(value, Tensor):
        if dtype is not None and dtype != value.dtype:
            raise ValueError("Tensor conversion requested dtype %s for Tensor with dtype %s: %r"
                             % (dtype.name, value.dtype.name, value))
        return value
    if isinstance(value, Variable):
        return convert_to_tensor(value._c.value, dtype)
    if isinstance(value, np.ndarray) or isinstance(value, np.generic):
        return _from_numpy(np.asarray(value), dtype)
    if hasattr(value, "__array__") and not isinstance(value, (list, tuple)):
        return _from_numpy(np.asarray(value), dtype)
    # Python scalars and (nested) lists.
    if dtype is None and dtype_hint is not None:
        hint = _dt.as_dtype(dtype_hint)
        arr = np.asarray(value)
        if arr.dtype.kind in "iufb" and (hint.is_floating or arr.dtype.kind != "f"):
            return _from_numpy(arr, hint)
    try:
        arr = np.asarray(value)
    except ValueError as e:
        raise ValueError("Cannot convert %r to a tensor: %s" % (value, e)) from None
    if dtype is None:
        if arr.dtype == np.int64 and arr.size and (arr.max() > 2**31 - 1 or arr.min() < -2**31):
            pass  # too large for int32: stays int64, as in TensorFlow
        elif arr.dtype in _PY_DEFAULTS:
            arr = arr.astype(_PY_DEFAULTS[arr.dtype])
    return _from_numpy(arr, dtype)


def constant(value, dtype=None, shape=None, name=None):
    """tf.constant: a tensor holding a copy of `value` (optionally reshaped/broadcast to `shape`)."""
    if isinstance(value, (np.ndarray, np.generic)):
        value = np.array(value)  # a constant owns its values; later writes to the array do not show
    t = convert_to_tensor(value, dtype, name=name)
    if shape is not None:
        shape = list(shape)
        if int(np.prod(shape)) == int(np.prod(t._shape)):
            t = _C.ops.reshape(t, shape)
        else:
            t = _C.ops.broadcast_to(t, shape)
    return t


def _operand(x, like):
    """Converts the other operand of a binary op to the tensor's dtype (TensorFlow's rule)."""
    if isinstance(x, Tensor):
        return x
    if isinstance(x, Variable):
        return x._c.value
    return convert_to_tensor(x, dtype=like.dtype)


def _binary(op, reflected=False):
    """An operator method: `a op b`, or `b op a` for the reflected (__radd__ ...) form."""
    def f(a, b):
        a = _value(a)
        try:
            b = _operand(b, a)
        except (TypeError, ValueError):
            return NotImplemented
        return op(b, a) if reflected else op(a, b)
    return f


def _value(x):
    return x._c.value if isinstance(x, Variable) else x


def _tensor_numpy(self):
    arr = self._numpy()
    if self._dtype == "bfloat16":
        arr = arr.view(_dt.bfloat16.as_numpy_dtype)
    return arr


def _tensor_repr(self):
    arr = self.numpy()
    a = np.array2string(arr) if arr.ndim == 0 else repr(arr)
    sep = "\n" if "\n" in a else ""
    return "<tf.Tensor: shape=%s, dtype=%s, numpy=%s%s>" % (self.shape, self.dtype.name, sep, a)


def _tensor_str(self):
    a = np.array2string(self.numpy())
    return "tf.Tensor(%s%s, shape=%s, dtype=%s)" % ("\n" if "\n" in a else "", a, self.shape, self.dtype.name)


def _bool(self):
    if len(self._shape) != 0 and int(np.prod(self._shape)) != 1:
        raise ValueError("The truth value of an array with more than one element is ambiguous. Use a.any() or a.all()")
    return builtins.bool(self.numpy())


def _len(self):
    if not self._shape:
        raise TypeError("Scalar tensor has no `len()`")
    return self._shape[0]


def _iter(self):
    if not self._shape:
        raise TypeError("Cannot iterate over a scalar tensor.")
    for i in range(self._shape[0]):
        yield self[i]


def _getitem(self, key):
    """NumPy/TensorFlow basic indexing: ints, slices (any step), None, Ellipsis; differentiable."""
    if not isinstance(key, tuple):
        key = (key,)
    rank = len(self._shape)
    n_real = builtins.sum(1 for k in key if k is not None and k is not Ellipsis)
    if builtins.sum(1 for k in key if k is Ellipsis) > 1:
        raise IndexError("an index can only have a single ellipsis ('...')")
    expanded = []
    for k in key:
        if k is Ellipsis:
            expanded.extend([slice(None)] * (rank - n_real))
        else:
            expanded.append(k)
    if n_real > rank:
        raise IndexError("too many indices for tensor of shape %s: %d indices" % (self.shape, n_real))
    x = self
    axis = 0
    squeeze = []
    new_axes = []
    out_axis = 0
    for k in expanded:
        if k is None:
            new_axes.append(out_axis)
            out_axis += 1
            continue
        dim = self._shape[axis]
        if isinstance(k, Tensor):
            k = k.numpy()
        if isinstance(k, (numbers.Integral, np.integer)):
            i = int(k)
            if i < -dim or i >= dim:
                raise _invalid("slice index %d of dimension %d out of bounds for shape %s" % (i, axis, self.shape))
            i %= dim
            begin = [0] * len(x._shape)
            size = list(x._shape)
            begin[axis], size[axis] = i, 1
            x = _C.ops.slice(x, begin, size)
            squeeze.append(axis)
        elif isinstance(k, slice):
            start, stop, step = k.indices(dim)
            idx = range(start, stop, step)
            if step == 1:
                begin = [0] * len(x._shape)
                size = list(x._shape)
                begin[axis], size[axis] = start, builtins.max(0, stop - start)
                x = _C.ops.slice(x, begin, size)
            else:
                x = _C.ops.gather(x, convert_to_tensor(np.array(list(idx), dtype=np.int64)), axis)
            out_axis += 1
        else:
            raise TypeError("Only integers, slices (`:`), ellipsis (`...`), tf.newaxis (`None`) and scalar "
                            "integer tensors are valid indices, got %r" % (k,))
        axis += 1
    if squeeze:
        x = _C.ops.squeeze(x, squeeze)
    for a in new_axes:
        x = _C.ops.expand_dims(x, a)
    return x


def _invalid(msg):
    from .errors import InvalidArgumentError
    return InvalidArgumentError(msg)


def _install_tensor_methods():
    o = _C.ops
    T = Tensor
    T.numpy = _tensor_numpy
    T.__array__ = lambda self, dtype=None, copy=None: np.asarray(self.numpy(), dtype=dtype)
    T.shape = property(lambda self: TensorShape(self._shape))
    T.dtype = property(lambda self: _dt.as_dtype(self._dtype))
    T.ndim = property(lambda self: len(self._shape))
    T.device = property(lambda self: self._device)
    T.get_shape = lambda self: self.shape
    T.ref = lambda self: _Ref(self)
    T.__repr__ = _tensor_repr
    T.__str__ = _tensor_str
    T.__bool__ = _bool
    T.__len__ = _len
    T.__iter__ = _iter
    T.__getitem__ = _getitem
    T.__float__ = lambda self: float(self.numpy())
    T.__int__ = lambda self: int(self.numpy())
    T.__index__ = lambda self: int(self.numpy())
    T.__hash__ = None
    T.__array_priority__ = 100  # NumPy defers to our operators: ndarray + tensor -> Tensor
    for name, op in (("add", o.add), ("sub", o.sub), ("mul", o.mul), ("truediv", o.div), ("pow", o.pow),
                     ("matmul", lambda a, b: o.matmul(a, b, False, False)),
                     ("and", o.logical_and), ("or", o.logical_or)):
        setattr(T, "__%s__" % name, _binary(op))
        setattr(T, "__r%s__" % name, _binary(op, reflected=True))
    for name, op in (("lt", o.less), ("le", o.less_equal), ("gt", o.greater), ("ge", o.greater_equal),
                     ("eq", o.equal), ("ne", o.not_equal)):
        setattr(T, "__%s__" % name, _binary(op))
    T.__neg__ = lambda self: o.neg(self)
    T.__abs__ = lambda self: o.abs(self)
    T.__invert__ = lambda self: o.logical_not(self)


class _Ref:
    """tensor.ref(): a hashable handle to a tensor (Tensors themselves are unhashable)."""

    def __init__(self, t):
        self._t = t

    def deref(self):
        return self._t

    def __hash__(self):
        return hash(self._t._id)

    def __eq__(self, other):
        return isinstance(other, _Ref) and other._t._id == self._t._id


_install_tensor_methods()


# ---------------------------------------------------------------------------------------------
# Variable

class Variable:
    """tf.Variable: a named, mutable tensor. Works wherever a tensor does."""

    def __init__(self, initial_value=None, trainable=True, name=None, dtype=None, **kwargs):
        if callable(initial_value):
            initial_value = initial_value()
        t = convert_to_tensor(initial_value, dtype=dtype)
        nm = name if name is not None else "Variable"
        self._c = _C.Variable(t, nm if nm.endswith(":0") else nm + ":0", builtins.bool(trainable))

    @classmethod
    def _wrap(cls, c):
        v = cls.__new__(cls)
        v._c = c
        return v

    name = property(lambda self: self._c.name)
    shape = property(lambda self: TensorShape(self._c.value._shape))
    dtype = property(lambda self: _dt.as_dtype(self._c.value._dtype))
    trainable = property(lambda self: self._c.trainable)
    ndim = property(lambda self: len(self._c.value._shape))
    device = property(lambda self: self._c.value._device)

    def value(self):
        return self._c.value

    def read_value(self):
        return self._c.read_value()

    def numpy(self):
        return self._c.read_value().numpy()

    def __array__(self, dtype=None, copy=None):
        return np.asarray(self.numpy(), dtype=dtype)

    def assign(self, value, use_locking=None, name=None, read_value=True):
        self._c.assign(convert_to_tensor(value, dtype=self.dtype))
        return self

    def assign_add(self, delta, use_locking=None, name=None, read_value=True):
        self._c.assign_add(convert_to_tensor(delta, dtype=self.dtype))
        return self

    def assign_sub(self, delta, use_locking=None, name=None, read_value=True):
        self._c.assign_sub(convert_to_tensor(delta, dtype=self.dtype))
        return self

    def get_shape(self):
        return self.shape

    def ref(self):
        return _Ref(self._c.value)

    def __repr__(self):
        return "<tf.Variable '%s' shape=%s dtype=%s, numpy=%s>" % (self.name, self.shape, self.dtype.name,
                                                                  repr(self.numpy()))

    __hash__ = object.__hash__
    __array_priority__ = 100

    def __getitem__(self, key):
        return self._c.value[key]

    def __len__(self):
        return len(self._c.value)

    def __bool__(self):
        return builtins.bool(self._c.value)

    def __float__(self):
        return float(self._c.value)

    def __int__(self):
        return int(self._c.value)

    def __neg__(self):
        return -self._c.value

    def __abs__(self):
        return abs(self._c.value)


def _delegate_variable_operators():
    for name in ("add", "sub", "mul", "truediv", "pow", "matmul", "lt", "le", "gt", "ge", "and", "or",
                 "radd", "rsub", "rmul", "rtruediv", "rpow", "rmatmul", "rand", "ror"):
        dunder = "__%s__" % name

        def f(self, other, _d=dunder):
            return getattr(self._c.value, _d)(other)
        setattr(Variable, dunder, f)


_delegate_variable_operators()


# ---------------------------------------------------------------------------------------------
# GradientTape

def _flatten(structure):
    if isinstance(structure, dict):
        return [v for k in sorted(structure) for v in _flatten(structure[k])]
    if isinstance(structure, (list, tuple)):
        return [v for s in structure for v in _flatten(s)]
    return [structure]


def _pack_like(structure, flat):
    it = iter(flat)

    def pack(s):
        if isinstance(s, dict):
            return {k: pack(s[k]) for k in sorted(s)}
        if isinstance(s, (list, tuple)):
            seq = [pack(x) for x in s]
            return type(s)(seq) if isinstance(s, tuple) and not hasattr(s, "_fields") else seq
        return next(it)
    return pack(structure)


class GradientTape:
    """tf.GradientTape: records engine ops on watched tensors and trainable variables."""

    def __init__(self, persistent=False, watch_accessed_variables=True):
        self._persistent = persistent
        self._watch_vars = watch_accessed_variables
        self._tape = None
        self._used = False

    def __enter__(self):
        self._tape = _C.GradientTape(self._persistent, self._watch_vars)
        return self

    def __exit__(self, *exc):
        if self._tape is not None:
            self._tape.stop_recording()
        return False

    def _require(self, what):
        if self._tape is None:
            raise RuntimeError("GradientTape.%s can only be called once the tape is entered (`with tape:`)." % what)

    def watch(self, tensor):
        self._require("watch")
        for t in _flatten(tensor):
            t = _value(t)
            if not isinstance(t, Tensor):
                raise ValueError("Passed in object %r of type %r, not tf.Tensor or tf.Variable" % (t, type(t).__name__))
            self._tape.watch(t)

    def stop_recording(self):
        self._require("stop_recording")
        return _C.PauseRecording()

    def reset(self):
        self._require("reset")
        self._tape.stop_recording()
        self._tape = _C.GradientTape(self._persistent, self._watch_vars)

    def gradient(self, target, sources, output_gradients=None, unconnected_gradients="none"):
        self._require("gradient")
        if self._used and not self._persistent:
            raise RuntimeError("A non-persistent GradientTape can only be used to compute one set of gradients "
                               "(or jacobians)")
        self._used = True
        if isinstance(target, (list, tuple)):
            if len(target) != 1:
                raise NotImplementedError("tensorbox: GradientTape.gradient takes one target tensor; "
                                          "sum the targets first (inside the tape)")
            target = target[0]
        target = _value(target)
        flat = _flatten(sources)
        srcs = []
        for s in flat:
            s = _value(s)
            if not isinstance(s, Tensor):
                raise ValueError("Passed in object %r of type %r, not tf.Tensor or tf.Variable" % (s, type(s).__name__))
            srcs.append(s)
        og = None if output_gradients is None else convert_to_tensor(output_gradients, dtype=target.dtype)
        grads = self._tape.gradient(target, srcs, og)
        if str(unconnected_gradients).lower().endswith("zero"):
            grads = [g if g is not None else _C.ops.zeros_like(s) for g, s in zip(grads, srcs)]
        return _pack_like(sources, grads)


# ---------------------------------------------------------------------------------------------
# tf.function

def function(func=None, input_signature=None, autograph=True, jit_compile=None, reduce_retracing=False,
             experimental_compile=None, **kwargs):
    """tf.function. Until tensorbox's graph compiler lands, the function runs eagerly (same
    results, no tracing); every argument TensorFlow takes is accepted."""
    def decorate(f):
        @functools.wraps(f)
        def wrapper(*args, **kw):
            return f(*args, **kw)
        wrapper.python_function = f
        wrapper.experimental_get_tracing_count = lambda: 0
        return wrapper
    return decorate if func is None else decorate(func)
