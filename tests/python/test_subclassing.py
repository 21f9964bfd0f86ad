"""Model subclassing against real TensorFlow: the same tf.keras.Model subclass (its own `call`,
layers in attributes and lists, a `training` flag reaching BatchNormalization and Dropout)
trains to the same numbers with `fit` and with a custom GradientTape loop."""
import numpy as np
import pytest

from conftest import assert_close


def _subclass(k):
    class ResidualMLP(k.Model):
        def __init__(self, classes):
            super().__init__()
            self.stem = k.layers.Dense(16, activation="relu")
            self.blocks = [k.layers.Dense(16, activation="tanh") for _ in range(2)]
            self.norm = k.layers.BatchNormalization()
            self.head = k.layers.Dense(classes)

        def call(self, x, training=False):
            h = self.stem(x)
            for block in self.blocks:
                h = h + block(h)
            return self.head(self.norm(h, training=training))

    return ResidualMLP(3)


def _pair(tb, tfr, x):
    tfr.keras.backend.clear_session()
    tb.keras.backend.clear_session()
    ref, mine = _subclass(tfr.keras), _subclass(tb.keras)
    ref(x[:1])
    mine(x[:1])  # a subclassed model is built by its first call
    mine.set_weights(ref.get_weights())
    return mine, ref


@pytest.fixture
def data(rng):
    return rng.standard_normal((48, 7)).astype(np.float32), rng.integers(0, 3, 48)


def test_subclassed_model_fits_like_keras(tb, tfr, data):
    x, y = data
    mine, ref = _pair(tb, tfr, x)
    assert mine.name == ref.name == "residual_mlp"
    assert [w.shape for w in mine.weights] == [tuple(w.shape) for w in ref.weights]
    assert_close(mine(x), ref(x), what="forward")
    ref.compile(optimizer=tfr.keras.optimizers.legacy.Adam(),
                loss=tfr.keras.losses.SparseCategoricalCrossentropy(from_logits=True), metrics=["accuracy"])
    mine.compile(optimizer="adam", loss=tb.keras.losses.SparseCategoricalCrossentropy(from_logits=True),
                 metrics=["accuracy"])
    h1 = mine.fit(x, y, batch_size=16, epochs=3, shuffle=False, verbose=0)
    h2 = ref.fit(x, y, batch_size=16, epochs=3, shuffle=False, verbose=0)
    for key in ("loss", "accuracy"):
        assert_close(h1.history[key], h2.history[key], rtol=1e-4, what=key)
    assert_close(mine.predict(x, verbose=0), ref.predict(x, verbose=0), rtol=1e-4, atol=1e-5, what="predict")


def test_custom_training_loop_with_gradient_tape(tb, tfr, data):
    x, y = data
    mine, ref = _pair(tb, tfr, x)
    results = []
    for tf_, model, opt in ((tb, mine, tb.keras.optimizers.SGD(0.05)), (tfr, ref, tfr.keras.optimizers.legacy.SGD(0.05))):
        loss_fn = tf_.keras.losses.SparseCategoricalCrossentropy(from_logits=True)
        losses = []
        for step in range(4):
            xb, yb = x[step * 12:(step + 1) * 12], y[step * 12:(step + 1) * 12]
            with tf_.GradientTape() as tape:
                loss = loss_fn(yb, model(xb, training=True))
            grads = tape.gradient(loss, model.trainable_variables)
            opt.apply_gradients(zip(grads, model.trainable_variables))
            losses.append(float(loss))
        results.append((losses, model.get_weights()))
    assert_close(results[0][0], results[1][0], rtol=1e-5, what="losses")
    for a, b in zip(results[0][1], results[1][1]):
        assert_close(a, b, rtol=1e-4, atol=1e-6, what="weights")


def test_subclassing_errors(tb):
    k = tb.keras

    class Forgot(k.Model):
        def __init__(self):
            self.dense = k.layers.Dense(2)

    with pytest.raises(RuntimeError, match=r"forgot to call `super\(\).__init__\(\)`"):
        Forgot()

    class NoCall(k.Model):
        def __init__(self):
            super().__init__()
            self.dense = k.layers.Dense(2)

    with pytest.raises(NotImplementedError, match="must define `call`"):
        NoCall()(np.zeros((1, 3), np.float32))
    with pytest.raises(ValueError, match="has not yet been built"):
        NoCall().summary()
    with pytest.raises(TypeError, match="needs `inputs` and `outputs`"):
        k.Model()
