"""tf.keras.layers base: the Layer class over an engine layer, KerasTensor and Input, and the
argument helpers every layer module shares (the package docstring explains the mechanism)."""
import functools
import inspect
import re

from ... import _C
from ... import dtypes as _dt
from ...framework import Tensor, TensorShape, Variable, convert_to_tensor, _value
from .. import _config

_BASE_KWARGS = ("input_shape", "batch_input_shape", "batch_size", "name", "trainable", "dtype", "input_dim")


def _activation_name(a):
    from .. import activations
    return activations.serialize(activations.get(a))


def _initializer_config(i):
    from .. import initializers
    return initializers.serialize(initializers.get(i))


class Layer:
    """keras.layers.Layer over an engine layer (`self._impl`)."""

    # -- subclassing: tf.keras.layers.Layer with Python build/call/add_weight ------------------
    # Built-in layers never run this: they build their engine layer from a config (_build_impl).
    def __init__(self, trainable=True, name=None, dtype=None, dynamic=False, **kwargs):
        unknown = [k for k in kwargs if k not in ("input_shape", "batch_input_shape", "batch_size", "input_dim")]
        if unknown:
            raise TypeError("('Keyword argument not understood:', %r)" % unknown[0])
        if type(self).call is Layer.call:
            raise NotImplementedError("Layer %s: a subclass of tf.keras.layers.Layer must define `call`"
                                      % type(self).__name__)
        cls = type(self).__name__
        # The engine layer keeps this object alive: models that hold only engine layers run it.
        object.__setattr__(self, "_impl", _C.PythonLayer(cls, name or _C.unique_object_name(_snake_case(cls)),
                                                         bool(trainable), _layer_dtype(dtype), self))
        self._init_kwargs = {"name": self._impl.name, "trainable": bool(trainable), "dtype": self._impl.policy_name}

    def call(self, inputs, *args, **kwargs):
        return inputs

    def add_weight(self, name=None, shape=None, dtype=None, initializer=None, regularizer=None, trainable=None,
                   constraint=None, **kwargs):
        if "_init_kwargs" not in self.__dict__:
            raise RuntimeError("add_weight is for subclasses of tf.keras.layers.Layer that called super().__init__()")
        _unsupported("add_weight", constraint=constraint)
        from .. import initializers, regularizers
        if initializer is None:
            initializer = "glorot_uniform" if dtype is None or _dt.as_dtype(dtype).is_floating else "zeros"
        shape = [] if shape is None else [int(d) for d in shape]
        v = self._impl.add_weight(name or "Variable", shape, _config.dumps(initializers.serialize(
            initializers.get(initializer))), True if trainable is None else bool(trainable),
            _config.dumps(regularizers.config_of(regularizer)))
        return Variable._wrap(v)

    def _engine_build(self, shapes):
        shapes = [TensorShape([None if d < 0 else d for d in s]) for s in shapes]
        self.build(shapes[0] if len(shapes) == 1 else shapes)

    def _engine_forward(self, inputs, training):
        """The engine calls the layer (inside a model, or to learn its output shape)."""
        out = self._call_python(inputs[0] if len(inputs) == 1 else list(inputs), training)
        outs = list(out) if isinstance(out, (list, tuple)) else [out]
        return [_value(o) if isinstance(_value(o), Tensor) else convert_to_tensor(o) for o in outs]

    def _call_python(self, inputs, training, **kwargs):
        if _takes_training(type(self).call):
            kwargs["training"] = bool(training)
        return self.call(inputs, **kwargs)

    def _subclass_call(self, inputs, training, mask, kwargs):
        flat = list(inputs) if isinstance(inputs, (list, tuple)) else [inputs]
        if any(isinstance(k, KerasTensor) for k in flat):
            if kwargs or mask is not None or training is not None:
                raise NotImplementedError("tensorbox: keyword arguments in a functional model's call of the "
                                          "subclassed layer %s are not supported yet" % self.name)
            out = [KerasTensor(k) for k in self._impl.symbolic_call([k._impl for k in flat])]
            return out[0] if len(out) == 1 else out
        if not self._impl.built:
            shapes = [tuple(_input_tensor(x).shape) for x in flat]
            self.build(TensorShape(shapes[0]) if not isinstance(inputs, (list, tuple)) else
                       [TensorShape(s) for s in shapes])
            self._impl.mark_built()
        if mask is not None:
            kwargs["mask"] = mask
        return self._call_python(inputs, training, **kwargs)

    def __setattr__(self, key, value):
        # Layers assigned to a subclassed layer (directly or in lists) are its sub-layers: their
        # weights are its weights, as Keras's attribute tracking does.
        if not key.startswith("_") and "_init_kwargs" in self.__dict__:
            items = value if isinstance(value, (list, tuple)) else [value]
            for v in items:
                if isinstance(v, Layer):
                    self._impl.track(v._impl)
        object.__setattr__(self, key, value)

    # -- construction -------------------------------------------------------------------------
    def _build_impl(self, class_name, config, kwargs):
        cfg = self._impl_config(class_name, config, kwargs)
        self._impl = _C.deserialize_layer(_config.dumps({"class_name": class_name, "config": cfg}))

    @staticmethod
    def _impl_config(class_name, config, kwargs):
        """The engine config: the layer's own keys plus the base keyword arguments."""
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
        return cfg

    @classmethod
    def _wrap(cls, impl):
        if hasattr(impl, "owner"):
            return impl.owner  # a Python subclass: the object itself
        klass = _LAYER_CLASSES.get(impl.class_name, Layer)
        obj = klass.__new__(klass)
        obj._impl = impl
        return obj

    # -- calling --------------------------------------------------------------------------------
    def __call__(self, inputs, training=None, mask=None, **kwargs):
        if "_init_kwargs" in self.__dict__:
            return self._subclass_call(inputs, training, mask, kwargs)
        if kwargs:
            raise TypeError("%s.__call__ got unexpected keyword arguments %s" % (type(self).__name__, list(kwargs)))
        flat = list(inputs) if isinstance(inputs, (list, tuple)) else [inputs]
        if any(isinstance(k, KerasTensor) for k in flat):
            # A symbolic call: records this layer in the graph of a functional model.
            if not all(isinstance(k, KerasTensor) for k in flat):
                raise ValueError("Layer \"%s\": symbolic and concrete inputs cannot be mixed in one call" % self.name)
            if mask is not None:
                raise NotImplementedError("tensorbox: an explicit `mask` in a functional model's layer call is not "
                                          "supported yet; masks from Embedding(mask_zero=True) and Masking flow "
                                          "through the model by themselves")
            if self._impl.takes_list and not isinstance(inputs, (list, tuple)):
                self._impl.compute_output_shape(inputs._impl.shape)  # merges: Keras's "needs a list" error
            # A fixed `training` becomes the node's keyword argument, as in Keras's configs.
            kw = {} if training is None else {"training": bool(training)}
            out = [KerasTensor(k) for k in self._impl.symbolic_call([k._impl for k in flat], _config.dumps(kw))]
            return out[0] if len(out) == 1 else out
        if isinstance(inputs, (list, tuple)) and not self._impl.takes_list:
            flat = [inputs]  # nested lists are data for one input
        # Masks travel on tensors as Keras's _keras_mask; an explicit `mask` takes precedence.
        if mask is None:
            masks = [getattr(x, "_keras_mask", None) for x in flat]
        else:
            masks = list(mask) if isinstance(mask, (list, tuple)) else [mask]
            masks = [None if m is None else _input_tensor(m) for m in masks] + [None] * (len(flat) - len(masks))
        xs = [_input_tensor(x) for x in flat]
        if isinstance(inputs, (list, tuple)) and self._impl.takes_list:
            out = list(self._impl.call_list(xs, bool(training), masks if any(m is not None for m in masks) else []))
        else:
            out = [self._impl(xs[0], bool(training), masks[0])]
        for y, m in zip(out, self._impl.compute_masks(xs, masks)):
            if m is not None:
                y._keras_mask = m
        return out[0] if len(out) == 1 else out

    def compute_mask(self, inputs, mask=None):
        flat = list(inputs) if isinstance(inputs, (list, tuple)) else [inputs]
        masks = list(mask) if isinstance(mask, (list, tuple)) else [mask] * len(flat)
        out = self._impl.compute_masks([_input_tensor(x) for x in flat], masks)
        return out[0] if len(out) == 1 else out

    supports_masking = property(lambda self: self._impl.supports_masking)

    def build(self, input_shape):
        """Creates the weights for inputs of `input_shape`; a subclass overrides it."""
        if "_init_kwargs" not in self.__dict__:  # a subclass without build: nothing to create
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
        from ..mixed_precision import Policy
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
        if "_init_kwargs" in self.__dict__:
            return dict(self._init_kwargs)  # a subclass adds its own arguments (Keras)
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


