"""Recurrent layers, their wrappers and masks against real TensorFlow with identical weights:
SimpleRNN, LSTM and GRU (forward, input and weight gradients, configs, from_config) in their
option combinations; masks from Embedding(mask_zero=True) and Masking flowing through
Sequential and functional models and through eager calls (_keras_mask); return_state and
initial_state in an encoder-decoder; Bidirectional in every merge mode; TimeDistributed; a
masked text classifier's `fit` history; then the errors."""
import numpy as np
import pytest

from conftest import assert_close
from layer_parity import check_layer, jsonish

CASES = [
    ("SimpleRNN", dict(units=4)),
    ("SimpleRNN", dict(units=3, activation="relu", use_bias=False, return_sequences=True)),
    ("SimpleRNN", dict(units=3, go_backwards=True, return_sequences=True, unroll=True)),
    ("LSTM", dict(units=4)),
    ("LSTM", dict(units=3, return_sequences=True, go_backwards=True)),
    ("LSTM", dict(units=3, unit_forget_bias=False, bias_initializer="ones", activation="relu")),
    ("LSTM", dict(units=2, recurrent_activation="tanh", return_sequences=True, time_major=True)),
    ("LSTM", dict(units=3, dropout=0.3, recurrent_dropout=0.2)),  # inference: no dropout
    ("GRU", dict(units=4)),
    ("GRU", dict(units=3, reset_after=False, return_sequences=True)),
    ("GRU", dict(units=3, use_bias=False, go_backwards=True)),
    ("GRU", dict(units=2, return_sequences=True, time_major=True, activation="sigmoid")),
]


@pytest.mark.parametrize("cls,kwargs", CASES, ids=lambda v: v if isinstance(v, str) else
                         "-".join("%s=%s" % i for i in v.items()))
def test_recurrent_layer_parity(tb, tfr, rng, cls, kwargs):
    x = rng.standard_normal((3, 6, 5)).astype(np.float32)
    check_layer(tb, tfr, cls, kwargs, x, rtol=2e-5, atol=2e-5)


def test_orthogonal_initializer(tb, tfr):
    for shape in [(6, 6), (4, 9), (9, 4), (2, 3, 5)]:
        w = tb.keras.initializers.Orthogonal(gain=2.0)(shape).numpy().reshape(-1, shape[-1])
        q = w.T @ w if w.shape[0] >= w.shape[1] else w @ w.T
        assert_close(q, 4.0 * np.eye(q.shape[0]), atol=1e-5, what=str(shape))
    assert tb.keras.initializers.serialize(tb.keras.initializers.get("orthogonal")) == \
        tfr.keras.initializers.serialize(tfr.keras.initializers.get("orthogonal"))


def _copy_model(tb, tfr, build, x):
    ref, mine = build(tfr), build(tb)
    ref(x[:1])
    mine(x[:1])
    mine.set_weights(ref.get_weights())
    return mine, ref


def _model_grads(tb, tfr, mine, ref, x):
    r = np.random.default_rng(9).standard_normal(ref(x).shape).astype(np.float32)
    with tb.GradientTape() as t1:
        l1 = tb.reduce_sum(mine(x) * r)
    with tfr.GradientTape() as t2:
        l2 = tfr.reduce_sum(ref(x) * r)
    return t1.gradient(l1, mine.trainable_weights), [tfr.convert_to_tensor(g)
                                                    for g in t2.gradient(l2, ref.trainable_weights)]


# Padded token ids: trailing padding, leading padding, padding inside, and a row of all padding.
TOKENS = np.array([[3, 5, 2, 0, 0, 0], [0, 0, 4, 1, 7, 2], [6, 0, 2, 0, 9, 1], [0, 0, 0, 0, 0, 0]], np.int32)


@pytest.mark.parametrize("rnn", ["SimpleRNN", "LSTM", "GRU"])
@pytest.mark.parametrize("sequences", [False, True])
def test_embedding_mask_reaches_the_rnn(tb, tfr, rnn, sequences):
    def build(m):
        L = m.keras.layers
        return m.keras.Sequential([L.Embedding(10, 4, mask_zero=True), getattr(L, rnn)(3, return_sequences=sequences),
                                   L.Dense(2)])
    mine, ref = _copy_model(tb, tfr, build, TOKENS)
    assert_close(mine(TOKENS), ref(TOKENS), rtol=2e-5, atol=2e-5, what="masked forward")
    for a, b in zip(*_model_grads(tb, tfr, mine, ref, TOKENS)):
        assert_close(a, b, rtol=2e-5, atol=2e-5, what="masked gradient")


