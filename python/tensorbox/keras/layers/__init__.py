"""tf.keras.layers: Python faces of the engine's layers.

Every layer is built by the engine from its Keras config: the keyword arguments become
{"units": 10, "activation": "relu", ...} and the C++ layer registered under the class name
reads them (one mechanism for Python, C++ and saved configs). A keyword the engine does not
take is a TypeError naming it. Modules: base (Layer, KerasTensor, Input), core, convolutional,
normalization, merging, recurrent, attention.
"""
from ... import _C
from .. import _config
from .attention import Attention, MultiHeadAttention
from .base import _LAYER_CLASSES, Input, InputLayer, KerasTensor, Layer  # noqa: F401
from .convolutional import *  # noqa: F401,F403
from .convolutional import (AveragePooling1D, AveragePooling2D, Conv1D, Conv2D, Conv2DTranspose, DepthwiseConv2D,
                            GlobalAveragePooling1D, GlobalAveragePooling2D, GlobalMaxPooling1D, GlobalMaxPooling2D,
                            MaxPooling1D, MaxPooling2D, SeparableConv2D)
from .core import *  # noqa: F401,F403
from .core import (ELU, Activation, CenterCrop, Cropping2D, Dense, Dropout, Embedding, Flatten, GaussianNoise, LeakyReLU,
                   Normalization, Permute, PReLU, ReLU, RepeatVector, Rescaling, Reshape, Resizing, Softmax,
                   SpatialDropout2D, UpSampling2D, ZeroPadding2D)
from .merging import *  # noqa: F401,F403
from .merging import Add, Average, Concatenate, Dot, Maximum, Minimum, Multiply, Subtract
from .normalization import BatchNormalization, LayerNormalization  # noqa: F401
from .recurrent import GRU, LSTM, Bidirectional, Masking, SimpleRNN, TimeDistributed

_LAYER_CLASSES.update({c.__name__: c for c in (Dense, Activation, Dropout, Flatten, Reshape, InputLayer, Conv1D, Conv2D,
                                          MaxPooling1D, MaxPooling2D, AveragePooling1D, AveragePooling2D,
                                          GlobalAveragePooling1D, GlobalAveragePooling2D, GlobalMaxPooling1D,
                                          GlobalMaxPooling2D, BatchNormalization, LayerNormalization, Add,
                                          Subtract, Multiply, Average, Maximum, Minimum, Concatenate, Dot, ReLU,
                                          LeakyReLU, ELU, PReLU, Softmax, ZeroPadding2D, Cropping2D, UpSampling2D,
                                          RepeatVector, Permute, SpatialDropout2D, GaussianNoise, Embedding,
                                          Rescaling, Normalization, CenterCrop, Conv2DTranspose, DepthwiseConv2D,
                                          SeparableConv2D, SimpleRNN, LSTM, GRU, Bidirectional, TimeDistributed,
                                          Masking, Attention, MultiHeadAttention, Resizing)})


def deserialize(config, custom_objects=None):
    impl = _C.deserialize_layer(_config.dumps(config))
    return Layer._wrap(impl)


def serialize(layer):
    return {"class_name": layer._impl.class_name, "config": layer.get_config()}
