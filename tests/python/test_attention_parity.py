"""Attention and MultiHeadAttention against real TensorFlow with identical weights: outputs,
attention scores, input and weight gradients, every mask source (the inputs' masks, an
explicit attention_mask, use_causal_mask), configs; MultiHeadAttention inside functional and
Sequential-fed models with masks from Embedding; a small transformer classifier's `fit`
history; then the errors."""
import numpy as np
import pytest

from conftest import assert_close
from layer_parity import jsonish


def _grads(tb, tfr, mine, ref, call_mine, call_ref, inputs):
    r = np.random.default_rng(3).standard_normal(np.shape(call_ref(*[tfr.constant(x) for x in inputs]))).astype(
        np.float32)
    xs1, xs2 = [tb.constant(x) for x in inputs], [tfr.constant(x) for x in inputs]
    with tb.GradientTape() as t1:
        for x in xs1:
            t1.watch(x)
        l1 = tb.reduce_sum(call_mine(*xs1) * r)
    with tfr.GradientTape() as t2:
        for x in xs2:
            t2.watch(x)
        l2 = tfr.reduce_sum(call_ref(*xs2) * r)
    return t1.gradient(l1, xs1 + mine.trainable_weights), t2.gradient(l2, xs2 + ref.trainable_weights)


@pytest.mark.parametrize("kwargs", [{}, dict(use_scale=True), dict(score_mode="concat"),
                                    dict(score_mode="concat", use_scale=True)])
def test_attention(tb, tfr, rng, kwargs):
    q = rng.standard_normal((2, 3, 4)).astype(np.float32)
    v = rng.standard_normal((2, 5, 4)).astype(np.float32)
    k = rng.standard_normal((2, 5, 4)).astype(np.float32)
    ref, mine = tfr.keras.layers.Attention(**kwargs), tb.keras.layers.Attention(**kwargs)
    ref([q, v])
    mine([q, v])
    mine.set_weights([w * 1.5 for w in ref.get_weights()])
    ref.set_weights([w * 1.5 for w in ref.get_weights()])
    qm, vm = np.array([[1, 1, 0], [1, 0, 1]], bool), np.array([[1, 1, 1, 0, 0], [1, 0, 1, 1, 1]], bool)
    for masks in (None, [qm, vm]):
        for causal in (False, True):
            out, s = mine([q, v, k], mask=masks, return_attention_scores=True, use_causal_mask=causal)
            out_r, s_r = ref([q, v, k], mask=masks, return_attention_scores=True, use_causal_mask=causal)
            assert_close(out, out_r, what="Attention output %s causal=%s" % (masks is not None, causal))
            assert_close(s, s_r, what="Attention scores")
    g1, g2 = _grads(tb, tfr, mine, ref, lambda a, b: mine([a, b], mask=[qm, vm]),
                    lambda a, b: ref([a, b], mask=[qm, vm]), [q, v])
    for a, b in zip(g1, g2):
        assert_close(a, b, rtol=2e-5, atol=2e-5)
    cfg = mine.get_config()
    assert {k: jsonish(v) for k, v in cfg.items() if k != "name"} == \
        {k: jsonish(v) for k, v in ref.get_config().items() if k != "name"}


@pytest.mark.parametrize("kwargs", [dict(num_heads=2, key_dim=3), dict(num_heads=3, key_dim=2, value_dim=4,
                                                                       output_shape=5),
                                    dict(num_heads=1, key_dim=4, use_bias=False)])
def test_multi_head_attention(tb, tfr, rng, kwargs):
    q = rng.standard_normal((2, 4, 6)).astype(np.float32)
    v = rng.standard_normal((2, 5, 3)).astype(np.float32)
    k = rng.standard_normal((2, 5, 7)).astype(np.float32)
    ref, mine = tfr.keras.layers.MultiHeadAttention(**kwargs), tb.keras.layers.MultiHeadAttention(**kwargs)
    ref(q, v, k)
    mine(q, v, k)
    assert [w.shape for w in mine.weights] == [tuple(w.shape) for w in ref.weights]
    mine.set_weights(ref.get_weights())
    am = rng.random((2, 4, 5)) > 0.3
    am[:, :, 0] = True  # every query sees something
    for mask in (None, am):
        out, s = mine(q, v, k, attention_mask=mask, return_attention_scores=True)
        out_r, s_r = ref(q, v, k, attention_mask=mask, return_attention_scores=True)
        assert_close(out, out_r, rtol=2e-5, atol=2e-5, what="MHA output")
        assert_close(s, s_r, rtol=2e-5, atol=2e-5, what="MHA scores")
    g1, g2 = _grads(tb, tfr, mine, ref, lambda a, b, c: mine(a, b, c, attention_mask=am),
                    lambda a, b, c: ref(a, b, c, attention_mask=am), [q, v, k])
    for a, b in zip(g1, g2):
        assert_close(a, b, rtol=2e-5, atol=2e-5)
    cfg, ref_cfg = mine.get_config(), ref.get_config()
    for key in ("num_heads", "key_dim", "value_dim", "dropout", "use_bias", "output_shape", "kernel_initializer",
                "bias_initializer"):
        assert jsonish(cfg[key]) == jsonish(ref_cfg[key]), key
    assert list(cfg["query_shape"])[1:] == list(ref_cfg["query_shape"])[1:]
    again = tb.keras.layers.MultiHeadAttention.from_config(cfg)
    again(q, v, k)
    again.set_weights(mine.get_weights())
    assert_close(again(q, v, k), mine(q, v, k))


