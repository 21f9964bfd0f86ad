"""BatchNormalization and LayerNormalization."""
from .base import Layer, _axis_list, _initializer_config, _unsupported


class BatchNormalization(Layer):
    def __init__(self, axis=-1, momentum=0.99, epsilon=0.001, center=True, scale=True, beta_initializer="zeros",
                 gamma_initializer="ones", moving_mean_initializer="zeros", moving_variance_initializer="ones",
                 beta_regularizer=None, gamma_regularizer=None, beta_constraint=None, gamma_constraint=None,
                 renorm=False, renorm_clipping=None, renorm_momentum=0.99, fused=None, trainable=True,
                 virtual_batch_size=None, adjustment=None, name=None, **kwargs):
        _unsupported("BatchNormalization", beta_regularizer=beta_regularizer, gamma_regularizer=gamma_regularizer,
                     beta_constraint=beta_constraint, gamma_constraint=gamma_constraint,
                     renorm_clipping=renorm_clipping, virtual_batch_size=virtual_batch_size, adjustment=adjustment)
        if renorm:
            raise NotImplementedError("tensorbox: BatchNormalization(renorm=True) is not supported yet")
        self._build_impl("BatchNormalization", {
            "axis": _axis_list(axis), "momentum": float(momentum), "epsilon": float(epsilon), "center": bool(center),
            "scale": bool(scale), "beta_initializer": _initializer_config(beta_initializer),
            "gamma_initializer": _initializer_config(gamma_initializer),
            "moving_mean_initializer": _initializer_config(moving_mean_initializer),
            "moving_variance_initializer": _initializer_config(moving_variance_initializer)},
            dict(kwargs, trainable=trainable, name=name))


class LayerNormalization(Layer):
    def __init__(self, axis=-1, epsilon=0.001, center=True, scale=True, beta_initializer="zeros",
                 gamma_initializer="ones", beta_regularizer=None, gamma_regularizer=None, beta_constraint=None,
                 gamma_constraint=None, **kwargs):
        _unsupported("LayerNormalization", beta_regularizer=beta_regularizer, gamma_regularizer=gamma_regularizer,
                     beta_constraint=beta_constraint, gamma_constraint=gamma_constraint)
        self._build_impl("LayerNormalization", {
            "axis": _axis_list(axis), "epsilon": float(epsilon), "center": bool(center), "scale": bool(scale),
            "beta_initializer": _initializer_config(beta_initializer),
            "gamma_initializer": _initializer_config(gamma_initializer)}, kwargs)
