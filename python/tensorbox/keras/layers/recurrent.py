"""tf.keras.layers recurrent layers and wrappers: SimpleRNN, LSTM, GRU, Bidirectional,
TimeDistributed, and Masking (the layer that marks padded timesteps for them)."""
from ... import _C
from .. import _config
from .base import Layer, _activation_name, _initializer_config, _regularizer_configs, _unsupported

_RNN_FLAGS = ("return_sequences", "return_state", "go_backwards", "stateful", "unroll", "time_major")


def _call_with_state(layer, inputs, mask, training, initial_state, constants):
    """An RNN call: `initial_state` tensors follow the input in one list, as Keras passes them."""
    if constants is not None:
        raise NotImplementedError("tensorbox: RNN `constants` are not supported")
    states = [] if initial_state is None else (
        list(initial_state) if isinstance(initial_state, (list, tuple)) else [initial_state])
    if isinstance(inputs, (list, tuple)) and not states:
        inputs, states = inputs[0], list(inputs[1:])  # [x, state...]: Keras's list form
    inputs = [inputs] + states  # always a list call: return_state gives several outputs
    if mask is not None and not isinstance(mask, (list, tuple)):
        mask = [mask] + [None] * len(states)
    return Layer.__call__(layer, inputs, training=training, mask=mask)


class _RNN(Layer):
    """What SimpleRNN, LSTM and GRU share: their config and `initial_state`."""

    def _build_rnn(self, class_name, units, cell, kwargs):
        units = int(units)
        if units <= 0:
            raise ValueError("Received an invalid value for argument `units`, expected a positive integer, got %s"
                             % units)
        flags = {k: bool(kwargs.pop(k, False)) for k in _RNN_FLAGS}
        for k in ("kernel_constraint", "recurrent_constraint", "bias_constraint"):
            _unsupported(class_name, **{k: kwargs.pop(k, None)})
        regs = _regularizer_configs(kwargs.pop("kernel_regularizer", None), kwargs.pop("bias_regularizer", None),
                                    kwargs.pop("activity_regularizer", None))
        from .. import regularizers
        regs["recurrent_regularizer"] = regularizers.config_of(kwargs.pop("recurrent_regularizer", None))
        config = dict(flags, units=units, **cell, **regs,
                      kernel_initializer=_initializer_config(kwargs.pop("kernel_initializer", "glorot_uniform")),
                      recurrent_initializer=_initializer_config(kwargs.pop("recurrent_initializer", "orthogonal")),
                      bias_initializer=_initializer_config(kwargs.pop("bias_initializer", "zeros")),
                      use_bias=bool(kwargs.pop("use_bias", True)),
                      dropout=float(kwargs.pop("dropout", 0.0)),
                      recurrent_dropout=float(kwargs.pop("recurrent_dropout", 0.0)))
        kwargs.pop("implementation", None)  # 1 and 2 compute the same function
        self._build_impl(class_name, config, kwargs)

    def __call__(self, inputs, mask=None, training=None, initial_state=None, constants=None):
        return _call_with_state(self, inputs, mask, training, initial_state, constants)

    units = property(lambda self: self.get_config()["units"])
    return_sequences = property(lambda self: self.get_config()["return_sequences"])
    return_state = property(lambda self: self.get_config()["return_state"])


class SimpleRNN(_RNN):
    def __init__(self, units, activation="tanh", **kwargs):
        self._build_rnn("SimpleRNN", units, {"activation": _activation_name(activation)}, kwargs)


class LSTM(_RNN):
    def __init__(self, units, activation="tanh", recurrent_activation="sigmoid", unit_forget_bias=True, **kwargs):
        self._build_rnn("LSTM", units, {"activation": _activation_name(activation),
                                        "recurrent_activation": _activation_name(recurrent_activation),
                                        "unit_forget_bias": bool(unit_forget_bias)}, kwargs)


class GRU(_RNN):
    def __init__(self, units, activation="tanh", recurrent_activation="sigmoid", reset_after=True, **kwargs):
        self._build_rnn("GRU", units, {"activation": _activation_name(activation),
                                       "recurrent_activation": _activation_name(recurrent_activation),
                                       "reset_after": bool(reset_after)}, kwargs)


class Bidirectional(Layer):
    def __init__(self, layer, merge_mode="concat", weights=None, backward_layer=None, **kwargs):
        _unsupported("Bidirectional", weights=weights, backward_layer=backward_layer)
        if not isinstance(layer, Layer):
            raise ValueError("Please initialize `Bidirectional` layer with a `tf.keras.layers.Layer` instance. "
                             "Received: %r" % (layer,))
        self._build_impl("Bidirectional", {"layer": {"class_name": layer._impl.class_name, "config": layer.get_config()},
                                           "merge_mode": merge_mode}, kwargs)

    def __call__(self, inputs, mask=None, training=None, initial_state=None, constants=None):
        return _call_with_state(self, inputs, mask, training, initial_state, constants)


class TimeDistributed(Layer):
    def __init__(self, layer, **kwargs):
        if not isinstance(layer, Layer):
            raise ValueError("Please initialize `TimeDistributed` layer with a `tf.keras.layers.Layer` instance. "
                             "Received: %r" % (layer,))
        self.layer = layer  # Keras wraps this very layer: its weights are the wrapper's
        self._impl = _C.time_distributed(layer._impl, _config.dumps(self._impl_config("TimeDistributed", {}, kwargs)))


class Masking(Layer):
    def __init__(self, mask_value=0.0, **kwargs):
        self._build_impl("Masking", {"mask_value": float(mask_value)}, kwargs)