def test_self_attention_with_padding_and_causal_masks(tb, tfr, rng):
    ids = np.array([[4, 2, 7, 0, 0], [1, 3, 0, 0, 0]], np.int32)
    e_ref, e = tfr.keras.layers.Embedding(10, 6, mask_zero=True), tb.keras.layers.Embedding(10, 6, mask_zero=True)
    ref, mine = tfr.keras.layers.MultiHeadAttention(2, 3), tb.keras.layers.MultiHeadAttention(2, 3)
    x_ref = e_ref(ids)
    x = e(ids)
    ref(x_ref, x_ref)
    mine(x, x)
    e.set_weights(e_ref.get_weights())
    mine.set_weights(ref.get_weights())
    x = e(ids)
    for causal in (False, True):
        out = mine(x, x, use_causal_mask=causal)
        assert_close(out, ref(x_ref, x_ref, use_causal_mask=causal), rtol=2e-5, atol=2e-5, what="causal=%s" % causal)
        np.testing.assert_array_equal(out._keras_mask.numpy(), ids != 0)


def _transformer(m, maxlen=8, vocab=30):
    L = m.keras.layers
    inputs = m.keras.Input((maxlen,), dtype="int32")
    x = L.Embedding(vocab, 8, mask_zero=True)(inputs)
    att = L.MultiHeadAttention(num_heads=2, key_dim=4)(x, x)
    x = L.LayerNormalization(epsilon=1e-6)(L.Add()([x, att]))
    ffn = L.Dense(8)(L.Dense(16, activation="relu")(x))
    x = L.LayerNormalization(epsilon=1e-6)(L.Add()([x, ffn]))
    x = L.GlobalAveragePooling1D()(x)
    return m.keras.Model(inputs, L.Dense(2)(x))


def test_transformer_classifier_fit_matches_tensorflow(tb, tfr, rng):
    ids = rng.integers(1, 30, (48, 8)).astype(np.int32)
    lengths = rng.integers(3, 9, 48)
    ids[np.arange(8)[None, :] >= lengths[:, None]] = 0
    y = (ids[:, 0] > 15).astype(np.int32)
    ref, mine = _transformer(tfr), _transformer(tb)
    mine.set_weights(ref.get_weights())
    assert_close(mine(ids), ref(ids), rtol=2e-5, atol=2e-5, what="masked transformer forward")
    for m, lib in ((ref, tfr), (mine, tb)):
        m.compile(optimizer="adam", loss=lib.keras.losses.SparseCategoricalCrossentropy(from_logits=True),
                  metrics=["accuracy"])
    h = mine.fit(ids, y, batch_size=16, epochs=2, shuffle=False, verbose=0).history
    h_ref = ref.fit(ids, y, batch_size=16, epochs=2, shuffle=False, verbose=0).history
    assert_close(h["loss"], h_ref["loss"], rtol=1e-4, atol=1e-5, what="loss history")
    for a, b in zip(mine.get_weights(), ref.get_weights()):
        assert_close(a, b, rtol=1e-3, atol=1e-4, what="weights after fit")


def _causal_lm(m, vocab=20, length=6):
    L = m.keras.layers
    ids = m.keras.Input((length,), dtype="int32")
    x = L.Embedding(vocab, 8)(ids)
    x = L.LayerNormalization()(L.Add()([x, L.MultiHeadAttention(2, 4)(x, x, use_causal_mask=True)]))
    x = L.Dropout(0.3)(x, training=False)
    return m.keras.Model(ids, L.Dense(vocab)(x))


