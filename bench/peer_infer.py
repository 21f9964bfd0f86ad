"""The peers' (and tensorbox's Python front end's) side of bench/compare_inference.py: the same
forward pass as bench/mlp_infer.cpp, timed the same way, one JSON line. Runs in whichever
interpreter has the framework:

    .venv-bench/bin/python bench/peer_infer.py --system torch --threads 1
    .venv-py/bin/python bench/peer_infer.py --system tf-function --threads 1   # also tf-eager, tf-xla
    .venv-py/bin/python bench/peer_infer.py --system tensorbox-python --threads 1

Each system in its fastest idiomatic inference form: PyTorch `model(x)` under
torch.inference_mode(); TensorFlow `model(x, training=False)` eagerly, inside a tf.function, and
inside a tf.function(jit_compile=True); tensorbox `model(x)` from Python.
"""
import argparse
import json
import statistics
import time

import numpy as np


def build(system, threads):
    if system == "torch":
        import torch
        torch.set_num_threads(threads)
        torch.set_flush_denormal(True)
        model = torch.nn.Sequential(torch.nn.Linear(784, 1024), torch.nn.ReLU(), torch.nn.Linear(1024, 10)).eval()

        def call(x):
            with torch.inference_mode():
                return model(x)
        return call, lambda a: torch.from_numpy(a)
    if system.startswith("tf-"):
        import os
        os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "2")
        import tensorflow as tf
        tf.config.threading.set_intra_op_parallelism_threads(threads)
        tf.config.threading.set_inter_op_parallelism_threads(1)
        model = tf.keras.Sequential([tf.keras.layers.Dense(1024, activation="relu", input_shape=(784,)),
                                     tf.keras.layers.Dense(10)])
        if system == "tf-eager":
            call = lambda x: model(x, training=False)  # noqa: E731
        else:
            call = tf.function(lambda x: model(x, training=False), jit_compile=(system == "tf-xla"))
        return call, lambda a: tf.constant(a)
    if system == "tensorbox-python":
        import tensorbox as tb
        tb.config.threading.set_intra_op_parallelism_threads(threads)
        model = tb.keras.Sequential([tb.keras.layers.Dense(1024, activation="relu", input_shape=(784,)),
                                     tb.keras.layers.Dense(10)])
        return (lambda x: model(x)), lambda a: tb.constant(a)
    raise SystemExit("unknown --system " + system)


def main():
    p = argparse.ArgumentParser()
    p.add_argument("--system", required=True)
    p.add_argument("--threads", type=int, default=1)
    p.add_argument("--calls", type=int, default=2000)
    a = p.parse_args()
    call, to_tensor = build(a.system, a.threads)
    rng = np.random.default_rng(1)
    one = to_tensor(rng.random((1, 784), dtype=np.float32))
    big = to_tensor(rng.random((512, 784), dtype=np.float32))
    for _ in range(200):
        call(one)
    us = []
    for _ in range(a.calls):
        t0 = time.perf_counter_ns()
        call(one)
        us.append((time.perf_counter_ns() - t0) / 1000)
    us.sort()
    for _ in range(5):
        call(big)
    rates = []
    for _ in range(5):
        t0 = time.perf_counter()
        for _ in range(10):
            call(big)
        rates.append(512 * 10 / (time.perf_counter() - t0))
    print(json.dumps({"system": a.system, "threads": a.threads, "latency_us_median": round(statistics.median(us), 1),
                      "latency_us_p99": round(us[int(len(us) * 0.99)], 1),
                      "throughput_512": round(statistics.median(rates))}))


if __name__ == "__main__":
    main()
