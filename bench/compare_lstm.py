#!/usr/bin/env python3
"""Side-by-side training throughput of a text classifier with a recurrent layer, the shape of
keras.io's IMDB examples: Embedding(20000, 128) -> LSTM(64) (or GRU(64)) -> Dense(1, sigmoid),
Adam, binary cross-entropy, sequences of 200 random token ids, batch 32, on 1 and 2 threads:
tensorbox (`import tensorbox as tf`, model.fit) vs TensorFlow's fit vs PyTorch eager
(nn.Embedding, nn.LSTM/nn.GRU, nn.Linear). Each system runs in its own process, in
alternation; medians and ratios. With --write the table goes to its section of BENCHMARKS.md.

    python3 bench/compare_lstm.py --python .venv-bench/bin/python --tf-python .venv-py/bin/python
    python3 bench/compare_lstm.py --smoke      # tiny run of tensorbox alone (CI)
    python3 bench/compare_lstm.py --worker tb --cell lstm --threads 1 --samples 2048   # one run, JSON
"""
import argparse
import datetime
import json
import os
import statistics
import sys
import time

VOCAB, EMBED, UNITS, LENGTH = 20000, 128, 64, 200


def data(samples):
    import numpy as np
    rng = np.random.default_rng(0)
    return rng.integers(1, VOCAB, (samples, LENGTH)).astype("int32"), rng.integers(0, 2, samples).astype("float32")


def keras_run(lib, cell, threads, samples, batch):
    if lib == "tf":
        import tensorflow as tf
        tf.config.threading.set_intra_op_parallelism_threads(threads)
        tf.config.threading.set_inter_op_parallelism_threads(1)
        version = {"tensorflow": tf.__version__}
    else:
        import tensorbox as tf
        tf.config.threading.set_intra_op_parallelism_threads(threads)
        version = {}
    x, y = data(samples)
    L = tf.keras.layers
    rnn = L.LSTM(UNITS) if cell == "lstm" else L.GRU(UNITS)
    model = tf.keras.Sequential([L.Embedding(VOCAB, EMBED), rnn, L.Dense(1, activation="sigmoid")])
    model.compile(optimizer="adam", loss="binary_crossentropy", metrics=["accuracy"])
    model.fit(x[:8 * batch], y[:8 * batch], batch_size=batch, epochs=1, verbose=0)  # build, trace, warm up
    t = time.perf_counter()
    model.fit(x, y, batch_size=batch, epochs=1, verbose=0, shuffle=False)
    return dict(samples_per_s=samples / (time.perf_counter() - t), **version)


def torch_run(cell, threads, samples, batch):
    import torch
    torch.set_num_threads(threads)
    torch.set_flush_denormal(True)
    x, y = data(samples)
    x, y = torch.from_numpy(x).long(), torch.from_numpy(y)

    class Net(torch.nn.Module):
        def __init__(self):
            super().__init__()
            self.emb = torch.nn.Embedding(VOCAB, EMBED)
            self.rnn = (torch.nn.LSTM if cell == "lstm" else torch.nn.GRU)(EMBED, UNITS, batch_first=True)
            self.out = torch.nn.Linear(UNITS, 1)

        def forward(self, ids):
            _, h = self.rnn(self.emb(ids))
            h = h[0] if cell == "lstm" else h
            return self.out(h[-1]).squeeze(-1)
    net = Net()
    opt = torch.optim.Adam(net.parameters(), lr=1e-3)
    loss_fn = torch.nn.BCEWithLogitsLoss()

    def epoch(n):
        for i in range(0, n, batch):
            opt.zero_grad()
            loss = loss_fn(net(x[i:i + batch]), y[i:i + batch])
            loss.backward()
            opt.step()
    epoch(8 * batch)
    t = time.perf_counter()
    epoch(samples)
    return dict(samples_per_s=samples / (time.perf_counter() - t), torch=torch.__version__)


