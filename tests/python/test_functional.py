"""The functional API against real TensorFlow: the same graph built in both (several inputs and
outputs, shared layers, residual connections, nested models, merge layers) gives the same
summary, config, outputs, and fit history with a loss per output; TensorFlow's own configs load;
and the errors read like Keras's."""
import numpy as np
import pytest

from conftest import assert_close


def _two_tower(k):
    a, b = k.Input((6,), name="left"), k.Input((5,), name="right")
    shared = k.layers.Dense(4, activation="relu", name="shared")
    x = shared(k.layers.Dense(6, name="proj")(b))
    y = shared(a)
    z = k.layers.concatenate([x, y])
    out = k.layers.Dense(1, name="score")(z)
    cls = k.layers.Dense(3, activation="softmax", name="cls")(k.layers.add([x, y]))
    return k.Model(inputs=[a, b], outputs=[out, cls], name="two_tower")


def _both(tb, tfr, build):
    tfr.keras.backend.clear_session()
    tb.keras.backend.clear_session()
    ref, mine = build(tfr.keras), build(tb.keras)
    mine.set_weights(ref.get_weights())
    return mine, ref


def test_summary_layers_and_config_match_keras(tb, tfr, capsys):
    mine, ref = _both(tb, tfr, _two_tower)
    assert [l.name for l in mine.layers] == [l.name for l in ref.layers]
    assert mine.count_params() == ref.count_params()
    ref.summary()
    ref_text = capsys.readouterr().out
    mine.summary()
    assert capsys.readouterr().out == ref_text
    cfg, ref_cfg = mine.get_config(), ref.get_config()
    assert cfg["input_layers"] == ref_cfg["input_layers"] and cfg["output_layers"] == ref_cfg["output_layers"]
    for got, want in zip(cfg["layers"], ref_cfg["layers"]):
        assert (got["name"], got["class_name"], got["inbound_nodes"]) == \
            (want["name"], want["class_name"], want["inbound_nodes"])


def test_forward_fit_and_evaluate_with_a_loss_per_output(tb, tfr, rng):
    mine, ref = _both(tb, tfr, _two_tower)
    xa, xb = rng.standard_normal((48, 6)).astype(np.float32), rng.standard_normal((48, 5)).astype(np.float32)
    ys, yc = rng.standard_normal((48, 1)).astype(np.float32), rng.integers(0, 3, 48)
    for a, b in zip(mine.predict([xa, xb], verbose=0), ref.predict([xa, xb], verbose=0)):
        assert_close(a, b, what="predict")
    kw = dict(loss={"score": "mse", "cls": "sparse_categorical_crossentropy"}, loss_weights={"score": 0.5, "cls": 2.0},
              metrics={"cls": ["accuracy"], "score": "mae"})
    ref.compile(optimizer=tfr.keras.optimizers.legacy.Adam(), **kw)
    mine.compile(optimizer="adam", **kw)
    h1 = mine.fit({"left": xa, "right": xb}, [ys, yc], batch_size=16, epochs=3, shuffle=False, verbose=0,
                  validation_split=0.25)
    h2 = ref.fit({"left": xa, "right": xb}, [ys, yc], batch_size=16, epochs=3, shuffle=False, verbose=0,
                 validation_split=0.25)
    assert list(h1.history) == list(h2.history)
    for key in h2.history:
        assert_close(h1.history[key], h2.history[key], rtol=1e-4, atol=1e-6, what=key)
    assert mine.evaluate([xa, xb], [ys, yc], verbose=0, return_dict=True).keys() == \
        ref.evaluate([xa, xb], [ys, yc], verbose=0, return_dict=True).keys()
    for a, b in zip(mine.get_weights(), ref.get_weights()):
        assert_close(a, b, rtol=1e-4, atol=1e-6, what="weights")


def _residual_convnet(k):
    inp = k.Input((10, 10, 3))
    x = k.layers.Conv2D(8, 3, padding="same", use_bias=False)(inp)
    x = k.layers.BatchNormalization()(x)
    x = k.layers.Activation("relu")(x)
    y = k.layers.Conv2D(8, 3, padding="same", activation="relu")(x)
    x = k.layers.Add()([x, y])  # the skip connection
    x = k.layers.MaxPooling2D()(x)
    x = k.layers.GlobalAveragePooling2D()(x)
    return k.Model(inp, k.layers.Dense(4)(x))


def test_residual_convnet_trains_like_keras(tb, tfr, rng):
    mine, ref = _both(tb, tfr, _residual_convnet)
    x = rng.random((16, 10, 10, 3)).astype(np.float32)
    y = rng.integers(0, 4, 16)
    loss = "sparse_categorical_crossentropy"
    ref.compile(optimizer=tfr.keras.optimizers.legacy.SGD(0.1), loss=tfr.keras.losses.SparseCategoricalCrossentropy(True))
    mine.compile(optimizer=tb.keras.optimizers.SGD(0.1), loss=tb.keras.losses.SparseCategoricalCrossentropy(True))
    for step in range(3):
        assert_close(mine.train_on_batch(x, y), ref.train_on_batch(x, y), rtol=1e-4, what="step %d %s" % (step, loss))
    for a, b in zip(mine.get_weights(), ref.get_weights()):
        assert_close(a, b, rtol=1e-3, atol=1e-5, what="weights")


def _siamese(k):
    inner_in = k.Input((8,))
    encoder = k.Model(inner_in, k.layers.Dense(4, activation="tanh")(inner_in), name="encoder")
    a, b = k.Input((8,)), k.Input((8,))
    sim = k.layers.Dot(axes=1, normalize=True)([encoder(a), encoder(b)])  # a nested model, shared
    return k.Model([a, b], k.layers.Dense(1, activation="sigmoid")(sim))


