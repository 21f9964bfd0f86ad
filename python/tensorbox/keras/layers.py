"""tf.keras.layers: Python faces of the engine's layers.

Every layer is built by the engine from its Keras config: the keyword arguments below become
{"units": 10, "activation": "relu", ...} and the C++ layer registered under the class name
reads them (one mechanism for Python, C++ and saved configs). A keyword the engine does not
take is a TypeError naming it.
"""
import numpy as np

from .. import _C
from .. import dtypes as _dt
from ..framework import Tensor, TensorShape, Variable, convert_to_tensor, _value
from . import _config

_BASE_KWARGS = ("input_shape", "batch_input_shape", "batch_size", "name", "trainable", "dtype", "input_dim")


def _activation_name(a):
    from . import activations
    return activations.serialize(activations.get(a))


def _initializer_config(i):
    from . import initializers
    return initializers.serialize(initializers.get(i))


class Layer:
    """keras.layers.Layer over an engine layer (`self._impl`)."""

    def __init__(self, **kwargs):
        raise NotImplementedError("tensorbox: subclassing tf.keras.layers.Layer in Python comes with the "
                                  "functional API and model subclassing; use the built-in layers for now")

    # -- construction -------------------------------------------------------------------------
    def _build_impl(self, class_name, config, kwargs):
        cfg = dict(config)
        unknown = [k for k in kwargs if k not in _BASE_KWARGS]
        if unknown:
            raise TypeError("('Keyword argument not understood:', %r) in layer %s" % (unknown[0], class_name))
        batch_input_shape = kwargs.get("batch_input_shape")
        if batch_input_shape is None and kwargs.get("input_dim") is not None:
            batch_input_shape = (kwargs.get("batch_size"), int(kwargs["input_dim"]))
        if batch_input_shape is None and kwargs.get("input_shape") is not None:
            shape = kwargs["input_shape"]
            shape = (shape,) if isinstance(shape, int) else tuple(shape)
            batch_input_shape = (kwargs.get("batch_size"),) + shape
        if batch_input_shape is not None:
            cfg["batch_input_shape"] = [None if d is None else int(d) for d in batch_input_shape]
        if kwargs.get("name") is not None:
            cfg["name"] = kwargs["name"]
        if "trainable" in kwargs:
            cfg["trainable"] = bool(kwargs["trainable"])
        cfg["dtype"] = _layer_dtype(kwargs.get("dtype"))
        self._impl = _C.deserialize_layer(_config.dumps({"class_name": class_name, "config": cfg}))

    @classmethod
    def _wrap(cls, impl):
        klass = _LAYER_CLASSES.get(impl.class_name, Layer)
        obj = klass.__new__(klass)
        obj._impl = impl
        return obj

    # -- calling --------------------------------------------------------------------------------
    def __call__(self, inputs, training=None, **kwargs):
        if kwargs:
            raise TypeError("%s.__call__ got unexpected keyword arguments %s" % (type(self).__name__, list(kwargs)))
        flat = list(inputs) if isinstance(inputs, (list, tuple)) else [inputs]
        if any(isinstance(k, KerasTensor) for k in flat):
            # A symbolic call: records this layer in the graph of a functional model.
            if not all(isinstance(k, KerasTensor) for k in flat):
                raise ValueError("Layer \"%s\": symbolic and concrete inputs cannot be mixed in one call" % self.name)
            if training is not None:
                raise NotImplementedError("tensorbox: a fixed `training` argument in a functional model's layer "
                                          "call is not supported yet")
            if self._impl.takes_list and not isinstance(inputs, (list, tuple)):
                self._impl.compute_output_shape(inputs._impl.shape)  # merges: Keras's "needs a list" error
            out = [KerasTensor(k) for k in self._impl.symbolic_call([k._impl for k in flat])]
            return out[0] if len(out) == 1 else out
        if isinstance(inputs, (list, tuple)) and self._impl.takes_list:
            out = self._impl.call_list([_input_tensor(x) for x in flat], bool(training))
            return out[0] if len(out) == 1 else list(out)
        return self._impl(_input_tensor(inputs), bool(training))

    def build(self, input_shape):
        self._impl.build([-1 if d is None else int(d) for d in input_shape])

    def compute_output_shape(self, input_shape):
        return TensorShape(self._impl.compute_output_shape([-1 if d is None else int(d) for d in input_shape]))

    # -- state ----------------------------------------------------------------------------------
    name = property(lambda self: self._impl.name)
    built = property(lambda self: self._impl.built)
    dtype = property(lambda self: self._impl.dtype)  # the variables' dtype, as in Keras
    compute_dtype = property(lambda self: self._impl.compute_dtype)
    variable_dtype = dtype

    @property
    def dtype_policy(self):
        from .mixed_precision import Policy
        return Policy(self._impl.policy_name)

    @property
    def trainable(self):
        return self._impl.trainable

    @trainable.setter
    def trainable(self, value):
        self._impl.trainable = bool(value)

    weights = property(lambda self: [Variable._wrap(v) for v in self._impl.weights])
    variables = weights
    trainable_weights = property(lambda self: [Variable._wrap(v) for v in self._impl.trainable_weights])
    trainable_variables = trainable_weights
    non_trainable_weights = property(lambda self: [Variable._wrap(v) for v in self._impl.non_trainable_weights])
    non_trainable_variables = non_trainable_weights

    @property
    def losses(self):
        """The layer's regularization penalties (weights' from their current values, and the
        activity penalty of the last call), as Keras's `layer.losses`."""
        return list(self._impl.losses)

    def count_params(self):
        if not self.built:
            raise ValueError("You tried to call `count_params` on layer %s, but the layer isn't built. "
                             "You can build it manually via: `%s.build(batch_input_shape)`." % (self.name, self.name))
        return self._impl.count_params()

    def get_weights(self):
        return [w.numpy() for w in self._impl.get_weights()]

    def set_weights(self, weights):
        mine = self._impl.weights
        if len(weights) != len(mine):
            raise ValueError("You called `set_weights(weights)` on layer \"%s\" with a weight list of length %d, "
                             "but the layer was expecting %d weights." % (self.name, len(weights), len(mine)))
        self._impl.set_weights([convert_to_tensor(w, dtype=_dt.as_dtype(v.value._dtype)) for w, v in zip(weights, mine)])

    def get_config(self):
        return _config.loads(self._impl.get_config())

    @classmethod
    def from_config(cls, config):
        name = cls.__name__ if cls is not Layer else config.get("class_name")
        obj = cls.__new__(cls)
        obj._impl = _C.deserialize_layer(_config.dumps({"class_name": name, "config": config}))
        return obj

    @property
    def input_shape(self):
        s = self._impl.batch_input_shape
        if s is None:
            raise AttributeError("The layer \"%s\" has never been called and thus has no defined input shape."
                                 % self.name)
        return tuple(None if d < 0 else d for d in s)

    def __getattr__(self, item):
        # kernel / bias / ... : the layer's weights by their Keras short names.
        if item.startswith("_"):
            raise AttributeError(item)
        impl = self.__dict__.get("_impl")
        if impl is not None:
            for v in impl.weights:
                short = v.name.rsplit("/", 1)[-1].split(":")[0]
                if short == item:
                    return Variable._wrap(v)
        raise AttributeError("'%s' object has no attribute '%s'" % (type(self).__name__, item))

    def __repr__(self):
        return "<keras.layers.%s object '%s'>" % (type(self).__name__, self.name)


