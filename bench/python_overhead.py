#!/usr/bin/env python3
"""What the Python front end adds to training: one fit epoch of the reference MLP (784-1024-10,
Adam, from-logits CE, batch 128, real MNIST) through `import tensorbox as tf` vs the same epoch
driven from C++ (build/release/bench/mlp_train). Both run as fresh processes, alternating
(C++, Python, C++, Python ...) so both see the same machine noise; medians and the ratio are
printed. Timings are reported, never asserted.

    .venv-py/bin/python bench/python_overhead.py              # 5 alternations, 1 and 2 threads
    .venv-py/bin/python bench/python_overhead.py --smoke      # tiny run (CI: the harness keeps working)
"""
import argparse
import json
import os
import statistics
import sys
import time

import bench_md

MLP = os.path.join(bench_md.ROOT, "build", "release", "bench", "mlp_train")


def child(batch, threads, samples):
    """One timed epoch in Python, set up exactly like mlp_train (seed, one warm-up step)."""
    import tensorbox as tf
    tf.config.threading.set_intra_op_parallelism_threads(threads)
    tf.random.set_seed(1)
    (x, y), _ = tf.keras.datasets.mnist.load_data()
    x = x[:samples].reshape(-1, 784).astype("float32") / 255
    y = y[:samples]
    model = tf.keras.Sequential([tf.keras.layers.Dense(1024, activation="relu", input_shape=(784,)),
                                 tf.keras.layers.Dense(10)])
    model.compile(optimizer="adam", loss=tf.keras.losses.SparseCategoricalCrossentropy(from_logits=True),
                  metrics=["accuracy"])
    model.train_on_batch(x[:batch], y[:batch])
    t0 = time.perf_counter()
    h = model.fit(x, y, batch_size=batch, epochs=1, verbose=0)
    secs = time.perf_counter() - t0
    print(json.dumps({"system": "python", "epoch_s": secs, "final_loss": h.history["loss"][-1]}))


def main():
    p = argparse.ArgumentParser()
    p.add_argument("--reps", type=int, default=5)
    p.add_argument("--threads", default="1,2")
    p.add_argument("--batch-size", type=int, default=128)
    p.add_argument("--samples", type=int, default=60000)
    p.add_argument("--smoke", action="store_true")
    p.add_argument("--write", action="store_true", help="write the section into BENCHMARKS.md")
    p.add_argument("--child", action="store_true", help=argparse.SUPPRESS)
    a = p.parse_args()
    if a.child:
        child(a.batch_size, int(a.threads), a.samples)
        return 0
    if a.smoke:
        a.reps, a.threads, a.samples = 1, "1", 2048
    rows = []
    for threads in [int(t) for t in a.threads.split(",")]:
        cpp, py = [], []
        for _ in range(a.reps):
            cpp.append(bench_md.run_json([MLP, "--batch-size", str(a.batch_size), "--threads", str(threads), "--samples",
                            str(a.samples)], threads)["epoch_s"])
            py.append(bench_md.run_json([sys.executable, __file__, "--child", "--batch-size", str(a.batch_size), "--threads",
                           str(threads), "--samples", str(a.samples)], threads)["epoch_s"])
        c, q = statistics.median(cpp), statistics.median(py)
        rows.append((threads, c, q, min(cpp), max(cpp), min(py), max(py)))
        print(f"threads={threads} batch={a.batch_size}: C++ epoch {c:.3f}s [{min(cpp):.3f}-{max(cpp):.3f}], "
              f"Python epoch {q:.3f}s [{min(py):.3f}-{max(py):.3f}], Python/C++ = {q / c:.3f} "
              f"(medians of {a.reps}, alternating)")
    if a.write:
        write_section(a, rows)
    return 0


def write_section(a, rows):
    lines = ["## What Python adds to training", "",
             "One fit epoch of the reference MLP at batch %d on real MNIST, driven from Python "
             "(`import tensorbox as tf`, `model.fit`) and from C++ (`mlp_train`), each a fresh process, "
             "alternating, %d runs each (median, [min-max] in seconds). Issue 3's target: Python adds no more "
             "than 5%%." % (a.batch_size, a.reps), "",
             "Command: `.venv-py/bin/python bench/python_overhead.py --reps %d --write`" % a.reps, "",
             "| threads | C++ epoch s | Python epoch s | Python / C++ |", "|---|---|---|---|"]
    for threads, c, q, cmin, cmax, pmin, pmax in rows:
        lines.append("| %d | %.3f [%.3f-%.3f] | %.3f [%.3f-%.3f] | %.3f |" % (threads, c, cmin, cmax, q, pmin, pmax, q / c))
    lines += ["", "The whole loop runs in C++ with the GIL released and the NumPy arrays borrowed without a copy, "
              "so Python's share is the call itself; a ratio below 1 is machine noise, not a speed-up."]
    bench_md.write_section("python-overhead", lines)


if __name__ == "__main__":
    sys.exit(main())
