"""tf.keras.Model and tf.keras.Sequential over the engine's models and training loop.

compile/fit/evaluate/predict run in C++ with the GIL released; the data goes in as tensors
that borrow the NumPy arrays' memory, and Ctrl-C stops fit at the next batch (KeyboardInterrupt,
weights as trained so far), as in Keras.
"""
import weakref

import numpy as np

from .. import _C
from .. import dtypes as _dt
from ..framework import Tensor, convert_to_tensor, _value
from . import _config, callbacks as callbacks_module, layers as layers_module, losses, metrics as metrics_module
from . import optimizers
from .layers import Layer
from .layers.base import _snake_case, _takes_training


def _data_list(x, names, what, kind):
    """x or y of fit/evaluate/predict as one tensor per model input or output: a single array,
    a list/tuple in order, or a dict keyed by the inputs' (outputs') names, as Keras takes them."""
    if x is None:
        raise ValueError("%s: no data given (%s is None)" % (what, "x" if kind == "input" else "y"))
    if names is None:  # a subclassed model: a list is its inputs, anything else one input
        if isinstance(x, (list, tuple)) and x and all(isinstance(_value(v), (np.ndarray, Tensor)) for v in x):
            return [_data(v, what) for v in x]
        if isinstance(x, dict):
            raise NotImplementedError("tensorbox: dict inputs to a subclassed model are not supported yet")
        return [_data(x, what)]
    if isinstance(x, dict):
        missing = [n for n in names if n not in x]
        unknown = [k for k in x if k not in names]
        if missing or unknown:
            raise ValueError("%s: the dict of %ss must have exactly the keys %s (the model's %s names); missing %s, "
                             "unknown %s" % (what, kind, names, kind, missing, unknown))
        return [_data(x[n], what) for n in names]
    if isinstance(x, (list, tuple)):
        arrays = all(isinstance(_value(v), (np.ndarray, Tensor)) for v in x)
        if len(names) > 1 or (arrays and len(x) == 1):
            return [_data(v, what) for v in x]  # the engine names a count mismatch
    return [_data(x, what)]


def _data(x, what, cast_float64=True):
    """Model inputs as tensors: NumPy float64 becomes float32 as Keras's data adapter does."""
    if x is None:
        raise ValueError("%s: no data given (x is None)" % what)
    if type(x).__name__ in ("DatasetV2", "Dataset") or hasattr(x, "element_spec"):
        raise TypeError("tensorbox: %s takes NumPy arrays or tensors; tf.data pipelines come with the input "
                        "pipeline engine" % what)
    x = _value(x)
    if isinstance(x, Tensor):
        return x
    arr = np.asarray(x)
    if cast_float64 and arr.dtype == np.float64:
        arr = arr.astype(np.float32)
    if arr.dtype.kind in "iu" and arr.dtype not in (np.uint8, np.int32, np.int64):
        arr = arr.astype(np.int64 if arr.dtype.kind == "i" else np.int32)
    return convert_to_tensor(arr)


def _verbose(v):
    return 1 if v == "auto" else int(v)


def _logs_result(pairs, return_dict):
    if return_dict:
        return dict(pairs)
    values = [v for _, v in pairs]
    return values[0] if len(values) == 1 else values


def _flat_symbolic(struct, what):
    """Model(inputs, outputs): a KerasTensor, or a list/tuple of them."""
    items = list(struct) if isinstance(struct, (list, tuple)) else [struct]
    if isinstance(struct, dict):
        raise NotImplementedError("tensorbox: Model(%s=dict) is not supported yet; pass a list" % what)
    for k in items:
        if not isinstance(k, layers_module.KerasTensor):
            raise ValueError("Model(%s=...) takes KerasTensors (from keras.Input and layer calls on them), got %r"
                             % (what, k))
    return items


