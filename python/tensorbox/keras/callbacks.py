"""tf.keras.callbacks: subclass Callback in Python, or use the engine's built-in callbacks.

fit() drives everything from the C++ loop; a Python callback's hooks are called with the GIL
taken, and only the hooks a subclass overrides are called at all.
"""
import json

from .. import _C

_HOOKS = ("on_train_begin", "on_train_end", "on_epoch_begin", "on_epoch_end", "on_train_batch_begin",
          "on_train_batch_end", "on_test_begin", "on_test_end", "on_test_batch_begin", "on_test_batch_end",
          "on_predict_begin", "on_predict_end", "on_predict_batch_begin", "on_predict_batch_end")


class Callback:
    """keras.callbacks.Callback."""

    def __init__(self):
        self.validation_data = None
        self.model = None
        self.params = {}

    def set_params(self, params):
        self.params = params

    def set_model(self, model):
        self.model = model

    def on_batch_begin(self, batch, logs=None):
        pass

    def on_batch_end(self, batch, logs=None):
        pass

    def on_train_batch_begin(self, batch, logs=None):
        self.on_batch_begin(batch, logs=logs)

    def on_train_batch_end(self, batch, logs=None):
        self.on_batch_end(batch, logs=logs)

    def _engine_callback(self):
        """The engine-side callback that calls this object's overridden hooks."""
        hooks = set()
        for h in _HOOKS:
            if getattr(type(self), h, None) is not getattr(Callback, h, None):
                hooks.add(h)
        for alias, hook in (("on_batch_begin", "on_train_batch_begin"), ("on_batch_end", "on_train_batch_end")):
            if getattr(type(self), alias) is not getattr(Callback, alias):
                hooks.add(hook)
        return _C.python_callback(self, hooks)


for _h in _HOOKS:
    if not hasattr(Callback, _h):
        setattr(Callback, _h, lambda self, *args, **kwargs: None)


class _Builtin(Callback):
    """A callback implemented by the engine."""

    def __init__(self, class_name, **kwargs):
        super().__init__()
        self._impl = _C.make_callback(class_name, json.dumps(kwargs))

    def _engine_callback(self):
        return self._impl


class EarlyStopping(_Builtin):
    def __init__(self, monitor="val_loss", min_delta=0, patience=0, verbose=0, mode="auto", baseline=None,
                 restore_best_weights=False, start_from_epoch=0):
        if start_from_epoch:
            raise NotImplementedError("tensorbox: EarlyStopping(start_from_epoch=...) is not supported yet")
        super().__init__("EarlyStopping", monitor=monitor, min_delta=min_delta, patience=patience, verbose=verbose,
                         mode=mode, baseline=baseline, restore_best_weights=restore_best_weights)


class ReduceLROnPlateau(_Builtin):
    def __init__(self, monitor="val_loss", factor=0.1, patience=10, verbose=0, mode="auto", min_delta=1e-4,
                 cooldown=0, min_lr=0, **kwargs):
        if "epsilon" in kwargs:
            min_delta = kwargs.pop("epsilon")
        if kwargs:
            raise TypeError("ReduceLROnPlateau got unexpected keyword arguments %s" % list(kwargs))
        super().__init__("ReduceLROnPlateau", monitor=monitor, factor=factor, patience=patience, verbose=verbose,
                         mode=mode, min_delta=min_delta, cooldown=cooldown, min_lr=min_lr)


class ModelCheckpoint(_Builtin):
    """Saves weights (tensorbox's weights file; full-model files come with the .keras/.h5 formats)."""

    def __init__(self, filepath, monitor="val_loss", verbose=0, save_best_only=False, save_weights_only=False,
                 mode="auto", save_freq="epoch", options=None, initial_value_threshold=None):
        if initial_value_threshold is not None:
            raise NotImplementedError("tensorbox: ModelCheckpoint(initial_value_threshold=...) is not supported yet")
        super().__init__("ModelCheckpoint", filepath=str(filepath), monitor=monitor, verbose=verbose,
                         save_best_only=save_best_only, save_weights_only=True, mode=mode, save_freq=save_freq)


class TerminateOnNaN(_Builtin):
    def __init__(self):
        super().__init__("TerminateOnNaN")


class LearningRateScheduler(_Builtin):
    def __init__(self, schedule, verbose=0):
        Callback.__init__(self)
        self.schedule = schedule
        self._impl = _C.learning_rate_scheduler(lambda epoch, lr: float(schedule(epoch, lr)), int(verbose))


class History(Callback):
    """What fit() returns: history[key] per epoch, the epoch numbers, params and the model."""

    def __init__(self):
        super().__init__()
        self.history = {}
        self.epoch = []

    def _fill(self, engine_history):
        self.epoch = list(engine_history.epoch)
        self.history = {k: list(engine_history.history[k]) for k in engine_history.keys}


class ProgbarLogger(Callback):
    """fit() prints Keras's progress bar itself (verbose=1); passing this changes nothing."""

    def __init__(self, count_mode="steps", stateful_metrics=None):
        super().__init__()

    def _engine_callback(self):
        return None


class LambdaCallback(Callback):
    def __init__(self, on_epoch_begin=None, on_epoch_end=None, on_batch_begin=None, on_batch_end=None,
                 on_train_begin=None, on_train_end=None, **kwargs):
        super().__init__()
        self._fns = dict(kwargs, on_epoch_begin=on_epoch_begin, on_epoch_end=on_epoch_end,
                         on_train_batch_begin=on_batch_begin, on_train_batch_end=on_batch_end,
                         on_train_begin=on_train_begin, on_train_end=on_train_end)
        self._fns = {k: v for k, v in self._fns.items() if v is not None}

    def _engine_callback(self):
        for k, fn in self._fns.items():
            setattr(self, k, fn)
        return _C.python_callback(self, set(self._fns))
