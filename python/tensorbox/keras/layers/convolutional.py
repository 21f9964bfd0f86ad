"""Convolution and pooling layers (Conv1D/2D, Conv2DTranspose, DepthwiseConv2D, SeparableConv2D,
the poolings) and Keras's aliases for them."""
from .base import (Layer, _activation_name, _data_format, _initializer_config, _regularizer_configs, _tuple,
                   _unsupported)


class _Conv(Layer):
    """Keras's Conv base: Conv1D and Conv2D differ only in rank and defaults."""
    _rank = 2

    def __init__(self, filters, kernel_size, strides=1, padding="valid", data_format=None, dilation_rate=1, groups=1,
                 activation=None, use_bias=True, kernel_initializer="glorot_uniform", bias_initializer="zeros",
                 kernel_regularizer=None, bias_regularizer=None, activity_regularizer=None, kernel_constraint=None,
                 bias_constraint=None, **kwargs):
        cls = type(self).__name__
        _unsupported(cls, kernel_constraint=kernel_constraint, bias_constraint=bias_constraint)
        r = self._rank
        self._build_impl(cls, {"filters": int(filters), "kernel_size": _tuple(kernel_size, r, "kernel_size"),
                               "strides": _tuple(strides, r, "strides"), "padding": str(padding).lower(),
                               "data_format": _data_format(data_format),
                               "dilation_rate": _tuple(dilation_rate, r, "dilation_rate"), "groups": int(groups),
                               "activation": _activation_name(activation), "use_bias": bool(use_bias),
                               "kernel_initializer": _initializer_config(kernel_initializer),
                               "bias_initializer": _initializer_config(bias_initializer),
                               **_regularizer_configs(kernel_regularizer, bias_regularizer, activity_regularizer)},
                         kwargs)


class Conv1D(_Conv):
    _rank = 1


class Conv2D(_Conv):
    _rank = 2

    def __init__(self, filters, kernel_size, strides=(1, 1), padding="valid", data_format=None, dilation_rate=(1, 1),
                 groups=1, activation=None, use_bias=True, **kwargs):
        super().__init__(filters, kernel_size, strides=strides, padding=padding, data_format=data_format,
                         dilation_rate=dilation_rate, groups=groups, activation=activation, use_bias=use_bias,
                         **kwargs)


class _Pooling(Layer):
    _rank = 2

    def __init__(self, pool_size=2, strides=None, padding="valid", data_format=None, **kwargs):
        r = self._rank
        pool = _tuple(pool_size, r, "pool_size")
        self._build_impl(type(self).__name__, {
            "pool_size": pool, "padding": str(padding).lower(),
            "strides": pool if strides is None else _tuple(strides, r, "strides"),
            "data_format": _data_format(data_format)}, kwargs)


class MaxPooling1D(_Pooling):
    _rank = 1


class _Pooling2D(_Pooling):
    def __init__(self, pool_size=(2, 2), strides=None, padding="valid", data_format=None, **kwargs):
        super().__init__(pool_size, strides, padding, data_format, **kwargs)


class MaxPooling2D(_Pooling2D):
    pass


class AveragePooling1D(_Pooling):
    _rank = 1


class AveragePooling2D(_Pooling2D):
    pass


class _GlobalPooling(Layer):
    def __init__(self, data_format=None, keepdims=False, **kwargs):
        self._build_impl(type(self).__name__, {"data_format": _data_format(data_format), "keepdims": bool(keepdims)},
                         kwargs)


class GlobalAveragePooling1D(_GlobalPooling):
    pass


class GlobalAveragePooling2D(_GlobalPooling):
    pass


class GlobalMaxPooling1D(_GlobalPooling):
    pass


class GlobalMaxPooling2D(_GlobalPooling):
    pass


class _Conv2DVariant(Layer):
    def _variant(self, config, kernel_size, strides, padding, data_format, dilation_rate, activation, use_bias,
                 bias_initializer, kwargs, **weight_args):
        from .. import regularizers
        _unsupported(type(self).__name__, **{k: v for k, v in weight_args.items() if k.endswith("_constraint")})
        config.update({k: regularizers.config_of(v) for k, v in weight_args.items() if k.endswith("_regularizer")})
        config.update({"kernel_size": _tuple(kernel_size, 2, "kernel_size"), "strides": _tuple(strides, 2, "strides"),
                       "padding": str(padding).lower(), "data_format": _data_format(data_format),
                       "dilation_rate": _tuple(dilation_rate, 2, "dilation_rate"),
                       "activation": _activation_name(activation), "use_bias": bool(use_bias),
                       "bias_initializer": _initializer_config(bias_initializer)})
        self._build_impl(type(self).__name__, config, kwargs)


