"""Mixed precision against real TensorFlow's (Keras 2): policies, the dtypes every layer output
and variable has, outputs of the same model and weights within 16-bit tolerance, and the loss
scale trajectory step by step; plus the flagship example reaching the brief's accuracy."""
import os
import runpy

import numpy as np
import pytest

from conftest import ROOT, assert_close


@pytest.fixture
def policy(tb, tfr):
    """Sets a global policy in both frameworks for one test."""
    def set_(name):
        tb.keras.mixed_precision.set_global_policy(name)
        tfr.keras.mixed_precision.set_global_policy(name)
    yield set_
    set_("float32")


@pytest.mark.parametrize("name", ["float32", "float64", "mixed_float16", "mixed_bfloat16", "float16", "bfloat16"])
def test_policies_match(tb, tfr, name):
    a, b = tb.keras.mixed_precision.Policy(name), tfr.keras.mixed_precision.Policy(name)
    assert (a.name, a.compute_dtype, a.variable_dtype) == (b.name, b.compute_dtype, b.variable_dtype)


def test_bad_policy_names_are_value_errors(tb):
    with pytest.raises(ValueError, match="mixed_float16"):
        tb.keras.mixed_precision.Policy("mixed_float32")


@pytest.mark.parametrize("name", ["mixed_float16", "mixed_bfloat16"])
def test_layer_dtypes_and_outputs_match(tb, tfr, rng, policy, name):
    """Same weights, same input: outputs agree within the compute dtype's precision, and every
    dtype Keras reports (outputs, variables, compute dtype, policy in the config) is the same.
    Each layer rounds its output to 16 bits, and a different GEMM summation order can round a
    value the other way (one ulp: 2^-11 for float16, 2^-8 for bfloat16), which the next layers
    carry on: three layers agree within ~10 ulps of the output scale (5e-3 for float16, 3e-2 for
    bfloat16)."""
    policy(name)
    tfr.keras.utils.set_random_seed(5)
    x = rng.standard_normal((16, 20)).astype(np.float32)

    def build(mod):
        return mod.keras.Sequential([mod.keras.layers.Dense(32, activation="relu", input_shape=(20,)),
                                     mod.keras.layers.Dense(8, activation="tanh"),
                                     mod.keras.layers.Dense(4, dtype="float32")])
    ref = build(tfr)
    mine = build(tb)
    mine.set_weights(ref.get_weights())
    for a, b in zip(mine.layers, ref.layers):
        assert a.dtype == b.dtype and a.compute_dtype == b.compute_dtype and a.dtype_policy.name == b.dtype_policy.name
        assert [w.dtype.name for w in a.weights] == [w.dtype.name for w in b.weights]
        assert a.get_config()["dtype"] == b.get_config()["dtype"]
    h_tb, h_tf = x, x
    for a, b in zip(mine.layers, ref.layers):
        h_tb, h_tf = a(h_tb), b(h_tf)
        assert h_tb.dtype.name == h_tf.dtype.name
    tol = 5e-3 if name == "mixed_float16" else 3e-2
    scale = np.abs(h_tf.numpy()).max()
    assert_close(h_tb.numpy().astype(np.float32), h_tf.numpy().astype(np.float32), rtol=tol, atol=tol * scale)


def test_compile_wraps_in_a_loss_scale_optimizer_under_mixed_float16_only(tb, tfr, policy):
    for name, wrapped in (("mixed_float16", True), ("mixed_bfloat16", False)):
        policy(name)
        m = tb.keras.Sequential([tb.keras.layers.Dense(4, input_shape=(3,)), tb.keras.layers.Dense(2, dtype="float32")])
        m.compile(optimizer="adam", loss="mse")
        assert isinstance(m.optimizer, tb.keras.mixed_precision.LossScaleOptimizer) == wrapped
    opt = tb.keras.mixed_precision.LossScaleOptimizer(tb.keras.optimizers.SGD())
    ref = tfr.keras.mixed_precision.LossScaleOptimizer(tfr.keras.optimizers.legacy.SGD())
    assert float(opt.loss_scale) == float(ref.loss_scale) == 32768.0
    assert opt.dynamic_growth_steps == ref.dynamic_growth_steps == 2000