def test_masking_layer_and_masked_pooling(tb, tfr, rng):
    x = rng.standard_normal((3, 5, 4)).astype(np.float32)
    x[0, 3:] = 0.0
    x[2, :2] = 0.0

    def build(m):
        L = m.keras.layers
        return m.keras.Sequential([L.Masking(mask_value=0.0), L.Dense(6), L.GRU(3, return_sequences=True),
                                   L.GlobalAveragePooling1D()])
    mine, ref = _copy_model(tb, tfr, build, x)
    assert_close(mine(x), ref(x), rtol=2e-5, atol=2e-5, what="Masking -> Dense -> GRU -> masked mean")
    for a, b in zip(*_model_grads(tb, tfr, mine, ref, x)):
        assert_close(a, b, rtol=2e-5, atol=2e-5)
    assert tb.keras.layers.Masking(mask_value=-1.0).get_config()["mask_value"] == -1.0


def test_eager_masks_travel_on_tensors(tb, tfr):
    e_ref = tfr.keras.layers.Embedding(10, 4, mask_zero=True)
    e = tb.keras.layers.Embedding(10, 4, mask_zero=True)
    h_ref, h = e_ref(TOKENS), e(TOKENS)
    np.testing.assert_array_equal(h._keras_mask.numpy(), h_ref._keras_mask.numpy())
    np.testing.assert_array_equal(e.compute_mask(TOKENS).numpy(), TOKENS != 0)
    lstm_ref, lstm = tfr.keras.layers.LSTM(3, return_sequences=True), tb.keras.layers.LSTM(3, return_sequences=True)
    e.set_weights(e_ref.get_weights())
    y_ref = lstm_ref(e_ref(TOKENS))
    y = lstm(e(TOKENS))
    lstm.set_weights(lstm_ref.get_weights())
    y = lstm(e(TOKENS))
    assert_close(y, y_ref, rtol=2e-5, atol=2e-5)
    np.testing.assert_array_equal(y._keras_mask.numpy(), y_ref._keras_mask.numpy())
    # An explicit mask= overrides; a layer that does not support masking drops it (Keras).
    explicit = lstm(e(TOKENS), mask=np.ones(TOKENS.shape, bool))
    assert_close(explicit, lstm_ref(e_ref(TOKENS), mask=np.ones(TOKENS.shape, bool)), rtol=2e-5, atol=2e-5)
    assert getattr(tb.keras.layers.Flatten()(h), "_keras_mask", None) is None
    assert tb.keras.layers.Dense(2)(h)._keras_mask is not None


def test_encoder_decoder_with_states(tb, tfr, rng):
    src = rng.standard_normal((4, 5, 3)).astype(np.float32)
    tgt = rng.standard_normal((4, 6, 2)).astype(np.float32)

    def build(m):
        L = m.keras.layers
        enc_in, dec_in = m.keras.Input((None, 3)), m.keras.Input((None, 2))
        _, h, c = L.LSTM(8, return_state=True)(enc_in)
        dec = L.LSTM(8, return_sequences=True)(dec_in, initial_state=[h, c])
        return m.keras.Model([enc_in, dec_in], L.TimeDistributed(L.Dense(2))(dec))
    ref, mine = build(tfr), build(tb)
    mine.set_weights(ref.get_weights())
    assert_close(mine([src, tgt]), ref([tfr.constant(src), tfr.constant(tgt)]), rtol=2e-5, atol=2e-5,
                 what="encoder-decoder")
    # Eager calls: return_state gives [output, h, c]; initial_state as a keyword.
    lstm_ref, lstm = tfr.keras.layers.LSTM(4, return_state=True), tb.keras.layers.LSTM(4, return_state=True)
    lstm_ref(src)
    lstm(src)
    lstm.set_weights(lstm_ref.get_weights())
    s0 = [rng.standard_normal((4, 4)).astype(np.float32) for _ in range(2)]
    for a, b in zip(lstm(src, initial_state=s0), lstm_ref(src, initial_state=[tfr.constant(s) for s in s0])):
        assert_close(a, b, rtol=2e-5, atol=2e-5, what="return_state with initial_state")
    gru_ref, gru = tfr.keras.layers.GRU(4, return_state=True), tb.keras.layers.GRU(4, return_state=True)
    out = gru(src)
    assert len(out) == 2 and len(gru_ref(src)) == 2 and tuple(out[1].shape) == (4, 4)


