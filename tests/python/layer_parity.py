"""The layer parity harness shared by the layer test files: build a layer in TensorFlow and in
tensorbox with the same arguments and weights, compare forward, gradients (input and every
trainable weight), parameter counts, output shapes, every config key Keras writes, and a
from_config(get_config()) rebuild."""
import numpy as np

from conftest import assert_close


def jsonish(v):
    """A config value as JSON gives it back: tuples become lists, NumPy scalars plain numbers
    (TensorFlow keeps some float arguments as float32: 0.3 -> 0.30000001), all the way down."""
    if isinstance(v, (list, tuple)):
        return [jsonish(x) for x in v]
    if isinstance(v, dict):
        return {k: jsonish(x) for k, x in v.items()}
    if isinstance(v, (np.generic, np.ndarray)) and np.ndim(v) == 0:
        v = v.item()
    if isinstance(v, float):
        return float(np.float32(v))  # compare at float32 precision
    return v


def pair(tb, tfr, cls, kwargs, x):
    """The layer in both engines, built for x, with TensorFlow's weights copied into ours."""
    ref = getattr(tfr.keras.layers, cls)(**kwargs)
    ref.build((None,) + x.shape[1:])
    mine = getattr(tb.keras.layers, cls)(**kwargs)
    mine.build((None,) + x.shape[1:])
    mine.set_weights(ref.get_weights())
    return mine, ref


def forward_and_gradients(tb, tfr, mine, ref, x, training=False):
    r = np.random.default_rng(5).standard_normal(ref(x).shape).astype(np.float32)
    xt, xr = tb.constant(x), tfr.constant(x)
    floating = x.dtype.kind == "f"
    with tb.GradientTape() as t1:
        if floating:
            t1.watch(xt)
        y1 = mine(xt, training=training)
        l1 = tb.reduce_sum(y1 * r)
    with tfr.GradientTape() as t2:
        if floating:
            t2.watch(xr)
        y2 = ref(xr, training=training)
        l2 = tfr.reduce_sum(y2 * r)
    g1 = t1.gradient(l1, ([xt] if floating else []) + mine.trainable_weights)
    g2 = [tfr.convert_to_tensor(g) for g in t2.gradient(l2, ([xr] if floating else []) + ref.trainable_weights)]
    return y1, y2, g1, g2


def check_layer(tb, tfr, cls, kwargs, x, rtol=1e-5, atol=1e-5, training=False):
    mine, ref = pair(tb, tfr, cls, kwargs, x)
    y1, y2, g1, g2 = forward_and_gradients(tb, tfr, mine, ref, x, training)
    assert tuple(y1.shape) == tuple(y2.shape)
    assert_close(y1, y2, rtol=rtol, atol=atol, what=cls + " forward")
    assert len(g1) == len(g2)
    for i, (a, b) in enumerate(zip(g1, g2)):
        assert_close(a, b, rtol=rtol, atol=atol, what="%s gradient %d" % (cls, i))
    assert mine.count_params() == ref.count_params()
    assert tuple(mine.compute_output_shape((None,) + x.shape[1:])) == tuple(ref.compute_output_shape((None,) + x.shape[1:]))
    # Every key Keras writes, with Keras's value (tuples become lists in JSON).
    cfg, ref_cfg = mine.get_config(), ref.get_config()
    for key, value in ref_cfg.items():
        if key == "name":
            continue
        assert key in cfg, key
        assert jsonish(cfg[key]) == jsonish(value), (key, cfg[key], value)
    # from_config(get_config()) rebuilds the same layer: same weights, same outputs.
    again = type(mine).from_config(cfg)
    again.build((None,) + x.shape[1:])
    again.set_weights(mine.get_weights())
    assert_close(again(x), y1, what=cls + " from_config")
    return mine, ref