def _input_tensor(x):
    """Data fed to a layer as a tensor: NumPy float64 becomes float32, as Keras's layers cast it."""
    x = _value(x)
    if not isinstance(x, Tensor):
        x = convert_to_tensor(x, dtype_hint=_dt.float32)
        if x.dtype == _dt.float64:
            x = _C.ops.cast(x, "float32")
    return x


def _layer_dtype(dtype):
    from . import mixed_precision
    if dtype is None:
        return mixed_precision.global_policy().name
    if isinstance(dtype, mixed_precision.Policy):
        return dtype.name
    if isinstance(dtype, str):
        return mixed_precision.Policy(dtype).name  # a dtype or a policy name ('mixed_float16')
    return _dt.as_dtype(dtype).name


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


def _unsupported(layer, **kwargs):
    for k, v in kwargs.items():
        if v is not None:
            raise NotImplementedError("tensorbox: %s(%s=...) is not supported yet" % (layer, k))


def _regularizer_configs(kernel, bias, activity):
    from . import regularizers
    return {"kernel_regularizer": regularizers.config_of(kernel), "bias_regularizer": regularizers.config_of(bias),
            "activity_regularizer": regularizers.config_of(activity)}


def _tuple(value, rank, what):
    """An int or a tuple of `rank` ints, as a list (Keras's conv_utils.normalize_tuple)."""
    if isinstance(value, int):
        return [value] * rank
    try:
        out = [int(v) for v in value]
    except TypeError:
        raise ValueError("The `%s` argument must be a tuple of %d integers. Received: %r" % (what, rank, value))
    if len(out) != rank:
        raise ValueError("The `%s` argument must be a tuple of %d integers. Received: %r" % (what, rank, value))
    return out