@pytest.mark.parametrize("merge_mode", ["concat", "sum", "mul", "ave", None])
def test_bidirectional(tb, tfr, rng, merge_mode):
    x = rng.standard_normal((3, 5, 4)).astype(np.float32)
    ref = tfr.keras.layers.Bidirectional(tfr.keras.layers.LSTM(3, return_sequences=True), merge_mode=merge_mode)
    mine = tb.keras.layers.Bidirectional(tb.keras.layers.LSTM(3, return_sequences=True), merge_mode=merge_mode)
    ref.build((None, 5, 4))
    mine.build((None, 5, 4))
    assert [w.shape for w in mine.weights] == [w.shape for w in ref.weights]
    mine.set_weights(ref.get_weights())
    ys, ys_ref = mine(x), ref(x)
    if merge_mode is None:
        assert len(ys) == 2
    else:
        ys, ys_ref = [ys], [ys_ref]
    for a, b in zip(ys, ys_ref):
        assert_close(a, b, rtol=2e-5, atol=2e-5, what="Bidirectional %s" % merge_mode)
    cfg, ref_cfg = mine.get_config(), ref.get_config()
    assert cfg["merge_mode"] == ref_cfg["merge_mode"]
    inner, ref_inner = dict(cfg["layer"]["config"]), dict(ref_cfg["layer"]["config"])
    inner.pop("name"), ref_inner.pop("name")
    assert jsonish(inner) == jsonish(ref_inner)
    again = tb.keras.layers.Bidirectional.from_config(cfg)
    again.build((None, 5, 4))
    again.set_weights(mine.get_weights())
    for a, b in zip(again(x) if merge_mode is None else [again(x)], ys):
        assert_close(a, b)


def test_bidirectional_with_mask_gradients_and_states(tb, tfr, rng):
    def build(m):
        L = m.keras.layers
        return m.keras.Sequential([L.Embedding(10, 4, mask_zero=True), L.Bidirectional(L.GRU(3, return_sequences=True)),
                                   L.Bidirectional(L.LSTM(2)), L.Dense(1)])
    mine, ref = _copy_model(tb, tfr, build, TOKENS)
    assert_close(mine(TOKENS), ref(TOKENS), rtol=2e-5, atol=2e-5, what="masked bidirectional stack")
    for a, b in zip(*_model_grads(tb, tfr, mine, ref, TOKENS)):
        assert_close(a, b, rtol=2e-5, atol=2e-5)
    x = rng.standard_normal((2, 4, 3)).astype(np.float32)
    ref = tfr.keras.layers.Bidirectional(tfr.keras.layers.LSTM(2, return_state=True))
    mine = tb.keras.layers.Bidirectional(tb.keras.layers.LSTM(2, return_state=True))
    ref(x)
    mine(x)
    mine.set_weights(ref.get_weights())
    out, out_ref = mine(x), ref(x)
    assert len(out) == len(out_ref) == 5  # merged output, forward h and c, backward h and c
    for a, b in zip(out, out_ref):
        assert_close(a, b, rtol=2e-5, atol=2e-5, what="Bidirectional return_state")


