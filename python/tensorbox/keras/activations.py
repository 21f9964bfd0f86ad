"""tf.keras.activations: functions computed by the engine, resolvable by Keras's string names."""
from .. import _C
from ..framework import convert_to_tensor, _value


def _make(name):
    def f(x):
        return _C.ops.activation(name, convert_to_tensor(_value(x)))
    f.__name__ = name
    f._tb_activation = name
    return f


linear = _make("linear")
sigmoid = _make("sigmoid")
tanh = _make("tanh")
elu = _make("elu")
selu = _make("selu")
softplus = _make("softplus")
swish = _make("swish")
exponential = _make("exponential")
_relu = _make("relu")
_gelu = _make("gelu")
_softmax = _make("softmax")


def relu(x, alpha=0.0, max_value=None, threshold=0.0):
    if alpha != 0.0 or max_value is not None or threshold != 0.0:
        raise NotImplementedError("tensorbox: relu with alpha/max_value/threshold is not in the engine yet")
    return _relu(x)


relu._tb_activation = "relu"


def gelu(x, approximate=False):
    if approximate:
        raise NotImplementedError("tensorbox: gelu(approximate=True) is not in the engine yet")
    return _gelu(x)


gelu._tb_activation = "gelu"


def softmax(x, axis=-1):
    t = convert_to_tensor(_value(x))
    return _C.ops.softmax(t, int(axis))


softmax._tb_activation = "softmax"


def get(identifier):
    """None -> linear; a name ("relu"); one of these functions (or tf.nn's) -> the function."""
    if identifier is None:
        return linear
    if isinstance(identifier, str):
        name = _C.activation_name(identifier)  # ValueError listing the valid names
        return globals()[name] if name in globals() else _make(name)
    if isinstance(identifier, dict):
        return get(identifier.get("config", identifier.get("class_name")))
    name = getattr(identifier, "_tb_activation", None) or getattr(identifier, "__name__", None)
    if callable(identifier) and name:
        try:
            return get(name)
        except ValueError:
            pass
    raise TypeError("Could not interpret activation function identifier: %r (tensorbox runs the engine's "
                    "activations; custom Python activations are not supported in layers yet)" % (identifier,))


def serialize(activation):
    return getattr(activation, "_tb_activation", None) or activation.__name__


def deserialize(name, custom_objects=None):
    return get(name)
