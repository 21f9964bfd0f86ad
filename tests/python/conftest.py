"""Shared set-up of the Python tests: the reference TensorFlow is imported in the same process
with its plain (non-oneDNN) kernels, tf.keras is Keras 2 (TF 2.12), and both engines use the
same thread count."""
import os

os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "2")
os.environ.setdefault("TF_ENABLE_ONEDNN_OPTS", "0")
os.environ.setdefault("TF_USE_LEGACY_KERAS", "1")
os.environ.setdefault("OMP_NUM_THREADS", "2")

import numpy as np  # noqa: E402
import pytest  # noqa: E402

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))


@pytest.fixture(scope="session")
def tfr():
    """Real TensorFlow, the reference."""
    import tensorflow
    tensorflow.config.threading.set_intra_op_parallelism_threads(2)
    return tensorflow


@pytest.fixture(scope="session")
def tb():
    import tensorbox
    return tensorbox


@pytest.fixture
def rng():
    return np.random.default_rng(1234)


@pytest.fixture(scope="session")
def mnist_slice():
    """2048 training and 512 test images of real MNIST, scaled and flattened."""
    import tensorbox
    (x, y), (xt, yt) = tensorbox.keras.datasets.mnist.load_data()
    x = x[:2048].reshape(-1, 784).astype("float32") / 255
    xt = xt[:512].reshape(-1, 784).astype("float32") / 255
    return x, y[:2048], xt, yt[:512]


def assert_close(actual, expected, rtol=1e-5, atol=1e-6, what=""):
    """float32 agreement: 1e-5 relative; atol 1e-6 covers values that cancel to ~0, where a
    relative bound is meaningless and the two engines' summation orders differ."""
    np.testing.assert_allclose(np.asarray(actual, dtype=np.float64), np.asarray(expected, dtype=np.float64),
                               rtol=rtol, atol=atol, err_msg=what)