def _data_format(value):
    if value is None:
        return "channels_last"  # keras.backend.image_data_format()
    value = value.lower()
    if value not in ("channels_last", "channels_first"):
        raise ValueError('The `data_format` argument must be one of "channels_first", "channels_last". Received: %s'
                         % value)
    return value


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


def _axis_list(axis):
    return [int(axis)] if isinstance(axis, int) else [int(a) for a in axis]


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


class _Merge(Layer):
    def __init__(self, **kwargs):
        self._build_impl(type(self).__name__, {}, kwargs)


class Add(_Merge):
    pass


class Subtract(_Merge):
    pass


class Multiply(_Merge):
    pass


class Average(_Merge):
    pass


class Maximum(_Merge):
    pass


class Minimum(_Merge):
    pass


class Concatenate(Layer):
    def __init__(self, axis=-1, **kwargs):
        self._build_impl("Concatenate", {"axis": int(axis)}, kwargs)


class Dot(Layer):
    def __init__(self, axes, normalize=False, **kwargs):
        self._build_impl("Dot", {"axes": int(axes) if isinstance(axes, int) else [int(a) for a in axes],
                                 "normalize": bool(normalize)}, kwargs)


# Keras's functional forms: keras.layers.add([a, b]) == keras.layers.Add()([a, b]).
def add(inputs, **kwargs):
    return Add(**kwargs)(inputs)


def subtract(inputs, **kwargs):
    return Subtract(**kwargs)(inputs)


def multiply(inputs, **kwargs):
    return Multiply(**kwargs)(inputs)


def average(inputs, **kwargs):
    return Average(**kwargs)(inputs)


def maximum(inputs, **kwargs):
    return Maximum(**kwargs)(inputs)


def minimum(inputs, **kwargs):
    return Minimum(**kwargs)(inputs)


def concatenate(inputs, axis=-1, **kwargs):
    return Concatenate(axis=axis, **kwargs)(inputs)


def dot(inputs, axes, normalize=False, **kwargs):
    return Dot(axes=axes, normalize=normalize, **kwargs)(inputs)


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


