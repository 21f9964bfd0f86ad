"""Weight and activity regularizers against real TensorFlow: the penalties a layer reports
(`layer.losses`), configs, and `fit` with the penalties added to the loss, as Keras does."""
import numpy as np
import pytest

from conftest import assert_close
from layer_parity import jsonish


@pytest.mark.parametrize("cls,kwargs,shape", [
    ("Dense", dict(units=3, kernel_regularizer="l2", bias_regularizer="l1", activity_regularizer="l1_l2"), (5, 4)),
    ("Dense", dict(units=2, kernel_regularizer={"class_name": "L1L2", "config": {"l1": 0.003, "l2": 0.02}}), (5, 4)),
    ("Conv2D", dict(filters=2, kernel_size=3, kernel_regularizer="l1", activity_regularizer="l2"), (2, 5, 5, 3)),
    ("Conv1D", dict(filters=2, kernel_size=2, bias_regularizer="l2"), (2, 6, 3)),
    ("Conv2DTranspose", dict(filters=2, kernel_size=3, kernel_regularizer="l2", activity_regularizer="l1"), (2, 4, 4, 3)),
    ("DepthwiseConv2D", dict(kernel_size=3, depthwise_regularizer="l1", bias_regularizer="l2"), (2, 5, 5, 3)),
    ("SeparableConv2D", dict(filters=3, kernel_size=3, depthwise_regularizer="l2", pointwise_regularizer="l1",
                             activity_regularizer="l2"), (2, 5, 5, 2)),
    ("LSTM", dict(units=3, kernel_regularizer="l2", recurrent_regularizer="l1", bias_regularizer="l2",
                  activity_regularizer="l1"), (2, 4, 3)),
    ("GRU", dict(units=2, recurrent_regularizer="l1_l2"), (2, 4, 3)),
    ("MultiHeadAttention", dict(num_heads=2, key_dim=2, kernel_regularizer="l2", bias_regularizer="l1"), (2, 3, 4)),
])
def test_layer_penalties_and_configs(tb, tfr, rng, cls, kwargs, shape):
    x = rng.standard_normal(shape).astype(np.float32)
    ref = getattr(tfr.keras.layers, cls)(**kwargs)
    mine = getattr(tb.keras.layers, cls)(**kwargs)
    args = (x, x) if cls == "MultiHeadAttention" else (x,)
    ref(*args)
    mine(*args)
    ref.set_weights([w + 0.1 for w in ref.get_weights()])  # non-zero biases too
    mine.set_weights(ref.get_weights())
    ref(*args)
    mine(*args)
    assert len(mine.losses) == len(ref.losses)
    assert_close(sorted(float(l) for l in mine.losses), sorted(float(l) for l in ref.losses), rtol=1e-5, what="penalties")
    cfg, ref_cfg = mine.get_config(), ref.get_config()
    keys = [k for k in ref_cfg if k.endswith("_regularizer")]
    assert keys
    for key in keys:
        assert jsonish(cfg[key]) == jsonish(ref_cfg[key]), key
    again = type(mine).from_config(cfg)
    for key in keys:
        assert jsonish(again.get_config()[key]) == jsonish(cfg[key]), key


def test_embedding_penalties(tb, tfr, rng):
    ids = rng.integers(0, 10, (3, 4)).astype(np.int32)
    kw = dict(input_dim=10, output_dim=3, embeddings_regularizer="l2", activity_regularizer="l1")
    ref, mine = tfr.keras.layers.Embedding(**kw), tb.keras.layers.Embedding(**kw)
    ref(ids)
    mine(ids)
    mine.set_weights(ref.get_weights())
    ref(ids)
    mine(ids)
    assert_close(sorted(float(l) for l in mine.losses), sorted(float(l) for l in ref.losses), rtol=1e-5)
    assert jsonish(mine.get_config()["embeddings_regularizer"]) == jsonish(ref.get_config()["embeddings_regularizer"])


def test_fit_adds_the_penalties_to_the_loss(tb, tfr, rng):
    def build(k):
        return k.Sequential([k.Input((6,)), k.layers.Dense(8, activation="relu", kernel_regularizer=k.regularizers.L2(0.05)),
                             k.layers.Dense(3, activity_regularizer="l1", bias_regularizer="l2")])
    tfr.keras.backend.clear_session()
    ref, mine = build(tfr.keras), build(tb.keras)
    mine.set_weights(ref.get_weights())
    x, y = rng.standard_normal((32, 6)).astype(np.float32), rng.integers(0, 3, 32)
    ref.compile(optimizer=tfr.keras.optimizers.legacy.SGD(0.1),
                loss=tfr.keras.losses.SparseCategoricalCrossentropy(from_logits=True))
    mine.compile(optimizer=tb.keras.optimizers.SGD(0.1),
                 loss=tb.keras.losses.SparseCategoricalCrossentropy(from_logits=True))
    h1 = mine.fit(x, y, batch_size=8, epochs=3, shuffle=False, verbose=0)
    h2 = ref.fit(x, y, batch_size=8, epochs=3, shuffle=False, verbose=0)
    assert_close(h1.history["loss"], h2.history["loss"], rtol=1e-4, what="fit loss with penalties")
    for a, b in zip(mine.get_weights(), ref.get_weights()):
        assert_close(a, b, rtol=1e-4, atol=1e-6, what="weights")
    assert_close(mine.evaluate(x, y, verbose=0), ref.evaluate(x, y, verbose=0), rtol=1e-4, what="evaluate")
    assert len(mine.losses) == len(ref.losses) == 3


def test_regularizer_errors(tb):
    with pytest.raises(ValueError, match="Unknown regularizer: 'l3'"):
        tb.keras.layers.Dense(2, kernel_regularizer="l3")
    with pytest.raises(ValueError, match="Could not interpret regularizer identifier"):
        tb.keras.layers.Dense(2, kernel_regularizer=3)