def test_causal_self_attention_in_a_functional_model(tb, tfr, rng):
    ids = rng.integers(0, 20, (3, 6)).astype(np.int32)
    ref, mine = _causal_lm(tfr), _causal_lm(tb)
    mine.set_weights(ref.get_weights())
    assert_close(mine(ids), ref(ids), rtol=2e-5, atol=2e-5, what="causal LM")
    # Changing a later token leaves the earlier positions' outputs alone.
    later = ids.copy()
    later[:, 4:] = (later[:, 4:] + 1) % 20
    assert_close(mine(later)[:, :4], mine(ids)[:, :4], rtol=1e-6, atol=1e-6)
    # Our config round-trips, and TensorFlow's (value passed as a keyword) loads.
    cfg = mine.get_config()
    mha = [layer for layer in cfg["layers"] if layer["class_name"] == "MultiHeadAttention"][0]
    assert mha["inbound_nodes"][0][0][3] == {"use_causal_mask": True}
    for config in (cfg, ref.get_config()):
        again = tb.keras.Model.from_config(config)
        again.set_weights(ref.get_weights())
        assert_close(again(ids), ref(ids), rtol=2e-5, atol=2e-5, what="from_config")


def _masked_encoder(m):
    L = m.keras.layers
    x, mask = m.keras.Input((5, 6)), m.keras.Input((5, 5), dtype="bool")
    y = L.MultiHeadAttention(2, 3)(x, x, attention_mask=mask)
    return m.keras.Model([x, mask], L.Dense(2)(y))


def test_attention_mask_input_in_a_functional_model(tb, tfr, rng):
    x = rng.standard_normal((3, 5, 6)).astype(np.float32)
    mask = rng.random((3, 5, 5)) > 0.4
    mask[:, :, 0] = True
    ref, mine = _masked_encoder(tfr), _masked_encoder(tb)
    mine.set_weights(ref.get_weights())
    assert_close(mine([x, mask]), ref([tfr.constant(x), tfr.constant(mask)]), rtol=2e-5, atol=2e-5)
    cfg = mine.get_config()
    node = [layer for layer in cfg["layers"] if layer["class_name"] == "MultiHeadAttention"][0]["inbound_nodes"][0]
    assert len(node) == 2 and node[0][3]["attention_mask"][0] == mine.input_names[1]  # Keras's format
    for config in (cfg, ref.get_config()):
        again = tb.keras.Model.from_config(config)
        again.set_weights(ref.get_weights())
        assert_close(again([x, mask]), mine([x, mask]), rtol=1e-6, atol=1e-6, what="from_config")


def test_fixed_training_argument_in_a_functional_model(tb):
    L = tb.keras.layers
    x = tb.keras.Input((200,))
    model = tb.keras.Model(x, L.Dropout(0.5)(x, training=True))  # Monte Carlo dropout
    ones = np.ones((2, 200), np.float32)
    a, b = model.predict(ones, verbose=0), model.predict(ones, verbose=0)
    assert (a == 0).any() and not np.array_equal(a, b)
    node = [layer for layer in model.get_config()["layers"] if layer["class_name"] == "Dropout"][0]["inbound_nodes"]
    assert node[0][0][3] == {"training": True}


def test_errors(tb, rng):
    L = tb.keras.layers
    q = np.ones((2, 3, 4), np.float32)
    with pytest.raises(ValueError, match=r"Attention layer must be called on a list of inputs"):
        L.Attention()(q)
    with pytest.raises(ValueError, match=r"accepts inputs list of length 2 or 3.*Received length: 1"):
        L.Attention()([q])
    with pytest.raises(ValueError, match=r"score_mode=max"):
        L.Attention(score_mode="max")
    with pytest.raises(ValueError, match=r"`dropout` must be a float between 0 and 1, got 2"):
        L.MultiHeadAttention(2, 2, dropout=2.0)
    with pytest.raises(ValueError, match=r"num_heads, key_dim and value_dim must be positive"):
        L.MultiHeadAttention(0, 4)
    with pytest.raises(ValueError, match=r"attends over axis 1 of \[batch, T, dim\] inputs; got query of shape"):
        L.MultiHeadAttention(2, 2)(np.ones((2, 4), np.float32), np.ones((2, 4), np.float32))
    with pytest.raises(ValueError, match=r"key and value must have the same length"):
        L.MultiHeadAttention(2, 2)(q, q, np.ones((2, 5, 4), np.float32))
    mha = L.MultiHeadAttention(2, 2)
    mha(q, q)
    with pytest.raises(ValueError, match=r"was built for inputs of last dimension 4"):
        mha(np.ones((2, 3, 5), np.float32), q)
    with pytest.raises(tb.errors.UnimplementedError, match=r"attention_axes"):
        L.MultiHeadAttention(2, 2, attention_axes=(1, 2))
    with pytest.raises(NotImplementedError, match="functional"):
        x = tb.keras.Input((3, 4))
        L.MultiHeadAttention(2, 2)(x, x, return_attention_scores=True)
