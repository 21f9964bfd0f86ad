"""tf.keras.metrics: stateful engine metrics, by object or Keras name."""
from .. import _C
from ..framework import Tensor, convert_to_tensor, _value


class Metric:
    """keras.metrics.Metric over an engine metric (`self._impl`)."""

    _keras_name = None  # the string compile() resolves to the same metric

    def __init__(self, name=None, dtype=None):
        if type(self) is Metric:
            raise NotImplementedError("tensorbox: custom metrics in Python are not supported yet")

    def _init_impl(self, keras_name, name):
        self._impl = _C.get_metric(keras_name) if name in (None, keras_name) else None
        if self._impl is None:
            raise NotImplementedError("tensorbox: metrics with a custom name are not supported yet (got %r)" % name)

    def update_state(self, y_true, y_pred, sample_weight=None):
        p = convert_to_tensor(_value(y_pred))
        t = _value(y_true)
        t = t if isinstance(t, Tensor) else convert_to_tensor(t)
        sw = None if sample_weight is None else convert_to_tensor(sample_weight, dtype=p.dtype)
        self._impl.update_state(t, p, sw)

    def result(self):
        return convert_to_tensor(self._impl.result(), dtype="float32")

    def reset_state(self):
        self._impl.reset_state()

    reset_states = reset_state

    def __call__(self, y_true, y_pred, sample_weight=None):
        self.update_state(y_true, y_pred, sample_weight)
        return self.result()

    name = property(lambda self: self._impl.name)

    def get_config(self):
        return {"name": self.name, "dtype": "float32"}


class Mean(Metric):
    def __init__(self, name="mean", dtype=None):
        self._impl = _C.mean_metric(name)

    def update_state(self, values, sample_weight=None):
        v = convert_to_tensor(_value(values), dtype_hint="float32")
        sw = None if sample_weight is None else convert_to_tensor(sample_weight, dtype=v.dtype)
        self._impl.update_state(v, v, sw)

    def __call__(self, values, sample_weight=None):
        self.update_state(values, sample_weight)
        return self.result()


def _wrapper(class_name, keras_name):
    def __init__(self, name=keras_name, dtype=None):
        self._init_impl(keras_name, name)
    return type(class_name, (Metric,), {"__init__": __init__, "_keras_name": keras_name})


SparseCategoricalAccuracy = _wrapper("SparseCategoricalAccuracy", "sparse_categorical_accuracy")
CategoricalAccuracy = _wrapper("CategoricalAccuracy", "categorical_accuracy")
MeanSquaredError = _wrapper("MeanSquaredError", "mean_squared_error")


class BinaryAccuracy(Metric):
    _keras_name = "binary_accuracy"

    def __init__(self, name="binary_accuracy", dtype=None, threshold=0.5):
        if threshold != 0.5:
            raise NotImplementedError("tensorbox: BinaryAccuracy(threshold != 0.5) is not supported yet")
        self._init_impl("binary_accuracy", name)


def get(identifier):
    if isinstance(identifier, Metric):
        return identifier
    if isinstance(identifier, str):
        return _Named(identifier)
    raise ValueError("Could not interpret metric identifier: %r" % (identifier,))


class _Named(Metric):
    def __init__(self, name):
        self._impl = _C.get_metric(name)


def compile_name(metric):
    """The string compile() hands to the engine for a metric given as a name, object or function."""
    if isinstance(metric, str):
        return metric
    name = getattr(metric, "_keras_name", None) or getattr(metric, "__name__", None)
    if name:
        return name
    raise TypeError("tensorbox: compile(metrics=...) takes Keras metric names or built-in metric objects, got %r"
                    % (metric,))
