"""tf.keras.utils: to_categorical, set_random_seed."""
import random as _random

import numpy as np

from .. import _C


def to_categorical(y, num_classes=None, dtype="float32"):
    """Class vector -> one-hot matrix, as keras.utils.to_categorical (a NumPy helper there too)."""
    y = np.array(y, dtype="int")
    shape = y.shape
    if shape and shape[-1] == 1 and len(shape) > 1:
        shape = tuple(shape[:-1])
    y = y.ravel()
    if not num_classes:
        num_classes = int(np.max(y)) + 1
    n = y.shape[0]
    out = np.zeros((n, num_classes), dtype=dtype)
    out[np.arange(n), y] = 1
    return out.reshape(shape + (num_classes,))


def set_random_seed(seed):
    """Seeds Python's, NumPy's and tensorbox's generators (keras.utils.set_random_seed)."""
    if not isinstance(seed, int):
        raise ValueError("Expected `seed` argument to be an integer. Received: seed=%r (of type %s)" % (seed, type(seed)))
    _random.seed(seed)
    np.random.seed(seed)
    _C.set_seed(seed)