def _pairs(value, what):
    """((top, bottom), (left, right)) from an int, a pair, or a pair of pairs (Keras's forms)."""
    if isinstance(value, int):
        return [[value, value], [value, value]]
    value = list(value)
    if len(value) != 2:
        raise ValueError("`%s` should have two elements. Received: %r" % (what, value))
    if all(isinstance(v, int) for v in value):
        return [[value[0], value[0]], [value[1], value[1]]]
    return [[int(a) for a in v] for v in value]


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
        _unsupported("Embedding", embeddings_regularizer=embeddings_regularizer,
                     activity_regularizer=activity_regularizer, embeddings_constraint=embeddings_constraint)
        if "input_shape" not in kwargs and "batch_input_shape" not in kwargs:
            kwargs["input_shape"] = (input_length,)  # as Keras does: (None,) without input_length
        self._build_impl("Embedding", {"input_dim": int(input_dim), "output_dim": int(output_dim),
                                       "embeddings_initializer": _initializer_config(embeddings_initializer),
                                       "mask_zero": bool(mask_zero),
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


class _Conv2DVariant(Layer):
    def _variant(self, config, kernel_size, strides, padding, data_format, dilation_rate, activation, use_bias,
                 bias_initializer, kwargs, **unsupported):
        _unsupported(type(self).__name__, **unsupported)
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


class InputLayer(Layer):
    def __init__(self, input_shape=None, batch_size=None, dtype=None, name=None, **kwargs):
        if input_shape is None and kwargs.get("batch_input_shape") is None:
            raise ValueError("InputLayer needs input_shape or batch_input_shape")
        kw = dict(kwargs, input_shape=input_shape, batch_size=batch_size, dtype=dtype, name=name)
        self._build_impl("InputLayer", {}, kw)


class KerasTensor:
    """A symbolic tensor (keras.KerasTensor): what keras.Input and layer calls on KerasTensors
    return. Calling layers on them records the graph that keras.Model(inputs, outputs) runs;
    a Sequential model also takes keras.Input as its first element."""

    def __init__(self, impl):
        self._impl = impl

    shape = property(lambda self: TensorShape([None if d < 0 else d for d in self._impl.shape]))
    dtype = property(lambda self: _dt.as_dtype(self._impl.dtype))
    name = property(lambda self: self._impl.layer.name)
    _keras_layer = property(lambda self: Layer._wrap(self._impl.layer))

    def __repr__(self):
        return "<KerasTensor: shape=%s dtype=%s (created by layer '%s')>" % (self.shape, self.dtype.name, self.name)


def Input(shape=None, batch_size=None, name=None, dtype=None, sparse=None, tensor=None, ragged=None,
          type_spec=None, **kwargs):
    if shape is None and kwargs.get("batch_shape") is None:
        raise ValueError("Please provide to Input a `shape` or a `tensor` or a `type_spec` argument. Note that "
                         "`shape` does not include the batch dimension.")
    if kwargs.get("batch_shape") is not None:
        layer = InputLayer(batch_input_shape=kwargs.pop("batch_shape"), name=name, dtype=dtype)
    else:
        shape = (shape,) if isinstance(shape, int) else tuple(shape)
        layer = InputLayer(input_shape=shape, batch_size=batch_size, name=name, dtype=dtype)
    return KerasTensor(_C.input_tensor(layer._impl))


_LAYER_CLASSES = {c.__name__: c for c in (Dense, Activation, Dropout, Flatten, Reshape, InputLayer, Conv1D, Conv2D,
                                          MaxPooling1D, MaxPooling2D, AveragePooling1D, AveragePooling2D,
                                          GlobalAveragePooling1D, GlobalAveragePooling2D, GlobalMaxPooling1D,
                                          GlobalMaxPooling2D, BatchNormalization, LayerNormalization, Add,
                                          Subtract, Multiply, Average, Maximum, Minimum, Concatenate, Dot, ReLU,
                                          LeakyReLU, ELU, PReLU, Softmax, ZeroPadding2D, Cropping2D, UpSampling2D,
                                          RepeatVector, Permute, SpatialDropout2D, GaussianNoise, Embedding,
                                          Rescaling, Normalization, CenterCrop, Conv2DTranspose, DepthwiseConv2D,
                                          SeparableConv2D)}


def deserialize(config, custom_objects=None):
    impl = _C.deserialize_layer(_config.dumps(config))
    return Layer._wrap(impl)


def serialize(layer):
    return {"class_name": layer._impl.class_name, "config": layer.get_config()}
