"""tf.keras.losses: engine losses (Keras's reduction and clipping), by object, name or function.

A Python function (y_true, y_pred) -> per-sample losses also works as a loss in compile();
it runs on the engine's ops, so gradients flow through it.
"""
from .. import _C
from ..framework import Tensor, convert_to_tensor, _value
from . import _config


def _pred(y_pred):
    return convert_to_tensor(_value(y_pred))


def _true(y_true, like):
    t = _value(y_true)
    return t if isinstance(t, Tensor) else convert_to_tensor(t)


class Loss:
    """keras.losses.Loss over an engine loss (`self._impl`)."""

    def __init__(self, reduction="auto", name=None):
        if type(self) is Loss:
            raise NotImplementedError("tensorbox: subclass a built-in loss, or pass a function to compile()")
        self._impl = _C.function_loss(self.call, name or type(self).__name__)

    def _init_impl(self, class_name, config, reduction, name):
        cfg = dict(config, reduction=reduction)
        if name is not None:
            cfg["name"] = name
        self._impl = _C.deserialize_loss(_config.dumps({"class_name": class_name, "config": cfg}))

    def __call__(self, y_true, y_pred, sample_weight=None):
        p = _pred(y_pred)
        sw = None if sample_weight is None else convert_to_tensor(sample_weight, dtype=p.dtype)
        return self._impl(_true(y_true, p), p, sw)

    def call(self, y_true, y_pred):
        p = _pred(y_pred)
        return self._impl.call(_true(y_true, p), p)

    name = property(lambda self: self._impl.name)

    def get_config(self):
        return _config.loads(self._impl.get_config())

    @classmethod
    def from_config(cls, config):
        return cls(**config)


class SparseCategoricalCrossentropy(Loss):
    def __init__(self, from_logits=False, ignore_class=None, reduction="auto", name="sparse_categorical_crossentropy"):
        self._init_impl("SparseCategoricalCrossentropy", {"from_logits": bool(from_logits), "ignore_class": ignore_class},
                        reduction, name)


class CategoricalCrossentropy(Loss):
    def __init__(self, from_logits=False, label_smoothing=0.0, axis=-1, reduction="auto",
                 name="categorical_crossentropy"):
        self._init_impl("CategoricalCrossentropy", {"from_logits": bool(from_logits),
                                                    "label_smoothing": float(label_smoothing), "axis": axis},
                        reduction, name)


class BinaryCrossentropy(Loss):
    def __init__(self, from_logits=False, label_smoothing=0.0, axis=-1, reduction="auto", name="binary_crossentropy"):
        self._init_impl("BinaryCrossentropy", {"from_logits": bool(from_logits),
                                               "label_smoothing": float(label_smoothing), "axis": axis},
                        reduction, name)


class MeanSquaredError(Loss):
    def __init__(self, reduction="auto", name="mean_squared_error"):
        self._init_impl("MeanSquaredError", {}, reduction, name)


class MeanAbsoluteError(Loss):
    def __init__(self, reduction="auto", name="mean_absolute_error"):
        self._init_impl("MeanAbsoluteError", {}, reduction, name)


class Huber(Loss):
    def __init__(self, delta=1.0, reduction="auto", name="huber_loss"):
        self._init_impl("Huber", {"delta": float(delta)}, reduction, name)


_CLASSES = {c.__name__: c for c in (SparseCategoricalCrossentropy, CategoricalCrossentropy, BinaryCrossentropy,
                                     MeanSquaredError, MeanAbsoluteError, Huber)}


def sparse_categorical_crossentropy(y_true, y_pred, from_logits=False, axis=-1, ignore_class=None):
    return SparseCategoricalCrossentropy(from_logits=from_logits).call(y_true, y_pred)


def categorical_crossentropy(y_true, y_pred, from_logits=False, label_smoothing=0.0, axis=-1):
    return CategoricalCrossentropy(from_logits=from_logits, label_smoothing=label_smoothing).call(y_true, y_pred)


def binary_crossentropy(y_true, y_pred, from_logits=False, label_smoothing=0.0, axis=-1):
    return BinaryCrossentropy(from_logits=from_logits, label_smoothing=label_smoothing).call(y_true, y_pred)


def mean_squared_error(y_true, y_pred):
    return MeanSquaredError().call(y_true, y_pred)


def mean_absolute_error(y_true, y_pred):
    return MeanAbsoluteError().call(y_true, y_pred)


def huber(y_true, y_pred, delta=1.0):
    return Huber(delta=delta).call(y_true, y_pred)


mse = MSE = mean_squared_error
mae = MAE = mean_absolute_error

_NAMED_FUNCTIONS = {"sparse_categorical_crossentropy": sparse_categorical_crossentropy,
                    "categorical_crossentropy": categorical_crossentropy, "binary_crossentropy": binary_crossentropy,
                    "mean_squared_error": mean_squared_error, "mse": mean_squared_error,
                    "mean_absolute_error": mean_absolute_error, "mae": mean_absolute_error, "huber": huber,
                    "huber_loss": huber}
# compile() turns a built-in loss function into the engine's loss class (reduction included).
for _f, _cls in ((sparse_categorical_crossentropy, SparseCategoricalCrossentropy),
                 (categorical_crossentropy, CategoricalCrossentropy), (binary_crossentropy, BinaryCrossentropy),
                 (mean_squared_error, MeanSquaredError), (mean_absolute_error, MeanAbsoluteError), (huber, Huber)):
    _f._tb_loss_class = _cls


class _FunctionLoss(Loss):
    """A user's Python function as a Keras loss (keras.losses.LossFunctionWrapper)."""

    def __init__(self, fn):
        self._fn = fn
        self._impl = _C.function_loss(fn, getattr(fn, "__name__", "loss"))

    def call(self, y_true, y_pred):
        return self._fn(y_true, y_pred)


def get(identifier):
    """As keras.losses.get: a class name gives an instance, a function name ("mse") the function."""
    if isinstance(identifier, Loss) or callable(identifier):
        return identifier
    if isinstance(identifier, str):
        if identifier in _CLASSES:
            return _CLASSES[identifier]()
        fn = _NAMED_FUNCTIONS.get(identifier)
        if fn is None:
            _C.deserialize_loss(_config.dumps(identifier))  # ValueError listing the valid names
            raise ValueError("Unknown loss function: %r" % identifier)
        return fn
    if isinstance(identifier, dict):
        cls = _CLASSES.get(identifier.get("class_name"))
        if cls is None:
            raise ValueError("Unknown loss function: %r. Valid: %s" % (identifier.get("class_name"), ", ".join(_CLASSES)))
        return cls(**identifier.get("config", {}))
    raise ValueError("Could not interpret loss function identifier: %r" % (identifier,))


def as_loss_object(identifier):
    """What compile() gives the engine: a Loss for a Loss, a name, a built-in or a user function."""
    loss = get(identifier)
    if isinstance(loss, Loss):
        return loss
    if hasattr(loss, "_tb_loss_class"):
        return loss._tb_loss_class()
    return _FunctionLoss(loss)


def serialize(loss):
    return {"class_name": type(loss).__name__, "config": loss.get_config()}


def deserialize(config, custom_objects=None):
    return get(config)
