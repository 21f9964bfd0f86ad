"""tf.keras.optimizers: the engine's fused optimizers with Keras 2.9 (optimizer_v2) semantics.

`optimizers.legacy` names the same classes: they are TF 2.9's optimizers, which newer
TensorFlow keeps under tf.keras.optimizers.legacy.
"""
import types

from .. import _C
from ..framework import Variable, convert_to_tensor, GradientTape
from . import _config


class Optimizer:
    """keras.optimizers.Optimizer over an engine optimizer (`self._impl`)."""

    def __init__(self, name=None, **kwargs):
        raise NotImplementedError("tensorbox: custom optimizers in Python are not supported; use a built-in one")

    def _init_impl(self, class_name, config, kwargs):
        cfg = dict(config)
        for k, v in kwargs.items():
            cfg[k] = v
        lr = cfg.get("learning_rate")
        if isinstance(lr, schedules.LearningRateSchedule):
            cfg["learning_rate"] = schedules.serialize(lr)
        if isinstance(lr, Variable) or hasattr(lr, "numpy"):
            cfg["learning_rate"] = float(lr.numpy())
        self._impl = _C.deserialize_optimizer(_config.dumps({"class_name": class_name, "config": cfg}))

    @classmethod
    def _wrap(cls, impl):
        klass = _CLASSES.get(impl.class_name, Optimizer)
        obj = klass.__new__(klass)
        obj._impl = impl
        return obj

    name = property(lambda self: self._impl.name)

    @property
    def learning_rate(self):
        return convert_to_tensor(self._impl.learning_rate, dtype="float32")

    @learning_rate.setter
    def learning_rate(self, value):
        self._impl.learning_rate = float(value.numpy() if hasattr(value, "numpy") else value)

    lr = learning_rate

    @property
    def iterations(self):
        return convert_to_tensor(self._impl.iterations, dtype="int64")

    @iterations.setter
    def iterations(self, value):
        self._impl.iterations = int(value)

    def apply_gradients(self, grads_and_vars, name=None, experimental_aggregate_gradients=True):
        grads, variables = [], []
        for g, v in grads_and_vars:
            if not isinstance(v, Variable):
                raise TypeError("apply_gradients expects (gradient, tf.Variable) pairs, got a %s" % type(v).__name__)
            grads.append(None if g is None else convert_to_tensor(g, dtype=v.dtype))
            variables.append(v._c)
        if not variables:
            raise ValueError("No gradients provided for any variable.")
        if all(g is None for g in grads):
            raise ValueError("No gradients provided for any variable: %s." % [v.name for v in variables])
        self._impl.apply_gradients(grads, variables)
        return self.iterations

    def minimize(self, loss, var_list, grad_loss=None, name=None, tape=None):
        var_list = var_list() if callable(var_list) else var_list
        with GradientTape() as t:
            value = loss() if callable(loss) else loss
        grads = t.gradient(value, var_list, output_gradients=grad_loss)
        return self.apply_gradients(zip(grads, var_list))

    def get_config(self):
        return _config.loads(self._impl.get_config())

    @classmethod
    def from_config(cls, config, custom_objects=None):
        obj = cls.__new__(cls)
        obj._impl = _C.deserialize_optimizer(_config.dumps({"class_name": cls.__name__, "config": config}))
        return obj


class Adam(Optimizer):
    def __init__(self, learning_rate=0.001, beta_1=0.9, beta_2=0.999, epsilon=1e-7, amsgrad=False, name="Adam",
                 **kwargs):
        self._init_impl("Adam", dict(learning_rate=learning_rate, beta_1=beta_1, beta_2=beta_2, epsilon=epsilon,
                                     amsgrad=amsgrad, name=name), kwargs)


