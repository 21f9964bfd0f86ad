"""tf.keras.layers attention: Attention (dot-product, Luong-style) and MultiHeadAttention,
with Keras's call signatures (masks from the inputs' _keras_mask, attention_mask,
use_causal_mask, return_attention_scores)."""
from ... import _C
from .. import _config
from .base import KerasTensor, Layer, _initializer_config, _input_tensor, _regularizer_configs, _unsupported


def _attend(layer, inputs, masks, attention_mask, training, use_causal_mask, return_attention_scores):
    if any(isinstance(x, KerasTensor) for x in inputs + [attention_mask]):
        if return_attention_scores or masks is not None:
            raise NotImplementedError("tensorbox: an explicit mask and return_attention_scores are supported in eager "
                                      "calls (and in subclassed layers and models), not yet in a functional model's "
                                      "graph; the inputs' masks, attention_mask and use_causal_mask are")
        if not all(isinstance(x, KerasTensor) for x in inputs) or not (
                attention_mask is None or isinstance(attention_mask, KerasTensor)):
            raise ValueError("Layer \"%s\": symbolic and concrete inputs cannot be mixed in one call" % layer.name)
        kw = {"use_causal_mask": True} if use_causal_mask else {}
        if training is not None:
            kw["training"] = bool(training)
        args = [x._impl for x in inputs]
        if attention_mask is not None:  # a tensor keyword argument: one more input of the node
            kw["attention_mask"] = {"input": len(args)}
            args.append(attention_mask._impl)
        out = layer._impl.symbolic_call(args, _config.dumps(kw))
        return KerasTensor(out[0])
    if masks is None:
        masks = [getattr(x, "_keras_mask", None) for x in inputs]
    masks = [None if m is None else _input_tensor(m) for m in masks]
    masks += [None] * (len(inputs) - len(masks))
    out, scores = _C.attend(layer._impl, [_input_tensor(x) for x in inputs], masks,
                            None if attention_mask is None else _input_tensor(attention_mask), bool(training),
                            bool(use_causal_mask))
    if masks[0] is not None:
        out._keras_mask = masks[0]
    return (out, scores) if return_attention_scores else out


class Attention(Layer):
    def __init__(self, use_scale=False, score_mode="dot", dropout=0.0, causal=False, **kwargs):
        if causal:
            raise NotImplementedError("tensorbox: Attention(causal=True) is deprecated in Keras; pass "
                                      "use_causal_mask=True to the call")
        self._build_impl("Attention", {"use_scale": bool(use_scale), "score_mode": score_mode,
                                       "dropout": float(dropout)}, kwargs)

    def __call__(self, inputs, mask=None, training=None, return_attention_scores=False, use_causal_mask=False):
        if not isinstance(inputs, (list, tuple)):
            raise ValueError("Attention layer must be called on a list of inputs, namely [query, value] or "
                             "[query, value, key]. Received: %r." % (inputs,))
        return _attend(self, list(inputs), mask, None, training, use_causal_mask, return_attention_scores)


class MultiHeadAttention(Layer):
    def __init__(self, num_heads, key_dim, value_dim=None, dropout=0.0, use_bias=True, output_shape=None,
                 attention_axes=None, kernel_initializer="glorot_uniform", bias_initializer="zeros",
                 kernel_regularizer=None, bias_regularizer=None, activity_regularizer=None, kernel_constraint=None,
                 bias_constraint=None, **kwargs):
        _unsupported("MultiHeadAttention", activity_regularizer=activity_regularizer,
                     kernel_constraint=kernel_constraint, bias_constraint=bias_constraint)
        regs = _regularizer_configs(kernel_regularizer, bias_regularizer, None)
        regs.pop("activity_regularizer")
        for k in ("query_shape", "key_shape", "value_shape"):
            kwargs.pop(k, None)  # from a saved config: the layer builds on its first call
        if isinstance(attention_axes, int):
            attention_axes = [attention_axes]
        self._build_impl("MultiHeadAttention", {
            "num_heads": int(num_heads), "key_dim": int(key_dim),
            "value_dim": None if value_dim is None else int(value_dim), "dropout": float(dropout),
            "use_bias": bool(use_bias),
            "output_shape": None if output_shape is None else (
                [int(output_shape)] if isinstance(output_shape, int) else [int(d) for d in output_shape]),
            "attention_axes": None if attention_axes is None else [int(a) for a in attention_axes],
            "kernel_initializer": _initializer_config(kernel_initializer),
            "bias_initializer": _initializer_config(bias_initializer), **regs}, kwargs)

    def __call__(self, query, value, key=None, attention_mask=None, return_attention_scores=False, training=None,
                 use_causal_mask=False):
        inputs = [query, value] + ([] if key is None else [key])
        return _attend(self, inputs, None, attention_mask, training, use_causal_mask, return_attention_scores)