def test_loss_scale_trajectory_matches_tensorflow(tb, tfr, rng, policy):
    """A model under mixed_float16 trained from an initial scale that overflows float16
    gradients: both frameworks skip the same steps, halve and grow the scale identically, and
    end with the same weights (within float16 training tolerance)."""
    policy("mixed_float16")
    x = rng.standard_normal((64, 10)).astype(np.float32) * 4
    y = rng.integers(0, 3, 64)

    def build(mod, opt):
        m = mod.keras.Sequential([mod.keras.layers.Dense(16, activation="relu", input_shape=(10,)),
                                  mod.keras.layers.Dense(3, dtype="float32")])
        lso = mod.keras.mixed_precision.LossScaleOptimizer(opt, initial_scale=2.0 ** 28, dynamic_growth_steps=3)
        m.compile(optimizer=lso, loss=mod.keras.losses.SparseCategoricalCrossentropy(from_logits=True))
        return m

    # Fixed weights: the scale probes the float16 overflow boundary after every growth, so the
    # trajectory is reproducible only from reproducible weights.
    tfr.keras.utils.set_random_seed(11)
    ref = build(tfr, tfr.keras.optimizers.legacy.SGD(0.01))
    mine = build(tb, tb.keras.optimizers.SGD(0.01))
    mine.set_weights(ref.get_weights())
    scales_tb, scales_tf = [], []
    for step in range(30):
        xb, yb = x[(step % 4) * 16:(step % 4 + 1) * 16], y[(step % 4) * 16:(step % 4 + 1) * 16]
        mine.train_on_batch(xb, yb)
        ref.train_on_batch(xb, yb)
        scales_tb.append(float(mine.optimizer.loss_scale))
        scales_tf.append(float(ref.optimizer.loss_scale))
    assert scales_tb == scales_tf, (scales_tb, scales_tf)
    assert min(scales_tb) < 2.0 ** 28 and any(b > a for a, b in zip(scales_tb, scales_tb[1:])), "skips and growth happened"
    assert int(mine.optimizer.iterations) == int(ref.optimizer.iterations) == 30
    for a, b in zip(mine.get_weights(), ref.get_weights()):
        assert_close(a, b, rtol=1e-2, atol=1e-3)


def test_custom_loop_with_scaled_loss(tb, policy, rng):
    policy("mixed_float16")
    m = tb.keras.Sequential([tb.keras.layers.Dense(8, activation="relu", input_shape=(4,)),
                             tb.keras.layers.Dense(1, dtype="float32")])
    opt = tb.keras.mixed_precision.LossScaleOptimizer(tb.keras.optimizers.Adam(0.01))
    x = rng.standard_normal((32, 4)).astype(np.float32)
    y = x.sum(axis=1, keepdims=True)
    losses = []
    for _ in range(50):
        with tb.GradientTape() as tape:
            loss = tb.reduce_mean(tb.square(m(x) - y))
            scaled = opt.get_scaled_loss(loss)
        grads = opt.get_unscaled_gradients(tape.gradient(scaled, m.trainable_variables))
        opt.apply_gradients(zip(grads, m.trainable_variables))
        losses.append(float(loss))
    assert float(scaled) == pytest.approx(losses[-1] * float(opt.loss_scale), rel=1e-3)
    assert losses[-1] < losses[0] / 4


def test_flagship_example_reaches_the_brief_accuracy(capsys):
    g = runpy.run_path(os.path.join(ROOT, "examples", "mixed_precision_mlp.py"))
    try:
        loss, accuracy = g["model"].evaluate(g["x_test"], g["y_test"], verbose=0)
        assert accuracy >= 0.975, accuracy
        assert list(g["history"].history) == ["loss", "accuracy", "val_loss", "val_accuracy"]
        assert g["model"].layers[0].compute_dtype == "float16" and g["model"].layers[1].compute_dtype == "float32"
        assert "loss scale:" in capsys.readouterr().out
    finally:
        g["tf"].keras.mixed_precision.set_global_policy("float32")