class Conv2DTranspose(_Conv2DVariant):
    def __init__(self, filters, kernel_size, strides=(1, 1), padding="valid", output_padding=None, data_format=None,
                 dilation_rate=(1, 1), activation=None, use_bias=True, kernel_initializer="glorot_uniform",
                 bias_initializer="zeros", kernel_regularizer=None, bias_regularizer=None, activity_regularizer=None,
                 kernel_constraint=None, bias_constraint=None, **kwargs):
        self._variant({"filters": int(filters), "kernel_initializer": _initializer_config(kernel_initializer),
                       "output_padding": None if output_padding is None else _tuple(output_padding, 2, "output_padding")},
                      kernel_size, strides, padding, data_format, dilation_rate, activation, use_bias, bias_initializer,
                      kwargs, kernel_regularizer=kernel_regularizer, bias_regularizer=bias_regularizer,
                      activity_regularizer=activity_regularizer, kernel_constraint=kernel_constraint,
                      bias_constraint=bias_constraint)


class DepthwiseConv2D(_Conv2DVariant):
    def __init__(self, kernel_size, strides=(1, 1), padding="valid", depth_multiplier=1, data_format=None,
                 dilation_rate=(1, 1), activation=None, use_bias=True, depthwise_initializer="glorot_uniform",
                 bias_initializer="zeros", depthwise_regularizer=None, bias_regularizer=None,
                 activity_regularizer=None, depthwise_constraint=None, bias_constraint=None, **kwargs):
        self._variant({"depth_multiplier": int(depth_multiplier),
                       "depthwise_initializer": _initializer_config(depthwise_initializer)},
                      kernel_size, strides, padding, data_format, dilation_rate, activation, use_bias, bias_initializer,
                      kwargs, depthwise_regularizer=depthwise_regularizer, bias_regularizer=bias_regularizer,
                      activity_regularizer=activity_regularizer, depthwise_constraint=depthwise_constraint,
                      bias_constraint=bias_constraint)


class SeparableConv2D(_Conv2DVariant):
    def __init__(self, filters, kernel_size, strides=(1, 1), padding="valid", data_format=None, dilation_rate=(1, 1),
                 depth_multiplier=1, activation=None, use_bias=True, depthwise_initializer="glorot_uniform",
                 pointwise_initializer="glorot_uniform", bias_initializer="zeros", depthwise_regularizer=None,
                 pointwise_regularizer=None, bias_regularizer=None, activity_regularizer=None,
                 depthwise_constraint=None, pointwise_constraint=None, bias_constraint=None, **kwargs):
        self._variant({"filters": int(filters), "depth_multiplier": int(depth_multiplier),
                       "depthwise_initializer": _initializer_config(depthwise_initializer),
                       "pointwise_initializer": _initializer_config(pointwise_initializer)},
                      kernel_size, strides, padding, data_format, dilation_rate, activation, use_bias, bias_initializer,
                      kwargs, depthwise_regularizer=depthwise_regularizer, pointwise_regularizer=pointwise_regularizer,
                      bias_regularizer=bias_regularizer, activity_regularizer=activity_regularizer,
                      depthwise_constraint=depthwise_constraint, pointwise_constraint=pointwise_constraint,
                      bias_constraint=bias_constraint)


Convolution1D, Convolution2D, Convolution2DTranspose = Conv1D, Conv2D, Conv2DTranspose
SeparableConvolution2D = SeparableConv2D


# Keras's short aliases.
MaxPool1D, MaxPool2D, AvgPool1D, AvgPool2D = MaxPooling1D, MaxPooling2D, AveragePooling1D, AveragePooling2D
GlobalAvgPool1D, GlobalAvgPool2D = GlobalAveragePooling1D, GlobalAveragePooling2D
GlobalMaxPool1D, GlobalMaxPool2D = GlobalMaxPooling1D, GlobalMaxPooling2D
