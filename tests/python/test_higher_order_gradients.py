"""Gradients of gradients, as in TensorFlow: a tape that is recording while another computes a
gradient records that backward pass. Checked side by side with real TensorFlow: second
derivatives of the activations and losses, the Hessian-vector product of a small MLP, and a
WGAN-GP gradient-penalty training step on a Keras critic (dense and convolutional)."""
import numpy as np
import pytest

from conftest import assert_close

ACTIVATIONS = ["tanh", "sigmoid", "softplus", "exp", "square", "sqrt", "relu", "elu", "selu", "gelu", "swish"]


def _second_derivative(tf, fn, x0):
    x = tf.constant(x0)
    with tf.GradientTape() as outer:
        outer.watch(x)
        with tf.GradientTape() as inner:
            inner.watch(x)
            y = fn(tf, x)
        dy = inner.gradient(y, x)
    return dy.numpy(), outer.gradient(dy, x).numpy()


def _activation(name):
    def fn(tf, x):
        if name == "swish":
            return tf.nn.silu(x)
        if name in ("elu", "selu", "relu", "softplus", "gelu"):
            return getattr(tf.nn, name)(x)
        return getattr(tf, name)(x)  # tf.tanh, tf.sigmoid, tf.exp, tf.square, tf.sqrt
    return fn


@pytest.mark.parametrize("name", ACTIVATIONS)
def test_second_derivatives_of_activations_match_tensorflow(tb, tfr, name):
    x0 = np.array([-1.7, -0.4, 0.3, 0.9, 2.2], np.float32)
    if name == "sqrt":
        x0 = np.abs(x0) + 0.1
    got = _second_derivative(tb, _activation(name), x0)
    want = _second_derivative(tfr, _activation(name), x0)
    assert_close(got[0], want[0], rtol=1e-5, what=name + "'")
    assert_close(got[1], want[1], rtol=1e-4, atol=1e-5, what=name + "''")


def test_second_derivative_of_softmax_cross_entropy_matches_tensorflow(tb, tfr, rng):
    logits0 = rng.normal(size=(4, 5)).astype(np.float32)
    labels0 = rng.dirichlet(np.ones(5), size=4).astype(np.float32)
    v0 = rng.normal(size=(4, 5)).astype(np.float32)

    def run(tf):
        logits = tf.constant(logits0)
        with tf.GradientTape() as outer:
            outer.watch(logits)
            with tf.GradientTape() as inner:
                inner.watch(logits)
                loss = tf.reduce_sum(tf.nn.softmax_cross_entropy_with_logits(tf.constant(labels0), logits))
            g = inner.gradient(loss, logits)
            gv = tf.reduce_sum(g * tf.constant(v0))
        return outer.gradient(gv, logits).numpy()

    assert_close(run(tb), run(tfr), rtol=1e-4, atol=1e-6)


def test_hessian_vector_product_of_an_mlp_matches_tensorflow(tb, tfr, rng):
    x0 = rng.normal(size=(8, 6)).astype(np.float32)
    y0 = rng.normal(size=(8, 2)).astype(np.float32)
    params0 = [rng.normal(size=(6, 5)).astype(np.float32) * 0.5, rng.normal(size=(5,)).astype(np.float32) * 0.1,
               rng.normal(size=(5, 2)).astype(np.float32) * 0.5, rng.normal(size=(2,)).astype(np.float32) * 0.1]
    v0 = [rng.normal(size=p.shape).astype(np.float32) for p in params0]

    def hvp(tf):
        params = [tf.Variable(p) for p in params0]
        with tf.GradientTape() as outer:
            with tf.GradientTape() as inner:
                h = tf.tanh(tf.matmul(tf.constant(x0), params[0]) + params[1])
                out = tf.matmul(h, params[2]) + params[3]
                loss = tf.reduce_mean(tf.square(out - tf.constant(y0)))
            grads = inner.gradient(loss, params)
            gv = tf.add_n([tf.reduce_sum(g * tf.constant(v)) for g, v in zip(grads, v0)])
        return [g.numpy() for g in grads], [h.numpy() for h in outer.gradient(gv, params)]

    (g_tb, h_tb), (g_tf, h_tf) = hvp(tb), hvp(tfr)
    for a, b in zip(g_tb, g_tf):
        assert_close(a, b)
    for i, (a, b) in enumerate(zip(h_tb, h_tf)):
        assert_close(a, b, rtol=1e-4, atol=1e-6, what="Hv for parameter %d" % i)


