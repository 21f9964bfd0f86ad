"""The rest of issue 5's layers against real TensorFlow with the shared harness (forward,
gradients, parameter counts, output shapes, configs, from_config): activation layers,
reshaping, noise (at inference, and their training statistics), Embedding, preprocessing
(Normalization.adapt, Resizing and bilinear UpSampling2D included), Conv2DTranspose, DepthwiseConv2D, SeparableConv2D; then the
errors."""
import numpy as np
import pytest

from conftest import assert_close
from layer_parity import check_layer

CASES = [
    ("ReLU", {}, (4, 7)), ("ReLU", dict(max_value=1.5, negative_slope=0.1, threshold=0.3), (4, 7)),
    ("ReLU", dict(max_value=6.0), (4, 7)), ("LeakyReLU", {}, (4, 7)), ("LeakyReLU", dict(alpha=0.05), (3, 2, 5)),
    ("ELU", {}, (4, 7)), ("ELU", dict(alpha=0.5), (4, 7)), ("PReLU", {}, (4, 7)),
    ("PReLU", dict(alpha_initializer="ones", shared_axes=[1, 2]), (2, 4, 5, 3)), ("Softmax", {}, (4, 7)),
    ("Softmax", dict(axis=1), (3, 4, 5)),
    ("ZeroPadding2D", {}, (2, 4, 5, 3)), ("ZeroPadding2D", dict(padding=((1, 2), (0, 3))), (2, 4, 5, 3)),
    ("ZeroPadding2D", dict(padding=2, data_format="channels_first"), (2, 3, 4, 5)),
    ("Cropping2D", dict(cropping=((1, 0), (2, 1))), (2, 5, 6, 3)), ("Cropping2D", dict(cropping=1), (2, 5, 6, 3)),
    ("UpSampling2D", {}, (2, 3, 4, 2)), ("UpSampling2D", dict(size=(3, 1)), (2, 3, 4, 2)),
    ("RepeatVector", dict(n=3), (4, 5)), ("Permute", dict(dims=(2, 1)), (3, 4, 5)),
    ("Permute", dict(dims=(3, 1, 2)), (2, 3, 4, 5)),
    ("SpatialDropout2D", dict(rate=0.4), (2, 4, 4, 3)), ("GaussianNoise", dict(stddev=0.5), (4, 6)),
    ("Rescaling", dict(scale=1 / 255.0), (2, 4, 4, 3)), ("Rescaling", dict(scale=2.0, offset=-1.0), (3, 5)),
    ("Normalization", dict(mean=[1.0, 2.0, 3.0], variance=[4.0, 1.0, 0.25]), (5, 3)),
    ("Normalization", dict(axis=None, mean=2.0, variance=9.0), (5, 3)),
    ("CenterCrop", dict(height=3, width=2), (2, 6, 5, 3)),
    ("CenterCrop", dict(height=9, width=4), (2, 7, 5, 3)),  # taller than the input: smart_resize
    ("Resizing", dict(height=4, width=9), (2, 7, 5, 3)), ("Resizing", dict(height=10, width=3, interpolation="nearest"),
                                                         (2, 7, 5, 3)),
    ("Resizing", dict(height=4, width=4, crop_to_aspect_ratio=True), (2, 7, 5, 3)),
    ("Resizing", dict(height=3, width=8, crop_to_aspect_ratio=True, interpolation="nearest"), (1, 7, 5, 2)),
    ("UpSampling2D", dict(size=(2, 3), interpolation="bilinear"), (2, 3, 4, 2)),
    ("UpSampling2D", dict(size=2, interpolation="bilinear", data_format="channels_first"), (2, 3, 4, 5)),
    ("Conv2DTranspose", dict(filters=4, kernel_size=3), (2, 5, 4, 3)),
    ("Conv2DTranspose", dict(filters=3, kernel_size=3, strides=2, padding="same", activation="relu"), (2, 4, 5, 2)),
    ("Conv2DTranspose", dict(filters=2, kernel_size=(3, 2), strides=2, output_padding=1), (2, 3, 3, 3)),
    ("Conv2DTranspose", dict(filters=2, kernel_size=4, strides=2, padding="same", use_bias=False), (1, 3, 3, 2)),
    ("DepthwiseConv2D", dict(kernel_size=3), (2, 6, 6, 3)),
    ("DepthwiseConv2D", dict(kernel_size=3, depth_multiplier=2, strides=2, padding="same", activation="relu"),
     (2, 7, 6, 3)),
    ("SeparableConv2D", dict(filters=5, kernel_size=3), (2, 6, 6, 3)),
    ("SeparableConv2D", dict(filters=4, kernel_size=3, depth_multiplier=2, padding="same", dilation_rate=2,
                             activation="tanh"), (2, 7, 7, 2)),
]


@pytest.mark.parametrize("cls,kwargs,shape", CASES, ids=lambda v: v if isinstance(v, str) else
                         "-".join("%s=%s" % i for i in v.items()) if isinstance(v, dict) else str(v))
def test_layer_parity(tb, tfr, rng, cls, kwargs, shape):
    x = (rng.standard_normal(shape) * 2).astype(np.float32)
    check_layer(tb, tfr, cls, kwargs, x, rtol=1e-5, atol=1e-5)


def test_embedding(tb, tfr, rng):
    ids = rng.integers(0, 10, (4, 6)).astype(np.int32)
    check_layer(tb, tfr, "Embedding", dict(input_dim=10, output_dim=3), ids)
    mine = tb.keras.layers.Embedding(10, 3)
    assert mine(ids.astype(np.float32)).shape == (4, 6, 3)  # float ids are cast, as in Keras
    with pytest.raises(tb.errors.InvalidArgumentError, match=r'layer "embedding\w*": gather: indices\[1\] = 10 is not in \[0, 10\)'):
        mine(np.array([[1, 10]], np.int32))


