"""TensorFlow twin of mlp_train: the reference MLP trained with tf.keras `fit` over one MNIST
epoch, one JSON line. Modes: `default` (fit's tf.function), `eager` (run_eagerly=True), `xla`
(jit_compile=True). TensorFlow gets `n` intra-op threads and 1 inter-op thread (so it uses `n`
cores like the others) and its default oneDNN CPU kernels; the graph is traced/compiled for both
batch shapes (full and the last partial batch) before timing, as tensorbox and PyTorch are
warmed up with one step.

    .venv-py/bin/python bench/tf_mlp.py --batch-size 128 --threads 1 --mode xla
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
    p.add_argument("--policy", choices=["float32", "mixed_bfloat16", "mixed_float16"], default="float32")
    a = p.parse_args()
    import tensorflow as tf
    tf.keras.mixed_precision.set_global_policy(a.policy)
    tf.config.threading.set_intra_op_parallelism_threads(a.threads)
    tf.config.threading.set_inter_op_parallelism_threads(1)
    tf.keras.utils.set_random_seed(1)
    x, y = mnist_idx.train_set(a.mnist, a.samples)
    model = tf.keras.Sequential([tf.keras.layers.Dense(1024, activation="relu", input_shape=(784,)),
                                 tf.keras.layers.Dense(10, dtype="float32")])  # the guide's float32 output
    model.compile(optimizer=tf.keras.optimizers.Adam(1e-3),
                  loss=tf.keras.losses.SparseCategoricalCrossentropy(from_logits=True), metrics=["accuracy"],
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
                      "final_loss": round(h.history["loss"][-1], 4), "tensorflow": tf.__version__,
                      "policy": a.policy}))


if __name__ == "__main__":
    main()
