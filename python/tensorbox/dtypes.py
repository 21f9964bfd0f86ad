"""tf.dtypes: DType objects (tf.float32, ...) and conversions to and from NumPy dtypes."""
import builtins

import ml_dtypes
import numpy as np


class DType:
    """A tensor element type, named as in TensorFlow (`tf.float32`, `tf.bfloat16`, ...)."""

    __slots__ = ("_name", "_np")

    def __init__(self, name, np_dtype):
        self._name = name
        self._np = np.dtype(np_dtype)

    name = property(lambda self: self._name)
    as_numpy_dtype = property(lambda self: self._np.type)
    size = property(lambda self: self._np.itemsize)
    is_floating = property(lambda self: self._name in ("float16", "bfloat16", "float32", "float64"))
    is_integer = property(lambda self: self._name in ("int32", "int64", "uint8"))
    is_bool = property(lambda self: self._name == "bool")
    is_unsigned = property(lambda self: self._name in ("uint8", "bool"))
    base_dtype = property(lambda self: self)

    def __repr__(self):
        return "tf." + self._name

    def __str__(self):
        return "<dtype: %r>" % self._name

    def __eq__(self, other):
        try:
            return as_dtype(other)._name == self._name
        except (TypeError, ValueError):
            return False

    def __ne__(self, other):
        return not self.__eq__(other)

    def __hash__(self):
        return hash(self._name)

    def __reduce__(self):
        return as_dtype, (self._name,)


float16 = DType("float16", np.float16)
half = float16
bfloat16 = DType("bfloat16", ml_dtypes.bfloat16)
float32 = DType("float32", np.float32)
float64 = DType("float64", np.float64)
double = float64
int32 = DType("int32", np.int32)
int64 = DType("int64", np.int64)
uint8 = DType("uint8", np.uint8)
bool = DType("bool", np.bool_)  # noqa: A001 - TensorFlow's name

_ALL = {d.name: d for d in (float16, bfloat16, float32, float64, int32, int64, uint8, bool)}
_ALIASES = {"half": float16, "float": float32, "double": float64, "int": int32, "long": int64}


def as_dtype(type_value):
    """Converts a DType, a name ("float32"), a NumPy dtype or a Python type to a DType."""
    if isinstance(type_value, DType):
        return type_value
    if isinstance(type_value, str):
        d = _ALL.get(type_value) or _ALIASES.get(type_value)
        if d is None:
            raise TypeError("Cannot convert value %r to a TensorFlow DType. Valid names: %s"
                            % (type_value, ", ".join(_ALL)))
        return d
    if type_value is builtins.bool:
        return bool
    if type_value is builtins.float:
        return float32
    if type_value is builtins.int:
        return int32
    try:
        npd = np.dtype(type_value)
    except TypeError:
        raise TypeError("Cannot convert value %r to a TensorFlow DType." % (type_value,)) from None
    for d in _ALL.values():
        if d._np == npd:
            return d
    raise TypeError("tensorbox has no dtype for NumPy %s; supported: %s" % (npd, ", ".join(_ALL)))