def test_normalization_adapt_matches_keras(tb, tfr, rng):
    data = (rng.standard_normal((200, 4)) * [1, 2, 3, 4] + [0, 1, 2, 3]).astype(np.float32)
    ref, mine = tfr.keras.layers.Normalization(), tb.keras.layers.Normalization()
    ref.adapt(data)
    mine.adapt(data)
    assert_close(mine(data[:10]), ref(data[:10]), rtol=1e-4, atol=1e-5, what="adapted normalization")
    for a, b in zip(mine.get_weights(), ref.get_weights()):
        assert_close(a, b, rtol=1e-4, atol=1e-5, what="mean/variance/count")
    # Inside a model: the statistics travel with it.
    model = tb.keras.Sequential([tb.keras.Input((4,)), mine, tb.keras.layers.Dense(1)])
    assert model.predict(data, verbose=0).shape == (200, 1)


@pytest.mark.parametrize("cls,kwargs", [("SpatialDropout2D", dict(rate=0.5)), ("GaussianNoise", dict(stddev=0.5))])
def test_noise_layers_in_training(tb, cls, kwargs):
    tb.random.set_seed(3)
    x = np.ones((64, 4, 4, 8), np.float32)
    layer = getattr(tb.keras.layers, cls)(**kwargs)
    np.testing.assert_array_equal(layer(x, training=False).numpy(), x)
    y = layer(x, training=True).numpy()
    if cls == "SpatialDropout2D":
        # Whole feature maps: each (sample, channel) is all 0 or all 2.
        per_map = y.transpose(0, 3, 1, 2).reshape(64 * 8, 16)
        assert set(np.unique(per_map)) <= {0.0, 2.0}
        assert (per_map.min(axis=1) == per_map.max(axis=1)).all()
        assert 0.35 < (per_map[:, 0] == 0).mean() < 0.65
    else:
        assert abs((y - x).std() - 0.5) < 0.02 and abs((y - x).mean()) < 0.02


def test_upsampling_model_trains_like_keras(tb, tfr, rng):
    """A small autoencoder built from the new layers, two training steps in both engines."""
    def build(k):
        inp = k.Input((8, 8, 1))
        x = k.layers.Conv2D(4, 3, padding="same")(inp)
        x = k.layers.LeakyReLU()(x)
        x = k.layers.SeparableConv2D(4, 3, padding="same")(x)
        x = k.layers.ZeroPadding2D(1)(x)
        x = k.layers.Cropping2D(1)(x)
        x = k.layers.DepthwiseConv2D(3, strides=2, padding="same")(x)
        x = k.layers.PReLU()(x)
        x = k.layers.Conv2DTranspose(2, 3, strides=2, padding="same")(x)
        x = k.layers.UpSampling2D(1)(x)
        return k.Model(inp, k.layers.Conv2D(1, 1)(x))
    tfr.keras.backend.clear_session()
    ref, mine = build(tfr.keras), build(tb.keras)
    mine.set_weights(ref.get_weights())
    x = rng.random((8, 8, 8, 1)).astype(np.float32)
    ref.compile(optimizer=tfr.keras.optimizers.legacy.Adam(), loss="mse")
    mine.compile(optimizer="adam", loss="mse")
    for step in range(2):
        assert_close(mine.train_on_batch(x, x), ref.train_on_batch(x, x), rtol=1e-4, what="step %d" % step)


def test_coverage_errors(tb):
    L = tb.keras.layers
    with pytest.raises(ValueError, match="max_value of a ReLU layer cannot be a negative value"):
        L.ReLU(max_value=-1)
    with pytest.raises(ValueError, match="Invalid permutation argument `dims` for Permute Layer"):
        L.Permute((1, 3))
    with pytest.raises(ValueError, match="expected ndim=4, found ndim=3"):
        L.ZeroPadding2D()(np.zeros((2, 3, 3), np.float32))
    with pytest.raises(ValueError, match="Argument `cropping` must be smaller than the input shape"):
        L.Cropping2D(2)(np.zeros((1, 4, 4, 1), np.float32))
    with pytest.raises(ValueError, match=r"Strides \(2, 2\) must be greater than output padding \(2, 2\)"):
        L.Conv2DTranspose(2, 3, strides=2, output_padding=2)
    with pytest.raises(ValueError, match="Both `input_dim` and `output_dim` should be positive"):
        L.Embedding(0, 3)
    with pytest.raises(ValueError, match="both `mean` and `variance` must be set"):
        L.Normalization(mean=1.0)
    with pytest.raises(ValueError, match=r"adapt\(\) is for layers without a given `mean` and `variance`"):
        L.Normalization(mean=1.0, variance=2.0).adapt(np.ones((4, 2), np.float32))
    with pytest.raises(ValueError, match=r"adapt\(\) needs a non-empty batch"):
        L.Normalization().adapt(np.zeros((0, 2), np.float32))
    with pytest.raises(tb.errors.UnimplementedError, match=r'interpolation "bicubic" is not supported'):
        L.Resizing(4, 4, interpolation="bicubic")
    with pytest.raises(ValueError, match=r"expects images \[batch, height, width, channels\]"):
        L.Resizing(4, 4)(np.zeros((2, 3), np.float32))
    with pytest.raises(ValueError, match="`height` and `width` must be positive"):
        L.Resizing(0, 4)
    with pytest.raises(ValueError, match="Invalid value received for argument `rate`"):
        L.SpatialDropout2D(1.5)