def test_time_distributed(tb, tfr, rng):
    x = rng.standard_normal((2, 3, 5, 5, 2)).astype(np.float32)
    for make in (lambda L: L.Dense(4, activation="relu"), lambda L: L.Conv2D(3, 3, padding="same")):
        ref, mine = tfr.keras.layers.TimeDistributed(make(tfr.keras.layers)), tb.keras.layers.TimeDistributed(
            make(tb.keras.layers))
        ref.build((None,) + x.shape[1:])
        mine.build((None,) + x.shape[1:])
        mine.set_weights(ref.get_weights())
        with tb.GradientTape() as t1:
            y = mine(x)
            l1 = tb.reduce_sum(y * y)
        with tfr.GradientTape() as t2:
            y_ref = ref(x)
            l2 = tfr.reduce_sum(y_ref * y_ref)
        assert_close(y, y_ref, rtol=2e-5, atol=2e-5)
        for a, b in zip(t1.gradient(l1, mine.trainable_weights), t2.gradient(l2, ref.trainable_weights)):
            assert_close(a, b, rtol=2e-5, atol=1e-4)
        assert tuple(mine.compute_output_shape((None,) + x.shape[1:])) == \
            tuple(ref.compute_output_shape((None,) + x.shape[1:]))
        assert mine.get_config()["layer"]["class_name"] == ref.get_config()["layer"]["class_name"]
    # The wrapped layer is the very layer given (its weights are the wrapper's).
    dense = tb.keras.layers.Dense(2)
    td = tb.keras.layers.TimeDistributed(dense)
    td(np.ones((1, 3, 4), np.float32))
    assert dense.built and dense.kernel.shape == (4, 2) and len(td.trainable_weights) == 2


def test_masked_text_classifier_fit_matches_tensorflow(tb, tfr, rng):
    ids = rng.integers(1, 20, (64, 8)).astype(np.int32)
    lengths = rng.integers(2, 9, 64)
    ids[np.arange(8)[None, :] >= lengths[:, None]] = 0
    y = (lengths > 5).astype(np.float32)

    def build(m):
        L = m.keras.layers
        model = m.keras.Sequential([L.Embedding(20, 8, mask_zero=True), L.Bidirectional(L.LSTM(6)), L.Dense(1)])
        model.compile(optimizer=m.keras.optimizers.Adam(0.01),
                      loss=m.keras.losses.BinaryCrossentropy(from_logits=True), metrics=["accuracy"])
        return model
    mine, ref = _copy_model(tb, tfr, build, ids)
    h = mine.fit(ids, y, batch_size=16, epochs=3, shuffle=False, verbose=0).history
    h_ref = ref.fit(ids, y, batch_size=16, epochs=3, shuffle=False, verbose=0).history
    assert_close(h["loss"], h_ref["loss"], rtol=1e-4, atol=1e-5, what="loss history")
    assert_close(h["accuracy"], h_ref["accuracy"], what="accuracy history")
    for a, b in zip(mine.get_weights(), ref.get_weights()):
        assert_close(a, b, rtol=1e-3, atol=1e-4, what="weights after fit")


def test_errors(tb, rng):
    L = tb.keras.layers
    with pytest.raises(ValueError, match=r'Input 0 of layer "lstm\w*" is incompatible with the layer: expected ndim=3, '
                                         r'found ndim=2'):
        L.LSTM(3)(np.ones((2, 5), np.float32))
    with pytest.raises(ValueError, match=r"expected a positive integer"):
        L.GRU(0)
    with pytest.raises(ValueError, match=r"`dropout` must be a float between 0 and 1, got 1.5"):
        L.SimpleRNN(2, dropout=1.5)
    with pytest.raises(tb.errors.UnimplementedError, match="stateful"):
        L.LSTM(2, stateful=True)
    x = np.ones((2, 4, 3), np.float32)
    with pytest.raises(ValueError, match=r'expects 2 initial state\(s\), got 1'):
        L.LSTM(2)(x, initial_state=[np.zeros((2, 2), np.float32)])
    with pytest.raises(ValueError, match=r"initial state 1 has shape \(2, 3\), expected \(2, 2\)"):
        L.LSTM(2)(x, initial_state=[np.zeros((2, 2), np.float32), np.zeros((2, 3), np.float32)])
    with pytest.raises(ValueError, match=r"the mask has shape \(2, 3\), expected \(2, 4\)"):
        L.GRU(2)(x, mask=np.ones((2, 3), bool))
    with pytest.raises(ValueError, match="Please initialize `Bidirectional` layer with a recurrent layer"):
        L.Bidirectional(L.Dense(2))
    with pytest.raises(ValueError, match="Invalid merge mode"):
        L.Bidirectional(L.LSTM(2), merge_mode="max")
    with pytest.raises(ValueError, match="`TimeDistributed` Layer should be passed an `input_shape` with at least 3"):
        L.TimeDistributed(L.Dense(2))(np.ones((2, 3), np.float32))
    with pytest.raises(TypeError, match="unexpected keyword argument 'bogus'"):
        tb.keras.layers.deserialize({"class_name": "LSTM", "config": {"units": 2, "bogus": 1}})


