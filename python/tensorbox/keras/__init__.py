"""tf.keras for tensorbox: Keras 2.9's API over the C++ engine."""
from . import activations, backend, callbacks, datasets, initializers, layers, losses, metrics  # noqa: F401
from . import mixed_precision, optimizers, regularizers, utils  # noqa: F401
from .layers import Input  # noqa: F401
from .models import Model, Sequential  # noqa: F401

__version__ = "2.9.0"  # the Keras API version this package follows
