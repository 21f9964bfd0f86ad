#!/usr/bin/env python3
"""Writes keras_golden.json: reference results computed by real TensorFlow for the C++ tests.

TF 2.9 does not install on Python 3.11, so this uses the oldest TensorFlow that does (2.12)
with the optimizer_v2 classes TF 2.9 shipped as tf.keras.optimizers.* (2.12 keeps them as
tf.keras.optimizers.legacy.*). Everything else used here (losses, Dense, the fit loop) has
TF 2.9's behaviour in 2.12 too.

    python3 -m venv .venv-tf && .venv-tf/bin/pip install tensorflow-cpu==2.12.1
    .venv-tf/bin/python tests/golden/generate.py          # regenerates the file
"""
import json
import os

os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "2")
os.environ.setdefault("TF_ENABLE_ONEDNN_OPTS", "0")  # plain Eigen kernels: the reference numerics
import numpy as np
import tensorflow as tf

OUT = os.path.join(os.path.dirname(os.path.abspath(__file__)), "keras_golden.json")
INIT = [1.0, -2.0, 0.5]
GRADS = [[0.5, -1.0, 2.0], [0.1, 0.3, -0.2], [-0.7, 0.0, 1e-3]]


def run_optimizer(opt):
    v = tf.Variable(np.array(INIT, dtype=np.float32))
    for g in GRADS:
        opt.apply_gradients([(tf.constant(np.array(g, dtype=np.float32)), v)])
    return v.numpy().tolist()


def optimizers():
    legacy = tf.keras.optimizers.legacy
    cases = {
        "adam": ({"class": "Adam", "learning_rate": 0.01}, legacy.Adam(learning_rate=0.01)),
        "adam_amsgrad": ({"class": "Adam", "learning_rate": 0.01, "amsgrad": True}, legacy.Adam(learning_rate=0.01, amsgrad=True)),
        "sgd": ({"class": "SGD", "learning_rate": 0.1}, legacy.SGD(learning_rate=0.1)),
        "sgd_momentum": ({"class": "SGD", "learning_rate": 0.1, "momentum": 0.9}, legacy.SGD(learning_rate=0.1, momentum=0.9)),
        "sgd_nesterov": ({"class": "SGD", "learning_rate": 0.1, "momentum": 0.9, "nesterov": True},
                         legacy.SGD(learning_rate=0.1, momentum=0.9, nesterov=True)),
        "rmsprop": ({"class": "RMSprop", "learning_rate": 0.01}, legacy.RMSprop(learning_rate=0.01)),
        "rmsprop_momentum": ({"class": "RMSprop", "learning_rate": 0.01, "momentum": 0.5},
                             legacy.RMSprop(learning_rate=0.01, momentum=0.5)),
        "rmsprop_centered": ({"class": "RMSprop", "learning_rate": 0.01, "centered": True},
                             legacy.RMSprop(learning_rate=0.01, centered=True)),
        "adagrad": ({"class": "Adagrad", "learning_rate": 0.1}, legacy.Adagrad(learning_rate=0.1)),
        "adam_clipnorm": ({"class": "Adam", "learning_rate": 0.01, "clipnorm": 0.5}, legacy.Adam(learning_rate=0.01, clipnorm=0.5)),
    }
    return {k: {"config": c, "init": INIT, "grads": GRADS, "result": run_optimizer(o)} for k, (c, o) in cases.items()}


def losses():
    logits = np.array([[2, 1, 0.1], [0.5, 2.5, -1]], dtype=np.float32)
    labels = np.array([0, 2], dtype=np.int64)
    onehot = np.eye(3, dtype=np.float32)[labels]
    probs = np.array([[1, 0, 0], [0.2, 0.3, 0.5]], dtype=np.float32)
    y_bin = np.array([[1, 0], [1, 0]], dtype=np.float32)
    z_bin = np.array([[0.3, -2], [4, 1]], dtype=np.float32)
    y_reg = np.array([[0, 1], [2, 3]], dtype=np.float32)
    p_reg = np.array([[0.5, 1], [4, 3]], dtype=np.float32)
    L = tf.keras.losses
    out = {
        "scce_logits": float(L.SparseCategoricalCrossentropy(from_logits=True)(labels, logits)),
        "scce_probs": float(L.SparseCategoricalCrossentropy()(labels, probs)),
        "cce_logits_smooth": float(L.CategoricalCrossentropy(from_logits=True, label_smoothing=0.3)(onehot, logits)),
        "cce_probs": float(L.CategoricalCrossentropy()(onehot, probs)),
        "bce_logits": float(L.BinaryCrossentropy(from_logits=True)(y_bin, z_bin)),
        "bce_probs": float(L.BinaryCrossentropy()(y_bin, tf.constant(1 / (1 + np.exp(-z_bin))))),
        "mse": float(L.MeanSquaredError()(y_reg, p_reg)),
        "mae": float(L.MeanAbsoluteError()(y_reg, p_reg)),
        "huber": float(L.Huber()(y_reg, p_reg)),
    }
    return {"inputs": {"logits": logits.tolist(), "labels": labels.tolist(), "probs": probs.tolist(),
                       "y_bin": y_bin.tolist(), "z_bin": z_bin.tolist(), "y_reg": y_reg.tolist(), "p_reg": p_reg.tolist()},
            "values": out}


def fit_history():
    """A small deterministic fit: fixed weights, no shuffling, a partial last batch, validation split."""
    rng = np.random.RandomState(0)
    x = rng.uniform(-1, 1, size=(50, 4)).astype(np.float32)
    y = (x[:, 0] + x[:, 1] > x[:, 2]).astype(np.int64) + (x[:, 3] > 0.5).astype(np.int64)
    w1 = rng.normal(0, 0.5, size=(4, 8)).astype(np.float32)
    b1 = rng.normal(0, 0.1, size=(8,)).astype(np.float32)
    w2 = rng.normal(0, 0.5, size=(8, 3)).astype(np.float32)
    b2 = rng.normal(0, 0.1, size=(3,)).astype(np.float32)
    model = tf.keras.Sequential([tf.keras.layers.Dense(8, activation="relu", input_shape=(4,)),
                                 tf.keras.layers.Dense(3, activation="softmax")])
    model.set_weights([w1, b1, w2, b2])
    model.compile(optimizer=tf.keras.optimizers.legacy.Adam(learning_rate=0.05),
                  loss="sparse_categorical_crossentropy", metrics=["accuracy"])
    h = model.fit(x, y, batch_size=16, epochs=3, shuffle=False, validation_split=0.2, verbose=0)
    scores = model.evaluate(x, y, batch_size=16, verbose=0)
    return {"x": x.tolist(), "y": y.tolist(), "weights": [w.tolist() for w in (w1, b1, w2, b2)],
            "history": {k: [float(v) for v in vs] for k, vs in h.history.items()},
            "final_weights": [w.tolist() for w in model.get_weights()],
            "evaluate": {"loss": float(scores[0]), "accuracy": float(scores[1])}}


def dense_config():
    tf.keras.backend.clear_session()  # so the layer is named "dense"
    layer = tf.keras.layers.Dense(64, activation="relu", input_shape=(784,))
    return json.loads(json.dumps(layer.get_config()))


def main():
    golden = {"tensorflow": tf.__version__, "optimizers": optimizers(), "losses": losses(),
              "fit": fit_history(), "dense_config": dense_config()}
    with open(OUT, "w") as f:
        json.dump(golden, f, indent=1)
        f.write("\n")
    print("wrote", OUT)


if __name__ == "__main__":
    main()
