"""tf.keras.initializers: engine initializers with Keras's fan rules, by object or name."""
from .. import _C
from .. import dtypes as _dt
from . import _config


class Initializer:
    _class = None

    def __init__(self, **config):
        self._config = config

    def __call__(self, shape, dtype=None, **kwargs):
        dt = _dt.as_dtype(dtype) if dtype is not None else _dt.float32
        return _C.initializer(_config.dumps(serialize(self)), [int(d) for d in shape], dt.name)

    def get_config(self):
        return dict(self._config)

    @classmethod
    def from_config(cls, config):
        return cls(**config)


def _define(name, **defaults):
    def __init__(self, *args, **kwargs):
        names = list(defaults)
        if len(args) > len(names):
            raise TypeError("%s takes at most %d positional arguments" % (name, len(names)))
        cfg = dict(defaults)
        cfg.update(zip(names, args))
        for k, v in kwargs.items():
            if k not in defaults:
                raise TypeError("%s got an unexpected keyword argument '%s'" % (name, k))
            cfg[k] = v
        Initializer.__init__(self, **cfg)
    return type(name, (Initializer,), {"__init__": __init__})


Zeros = _define("Zeros")
Ones = _define("Ones")
Constant = _define("Constant", value=0)
RandomNormal = _define("RandomNormal", mean=0.0, stddev=0.05, seed=None)
RandomUniform = _define("RandomUniform", minval=-0.05, maxval=0.05, seed=None)
TruncatedNormal = _define("TruncatedNormal", mean=0.0, stddev=0.05, seed=None)
VarianceScaling = _define("VarianceScaling", scale=1.0, mode="fan_in", distribution="truncated_normal", seed=None)
GlorotUniform = _define("GlorotUniform", seed=None)
GlorotNormal = _define("GlorotNormal", seed=None)
HeNormal = _define("HeNormal", seed=None)
HeUniform = _define("HeUniform", seed=None)
LecunNormal = _define("LecunNormal", seed=None)
LecunUniform = _define("LecunUniform", seed=None)
Orthogonal = _define("Orthogonal", gain=1.0, seed=None)

zeros, ones, constant = Zeros, Ones, Constant
random_normal, random_uniform, truncated_normal = RandomNormal, RandomUniform, TruncatedNormal
glorot_uniform, glorot_normal, he_normal, he_uniform = GlorotUniform, GlorotNormal, HeNormal, HeUniform
lecun_normal, lecun_uniform, variance_scaling = LecunNormal, LecunUniform, VarianceScaling
orthogonal = Orthogonal

_CLASSES = {c.__name__: c for c in (Zeros, Ones, Constant, RandomNormal, RandomUniform, TruncatedNormal,
                                     VarianceScaling, GlorotUniform, GlorotNormal, HeNormal, HeUniform, LecunNormal,
                                     LecunUniform, Orthogonal)}


def serialize(initializer):
    return {"class_name": type(initializer).__name__, "config": initializer.get_config()}


def deserialize(config, custom_objects=None):
    cls = _CLASSES.get(config["class_name"])
    if cls is None:
        raise ValueError("Unknown initializer: '%s'. Valid: %s" % (config["class_name"], ", ".join(_CLASSES)))
    return cls(**config.get("config", {}))


def get(identifier):
    if isinstance(identifier, Initializer):
        return identifier
    if isinstance(identifier, dict):
        return deserialize(identifier)
    if isinstance(identifier, str):
        # The engine resolves Keras's names ("he_normal", "GlorotUniform") and rejects others by name.
        full = _config.loads(_C.initializer_config(_config.dumps(identifier)))
        return deserialize(full)
    if isinstance(identifier, type) and issubclass(identifier, Initializer):
        return identifier()
    raise ValueError("Could not interpret initializer identifier: %r" % (identifier,))
