"""The tf.keras surface: errors TensorFlow users catch, Python callbacks driven by the C++ loop,
Ctrl-C, the GIL released during fit, custom losses and loops, summary and configs."""
import os
import signal
import threading

import numpy as np
import pytest

from conftest import assert_close


def _model(tb, hidden=32):
    return tb.keras.Sequential([tb.keras.layers.Dense(hidden, activation="relu", input_shape=(784,)),
                                tb.keras.layers.Dense(10)])


def _compiled(tb, **kw):
    m = _model(tb)
    m.compile(optimizer=kw.pop("optimizer", "adam"),
              loss=kw.pop("loss", tb.keras.losses.SparseCategoricalCrossentropy(from_logits=True)),
              metrics=kw.pop("metrics", ["accuracy"]))
    return m


def test_errors_name_the_layer_and_shapes(tb):
    m = _compiled(tb)
    with pytest.raises(ValueError, match=r'layer "sequential.*784.*\(None, 100\)|dense.*784.*100'):
        m.predict(np.zeros((4, 100), np.float32), verbose=0)
    with pytest.raises(TypeError, match="Keyword argument not understood.*'unitz'"):
        tb.keras.layers.Dense(10, unitz=3)
    with pytest.raises(ValueError, match="Could not interpret optimizer identifier.*'adamm'"):
        m.compile(optimizer="adamm", loss="mse")
    with pytest.raises(ValueError, match="Unknown loss function.*'msee'"):
        m.compile(optimizer="adam", loss="msee")
    with pytest.raises(ValueError, match="Unknown activation|activation.*'relux'"):
        tb.keras.layers.Dense(10, activation="relux")
    with pytest.raises(TypeError, match="'beta1'"):
        tb.keras.optimizers.Adam(beta1=0.9)
    with pytest.raises(RuntimeError, match="You must compile your model"):
        _model(tb).fit(np.zeros((4, 784), np.float32), np.zeros(4, np.int32), verbose=0)
    with pytest.raises(ValueError, match="positive integer"):
        tb.keras.layers.Dense(0)
    with pytest.raises(tb.errors.InvalidArgumentError, match="label|10"):
        m.fit(np.zeros((4, 784), np.float32), np.full(4, 10, np.int32), verbose=0)
    with pytest.raises(ValueError, match="floating-point"):
        tb.keras.mixed_precision.set_global_policy("int32")
    with pytest.raises(ValueError, match="Valid policies"):
        tb.keras.mixed_precision.Policy("float33")


def test_a_failed_call_leaves_the_model_as_it_was(tb):
    m = _compiled(tb)
    m.build((None, 784))
    before = [w.copy() for w in m.get_weights()]
    with pytest.raises(Exception):
        m.fit(np.zeros((4, 784), np.float32), np.full(4, 99, np.int32), verbose=0)
    for a, b in zip(before, m.get_weights()):
        assert np.array_equal(a, b)


def test_python_callbacks_see_every_hook_and_can_stop_training(tb, mnist_slice):
    x, y, _, _ = mnist_slice
    events = []

    class Spy(tb.keras.callbacks.Callback):
        def on_train_begin(self, logs=None):
            events.append(("train_begin", self.params["epochs"], self.params["steps"]))

        def on_epoch_end(self, epoch, logs=None):
            events.append(("epoch_end", epoch, sorted(logs)))
            logs["extra"] = 1.5  # Keras lets callbacks add to the logs History records
            if epoch == 1:
                self.model.stop_training = True

        def on_batch_end(self, batch, logs=None):
            events.append(("batch", batch))

    m = _compiled(tb)
    h = m.fit(x, y, batch_size=256, epochs=5, validation_split=0.25, verbose=0, callbacks=[Spy()])
    assert events[0] == ("train_begin", 5, 6)
    assert ("epoch_end", 0, ["accuracy", "loss", "val_accuracy", "val_loss"]) in events
    assert sum(1 for e in events if e[0] == "batch") == 12 and h.epoch == [0, 1]
    assert h.history["extra"] == [1.5, 1.5]