def test_nested_shared_model_with_cosine_dot(tb, tfr, rng):
    mine, ref = _both(tb, tfr, _siamese)
    assert [l.name for l in mine.layers] == [l.name for l in ref.layers]
    xa, xb = rng.standard_normal((32, 8)).astype(np.float32), rng.standard_normal((32, 8)).astype(np.float32)
    y = (rng.random(32) > 0.5).astype(np.float32)
    assert_close(mine.predict([xa, xb], verbose=0), ref.predict([xa, xb], verbose=0), what="predict")
    ref.compile(optimizer=tfr.keras.optimizers.legacy.Adam(), loss="binary_crossentropy")
    mine.compile(optimizer="adam", loss="binary_crossentropy")
    h1 = mine.fit([xa, xb], y, batch_size=8, epochs=2, shuffle=False, verbose=0)
    h2 = ref.fit([xa, xb], y, batch_size=8, epochs=2, shuffle=False, verbose=0)
    assert_close(h1.history["loss"], h2.history["loss"], rtol=1e-4, what="fit")


@pytest.mark.parametrize("build", [_two_tower, _residual_convnet, _siamese], ids=lambda f: f.__name__)
def test_tensorflow_configs_load(tb, tfr, rng, build):
    tfr.keras.backend.clear_session()
    ref = build(tfr.keras)
    mine = tb.keras.Model.from_config(ref.get_config())  # TensorFlow's own config
    mine.set_weights(ref.get_weights())
    xs = [rng.standard_normal((3,) + tuple(i.shape[1:])).astype(np.float32) for i in ref.inputs]
    got, want = mine.predict(xs, verbose=0), ref.predict(xs, verbose=0)
    for a, b in zip(got if isinstance(got, list) else [got], want if isinstance(want, list) else [want]):
        assert_close(a, b, rtol=1e-4, atol=1e-5, what="from TensorFlow's config")
    again = tb.keras.Model.from_config(mine.get_config())
    assert again.get_config() == mine.get_config()


@pytest.mark.parametrize("cls,kwargs,shapes", [
    ("Add", {}, [(3, 4), (3, 4), (3, 4)]), ("Subtract", {}, [(3, 2, 4), (3, 4)]), ("Multiply", {}, [(3, 4), (3, 1)]),
    ("Average", {}, [(3, 4), (3, 4)]), ("Maximum", {}, [(3, 5), (3, 5)]), ("Minimum", {}, [(3, 2, 2), (3, 2, 2)]),
    ("Concatenate", {}, [(3, 2, 4), (3, 2, 1)]), ("Concatenate", {"axis": 1}, [(3, 2, 4), (3, 5, 4)]),
    ("Dot", {"axes": 1}, [(3, 4), (3, 4)]), ("Dot", {"axes": (2, 1)}, [(3, 2, 4), (3, 4, 5)]),
    ("Dot", {"axes": -1, "normalize": True}, [(3, 2, 4), (3, 6, 4)]),
])
def test_merge_layers_forward_and_gradients(tb, tfr, rng, cls, kwargs, shapes):
    xs = [rng.standard_normal(s).astype(np.float32) for s in shapes]
    ref, mine = getattr(tfr.keras.layers, cls)(**kwargs), getattr(tb.keras.layers, cls)(**kwargs)
    want = ref(xs).numpy()
    r = rng.standard_normal(want.shape).astype(np.float32)
    ts = [tb.constant(x) for x in xs]
    with tb.GradientTape() as tape:
        for t in ts:
            tape.watch(t)
        got = mine(ts)
        loss = tb.reduce_sum(got * r)
    grads = tape.gradient(loss, ts)
    rs = [tfr.constant(x) for x in xs]
    with tfr.GradientTape() as tape2:
        for t in rs:
            tape2.watch(t)
        loss2 = tfr.reduce_sum(ref(rs) * r)
    want_grads = tape2.gradient(loss2, rs)
    assert_close(got, want, what=cls)
    for g, w in zip(grads, want_grads):
        assert_close(g, w, what=cls + " gradient")
    cfg = mine.get_config()
    for key, value in ref.get_config().items():
        if key != "name":
            assert cfg[key] == (list(value) if isinstance(value, tuple) else value), key


def test_functional_errors(tb):
    k = tb.keras
    a, b = k.Input((4,)), k.Input((4,))
    s = k.layers.add([a, b])
    with pytest.raises(ValueError, match="Graph disconnected"):
        k.Model(a, s)
    with pytest.raises(ValueError, match=r"Inputs have incompatible shapes. Received shapes \(4,\) and \(5,\)"):
        k.layers.add([a, k.Input((5,))])
    with pytest.raises(ValueError, match="A merge layer should be called on a list of inputs"):
        k.layers.Add()(a)
    m = k.Model([a, b], [k.layers.Dense(1, name="o1")(s), k.layers.Dense(2, name="o2")(s)])
    m.compile(loss="mse")
    x = np.zeros((4, 4), np.float32)
    with pytest.raises(ValueError, match=r"expects 2 input\(s\), but it received 1"):
        m.fit(x, [np.zeros((4, 1)), np.zeros((4, 2))], verbose=0)
    with pytest.raises(ValueError, match=r"missing \['input_\d+'\]"):
        m.fit({a.name: x}, [np.zeros((4, 1)), np.zeros((4, 2))], verbose=0)
    with pytest.raises(ValueError, match="Unknown entries in loss dictionary"):
        m.compile(loss={"o3": "mse"})
    with pytest.raises(ValueError, match="it should have one entry per model output"):
        m.compile(loss=["mse"] * 3)
    with pytest.raises(ValueError, match="expected shape=\\(None, 4\\), found shape=\\(2, 3\\)"):
        m([np.zeros((2, 3), np.float32), np.zeros((2, 4), np.float32)])
