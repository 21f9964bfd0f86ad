"""Tensor behaves like TensorFlow's EagerTensor: conversion rules, NumPy bridge, operators,
indexing, repr, and the errors TensorFlow raises."""
import numpy as np
import pytest

from conftest import assert_close


def test_python_values_get_tensorflows_default_dtypes(tb, tfr):
    for value in (1.5, 3, True, [1.0, 2.0], [[1, 2], [3, 4]], [True, False]):
        assert tb.constant(value).dtype.name == tfr.constant(value).dtype.name, value
    assert tb.constant(np.array([1.0, 2.0])).dtype == tb.float64  # NumPy keeps its dtype
    assert tb.constant(2**40).dtype == tb.int64
    assert tb.constant([1, 2], dtype="float32").dtype == tb.float32
    assert tb.constant(1.0, dtype=tb.float16).numpy().dtype == np.float16


def test_numpy_arrays_are_borrowed_and_constants_copied(tb):
    a = np.arange(12, dtype=np.float32).reshape(3, 4)
    t = tb.convert_to_tensor(a)
    assert np.shares_memory(t.numpy(), a), "a C-contiguous array passes without a copy"
    c = tb.constant(a)
    a[0, 0] = 100
    assert c.numpy()[0, 0] == 0, "tf.constant owns its values"
    nc = np.asfortranarray(np.ones((3, 4), np.float32))
    assert_close(tb.convert_to_tensor(nc), nc)  # not contiguous: copied, same values


def test_shape_dtype_len_and_numpy(tb):
    t = tb.constant(np.arange(6, dtype=np.int64).reshape(2, 3))
    assert t.shape == (2, 3) and t.shape.as_list() == [2, 3] and repr(t.shape) == "TensorShape([2, 3])"
    assert t.dtype == tb.int64 and t.dtype == "int64" and t.dtype == np.int64 and repr(t.dtype) == "tf.int64"
    assert len(t) == 2 and t.ndim == 2
    assert np.array_equal(np.asarray(t), np.arange(6).reshape(2, 3))
    with pytest.raises(TypeError):
        len(tb.constant(1.0))
    assert [r.numpy().tolist() for r in t] == [[0, 1, 2], [3, 4, 5]]


def test_16_bit_floats_reach_numpy(tb):
    import ml_dtypes
    x = np.array([1.0, 2.5, -3.0], dtype=ml_dtypes.bfloat16)
    t = tb.convert_to_tensor(x)
    assert t.dtype == tb.bfloat16 and t.numpy().dtype == ml_dtypes.bfloat16
    assert_close(t.numpy().astype(np.float32), [1.0, 2.5, -3.0])
    h = tb.cast(tb.constant([0.1, 65504.0]), tb.float16)
    assert h.numpy().dtype == np.float16 and h.numpy()[1] == np.float16(65504.0)


def test_repr_and_str_match_tensorflow(tb, tfr):
    for value in ([1.0, 2.0], [[1.0, 2.0], [3.0, 4.0]], 3, [True, False]):
        assert repr(tb.constant(value)) == repr(tfr.constant(value)), value
        assert str(tb.constant(value)) == str(tfr.constant(value)), value


def test_operators_broadcast_like_tensorflow(tb, tfr, rng):
    a = rng.standard_normal((3, 4)).astype(np.float32)
    b = rng.standard_normal((4,)).astype(np.float32) + 3
    ops = [lambda x, y: x + y, lambda x, y: x - y, lambda x, y: x * y, lambda x, y: x / y,
           lambda x, y: 2.0 * x - y / 3.0, lambda x, y: -x, lambda x, y: abs(x), lambda x, y: x ** 2,
           lambda x, y: 1.0 - x, lambda x, y: x @ np.ones((4, 2), np.float32), lambda x, y: a + y]
    for i, op in enumerate(ops):
        assert_close(op(tb.constant(a), tb.constant(b)), op(tfr.constant(a), tfr.constant(b)), what=str(i))
    for cmp in (lambda x, y: x < y, lambda x, y: x >= y, lambda x, y: x == 0.5, lambda x, y: x != y):
        assert np.array_equal(cmp(tb.constant(a), tb.constant(b)).numpy(), cmp(tfr.constant(a), tfr.constant(b)).numpy())


@pytest.mark.parametrize("key", [0, -1, slice(1, 3), (slice(None), 1), (Ellipsis, 2), (1, slice(None, None, 2)),
                                 slice(None, None, -1), (None, 0), (slice(0, 2), None, slice(1, 4))])
def test_indexing_matches_numpy(tb, key):
    a = np.arange(24, dtype=np.float32).reshape(4, 6)
    assert np.array_equal(tb.constant(a)[key].numpy(), a[key]), key


def test_indexing_errors(tb):
    t = tb.constant(np.zeros((2, 3), np.float32))
    with pytest.raises(tb.errors.InvalidArgumentError, match="out of bounds"):
        t[5]
    with pytest.raises(IndexError):
        t[0, 0, 0]
    with pytest.raises(TypeError):
        t["a"]


