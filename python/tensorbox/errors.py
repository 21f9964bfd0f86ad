"""tf.errors: the exception classes TensorFlow raises from ops.

The engine's typed C++ errors arrive as these (InvalidArgumentError for bad shapes or
dtypes, ...); Keras-level argument errors arrive as Python's ValueError / TypeError, as in
TensorFlow.
"""


class OpError(Exception):
    """Base class of op errors (tf.errors.OpError)."""

    def __init__(self, message="", node_def=None, op=None, error_code=None):
        super().__init__(message)
        self.message = message
        self.node_def = node_def
        self.op = op
        self.error_code = error_code


class InvalidArgumentError(OpError):
    pass


class OutOfRangeError(OpError):
    pass


class NotFoundError(OpError):
    pass


class UnimplementedError(OpError):
    pass


class FailedPreconditionError(OpError):
    pass


class DataLossError(OpError):
    pass


class InternalError(OpError):
    pass


class ResourceExhaustedError(OpError):
    pass
