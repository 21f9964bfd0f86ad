"""Convolution and pooling layers against real TensorFlow: forward, gradients with respect to
the input and every weight, one training step, config round trip, summary; plus the errors
Keras raises for bad input, with Keras's wording. TensorFlow's CPU kernels only run
channels_last, so channels_first is checked against tensorbox's own channels_last result."""
import numpy as np
import pytest

from conftest import assert_close
from layer_parity import check_layer as _check_layer

CONV2D_CASES = [
    dict(filters=4, kernel_size=3),
    dict(filters=5, kernel_size=(3, 2), strides=(2, 1), padding="same"),
    dict(filters=6, kernel_size=3, padding="same", activation="relu"),
    dict(filters=3, kernel_size=(2, 3), dilation_rate=2, use_bias=False, activation="tanh"),
    dict(filters=6, kernel_size=3, groups=2, activation="sigmoid"),
    dict(filters=4, kernel_size=5, strides=2, padding="same", activation="softmax"),
    dict(filters=2, kernel_size=1, activation="elu"),
]
CONV1D_CASES = [
    dict(filters=4, kernel_size=3),
    dict(filters=3, kernel_size=2, padding="causal", dilation_rate=2, activation="relu"),
    dict(filters=5, kernel_size=4, strides=3, padding="same"),
    dict(filters=4, kernel_size=3, groups=2, use_bias=False),
]
POOL_CASES = [
    ("MaxPooling2D", dict()), ("MaxPooling2D", dict(pool_size=3, strides=2, padding="same")),
    ("MaxPooling2D", dict(pool_size=(2, 3), strides=1)), ("AveragePooling2D", dict()),
    ("AveragePooling2D", dict(pool_size=3, strides=2, padding="same")), ("AveragePooling2D", dict(pool_size=(3, 1))),
    ("MaxPooling1D", dict()), ("MaxPooling1D", dict(pool_size=3, strides=2, padding="same")),
    ("AveragePooling1D", dict(pool_size=3, strides=1, padding="same")), ("AveragePooling1D", dict(pool_size=4)),
    ("GlobalAveragePooling2D", dict()), ("GlobalMaxPooling2D", dict(keepdims=True)),
    ("GlobalAveragePooling1D", dict(keepdims=True)), ("GlobalMaxPooling1D", dict()),
]


@pytest.mark.parametrize("kwargs", CONV2D_CASES, ids=lambda k: "-".join("%s=%s" % i for i in k.items()))
def test_conv2d(tb, tfr, rng, kwargs):
    x = rng.standard_normal((3, 9, 8, 4)).astype(np.float32)
    _check_layer(tb, tfr, "Conv2D", kwargs, x)


@pytest.mark.parametrize("kwargs", CONV1D_CASES, ids=lambda k: "-".join("%s=%s" % i for i in k.items()))
def test_conv1d(tb, tfr, rng, kwargs):
    x = rng.standard_normal((3, 11, 4)).astype(np.float32)
    _check_layer(tb, tfr, "Conv1D", kwargs, x)


@pytest.mark.parametrize("cls,kwargs", POOL_CASES, ids=lambda v: v if isinstance(v, str) else
                         "-".join("%s=%s" % i for i in v.items()))
def test_pooling(tb, tfr, rng, cls, kwargs):
    shape = (3, 9, 7, 4) if cls.endswith("2D") else (3, 10, 4)
    x = rng.standard_normal(shape).astype(np.float32)
    _check_layer(tb, tfr, cls, kwargs, x)


@pytest.mark.parametrize("cls,kwargs", [("Conv2D", dict(filters=5, kernel_size=3, padding="same", strides=2)),
                                        ("Conv1D", dict(filters=3, kernel_size=2)),
                                        ("MaxPooling2D", dict()), ("AveragePooling1D", dict(padding="same")),
                                        ("GlobalAveragePooling2D", dict())])
def test_channels_first_is_channels_last_transposed(tb, rng, cls, kwargs):
    x = rng.standard_normal((2, 6, 7, 3) if "2D" in cls else (2, 6, 3)).astype(np.float32)
    last = getattr(tb.keras.layers, cls)(**kwargs)
    first = getattr(tb.keras.layers, cls)(data_format="channels_first", **kwargs)
    y_last = last(x).numpy()
    xf = np.moveaxis(x, -1, 1)
    first.build((None,) + xf.shape[1:])
    first.set_weights(last.get_weights())  # same kernel layout in both formats, as in Keras
    y_first = first(xf).numpy()
    if y_last.ndim > 2:
        y_first = np.moveaxis(y_first, 1, -1)
    assert_close(y_first, y_last, what=cls)


def _convnet(k):
    return k.Sequential([
        k.Input(shape=(12, 12, 1)),
        k.layers.Conv2D(4, 3, activation="relu"),
        k.layers.MaxPooling2D(),
        k.layers.Conv2D(6, 3, padding="same", activation="relu"),
        k.layers.AveragePooling2D(),
        k.layers.Flatten(),
        k.layers.Dense(3, activation="softmax"),
    ])


