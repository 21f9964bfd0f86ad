"""keras.datasets.mnist.load_data(), read from local files: nothing is downloaded.

Where it looks: `path` when it names an existing .npz file (Keras's format: x_train, y_train,
x_test, y_test) or a folder of IDX files; otherwise the folder in $TB_MNIST_DIR, else the
project's bundled copy. The arrays have Keras's shapes and dtypes: uint8 (60000, 28, 28),
uint8 (60000,), uint8 (10000, 28, 28), uint8 (10000,).
"""
import os

import numpy as np

from ... import _C
from ...errors import NotFoundError


def load_data(path="mnist.npz"):
    if path and os.path.isfile(path):
        with np.load(path, allow_pickle=False) as f:
            return (f["x_train"], f["y_train"]), (f["x_test"], f["y_test"])
    folder = path if path and os.path.isdir(path) else ""
    try:
        x_train, y_train, x_test, y_test = _C.mnist_load_data(folder)
    except NotFoundError as e:
        # An OSError, as a missing file is in Keras; the message names the folder and files.
        raise FileNotFoundError(str(e) + " (set TB_MNIST_DIR or pass path=)") from None
    # Copies owned by NumPy: users reshape, scale and write into these freely.
    return (np.array(x_train.numpy()), np.array(y_train.numpy())), (np.array(x_test.numpy()), np.array(y_test.numpy()))