def _per_output(value, names, what, convert):
    """A compile argument given for every output, as a list in output order, or as a dict keyed
    by output names (outputs missing from the dict get `None`)."""
    if isinstance(value, dict):
        unknown = [k for k in value if k not in names]
        if unknown:
            raise ValueError("Unknown entries in %s dictionary: %s. Only expected following keys: %s"
                             % (what, unknown, names))
        return [convert(value.get(n)) for n in names]
    if isinstance(value, (list, tuple)) and len(names) > 1:
        if len(value) != len(names):
            raise ValueError("When passing a list as %s, it should have one entry per model output. The model has %d "
                             "outputs, but you passed %s=%r" % (what, len(names), what, value))
        return [convert(v) for v in value]
    return [convert(value) for _ in names]


class Model(Layer):
    """keras.Model: `Model(inputs, outputs)` builds a functional model from symbolic tensors
    (keras.Input and layer calls on them); Sequential is the other model type."""

    def __init__(self, *args, **kwargs):
        inputs = kwargs.pop("inputs", args[0] if args else None)
        outputs = kwargs.pop("outputs", args[1] if len(args) > 1 else None)
        name = kwargs.pop("name", None)
        kwargs.pop("trainable", None)
        if kwargs:
            raise TypeError("Invalid keyword argument(s) in Model(): %s" % (tuple(kwargs),))
        if inputs is None and outputs is None:
            self._init_subclassed(name)
            return
        if inputs is None or outputs is None:
            raise ValueError("Model(inputs, outputs) needs both `inputs` and `outputs`")
        # Keras mirrors the outputs' structure: a list of outputs gives lists of predictions.
        self._output_is_list = isinstance(outputs, (list, tuple))
        ins, outs = _flat_symbolic(inputs, "inputs"), _flat_symbolic(outputs, "outputs")
        self._impl = _C.Functional([k._impl for k in ins], [k._impl for k in outs], name or "")
        self.optimizer = None
        self.history = None

    # -- subclassing: a Python `call` run by the engine's training loop -------------------------
    def _init_subclassed(self, name):
        if type(self) is Model:
            raise TypeError("Model() needs `inputs` and `outputs`, or a subclass that defines `call`")
        ref = weakref.ref(self)

        def forward(inputs, training):
            model = ref()
            if model is None:
                raise RuntimeError("tensorbox: the Python model object behind this engine model was deleted")
            return model._engine_forward(inputs, training)

        object.__setattr__(self, "_impl", _C.PythonModel(name or _C.unique_object_name(_snake_case(type(self).__name__)),
                                                         forward))
        self.optimizer = None
        self.history = None
        self._output_is_list = False

    def _engine_forward(self, inputs, training):
        if type(self).call is Model.call:
            raise NotImplementedError("Model %s: a subclass of tf.keras.Model must define `call`" % type(self).__name__)
        x = inputs[0] if len(inputs) == 1 else list(inputs)
        if _takes_training(type(self).call):
            out = self.call(x, training=bool(training))
        else:
            out = self.call(x)
        self._output_is_list = isinstance(out, (list, tuple))
        outs = list(out) if isinstance(out, (list, tuple)) else [out]
        return [_value(o) if isinstance(_value(o), Tensor) else convert_to_tensor(o) for o in outs]

    def call(self, inputs, training=None, mask=None):
        raise NotImplementedError("Model %s: a subclass of tf.keras.Model must define `call`" % type(self).__name__)

    def __setattr__(self, key, value):
        # Layers assigned to a subclassed model (directly or in lists) are its layers: their
        # weights are the model's weights, as Keras's attribute tracking does.
        if not key.startswith("_"):
            items = value if isinstance(value, (list, tuple)) else [value]
            tracked = [v for v in items if isinstance(v, Layer)]
            if tracked:
                impl = self.__dict__.get("_impl")
                if impl is None:
                    raise RuntimeError("It looks like you are subclassing `Model` and you forgot to call "
                                       "`super().__init__()`. Always start with this line.")
                if hasattr(impl, "track"):
                    for layer in tracked:
                        impl.track(layer._impl)
        object.__setattr__(self, key, value)

    @property
    def inputs(self):
        return [layers_module.KerasTensor(k) for k in self._impl.inputs]

    @property
    def outputs(self):
        return [layers_module.KerasTensor(k) for k in self._impl.outputs]

    @property
    def input_names(self):
        if hasattr(self._impl, "inputs"):
            return [k.layer.name for k in self._impl.inputs]
        if hasattr(self._impl, "track"):
            return None  # a subclass: whatever its `call` takes
        return [self._impl.layers[0].name + "_input"] if self._impl.layers else ["input"]

    output_names = property(lambda self: list(self._impl.output_names))

    # -- training configuration ---------------------------------------------------------------
    def compile(self, optimizer="rmsprop", loss=None, metrics=None, loss_weights=None, weighted_metrics=None,
                run_eagerly=None, steps_per_execution=None, jit_compile=None, **kwargs):
        if loss is None:
            raise ValueError("tensorbox: compile() needs a loss")
        if weighted_metrics is not None:
            raise NotImplementedError("tensorbox: compile(weighted_metrics=...) is not supported yet")
        if kwargs:
            raise TypeError("Invalid keyword argument(s) in `compile()`: %s" % (tuple(kwargs),))
        names = self.output_names
        opt = optimizers.get(optimizer)

        def loss_of(value):
            if value is None:
                raise NotImplementedError("tensorbox: an output without a loss is not supported yet; give every "
                                          "output a loss (with loss_weights 0 to ignore one)")
            return losses.as_loss_object(value)

        loss_objs = _per_output(loss, names, "loss", loss_of)
        weights = [1.0] * len(names) if loss_weights is None else \
            _per_output(loss_weights, names, "loss_weights", lambda w: 1.0 if w is None else float(w))
        if isinstance(metrics, dict):
            per_metrics = _per_output(metrics, names, "metrics", lambda m: [] if m is None else
                                      [m] if not isinstance(m, (list, tuple)) else list(m))
        elif isinstance(metrics, (list, tuple)) and metrics and all(isinstance(m, (list, tuple)) for m in metrics):
            per_metrics = _per_output(list(metrics), names, "metrics", list)
        else:
            per_metrics = [list(metrics or []) for _ in names]
        per_metrics = [[metrics_module.compile_name(m) for m in ms] for ms in per_metrics]
        self._impl.compile(opt._impl, [l._impl for l in loss_objs], weights, per_metrics)
        # Under mixed_float16 the engine wrapped it in a LossScaleOptimizer, as Keras does.
        engine_opt = self._impl.optimizer
        self.optimizer = opt if engine_opt is opt._impl else optimizers.Optimizer._wrap(engine_opt)
        self.loss = loss
        self.compiled_loss = loss_objs[0] if len(loss_objs) == 1 else loss_objs
        # Run eagerly or not, jit or not: the engine runs the same kernels (the graph compiler comes later).
        self._run_eagerly = bool(run_eagerly)
        self._jit_compile = jit_compile

    def _check_compiled(self):
        if not self._impl.compiled:
            raise RuntimeError("You must compile your model before training/testing. Use "
                               "`model.compile(optimizer, loss)`.")

    def _engine_callbacks(self, callbacks):
        out = []
        for cb in callbacks or []:
            if not isinstance(cb, callbacks_module.Callback):
                raise TypeError("callbacks must be tf.keras.callbacks.Callback instances, got %r" % (cb,))
            cb.set_model(self)
            engine = cb._engine_callback()
            if engine is not None:
                out.append(engine)
        return out

    def fit(self, x=None, y=None, batch_size=None, epochs=1, verbose="auto", callbacks=None, validation_split=0.0,
            validation_data=None, shuffle=True, class_weight=None, sample_weight=None, initial_epoch=0,
            steps_per_epoch=None, validation_steps=None, validation_batch_size=None, validation_freq=1,
            max_queue_size=10, workers=1, use_multiprocessing=False):
        for name, value in (("class_weight", class_weight), ("sample_weight", sample_weight),
                            ("steps_per_epoch", steps_per_epoch), ("validation_steps", validation_steps)):
            if value is not None:
                raise NotImplementedError("tensorbox: fit(%s=...) is not supported yet" % name)
        self._check_compiled()
        if y is None:
            raise ValueError("tensorbox: fit() needs targets y (datasets yielding (x, y) come with tf.data)")
        xt, yt = self._x(x, "fit"), self._y(y, "fit")
        val = None
        if validation_data is not None:
            if len(validation_data) != 2:
                raise ValueError("tensorbox: validation_data must be (x_val, y_val); sample weights are not "
                                 "supported yet")
            val = (self._x(validation_data[0], "fit(validation_data)"), self._y(validation_data[1], "fit(validation_data)"))
        if not 0 <= float(validation_split) < 1:
            raise ValueError("`validation_split` must be in [0, 1), got %s" % validation_split)
        self.stop_training = False
        engine_history = self._impl.fit(
            xt, yt, None if batch_size is None else int(batch_size), int(epochs), _verbose(verbose),
            self._engine_callbacks(callbacks), float(validation_split), val, bool(shuffle), int(initial_epoch),
            None if validation_batch_size is None else int(validation_batch_size), int(validation_freq))
        history = callbacks_module.History()
        history._fill(engine_history)
        history.set_model(self)
        history.set_params({"verbose": _verbose(verbose), "epochs": int(epochs),
                            "steps": -(-int(xt[0]._shape[0] * (1 - float(validation_split))) // int(batch_size or 32))})
        self.history = history
        return history

    def evaluate(self, x=None, y=None, batch_size=None, verbose="auto", sample_weight=None, steps=None,
                 callbacks=None, max_queue_size=10, workers=1, use_multiprocessing=False, return_dict=False, **kwargs):
        if sample_weight is not None or steps is not None:
            raise NotImplementedError("tensorbox: evaluate(sample_weight/steps) is not supported yet")
        self._check_compiled()
        if y is None:
            raise ValueError("tensorbox: evaluate() needs targets y")
        pairs = self._impl.evaluate(self._x(x, "evaluate"), self._y(y, "evaluate"),
                                    None if batch_size is None else int(batch_size), _verbose(verbose),
                                    self._engine_callbacks(callbacks))
        return _logs_result(pairs, return_dict)

    def predict(self, x, batch_size=None, verbose="auto", steps=None, callbacks=None, max_queue_size=10, workers=1,
                use_multiprocessing=False):
        if steps is not None:
            raise NotImplementedError("tensorbox: predict(steps=...) is not supported yet")
        out = self._impl.predict(self._x(x, "predict"), None if batch_size is None else int(batch_size),
                                 _verbose(verbose), self._engine_callbacks(callbacks))
        return self._outputs([o.numpy() for o in out])

    def train_on_batch(self, x, y=None, sample_weight=None, class_weight=None, reset_metrics=True, return_dict=False):
        self._check_compiled()
        if sample_weight is not None or class_weight is not None:
            raise NotImplementedError("tensorbox: train_on_batch(sample_weight/class_weight) is not supported yet")
        return _logs_result(self._impl.train_on_batch(self._x(x, "train_on_batch"), self._y(y, "train_on_batch"),
                                                      bool(reset_metrics)),
                            return_dict)

    def test_on_batch(self, x, y=None, sample_weight=None, reset_metrics=True, return_dict=False):
        self._check_compiled()
        if sample_weight is not None:
            raise NotImplementedError("tensorbox: test_on_batch(sample_weight) is not supported yet")
        return _logs_result(self._impl.test_on_batch(self._x(x, "test_on_batch"), self._y(y, "test_on_batch"),
                                                     bool(reset_metrics)),
                            return_dict)

    def predict_on_batch(self, x):
        return self._outputs([o.numpy() for o in self._impl.predict_on_batch(self._x(x, "predict_on_batch"))])

    # -- data structures ------------------------------------------------------------------------
    def _x(self, x, what):
        return _data_list(x, self.input_names, what, "input")

    def _y(self, y, what):
        return _data_list(y, self.output_names, what, "output")

    def _outputs(self, arrays):
        return arrays if getattr(self, "_output_is_list", False) else arrays[0]

    # -- structure ------------------------------------------------------------------------------
    @property
    def layers(self):
        return [Layer._wrap(impl) for impl in self._impl.layers]

    def get_layer(self, name=None, index=None):
        if index is not None:
            if name is not None:
                raise ValueError("Provide only a layer name or a layer index. Received: index=%s, name=%s."
                                 % (index, name))
            layers = self.layers
            if len(layers) <= index:
                raise ValueError("Was asked to retrieve layer at index %d but model only has %d layers."
                                 % (index, len(layers)))
            return layers[index]
        if name is None:
            raise ValueError("Provide either a layer name or layer index at `get_layer`.")
        return Layer._wrap(self._impl.get_layer(name))

    def summary(self, line_length=None, positions=None, print_fn=None, expand_nested=False, show_trainable=False,
                layer_range=None):
        text = self._impl.summary()
        if print_fn is None:
            print(text, end="" if text.endswith("\n") else "\n")
        else:
            for line in text.rstrip("\n").split("\n"):
                print_fn(line)

    @property
    def stop_training(self):
        return self._impl.stop_training

    @stop_training.setter
    def stop_training(self, value):
        self._impl.stop_training = bool(value)

    metrics_names = property(lambda self: list(self._impl.metrics_names))

    def save_weights(self, filepath, overwrite=True, save_format=None, options=None):
        self._impl.save_weights(str(filepath))

    def load_weights(self, filepath, by_name=False, skip_mismatch=False, options=None):
        self._impl.load_weights(str(filepath))

    def save(self, *args, **kwargs):
        raise NotImplementedError("tensorbox: model.save (the .keras/.h5 formats) is not built yet; "
                                  "use save_weights/load_weights")

    def __call__(self, inputs, training=None, mask=None):
        return Layer.__call__(self, inputs, training=training)

    def get_config(self):
        return _config.loads(self._impl.get_config())

    @classmethod
    def from_config(cls, config, custom_objects=None):
        obj = cls.__new__(cls)
        obj._impl = _C.functional_from_config(_config.dumps(config))
        obj._output_is_list = len(obj._impl.output_names) > 1
        obj.optimizer = None
        obj.history = None
        return obj


Functional = Model
layers_module._LAYER_CLASSES["Functional"] = Model


class Sequential(Model):
    def __init__(self, layers=None, name=None):
        impls = []
        for i, layer in enumerate(layers or []):
            impls.append(self._layer_impl(layer, i))
        self._impl = _C.Sequential(impls, name or "")
        self.optimizer = None
        self.history = None

    @staticmethod
    def _layer_impl(layer, index=None):
        if isinstance(layer, layers_module.KerasTensor):
            return layer._impl.layer
        if not isinstance(layer, Layer):
            raise TypeError("The added layer must be an instance of class Layer. Received: layer=%r of type %s."
                            % (layer, type(layer)))
        return layer._impl

    def add(self, layer):
        self._impl.add(self._layer_impl(layer))

    def pop(self):
        self._impl.pop()

    def get_config(self):
        return _config.loads(self._impl.get_config())

    @classmethod
    def from_config(cls, config, custom_objects=None):
        obj = cls.__new__(cls)
        obj._impl = _C.sequential_from_config(_config.dumps(config))
        obj.optimizer = None
        obj.history = None
        return obj


layers_module._LAYER_CLASSES["Sequential"] = Sequential
