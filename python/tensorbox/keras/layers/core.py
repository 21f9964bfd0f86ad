"""Core layers: Dense, Activation, Dropout, Flatten, Reshape, the activation layers, reshaping,
noise, Embedding and the preprocessing layers (Rescaling, Normalization, CenterCrop, Resizing)."""
import numpy as np

from ... import _C
from .base import (Layer, _activation_name, _axis_list, _data_format, _initializer_config, _input_tensor, _pairs,
                   _regularizer_configs, _tuple, _unsupported)


class Dense(Layer):
    def __init__(self, units, activation=None, use_bias=True, kernel_initializer="glorot_uniform",
                 bias_initializer="zeros", kernel_regularizer=None, bias_regularizer=None, activity_regularizer=None,
                 kernel_constraint=None, bias_constraint=None, **kwargs):
        _unsupported("Dense", kernel_constraint=kernel_constraint, bias_constraint=bias_constraint)
        units = int(units)
        if units <= 0:
            raise ValueError("Received an invalid value for `units`, expected a positive integer. Received: units=%s"
                             % units)
        self._build_impl("Dense", {"units": units, "activation": _activation_name(activation), "use_bias": bool(use_bias),
                                   "kernel_initializer": _initializer_config(kernel_initializer),
                                   "bias_initializer": _initializer_config(bias_initializer),
                                   **_regularizer_configs(kernel_regularizer, bias_regularizer, activity_regularizer)},
                         kwargs)


class Activation(Layer):
    def __init__(self, activation, **kwargs):
        self._build_impl("Activation", {"activation": _activation_name(activation)}, kwargs)


class Dropout(Layer):
    def __init__(self, rate, noise_shape=None, seed=None, **kwargs):
        if noise_shape is not None:
            raise NotImplementedError("tensorbox: Dropout(noise_shape=...) is not supported yet")
        rate = float(rate)
        if not 0 <= rate <= 1:
            raise ValueError("Invalid value received for argument `rate`. Expected a float value between 0 and 1. "
                             "Received: rate=%s" % rate)
        self._build_impl("Dropout", {"rate": rate, "noise_shape": None, "seed": seed}, kwargs)


class Flatten(Layer):
    def __init__(self, data_format=None, **kwargs):
        if data_format not in (None, "channels_last"):
            raise NotImplementedError("tensorbox: Flatten(data_format='channels_first') is not supported yet")
        self._build_impl("Flatten", {"data_format": "channels_last"}, kwargs)


class Reshape(Layer):
    def __init__(self, target_shape, **kwargs):
        self._build_impl("Reshape", {"target_shape": [int(d) for d in target_shape]}, kwargs)


class ReLU(Layer):
    def __init__(self, max_value=None, negative_slope=0.0, threshold=0.0, **kwargs):
        self._build_impl("ReLU", {"max_value": None if max_value is None else float(max_value),
                                  "negative_slope": float(negative_slope), "threshold": float(threshold)}, kwargs)


class LeakyReLU(Layer):
    def __init__(self, alpha=0.3, **kwargs):
        self._build_impl("LeakyReLU", {"alpha": float(alpha)}, kwargs)


class ELU(Layer):
    def __init__(self, alpha=1.0, **kwargs):
        self._build_impl("ELU", {"alpha": float(alpha)}, kwargs)


class PReLU(Layer):
    def __init__(self, alpha_initializer="zeros", alpha_regularizer=None, alpha_constraint=None, shared_axes=None,
                 **kwargs):
        _unsupported("PReLU", alpha_regularizer=alpha_regularizer, alpha_constraint=alpha_constraint)
        axes = None if shared_axes is None else _axis_list(shared_axes)
        self._build_impl("PReLU", {"alpha_initializer": _initializer_config(alpha_initializer), "shared_axes": axes},
                         kwargs)


class Softmax(Layer):
    def __init__(self, axis=-1, **kwargs):
        self._build_impl("Softmax", {"axis": int(axis)}, kwargs)


