"""tf.keras.datasets: datasets read from local files (never downloaded)."""
from . import mnist  # noqa: F401
