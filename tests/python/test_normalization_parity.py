"""BatchNormalization and LayerNormalization against real TensorFlow: training and inference
forward, gradients for the input and every trainable weight, the moving statistics after
training calls (biased variance after 2-D input, unbiased where Keras takes its fused kernel),
frozen layers, a small convnet trained a few steps, configs and errors."""
import numpy as np
import pytest

from conftest import assert_close


def _pair(tb, tfr, cls, kwargs, shape, rng):
    ref = getattr(tfr.keras.layers, cls)(**kwargs)
    ref.build((None,) + shape[1:])
    mine = getattr(tb.keras.layers, cls)(**kwargs)
    mine.build((None,) + shape[1:])
    # Non-default weights so that gamma/beta/moving statistics matter.
    ref.set_weights([w + rng.uniform(0.1, 0.5, w.shape).astype(np.float32) for w in ref.get_weights()])
    mine.set_weights(ref.get_weights())
    return mine, ref


def _run(tb, tfr, mine, ref, x, training):
    r = np.random.default_rng(5).standard_normal(x.shape).astype(np.float32)
    xt, xr = tb.constant(x), tfr.constant(x)
    with tb.GradientTape() as t1:
        t1.watch(xt)
        y1 = mine(xt, training=training)
        l1 = tb.reduce_sum(y1 * r)
    with tfr.GradientTape() as t2:
        t2.watch(xr)
        y2 = ref(xr, training=training)
        l2 = tfr.reduce_sum(y2 * r)
    return y1, y2, t1.gradient(l1, [xt] + mine.trainable_weights), t2.gradient(l2, [xr] + ref.trainable_weights)


BN_CASES = [
    ((16, 5), dict()),                                              # after Dense: biased moving variance
    ((4, 5, 5, 3), dict()),                                         # after Conv2D: fused, unbiased
    ((4, 6, 3), dict(momentum=0.9, epsilon=1e-5)),                  # rank 3: not fused
    ((4, 3, 5, 5), dict(axis=1, center=False)),                     # channels_first convnets
    ((6, 4, 5), dict(axis=[1, 2], scale=False)),
]


@pytest.mark.parametrize("shape,kwargs", BN_CASES, ids=lambda v: str(v))
@pytest.mark.parametrize("training", [True, False])
def test_batch_normalization(tb, tfr, rng, shape, kwargs, training):
    mine, ref = _pair(tb, tfr, "BatchNormalization", kwargs, shape, rng)
    x = (rng.standard_normal(shape) * 3 + 1).astype(np.float32)
    for step in range(2):  # two calls: the moving statistics must follow Keras's updates
        y1, y2, g1, g2 = _run(tb, tfr, mine, ref, x * (step + 1), training)
        assert_close(y1, y2, rtol=1e-4, atol=1e-5, what="forward")
        for i, (a, b) in enumerate(zip(g1, g2)):
            assert_close(a, b, rtol=1e-4, atol=1e-4, what="gradient %d" % i)
    for a, b, w in zip(mine.get_weights(), ref.get_weights(), ref.weights):
        assert_close(a, b, rtol=1e-5, atol=1e-6, what=w.name)
    assert [w.name.split("/")[-1] for w in mine.weights] == [w.name.split("/")[-1] for w in ref.weights]
    assert len(mine.non_trainable_weights) == 2
    cfg, ref_cfg = mine.get_config(), ref.get_config()
    for key in ("axis", "momentum", "epsilon", "center", "scale", "beta_initializer", "gamma_initializer",
                "moving_mean_initializer", "moving_variance_initializer"):
        assert cfg[key] == (list(ref_cfg[key]) if isinstance(ref_cfg[key], tuple) else ref_cfg[key]), key


def test_frozen_batch_normalization_uses_moving_statistics(tb, tfr, rng):
    mine, ref = _pair(tb, tfr, "BatchNormalization", {}, (8, 4), rng)
    mine.trainable = ref.trainable = False
    x = rng.standard_normal((8, 4)).astype(np.float32)
    before = mine.get_weights()
    assert_close(mine(x, training=True), ref(x, training=True), what="frozen forward")
    for a, b in zip(mine.get_weights(), before):
        np.testing.assert_array_equal(a, b)