def test_an_exception_in_a_callback_propagates(tb, mnist_slice):
    x, y, _, _ = mnist_slice

    class Boom(tb.keras.callbacks.Callback):
        def on_train_batch_end(self, batch, logs=None):
            if batch == 2:
                raise ZeroDivisionError("from the callback")

    with pytest.raises(ZeroDivisionError, match="from the callback"):
        _compiled(tb).fit(x, y, verbose=0, callbacks=[Boom()])


def test_ctrl_c_stops_fit_at_the_next_batch(tb, mnist_slice):
    """SIGINT while the engine trains (GIL released): KeyboardInterrupt at a batch boundary,
    the weights trained so far kept, the model usable afterwards."""
    x, y, _, _ = mnist_slice
    m = _compiled(tb)
    seen = []

    class Count(tb.keras.callbacks.Callback):
        def on_train_batch_end(self, batch, logs=None):
            seen.append(batch)

    timer = threading.Timer(1.0, lambda: os.kill(os.getpid(), signal.SIGINT))
    timer.start()
    with pytest.raises(KeyboardInterrupt):
        m.fit(np.tile(x, (8, 1)), np.tile(y, 8), batch_size=32, epochs=1000, verbose=0, callbacks=[Count()])
    timer.cancel()
    steps = int(m.optimizer.iterations)
    # The interrupt surfaces in the first Python code to run after the signal: the engine's check
    # between batches, or this callback's hook (then the batch's own record is not appended).
    assert 0 < steps < 1000 * 512 and len(seen) in (steps - 1, steps)
    assert m.evaluate(x, y, verbose=0)[1] > 0.5  # trained, and still works


def test_fit_releases_the_gil(tb, mnist_slice):
    x, y, _, _ = mnist_slice
    m = _compiled(tb)
    stop = threading.Event()
    ticks = [0]

    def spin():
        while not stop.is_set():
            ticks[0] += 1

    t = threading.Thread(target=spin)
    t.start()
    m.fit(np.tile(x, (4, 1)), np.tile(y, 4), batch_size=64, epochs=1, verbose=0)
    during = ticks[0]
    stop.set()
    t.join()
    # With the GIL held for the whole fit the thread could not have counted at all.
    assert during > 10000, during


def test_custom_loss_function_and_custom_training_loop(tb, tfr, mnist_slice):
    x, y, _, _ = mnist_slice

    def my_loss(y_true, y_pred):
        return tb.reduce_mean(tb.square(y_pred - tb.one_hot(tb.cast(y_true, tb.int32), 10)), axis=-1)

    m = _model(tb)
    m.compile(optimizer="sgd", loss=my_loss)
    h = m.fit(x, y, batch_size=128, epochs=2, verbose=0)
    assert h.history["loss"][1] < h.history["loss"][0]

    model = _model(tb)
    opt = tb.keras.optimizers.Adam(1e-3)
    loss_fn = tb.keras.losses.SparseCategoricalCrossentropy(from_logits=True)
    acc = tb.keras.metrics.SparseCategoricalAccuracy()
    first = None
    for step in range(30):
        xb, yb = x[step * 64:(step + 1) * 64], y[step * 64:(step + 1) * 64]
        with tb.GradientTape() as tape:
            logits = model(xb, training=True)
            loss = loss_fn(yb, logits)
        grads = tape.gradient(loss, model.trainable_weights)
        opt.apply_gradients(zip(grads, model.trainable_weights))
        acc.update_state(yb, logits)
        first = float(loss) if first is None else first
    assert float(loss) < first and 0 < float(acc.result()) <= 1