def test_sequence_labelling_loss_and_metrics_skip_padded_steps(tb, tfr, rng):
    # The output keeps the Embedding's mask (LSTM with return_sequences, then Dense), so Keras
    # weights the loss and the accuracy by it: padded steps count for nothing.
    ids = rng.integers(1, 12, (48, 7)).astype(np.int32)
    lengths = rng.integers(2, 8, 48)
    ids[np.arange(7)[None, :] >= lengths[:, None]] = 0
    tags = (ids % 3).astype(np.int32)

    def build(m):
        L = m.keras.layers
        model = m.keras.Sequential([L.Embedding(12, 6, mask_zero=True), L.GRU(5, return_sequences=True),
                                    L.Dense(3)])
        model.compile(optimizer=m.keras.optimizers.Adam(0.02),
                      loss=m.keras.losses.SparseCategoricalCrossentropy(from_logits=True), metrics=["accuracy"])
        return model
    mine, ref = _copy_model(tb, tfr, build, ids)
    h = mine.fit(ids, tags, batch_size=16, epochs=3, shuffle=False, verbose=0, validation_split=0.25).history
    h_ref = ref.fit(ids, tags, batch_size=16, epochs=3, shuffle=False, verbose=0, validation_split=0.25).history
    for key in ("loss", "accuracy", "val_loss", "val_accuracy"):
        assert_close(h[key], h_ref[key], rtol=1e-4, atol=1e-5, what=key)
    assert_close(mine.evaluate(ids, tags, verbose=0), ref.evaluate(ids, tags, verbose=0), rtol=1e-4, atol=1e-5)


def _one_step(tb, tfr, build, x, y):
    """One SGD step of the same model in both engines (same weights): the weights after it."""
    ref, mine = build(tfr), build(tb)
    ref(x[:1])
    mine(x[:1])
    mine.set_weights(ref.get_weights())
    for m, lib in ((ref, tfr), (mine, tb)):
        m.compile(optimizer=lib.keras.optimizers.SGD(0.5), loss="mse")
        m.train_on_batch(x, y)
    return mine.get_weights(), ref.get_weights()


@pytest.mark.parametrize("name", ["SimpleRNN", "TimeDistributed", "Attention", "Masking-LSTM", "Resizing-Conv2D",
                                  "MultiHeadAttention-causal"])
def test_one_training_step_matches_tensorflow(tb, tfr, rng, name):
    x = rng.standard_normal((4, 5, 3)).astype(np.float32)
    x[1, 3:] = 0.0  # padding for Masking

    def build(m):
        L = m.keras.layers
        inp = m.keras.Input((5, 3))
        if name == "SimpleRNN":
            h = L.SimpleRNN(4, return_sequences=True)(inp)
        elif name == "TimeDistributed":
            h = L.TimeDistributed(L.Dense(4, activation="tanh"))(inp)
        elif name == "Attention":
            h = L.Attention(use_scale=True)([L.Dense(4)(inp), L.Dense(4)(inp)])
        elif name == "Masking-LSTM":
            h = L.LSTM(4, return_sequences=True)(L.Masking()(inp))
        elif name == "Resizing-Conv2D":
            img = L.Reshape((5, 3, 1))(inp)
            h = L.Reshape((5, 24))(L.Conv2D(2, 3, padding="same")(L.Resizing(5, 12)(img)))
        else:
            h = L.MultiHeadAttention(2, 2)(inp, inp, use_causal_mask=True)
        return m.keras.Model(inp, L.Dense(2)(L.Flatten()(h)))
    y = rng.standard_normal((4, 2)).astype(np.float32)
    mine, ref = _one_step(tb, tfr, build, x, y)
    for a, b in zip(mine, ref):
        assert_close(a, b, rtol=1e-4, atol=1e-5, what=name)