class ZeroPadding2D(Layer):
    def __init__(self, padding=(1, 1), data_format=None, **kwargs):
        self._build_impl("ZeroPadding2D", {"padding": _pairs(padding, "padding"),
                                           "data_format": _data_format(data_format)}, kwargs)


class Cropping2D(Layer):
    def __init__(self, cropping=((0, 0), (0, 0)), data_format=None, **kwargs):
        self._build_impl("Cropping2D", {"cropping": _pairs(cropping, "cropping"),
                                        "data_format": _data_format(data_format)}, kwargs)


class UpSampling2D(Layer):
    def __init__(self, size=(2, 2), data_format=None, interpolation="nearest", **kwargs):
        self._build_impl("UpSampling2D", {"size": _tuple(size, 2, "size"), "data_format": _data_format(data_format),
                                          "interpolation": interpolation}, kwargs)


class RepeatVector(Layer):
    def __init__(self, n, **kwargs):
        self._build_impl("RepeatVector", {"n": int(n)}, kwargs)


class Permute(Layer):
    def __init__(self, dims, **kwargs):
        self._build_impl("Permute", {"dims": [int(d) for d in dims]}, kwargs)


class SpatialDropout2D(Layer):
    def __init__(self, rate, data_format=None, **kwargs):
        self._build_impl("SpatialDropout2D", {"rate": float(rate), "data_format": _data_format(data_format)}, kwargs)


class GaussianNoise(Layer):
    def __init__(self, stddev, seed=None, **kwargs):
        self._build_impl("GaussianNoise", {"stddev": float(stddev), "seed": seed}, kwargs)


class Embedding(Layer):
    def __init__(self, input_dim, output_dim, embeddings_initializer="uniform", embeddings_regularizer=None,
                 activity_regularizer=None, embeddings_constraint=None, mask_zero=False, input_length=None, **kwargs):
        from .. import regularizers
        _unsupported("Embedding", embeddings_constraint=embeddings_constraint)
        if "input_shape" not in kwargs and "batch_input_shape" not in kwargs:
            kwargs["input_shape"] = (input_length,)  # as Keras does: (None,) without input_length
        self._build_impl("Embedding", {"input_dim": int(input_dim), "output_dim": int(output_dim),
                                       "embeddings_initializer": _initializer_config(embeddings_initializer),
                                       "mask_zero": bool(mask_zero),
                                       "embeddings_regularizer": regularizers.config_of(embeddings_regularizer),
                                       "activity_regularizer": regularizers.config_of(activity_regularizer),
                                       "input_length": None if input_length is None else int(input_length)}, kwargs)


class Rescaling(Layer):
    def __init__(self, scale, offset=0.0, **kwargs):
        self._build_impl("Rescaling", {"scale": float(scale), "offset": float(offset)}, kwargs)


class Normalization(Layer):
    def __init__(self, axis=-1, mean=None, variance=None, invert=False, **kwargs):
        if invert:
            raise NotImplementedError("tensorbox: Normalization(invert=True) is not supported yet")

        def values(v):
            return None if v is None else [float(x) for x in np.ravel(np.asarray(v, dtype=np.float64))]

        self._build_impl("Normalization", {"axis": None if axis is None else _axis_list(axis),
                                           "mean": values(mean), "variance": values(variance)}, kwargs)

    def adapt(self, data, batch_size=None, steps=None):
        if steps is not None:
            raise NotImplementedError("tensorbox: Normalization.adapt(steps=...) is not supported yet")
        _C.normalization_adapt(self._impl, _input_tensor(data))


class CenterCrop(Layer):
    def __init__(self, height, width, **kwargs):
        self._build_impl("CenterCrop", {"height": int(height), "width": int(width)}, kwargs)


class Resizing(Layer):
    def __init__(self, height, width, interpolation="bilinear", crop_to_aspect_ratio=False, **kwargs):
        self._build_impl("Resizing", {"height": int(height), "width": int(width), "interpolation": interpolation,
                                      "crop_to_aspect_ratio": bool(crop_to_aspect_ratio)}, kwargs)