def test_op_errors_are_tensorflow_exceptions_naming_shapes(tb):
    with pytest.raises(tb.errors.InvalidArgumentError, match=r"\(2, 3\).*\(4, 5\)|\(4, 5\).*\(2, 3\)"):
        tb.matmul(np.ones((2, 3), np.float32), np.ones((4, 5), np.float32))
    with pytest.raises(tb.errors.InvalidArgumentError, match=r"\(3,\)"):
        tb.constant([1.0, 2.0, 3.0]) + tb.constant([1.0, 2.0])
    with pytest.raises(tb.errors.InvalidArgumentError, match="float32.*int32|int32.*float32"):
        tb.add(tb.constant([1.0]), tb.constant([1]))
    with pytest.raises(ValueError, match="requested dtype int32"):
        tb.convert_to_tensor(tb.constant([1.0]), dtype=tb.int32)
    with pytest.raises(TypeError, match="int16"):
        tb.convert_to_tensor(np.zeros(3, np.int16))
    with pytest.raises(TypeError):
        tb.constant(["a", "b"])
    with pytest.raises(TypeError, match="2-byte items as float32"):
        tb._C.from_buffer(np.zeros(3, np.int16), "float32")
    with pytest.raises(ValueError, match="ambiguous"):
        bool(tb.constant([1.0, 2.0]))


def test_namespace_ops_match_tensorflow(tb, tfr, rng):
    a = rng.standard_normal((3, 4)).astype(np.float32)
    checks = [
        lambda t: t.reduce_sum(a, axis=1), lambda t: t.reduce_mean(a, axis=[0, 1], keepdims=True),
        lambda t: t.reduce_max(a), lambda t: t.reduce_min(a, 0), lambda t: t.math.reduce_logsumexp(a, -1),
        lambda t: t.argmax(a, axis=1), lambda t: t.transpose(a), lambda t: t.reshape(a, [2, 6]),
        lambda t: t.concat([a, a], 0), lambda t: t.stack([a, a], axis=1), lambda t: t.expand_dims(a, 1),
        lambda t: t.gather(a, [2, 0], axis=0), lambda t: t.one_hot([0, 2], 3), lambda t: t.cast(a, t.int32),
        lambda t: t.where(a > 0, a, 0.0 * a), lambda t: t.nn.softmax(a), lambda t: t.nn.log_softmax(a),
        lambda t: t.nn.relu(a), lambda t: t.nn.gelu(a), lambda t: t.math.exp(a), lambda t: t.math.sqrt(abs(a)),
        lambda t: t.square(a), lambda t: t.nn.sigmoid(a), lambda t: t.math.tanh(a), lambda t: t.nn.elu(a),
        lambda t: t.nn.softplus(a), lambda t: t.nn.selu(a), lambda t: t.maximum(a, 0.5), lambda t: t.zeros((2, 3)),
        lambda t: t.ones_like(a), lambda t: t.clip_by_value(a, -0.5, 0.5), lambda t: t.squeeze(t.ones((1, 3, 1))),
        lambda t: t.nn.sparse_softmax_cross_entropy_with_logits(labels=[1, 0, 3], logits=a),
        lambda t: t.nn.softmax_cross_entropy_with_logits(labels=np.full((3, 4), 0.25, np.float32), logits=a),
        lambda t: t.nn.bias_add(a, np.arange(4, dtype=np.float32)), lambda t: t.shape(a), lambda t: t.range(5),
        lambda t: t.add_n([a, a, a]), lambda t: t.math.sign(a), lambda t: t.broadcast_to([1.0, 2.0], [3, 2]),
    ]
    for i, f in enumerate(checks):
        got, want = f(tb), f(tfr)
        assert got.dtype.name == want.dtype.name, (i, got.dtype, want.dtype)
        assert_close(got, want, what="check %d" % i)


def test_random_and_threads(tb):
    tb.random.set_seed(7)
    a = tb.random.normal((1000,)).numpy()
    tb.random.set_seed(7)
    assert np.array_equal(a, tb.random.normal((1000,)).numpy()), "seeded draws repeat"
    u = tb.random.uniform((20000,), minval=-2, maxval=3).numpy()
    assert u.min() >= -2 and u.max() < 3 and abs(u.mean() - 0.5) < 0.05
    assert tb.config.list_physical_devices("GPU") == []
    assert tb.config.list_physical_devices("CPU")[0].device_type == "CPU"
    tb.config.threading.set_intra_op_parallelism_threads(1)
    assert tb.config.threading.get_intra_op_parallelism_threads() == 1
    tb.config.threading.set_intra_op_parallelism_threads(2)


def test_function_runs_eagerly(tb):
    @tb.function(jit_compile=True)
    def f(x):
        return x * 2.0

    assert_close(f(tb.constant([1.0, 2.0])), [2.0, 4.0])
    assert tb.executing_eagerly()


def test_borrowed_memory_outlives_the_array_name(tb):
    import gc
    a = np.arange(1000, dtype=np.float32)
    t = tb.convert_to_tensor(a)
    view = t.numpy()
    del a
    gc.collect()
    assert float(tb.reduce_sum(t)) == 499500.0 and view[999] == 999.0


def test_variables_work_where_tensors_do(tb, tfr):
    v, r = tb.Variable([[1.0, 2.0]], name="w"), tfr.Variable([[1.0, 2.0]], name="w")
    assert v.name == r.name == "w:0" and v.shape == (1, 2) and v.dtype == tb.float32
    assert_close(v + 1.0, r + 1.0)
    assert_close(tb.matmul(v, np.ones((2, 1), np.float32)), tfr.matmul(r, np.ones((2, 1), np.float32)))
    v.assign([[3.0, 4.0]])
    v.assign_add(np.ones((1, 2), np.float32))
    assert v.numpy().tolist() == [[4.0, 5.0]]
    snapshot = v.numpy()
    v.assign_sub([[1.0, 1.0]])
    assert snapshot.tolist() == [[4.0, 5.0]], "Variable.numpy() is a copy"
    with pytest.raises(tb.errors.InvalidArgumentError, match=r"\(1, 2\)|shape"):
        v.assign([1.0, 2.0, 3.0])
