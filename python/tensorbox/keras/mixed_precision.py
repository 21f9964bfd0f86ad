"""tf.keras.mixed_precision: dtype policies. 'float32' and 'float64' run today; the mixed
policies ('mixed_float16', 'mixed_bfloat16') and LossScaleOptimizer come with tensorbox's
mixed-precision support and are refused with a clear error until then."""
from .. import dtypes as _dt

_VALID = ("float32", "float64", "mixed_float16", "mixed_bfloat16", "float16", "bfloat16")
_RUNNABLE = ("float32", "float64")


class Policy:
    def __init__(self, name):
        if isinstance(name, _dt.DType):
            name = name.name
        if not isinstance(name, str) or name not in _VALID:
            raise ValueError("Cannot convert value %r to a mixed precision Policy. Valid policies include "
                             "'mixed_float16', 'mixed_bfloat16', and the name of any float dtype such as 'float32'."
                             % (name,))
        self._name = name

    name = property(lambda self: self._name)
    compute_dtype = property(lambda self: {"mixed_float16": "float16", "mixed_bfloat16": "bfloat16"}.get(
        self._name, self._name))
    variable_dtype = property(lambda self: "float32" if self._name.startswith("mixed_") else self._name)

    def __repr__(self):
        return '<Policy "%s">' % self._name

    def get_config(self):
        return {"name": self._name}


_global = Policy("float32")


def set_global_policy(policy):
    global _global
    p = policy if isinstance(policy, Policy) else Policy("float32" if policy is None else policy)
    if p.name not in _RUNNABLE:
        raise NotImplementedError("tensorbox: the %r policy comes with mixed-precision support; policies that run "
                                  "today: %s" % (p.name, ", ".join(_RUNNABLE)))
    _global = p


def global_policy():
    return _global