def test_gradient_tape_semantics(tb):
    x = tb.constant(3.0)
    with tb.GradientTape(persistent=True) as t:
        t.watch(x)
        y = x * x
        with t.stop_recording():
            z = x * 5.0
        w = y * 2.0
    assert float(t.gradient(y, x)) == 6.0
    assert float(t.gradient(w, x)) == 12.0
    assert t.gradient(z, x) is None
    v = tb.Variable(2.0)
    u = tb.Variable(1.0, trainable=False)
    with tb.GradientTape() as t2:
        out = v * u
    assert t2.gradient(out, [v, u])[1] is None
    with pytest.raises(RuntimeError, match="non-persistent"):
        t2.gradient(out, [v])
    g = tb.GradientTape()
    with g:
        q = v * 3.0
    grads = g.gradient(q, {"a": v, "b": [v]})
    assert float(grads["a"]) == 3.0 and float(grads["b"][0]) == 3.0


def test_summary_config_round_trip_and_names(tb, capsys):
    tb.keras.backend.clear_session()
    m = tb.keras.Sequential([tb.keras.Input(shape=(784,)), tb.keras.layers.Dense(16, activation="relu"),
                             tb.keras.layers.Dropout(0.2), tb.keras.layers.Dense(10)])
    assert [l.name for l in m.layers] == ["dense", "dropout", "dense_1"]
    m.summary()
    out = capsys.readouterr().out
    assert 'Model: "sequential"' in out and "Total params: 12,730" in out
    lines = []
    m.summary(print_fn=lines.append)
    assert any("dense_1 (Dense)" in l for l in lines)
    cfg = m.get_config()
    clone = tb.keras.Sequential.from_config(cfg)
    assert clone.get_config()["layers"][1]["config"]["units"] == 16
    assert m.get_layer("dense_1").count_params() == 170 and m.get_layer(index=0).name == "dense"
    assert m.layers[0].kernel.shape == (784, 16) and m.layers[0].bias.name == "dense/bias:0"


def test_utils_and_backend(tb):
    oh = tb.keras.utils.to_categorical([0, 2, 1], num_classes=3)
    assert oh.dtype == np.float32 and oh.tolist() == [[1, 0, 0], [0, 0, 1], [0, 1, 0]]
    tb.keras.utils.set_random_seed(5)
    a = tb.random.normal((3,)).numpy()
    tb.keras.utils.set_random_seed(5)
    assert np.array_equal(a, tb.random.normal((3,)).numpy())
    assert tb.keras.backend.floatx() == "float32" and tb.keras.backend.epsilon() == 1e-7


def test_losses_metrics_optimizers_by_string(tb, mnist_slice):
    x, y, _, _ = mnist_slice
    for opt in ("sgd", "rmsprop", "adagrad", "adam", tb.keras.optimizers.SGD(0.1, momentum=0.9)):
        m = _compiled(tb, optimizer=opt, loss="sparse_categorical_crossentropy",
                      metrics=["sparse_categorical_accuracy", tb.keras.metrics.SparseCategoricalAccuracy()])
        logs = m.evaluate(x[:64], y[:64], verbose=0, return_dict=True)
        assert set(logs) >= {"loss", "sparse_categorical_accuracy"}
    m = _compiled(tb, loss="categorical_crossentropy", metrics=["accuracy"])
    h = m.fit(x[:256], tb.keras.utils.to_categorical(y[:256], 10), epochs=1, verbose=0)
    assert "accuracy" in h.history


def test_predict_accepts_lists_and_float64(tb):
    m = _compiled(tb)
    a = m.predict(np.random.rand(3, 784), verbose=0)  # float64 in, as Keras casts to float32
    assert a.shape == (3, 10) and a.dtype == np.float32
    assert_close(m(np.random.rand(2, 784).tolist()).shape, (2, 10))


def test_predict_runs_callbacks(tb, mnist_slice):
    x, _, _, _ = mnist_slice
    seen = []

    class Spy(tb.keras.callbacks.Callback):
        def on_predict_begin(self, logs=None):
            seen.append("begin")

        def on_predict_batch_end(self, batch, logs=None):
            seen.append(batch)

        def on_predict_end(self, logs=None):
            seen.append("end")

    out = _compiled(tb).predict(x[:100], batch_size=32, verbose=0, callbacks=[Spy()])
    assert out.shape == (100, 10) and seen == ["begin", 0, 1, 2, 3, "end"]