def main():
    p = argparse.ArgumentParser()
    p.add_argument("--worker", choices=["tb", "tf", "torch"])
    p.add_argument("--cell", default="lstm", choices=["lstm", "gru"])
    p.add_argument("--cells", default="lstm,gru")
    p.add_argument("--reps", type=int, default=3)
    p.add_argument("--threads", default="1,2")
    p.add_argument("--batch", type=int, default=32)
    p.add_argument("--samples", type=int, default=2048)
    p.add_argument("--python", default=None)
    p.add_argument("--tf-python", default=None)
    p.add_argument("--write", action="store_true")
    p.add_argument("--smoke", action="store_true")
    a = p.parse_args()
    if a.worker:
        t = int(a.threads)
        r = torch_run(a.cell, t, a.samples, a.batch) if a.worker == "torch" else \
            keras_run(a.worker, a.cell, t, a.samples, a.batch)
        print(json.dumps(r))
        return 0
    import bench_md
    me = os.path.abspath(__file__)
    tb_python = os.path.join(bench_md.ROOT, ".venv-py", "bin", "python")
    tf_python = a.tf_python or tb_python
    torch_python = a.python or os.path.join(bench_md.ROOT, ".venv-bench", "bin", "python")

    def cmd(python, worker, cell, threads, samples=a.samples):
        return [python, me, "--worker", worker, "--cell", cell, "--threads", str(threads), "--samples", str(samples),
                "--batch", str(a.batch)]
    if a.smoke:
        r = bench_md.run_json(cmd(tb_python, "tb", "lstm", 1, 256), 1)
        print("smoke: LSTM classifier tensorbox %.0f samples/s on 256 samples" % r["samples_per_s"])
        return 0
    systems = [("tb", tb_python, "tensorbox"), ("tf", tf_python, "TF fit"), ("torch", torch_python, "PyTorch eager")]
    rows, versions = [], {}
    for cell in a.cells.split(","):
        for threads in [int(t) for t in a.threads.split(",")]:
            got = {k: [] for k, _, _ in systems}
            for _ in range(a.reps):
                for key, python, _ in systems:
                    r = bench_md.run_json(cmd(python, key, cell, threads), threads)
                    got[key].append(r["samples_per_s"])
                    versions.update({k: v for k, v in r.items() if k in ("torch", "tensorflow")})
            row = {"cell": cell, "threads": threads, "got": {k: (statistics.median(v), min(v), max(v))
                                                             for k, v in got.items()}}
            rows.append(row)
            m = row["got"]
            print("%s threads=%d: tensorbox %.0f, TF fit %.0f (%.2fx), PyTorch %.0f (%.2fx) samples/s" % (
                cell, threads, m["tb"][0], m["tf"][0], m["tb"][0] / m["tf"][0], m["torch"][0],
                m["tb"][0] / m["torch"][0]), flush=True)
    if a.write:
        lines = [
            "## Recurrent text classifier training (keras.io IMDB shape), batch %d" % a.batch,
            "",
            "- Model: Embedding(%d, %d) -> LSTM(%d) or GRU(%d) -> Dense(1, sigmoid), Adam, binary cross-entropy;"
            % (VOCAB, EMBED, UNITS, UNITS),
            "  %d random sequences of %d token ids per timed epoch (after a warm-up epoch of 8 batches)."
            % (a.samples, LENGTH),
            "- Date: %s; PyTorch: %s; TensorFlow: %s" % (datetime.date.today().isoformat(),
                                                          versions.get("torch", "?"), versions.get("tensorflow", "?")),
            "- Command: `python3 bench/compare_lstm.py --reps %d --write`" % a.reps,
            "",
            "Samples/s, median (min-max) of %d runs per system, in alternation; ratios are tensorbox over each peer."
            % a.reps,
            "",
            "| cell | threads | tensorbox | TF fit | PyTorch eager | tb / TF fit | tb / PyTorch |",
            "|---|---:|---:|---:|---:|---:|---:|",
        ]
        for r in rows:
            m = r["got"]
            lines.append("| %s | %d | %.0f (%.0f-%.0f) | %.0f (%.0f-%.0f) | %.0f (%.0f-%.0f) | %.2fx | %.2fx |" % (
                r["cell"], r["threads"], *m["tb"], *m["tf"], *m["torch"], m["tb"][0] / m["tf"][0],
                m["tb"][0] / m["torch"][0]))
        lines += [
            "",
            "tensorbox runs the recurrence one timestep at a time on its ops (the input projection of all",
            "steps is one GEMM; each step is a small GEMM with the recurrent kernel plus the gate",
            "arithmetic), with the gradient from the tape; the sequence is split and joined with one",
            "unstack/stack op each, so the backward pass stays linear in the length. PyTorch's nn.LSTM/nn.GRU",
            "run fused cell kernels. A fused cell kernel is what is left to win.",
        ]
        bench_md.write_section("recurrent", lines)
    return 0


if __name__ == "__main__":
    sys.exit(main())
