"""TensorFlow twin of convnet_train: the keras.io MNIST convnet trained with tf.keras `fit` over
one MNIST epoch, one JSON line. Modes as in tf_mlp.py: `default` (fit's tf.function), `eager`
(run_eagerly=True), `xla` (jit_compile=True); n intra-op threads, 1 inter-op thread, default
oneDNN kernels; traced for both batch shapes before timing.

    .venv-py/bin/python bench/tf_convnet.py --batch-size 128 --threads 1 --mode default
"""
import argparse
import json
import os
import time

os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "2")

import mnist_idx  # noqa: E402


def main():
    p = argparse.ArgumentParser()
    p.add_argument("--batch-size", type=int, default=128)
    p.add_argument("--threads", type=int, default=1)
    p.add_argument("--samples", type=int, default=60000)
    p.add_argument("--mode", choices=["default", "eager", "xla"], default="default")
    p.add_argument("--mnist", default=mnist_idx.DEFAULT_DIR)
    a = p.parse_args()
    import tensorflow as tf
    tf.config.threading.set_intra_op_parallelism_threads(a.threads)
    tf.config.threading.set_inter_op_parallelism_threads(1)
    tf.keras.utils.set_random_seed(1)
    x, y = mnist_idx.train_set(a.mnist, a.samples)
    x = x.reshape(-1, 28, 28, 1)
    y = tf.keras.utils.to_categorical(y, 10)
    layers = tf.keras.layers
    model = tf.keras.Sequential([tf.keras.Input(shape=(28, 28, 1)), layers.Conv2D(32, 3, activation="relu"),
                                 layers.MaxPooling2D(2), layers.Conv2D(64, 3, activation="relu"),
                                 layers.MaxPooling2D(2), layers.Flatten(), layers.Dropout(0.5),
                                 layers.Dense(10, activation="softmax")])
    model.compile(optimizer="adam", loss="categorical_crossentropy", metrics=["accuracy"],
                  run_eagerly=a.mode == "eager", jit_compile=a.mode == "xla")
    model.train_on_batch(x[:a.batch_size], y[:a.batch_size])
    rest = len(x) % a.batch_size
    if rest:
        model.train_on_batch(x[:rest], y[:rest])
    t0 = time.perf_counter()
    h = model.fit(x, y, batch_size=a.batch_size, epochs=1, verbose=0, shuffle=True)
    secs = time.perf_counter() - t0
    print(json.dumps({"system": "tensorflow-" + a.mode, "batch_size": a.batch_size, "threads": a.threads,
                      "samples_per_s": round(len(x) / secs, 1), "epoch_s": round(secs, 3),
                      "final_loss": round(h.history["loss"][-1], 4), "tensorflow": tf.__version__}))


if __name__ == "__main__":
    main()