def _critic(tf, kind):
    layers = tf.keras.layers
    if kind == "dense":
        return tf.keras.Sequential([layers.Dense(16, activation="tanh", input_shape=(6,)), layers.Dense(8, activation="relu"),
                                    layers.Dense(1)])
    return tf.keras.Sequential([layers.Conv2D(4, 3, strides=2, padding="same", activation="tanh", input_shape=(8, 8, 2)),
                                layers.Conv2D(3, 3, activation="relu"), layers.Flatten(), layers.Dense(1)])


@pytest.mark.parametrize("kind", ["dense", "conv"])
def test_gradient_penalty_step_matches_tensorflow(tb, tfr, rng, kind):
    shape = (5, 6) if kind == "dense" else (5, 8, 8, 2)
    real0 = rng.normal(size=shape).astype(np.float32)
    fake0 = rng.normal(size=shape).astype(np.float32)
    alpha0 = rng.uniform(size=(5,) + (1,) * (len(shape) - 1)).astype(np.float32)
    ref = _critic(tfr, kind)
    mine = _critic(tb, kind)
    mine.set_weights(ref.get_weights())

    def step(tf, critic):
        real, fake = tf.constant(real0), tf.constant(fake0)
        x_hat = tf.constant(alpha0) * real + (1.0 - tf.constant(alpha0)) * fake
        with tf.GradientTape() as tape:
            with tf.GradientTape() as gp_tape:
                gp_tape.watch(x_hat)
                pred = critic(x_hat)
            grads = gp_tape.gradient(pred, x_hat)
            norm = tf.sqrt(tf.reduce_sum(tf.square(tf.reshape(grads, [5, -1])), axis=1) + 1e-12)
            penalty = tf.reduce_mean(tf.square(norm - 1.0))
            loss = tf.reduce_mean(critic(fake)) - tf.reduce_mean(critic(real)) + 10.0 * penalty
        return float(loss.numpy()), [g.numpy() for g in tape.gradient(loss, critic.trainable_variables)]

    loss_tb, grads_tb = step(tb, mine)
    loss_tf, grads_tf = step(tfr, ref)
    assert_close(loss_tb, loss_tf, rtol=1e-5)
    assert len(grads_tb) == len(grads_tf)
    for i, (a, b) in enumerate(zip(grads_tb, grads_tf)):
        assert_close(a, b, rtol=1e-4, atol=1e-5, what="critic gradient %d" % i)


def test_a_persistent_tape_differentiates_its_own_gradient(tb, tfr):
    def run(tf):
        x = tf.constant([0.5, -1.5, 2.0])
        with tf.GradientTape(persistent=True) as t:
            t.watch(x)
            y = tf.reduce_sum(x * x * x)
            dy = t.gradient(y, x)
        return t.gradient(dy, x).numpy()

    assert_close(run(tb), run(tfr))


def test_differentiating_max_pooling_twice_raises_lookup_error(tb):
    x = tb.constant(np.arange(32, dtype=np.float32).reshape(1, 4, 4, 2))
    with tb.GradientTape() as outer:
        outer.watch(x)
        with tb.GradientTape() as inner:
            inner.watch(x)
            y = tb.reduce_sum(tb.square(tb.keras.layers.MaxPooling2D(2)(x)))
        g = inner.gradient(y, x)
        s = tb.reduce_sum(g * g)
    with pytest.raises(LookupError, match="No gradient defined for operation 'MaxPoolGrad'"):
        outer.gradient(s, x)
