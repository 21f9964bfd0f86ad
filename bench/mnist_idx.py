"""MNIST IDX reading for the peer benchmark scripts (the engine has its own reader)."""
import gzip
import os
import struct

import numpy as np

DEFAULT_DIR = os.environ.get("TB_MNIST_DIR", os.path.join(os.path.dirname(os.path.abspath(__file__)),
                                                          "../../shared/data/mnist"))


def read_idx(path):
    with (gzip.open(path) if path.endswith(".gz") else open(path, "rb")) as f:
        data = f.read()
    rank = data[3]
    dims = struct.unpack(">" + "I" * rank, data[4:4 + 4 * rank])
    return np.frombuffer(data, dtype=np.uint8, offset=4 + 4 * rank).reshape(dims)


def train_set(folder, samples):
    """x float32 (n, 784) in [0, 1], y uint8 (n,): the brief's preprocessing."""
    x = read_idx(os.path.join(folder, "train-images-idx3-ubyte.gz")).reshape(-1, 784).astype(np.float32) / 255.0
    y = read_idx(os.path.join(folder, "train-labels-idx1-ubyte.gz"))
    return np.ascontiguousarray(x[:samples]), np.ascontiguousarray(y[:samples])