LN_CASES = [((4, 6), dict()), ((3, 4, 5), dict(axis=[1, 2], epsilon=1e-6)), ((3, 4, 5), dict(axis=1, center=False)),
            ((2, 3, 4, 5), dict(scale=False))]


@pytest.mark.parametrize("shape,kwargs", LN_CASES, ids=lambda v: str(v))
def test_layer_normalization(tb, tfr, rng, shape, kwargs):
    mine, ref = _pair(tb, tfr, "LayerNormalization", kwargs, shape, rng)
    x = (rng.standard_normal(shape) * 2 - 1).astype(np.float32)
    y1, y2, g1, g2 = _run(tb, tfr, mine, ref, x, True)
    assert_close(y1, y2, rtol=1e-4, atol=1e-5, what="forward")
    for i, (a, b) in enumerate(zip(g1, g2)):
        assert_close(a, b, rtol=1e-4, atol=1e-4, what="gradient %d" % i)
    cfg, ref_cfg = mine.get_config(), ref.get_config()
    for key in ("axis", "epsilon", "center", "scale"):
        assert cfg[key] == (list(ref_cfg[key]) if isinstance(ref_cfg[key], tuple) else ref_cfg[key]), key
    again = tb.keras.layers.LayerNormalization.from_config(cfg)
    again.build((None,) + shape[1:])
    again.set_weights(mine.get_weights())
    assert_close(again(x), y1, what="from_config")


def _bn_convnet(k):
    return k.Sequential([k.Input(shape=(8, 8, 2)), k.layers.Conv2D(4, 3, use_bias=False),
                         k.layers.BatchNormalization(), k.layers.Activation("relu"), k.layers.Flatten(),
                         k.layers.Dense(8), k.layers.LayerNormalization(), k.layers.Dense(3)])


def test_convnet_with_normalization_trains_like_keras(tb, tfr, rng):
    x = rng.random((32, 8, 8, 2)).astype(np.float32)
    y = rng.integers(0, 3, 32)
    ref, mine = _bn_convnet(tfr.keras), _bn_convnet(tb.keras)
    mine.set_weights(ref.get_weights())
    loss = dict(loss=tfr.keras.losses.SparseCategoricalCrossentropy(from_logits=True))
    ref.compile(optimizer=tfr.keras.optimizers.legacy.Adam(), **loss)
    mine.compile(optimizer="adam", loss=tb.keras.losses.SparseCategoricalCrossentropy(from_logits=True))
    h1 = mine.fit(x, y, batch_size=8, epochs=2, shuffle=False, verbose=0)
    h2 = ref.fit(x, y, batch_size=8, epochs=2, shuffle=False, verbose=0)
    assert_close(h1.history["loss"], h2.history["loss"], rtol=1e-4, what="fit losses")
    for a, b, w in zip(mine.get_weights(), ref.get_weights(), ref.weights):
        assert_close(a, b, rtol=1e-3, atol=1e-5, what=w.name)
    assert_close(mine.predict(x, verbose=0), ref.predict(x, verbose=0), rtol=1e-3, atol=1e-5, what="inference")


def test_normalization_errors(tb):
    L = tb.keras.layers
    with pytest.raises(ValueError, match=r"Invalid axis: 3 for input of layer \"batch_normalization\w*\""):
        L.BatchNormalization(axis=3)(np.zeros((2, 3), np.float32))
    ln = L.LayerNormalization()
    ln(np.zeros((2, 4), np.float32))
    with pytest.raises(ValueError, match=r"expected axis 1 of input shape to have value 4, but received input with "
                                         r"shape \(2, 5\)"):
        ln(np.zeros((2, 5), np.float32))
    with pytest.raises(NotImplementedError, match="renorm"):
        L.BatchNormalization(renorm=True)