class AdamW(Optimizer):
    def __init__(self, learning_rate=0.001, weight_decay=0.004, beta_1=0.9, beta_2=0.999, epsilon=1e-7,
                 amsgrad=False, name="AdamW", **kwargs):
        self._init_impl("AdamW", dict(learning_rate=learning_rate, weight_decay=weight_decay, beta_1=beta_1,
                                      beta_2=beta_2, epsilon=epsilon, amsgrad=amsgrad, name=name), kwargs)


class SGD(Optimizer):
    def __init__(self, learning_rate=0.01, momentum=0.0, nesterov=False, name="SGD", **kwargs):
        self._init_impl("SGD", dict(learning_rate=learning_rate, momentum=momentum, nesterov=nesterov, name=name),
                        kwargs)


class RMSprop(Optimizer):
    def __init__(self, learning_rate=0.001, rho=0.9, momentum=0.0, epsilon=1e-7, centered=False, name="RMSprop",
                 **kwargs):
        self._init_impl("RMSprop", dict(learning_rate=learning_rate, rho=rho, momentum=momentum, epsilon=epsilon,
                                        centered=centered, name=name), kwargs)


class Adagrad(Optimizer):
    def __init__(self, learning_rate=0.001, initial_accumulator_value=0.1, epsilon=1e-7, name="Adagrad", **kwargs):
        self._init_impl("Adagrad", dict(learning_rate=learning_rate,
                                        initial_accumulator_value=initial_accumulator_value, epsilon=epsilon,
                                        name=name), kwargs)


_CLASSES = {c.__name__: c for c in (Adam, AdamW, SGD, RMSprop, Adagrad)}


def get(identifier):
    if isinstance(identifier, Optimizer):
        return identifier
    if isinstance(identifier, str):
        return Optimizer._wrap(_C.deserialize_optimizer(_config.dumps(identifier)))
    if isinstance(identifier, dict):
        return Optimizer._wrap(_C.deserialize_optimizer(_config.dumps(identifier)))
    raise ValueError("Could not interpret optimizer identifier: %r" % (identifier,))


def serialize(optimizer):
    return {"class_name": optimizer._impl.class_name, "config": optimizer.get_config()}


def deserialize(config, custom_objects=None):
    return get(config)


class _Schedules:
    """keras.optimizers.schedules."""

    class LearningRateSchedule:
        def __init__(self, **config):
            self._config = config

        def __call__(self, step):
            return convert_to_tensor(_C.schedule_value(_config.dumps(_Schedules.serialize(self)), int(step)),
                                     dtype="float32")

        def get_config(self):
            return dict(self._config)

        @classmethod
        def from_config(cls, config):
            return cls(**config)

    @staticmethod
    def serialize(schedule):
        return {"class_name": type(schedule).__name__, "config": schedule.get_config()}


class ExponentialDecay(_Schedules.LearningRateSchedule):
    def __init__(self, initial_learning_rate, decay_steps, decay_rate, staircase=False, name=None):
        super().__init__(initial_learning_rate=float(initial_learning_rate), decay_steps=int(decay_steps),
                         decay_rate=float(decay_rate), staircase=bool(staircase), name=name)


class PiecewiseConstantDecay(_Schedules.LearningRateSchedule):
    def __init__(self, boundaries, values, name=None):
        super().__init__(boundaries=[int(b) for b in boundaries], values=[float(v) for v in values], name=name)


class CosineDecay(_Schedules.LearningRateSchedule):
    def __init__(self, initial_learning_rate, decay_steps, alpha=0.0, name=None):
        super().__init__(initial_learning_rate=float(initial_learning_rate), decay_steps=int(decay_steps),
                         alpha=float(alpha), name=name)


schedules = types.SimpleNamespace(
    LearningRateSchedule=_Schedules.LearningRateSchedule, ExponentialDecay=ExponentialDecay,
    PiecewiseConstantDecay=PiecewiseConstantDecay, CosineDecay=CosineDecay, serialize=_Schedules.serialize)
legacy = types.SimpleNamespace(Optimizer=Optimizer, Adam=Adam, SGD=SGD, RMSprop=RMSprop, Adagrad=Adagrad)
