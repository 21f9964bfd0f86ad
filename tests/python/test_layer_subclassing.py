"""Python subclasses of tf.keras.layers.Layer against real TensorFlow: build/add_weight/call
layers, layers that hold other layers (tracked weights in Keras's order), the keras.io
"Text classification with Transformer" blocks (TokenAndPositionEmbedding, TransformerBlock)
in a functional model with identical forward passes and `fit` histories, subclassed layers in
Sequential models, and the errors."""
import numpy as np
import pytest

from conftest import assert_close


def _linear(m):
    class Linear(m.keras.layers.Layer):
        def __init__(self, units=4, **kwargs):
            super().__init__(**kwargs)
            self.units = units

        def build(self, input_shape):
            self.w = self.add_weight(name="w", shape=(input_shape[-1], self.units), initializer="random_normal",
                                     trainable=True)
            self.b = self.add_weight(name="b", shape=(self.units,), initializer="zeros", trainable=True)
            self.count = self.add_weight(name="count", shape=(), initializer="zeros", trainable=False)

        def call(self, inputs):
            return m.nn.relu(m.matmul(inputs, self.w) + self.b)

        def get_config(self):
            return dict(super().get_config(), units=self.units)
    return Linear


def _keras_io_blocks(m):
    L = m.keras.layers

    class TransformerBlock(L.Layer):
        def __init__(self, embed_dim, num_heads, ff_dim, rate=0.1):
            super().__init__()
            self.att = L.MultiHeadAttention(num_heads=num_heads, key_dim=embed_dim)
            self.ffn = m.keras.Sequential([L.Dense(ff_dim, activation="relu"), L.Dense(embed_dim)])
            self.layernorm1 = L.LayerNormalization(epsilon=1e-6)
            self.layernorm2 = L.LayerNormalization(epsilon=1e-6)
            self.dropout1 = L.Dropout(rate)
            self.dropout2 = L.Dropout(rate)

        def call(self, inputs, training):
            attn_output = self.att(inputs, inputs)
            attn_output = self.dropout1(attn_output, training=training)
            out1 = self.layernorm1(inputs + attn_output)
            ffn_output = self.ffn(out1)
            ffn_output = self.dropout2(ffn_output, training=training)
            return self.layernorm2(out1 + ffn_output)

    class TokenAndPositionEmbedding(L.Layer):
        def __init__(self, maxlen, vocab_size, embed_dim):
            super().__init__()
            self.token_emb = L.Embedding(input_dim=vocab_size, output_dim=embed_dim)
            self.pos_emb = L.Embedding(input_dim=maxlen, output_dim=embed_dim)

        def call(self, x):
            maxlen = m.shape(x)[-1]
            positions = m.range(start=0, limit=maxlen, delta=1)
            positions = self.pos_emb(positions)
            x = self.token_emb(x)
            return x + positions

    return TransformerBlock, TokenAndPositionEmbedding


def _classifier(m, rate, maxlen=10, vocab=50, embed_dim=8):
    TransformerBlock, TokenAndPositionEmbedding = _keras_io_blocks(m)
    L = m.keras.layers
    inputs = L.Input(shape=(maxlen,))
    x = TokenAndPositionEmbedding(maxlen, vocab, embed_dim)(inputs)
    x = TransformerBlock(embed_dim, 2, 16, rate)(x)
    x = L.GlobalAveragePooling1D()(x)
    x = L.Dropout(rate)(x)
    x = L.Dense(8, activation="relu")(x)
    outputs = L.Dense(2, activation="softmax")(x)
    return m.keras.Model(inputs=inputs, outputs=outputs)


def test_build_add_weight_call(tb, tfr, rng):
    x = rng.standard_normal((3, 5)).astype(np.float32)
    ref, mine = _linear(tfr)(units=4), _linear(tb)(units=4)
    ref(x)
    mine(x)
    assert mine.built
    assert [tuple(w.shape) for w in mine.weights] == [tuple(w.shape) for w in ref.weights]
    assert len(mine.trainable_weights) == 2 and len(mine.non_trainable_weights) == 1
    assert mine.weights[0].name == mine.name + "/w:0"
    mine.set_weights(ref.get_weights())
    with tb.GradientTape() as t1:
        y1 = mine(x)
        l1 = tb.reduce_sum(y1 * y1)
    with tfr.GradientTape() as t2:
        y2 = ref(x)
        l2 = tfr.reduce_sum(y2 * y2)
    assert_close(y1, y2)
    for a, b in zip(t1.gradient(l1, mine.trainable_weights), t2.gradient(l2, ref.trainable_weights)):
        assert_close(a, b)
    assert mine.get_config()["units"] == 4 and mine.get_config()["name"] == mine.name
    assert mine.count_params() == ref.count_params()