@pytest.mark.parametrize("optimizer", ["sgd", "adam"])
def test_convnet_training_steps_match(tb, tfr, rng, optimizer):
    x = rng.random((16, 12, 12, 1)).astype(np.float32)
    y = tfr.keras.utils.to_categorical(rng.integers(0, 3, 16), 3)
    ref, mine = _convnet(tfr.keras), _convnet(tb.keras)
    mine.set_weights(ref.get_weights())
    opt = {"sgd": tfr.keras.optimizers.legacy.SGD, "adam": tfr.keras.optimizers.legacy.Adam}[optimizer]
    ref.compile(optimizer=opt(), loss="categorical_crossentropy", metrics=["accuracy"])
    mine.compile(optimizer=optimizer, loss="categorical_crossentropy", metrics=["accuracy"])
    for step in range(3):
        l1 = mine.train_on_batch(x, y)
        l2 = ref.train_on_batch(x, y)
        assert_close(l1, l2, rtol=1e-5, what="step %d" % step)
    for a, b in zip(mine.get_weights(), ref.get_weights()):
        assert_close(a, b, rtol=1e-4, atol=1e-6, what="weights after 3 steps")


def test_summary_matches_keras(tb, tfr, capsys):
    for k in (tfr.keras, tb.keras):
        k.backend.clear_session()
        _convnet(k).summary()
    ref_out, mine_out = capsys.readouterr().out.split('Model: "sequential"')[1:]
    # Same rows, same parameter counts; Keras 2.12 wraps long names the same way 2.9 does.
    assert [line.split() for line in mine_out.splitlines() if "(" in line] == \
        [line.split() for line in ref_out.splitlines() if "(" in line]


def _raises(exc, match, fn):
    with pytest.raises(exc, match=match):
        fn()


def test_errors_are_keras_like(tb):
    L = tb.keras.layers
    x4 = np.zeros((2, 8, 8, 3), np.float32)
    _raises(ValueError, r'Input 0 of layer "conv2d\w*" is incompatible with the layer: expected min_ndim=4, found '
            r'ndim=3', lambda: L.Conv2D(2, 3)(np.zeros((2, 8, 8), np.float32)))
    conv = L.Conv2D(2, 3)
    conv(x4)
    _raises(ValueError, r"expected axis -1 of input shape to have value 3, but received input with shape \(2, 8, 8, 5\)",
            lambda: conv(np.zeros((2, 8, 8, 5), np.float32)))
    _raises(ValueError, r"One of the dimensions in the output is <= 0 due to downsampling in conv2d", lambda: L.Conv2D(2, 9)(x4))
    _raises(ValueError, r"Invalid value for argument `filters`.*filters=0", lambda: L.Conv2D(0, 3))
    _raises(ValueError, r"`strides > 1` not supported in conjunction with `dilation_rate > 1`",
            lambda: L.Conv2D(2, 3, strides=2, dilation_rate=2))
    _raises(ValueError, r"Causal padding is only supported for `Conv1D`", lambda: L.Conv2D(2, 3, padding="causal"))
    _raises(ValueError, r"The number of filters must be evenly divisible by the number of groups",
            lambda: L.Conv2D(3, 3, groups=2))
    _raises(ValueError, r"input channels must be evenly divisible by the number of groups.*groups=2.*3 channels",
            lambda: L.Conv2D(4, 3, groups=2)(x4))
    _raises(ValueError, r"`kernel_size` argument must be a tuple of 2 integers", lambda: L.Conv2D(2, (3, 3, 3)))
    _raises(ValueError, r"`padding` argument must be .*Received: full", lambda: L.Conv2D(2, 3, padding="full"))
    _raises(ValueError, r"`data_format` argument must be one of", lambda: L.MaxPooling2D(data_format="nhwc"))
    _raises(ValueError, r'layer "max_pooling2d\w*" is incompatible with the layer: expected ndim=4, found ndim=3',
            lambda: L.MaxPooling2D()(np.zeros((2, 8, 8), np.float32)))
    _raises(ValueError, r'Negative dimension size caused by subtracting 3 from 2 in layer "max_pooling2d',
            lambda: L.MaxPooling2D(3)(np.zeros((1, 2, 2, 1), np.float32)))
    _raises(TypeError, r"Keyword argument not understood:', 'kernel'", lambda: L.Conv2D(2, 3, kernel=4))
    _raises(NotImplementedError, r"Conv2D\(kernel_constraint=...\)", lambda: L.Conv2D(2, 3, kernel_constraint="non_neg"))
    # A failed call leaves the layer as it was: it still works on good input.
    assert conv(x4).shape == (2, 6, 6, 2)
