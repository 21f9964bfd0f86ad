"""Helpers that turn Keras keyword arguments into the config dicts the engine builds from."""
import json

from .. import dtypes as _dt


def dumps(config):
    return json.dumps(config, default=_default)


def _default(obj):
    if hasattr(obj, "get_config") and hasattr(obj, "__class__"):
        return {"class_name": obj.__class__.__name__, "config": obj.get_config()}
    if isinstance(obj, _dt.DType):
        return obj.name
    if hasattr(obj, "tolist"):
        return obj.tolist()
    if hasattr(obj, "as_list"):  # a TensorShape (TensorFlow's configs carry them, e.g. MultiHeadAttention's)
        return obj.as_list() if getattr(obj, "rank", 0) is not None else None
    if callable(obj) and getattr(obj, "__name__", None):
        return obj.__name__
    raise TypeError("Cannot serialize %r (%s) into a Keras config" % (obj, type(obj).__name__))


def loads(text):
    return json.loads(text)