def test_subclassed_layer_in_a_sequential_model_trains_like_tensorflow(tb, tfr, rng):
    x = rng.standard_normal((32, 5)).astype(np.float32)
    y = rng.integers(0, 3, 32)

    def build(m):
        model = m.keras.Sequential([m.keras.Input((5,)), _linear(m)(units=6), m.keras.layers.Dense(3)])
        model.compile(optimizer=m.keras.optimizers.SGD(0.1),
                      loss=m.keras.losses.SparseCategoricalCrossentropy(from_logits=True))
        return model
    ref, mine = build(tfr), build(tb)
    mine.set_weights(ref.get_weights())
    h = mine.fit(x, y, batch_size=8, epochs=2, shuffle=False, verbose=0).history
    h_ref = ref.fit(x, y, batch_size=8, epochs=2, shuffle=False, verbose=0).history
    assert_close(h["loss"], h_ref["loss"], rtol=1e-5, atol=1e-6)


def test_keras_io_transformer_blocks_match_tensorflow(tb, tfr, rng):
    ids = rng.integers(0, 50, (40, 10)).astype(np.float32)
    y = (ids[:, 0] > 25).astype(np.int32)
    ref, mine = _classifier(tfr, 0.0), _classifier(tb, 0.0)
    assert [tuple(w.shape) for w in mine.weights] == [tuple(w.shape) for w in ref.weights]
    mine.set_weights(ref.get_weights())
    assert_close(mine(ids), ref(ids), rtol=2e-5, atol=2e-6, what="transformer forward")
    summary = []
    mine.summary(print_fn=summary.append)
    text = "\n".join(summary)  # Keras wraps long names: "transformer_block (Transfor" + "merBlock)"
    assert "(Transfor  (None, 10, 8)            880" in text and "merBlock)" in text, text
    for m in (ref, mine):
        m.compile(optimizer="adam", loss="sparse_categorical_crossentropy", metrics=["accuracy"])
    h = mine.fit(ids, y, batch_size=8, epochs=2, shuffle=False, verbose=0).history
    h_ref = ref.fit(ids, y, batch_size=8, epochs=2, shuffle=False, verbose=0).history
    assert_close(h["loss"], h_ref["loss"], rtol=1e-4, atol=1e-5, what="loss history")
    assert_close(h["accuracy"], h_ref["accuracy"])


def test_keras_io_transformer_trains_with_dropout(tb, rng):
    ids = rng.integers(1, 50, (256, 10)).astype(np.float32)
    y = (ids[:, :5].mean(axis=1) > 25).astype(np.int32)
    tb.random.set_seed(1)
    model = _classifier(tb, 0.1)
    model.compile(optimizer="adam", loss="sparse_categorical_crossentropy", metrics=["accuracy"])
    h = model.fit(ids, y, batch_size=32, epochs=8, verbose=0).history
    assert h["loss"][-1] < h["loss"][0] * 0.8, h["loss"]
    assert h["accuracy"][-1] > 0.7, h["accuracy"]


def test_errors(tb):
    L = tb.keras.layers

    class NoCall(L.Layer):
        pass
    with pytest.raises(NotImplementedError, match="must define `call`"):
        NoCall()

    class Early(L.Layer):
        def __init__(self):
            self.w = self.add_weight(shape=(2,))

        def call(self, x):
            return x
    with pytest.raises(RuntimeError, match=r"super\(\).__init__\(\)"):
        Early()

    class Bad(L.Layer):
        def call(self, x):
            return x

    with pytest.raises(TypeError, match="Keyword argument not understood"):
        Bad(units=3)

    class BadWeight(L.Layer):
        def build(self, input_shape):
            self.w = self.add_weight(shape=(2,), initializer="no_such_init")

        def call(self, x):
            return x
    with pytest.raises(ValueError, match="Unknown initializer: 'no_such_init'"):
        BadWeight()(np.ones((1, 2), np.float32))
