"""tf.keras.mixed_precision: dtype policies and dynamic loss scaling (Keras 2.9 semantics).

'mixed_float16' computes in float16 and keeps float32 variables (compile() then wraps the
optimizer in a LossScaleOptimizer); 'mixed_bfloat16' the same with bfloat16 and no loss scale;
a dtype name uses that dtype for both. The engine does the work: layers cast their inputs and
read their weights in the compute dtype, the loss scale lives in the C++ optimizer.
"""
from .. import _C
from .. import dtypes as _dt
from ..framework import convert_to_tensor
from . import _config, optimizers as _optimizers


class Policy:
    def __init__(self, name):
        if isinstance(name, _dt.DType):
            name = name.name
        if not isinstance(name, str):
            raise TypeError("'name' must be a string, not a %s: %r" % (type(name).__name__, name))
        self._name, self._compute, self._variable = _C.policy_dtypes(name)  # ValueError for bad names

    name = property(lambda self: self._name)
    compute_dtype = property(lambda self: self._compute)
    variable_dtype = property(lambda self: self._variable)

    def __repr__(self):
        return '<Policy "%s">' % self._name

    def __eq__(self, other):
        return isinstance(other, Policy) and other._name == self._name

    def __hash__(self):
        return hash(self._name)

    def get_config(self):
        return {"name": self._name}

    @classmethod
    def from_config(cls, config, custom_objects=None):
        return cls(config["name"])


_global = Policy("float32")


def set_global_policy(policy):
    """Sets the policy layers made from now on use (None: back to float32)."""
    global _global
    p = Policy("float32") if policy is None else policy if isinstance(policy, Policy) else Policy(policy)
    if not _dt.as_dtype(p.compute_dtype).is_floating:
        raise ValueError("set_global_policy can only be used to set the global policy to floating-point "
                         "policies, such as \"float32\" and \"mixed_float16\", but got policy: %s" % p.name)
    _C.set_global_policy(p.name)
    _global = p


def global_policy():
    return _global


class LossScaleOptimizer(_optimizers.Optimizer):
    """Dynamic loss scaling around an optimizer (keras.mixed_precision.LossScaleOptimizer):
    initial scale 2**15, doubled after `dynamic_growth_steps` finite steps, halved (not below 1)
    and the step skipped on an Inf/NaN gradient."""

    def __init__(self, inner_optimizer, dynamic=True, initial_scale=None, dynamic_growth_steps=None):
        if not isinstance(inner_optimizer, _optimizers.Optimizer):
            raise TypeError('"inner_optimizer" must be an instance of `tf.keras.optimizers.Optimizer`, but got: %r'
                            % (inner_optimizer,))
        if isinstance(inner_optimizer, LossScaleOptimizer):
            raise TypeError("LossScaleOptimizer cannot wrap another LossScaleOptimizer")
        config = {"inner_optimizer": _optimizers.serialize(inner_optimizer), "dynamic": bool(dynamic),
                  "initial_scale": initial_scale, "dynamic_growth_steps": dynamic_growth_steps}
        self._impl = _C.deserialize_optimizer(_config.dumps({"class_name": "LossScaleOptimizer", "config": config}))
        self._inner = inner_optimizer
        # Share the engine object, so the inner optimizer's state is the one this one steps.
        inner_optimizer._impl = self._impl.inner_optimizer

    @property
    def inner_optimizer(self):
        inner = getattr(self, "_inner", None)
        return inner if inner is not None else _optimizers.Optimizer._wrap(self._impl.inner_optimizer)

    loss_scale = property(lambda self: convert_to_tensor(self._impl.loss_scale, dtype="float32"))
    dynamic_counter = property(lambda self: convert_to_tensor(self._impl.dynamic_counter, dtype="int64"))
    dynamic_growth_steps = property(lambda self: self._impl.dynamic_growth_steps)
    dynamic = property(lambda self: self._impl.dynamic)
    initial_scale = property(lambda self: float(self.get_config()["initial_scale"]))

    def get_scaled_loss(self, loss):
        return self._impl.get_scaled_loss(convert_to_tensor(loss))

    def get_unscaled_gradients(self, grads):
        return self._impl.get_unscaled_gradients([None if g is None else convert_to_tensor(g) for g in grads])

    @classmethod
    def from_config(cls, config, custom_objects=None):
        config = dict(config)
        inner = _optimizers.deserialize(config.pop("inner_optimizer"))
        return cls(inner, **config)


_optimizers._CLASSES["LossScaleOptimizer"] = LossScaleOptimizer