@functools.lru_cache(maxsize=None)
def _takes_training(call):
    """Whether a subclass's `call` (the class's function) takes `training`: looked up once per
    class, not on every call of the training loop."""
    return "training" in inspect.signature(call).parameters


def _snake_case(name):
    """Keras's default layer names: "MyModel" -> "my_model"."""
    s = re.sub(r"(.)([A-Z][a-z0-9]+)", r"\1_\2", name)
    return re.sub(r"([a-z])([A-Z])", r"\1_\2", s).lower()


def _input_tensor(x):
    """Data fed to a layer as a tensor: NumPy float64 becomes float32, as Keras's layers cast it."""
    x = _value(x)
    if not isinstance(x, Tensor):
        x = convert_to_tensor(x, dtype_hint=_dt.float32)
        if x.dtype == _dt.float64:
            x = _C.ops.cast(x, "float32")
    return x


def _layer_dtype(dtype):
    from .. import mixed_precision
    if dtype is None:
        return mixed_precision.global_policy().name
    if isinstance(dtype, mixed_precision.Policy):
        return dtype.name
    if isinstance(dtype, str):
        return mixed_precision.Policy(dtype).name  # a dtype or a policy name ('mixed_float16')
    return _dt.as_dtype(dtype).name


def _unsupported(layer, **kwargs):
    for k, v in kwargs.items():
        if v is not None:
            raise NotImplementedError("tensorbox: %s(%s=...) is not supported yet" % (layer, k))


def _regularizer_configs(kernel, bias, activity):
    from .. import regularizers
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


def _axis_list(axis):
    return [int(axis)] if isinstance(axis, int) else [int(a) for a in axis]


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


# Keras class name -> Python class, for wrapping engine layers (filled by the package).
_LAYER_CLASSES = {}
