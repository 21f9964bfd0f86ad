"""tf.random: the engine's seeded generator (xoshiro256**). Values differ from TensorFlow's
Philox streams; distributions match (tested statistically)."""
from . import _C
from . import dtypes as _dt


def _shape(shape):
    return [int(d) for d in shape]


def set_seed(seed):
    _C.set_seed(int(seed))


def _float(dtype, what):
    dt = _dt.as_dtype(dtype)
    if not dt.is_floating:
        raise NotImplementedError("tensorbox: tf.random.%s supports float dtypes only, got %s" % (what, dt.name))
    return dt.name


def normal(shape, mean=0.0, stddev=1.0, dtype=_dt.float32, seed=None, name=None):
    return _C.random_normal(_shape(shape), float(mean), float(stddev), _float(dtype, "normal"))


def uniform(shape, minval=0, maxval=None, dtype=_dt.float32, seed=None, name=None):
    return _C.random_uniform(_shape(shape), float(minval), 1.0 if maxval is None else float(maxval),
                             _float(dtype, "uniform"))


def truncated_normal(shape, mean=0.0, stddev=1.0, dtype=_dt.float32, seed=None, name=None):
    return _C.random_truncated_normal(_shape(shape), float(mean), float(stddev), _float(dtype, "truncated_normal"))
