#!/usr/bin/env python3
"""Side-by-side training throughput of the keras.io MNIST convnet: tensorbox (C++) vs PyTorch
eager (NCHW, and channels_last) vs TensorFlow's fit (default tf.function, run_eagerly, XLA), one
MNIST epoch at batch 128, 1 and 2 threads, every system in alternation, medians and ratios.
With --write the table goes to its section of BENCHMARKS.md. Timings are never asserted.

    python3 bench/compare_convnet.py --python .venv-bench/bin/python --tf-python .venv-py/bin/python
    python3 bench/compare_convnet.py --smoke      # tiny run of tensorbox alone (CI)
"""
import argparse
import datetime
import os
import statistics
import subprocess
import sys

import bench_md

TRAIN = os.path.join(bench_md.ROOT, "build", "release", "bench", "convnet_train")
BENCH = os.path.join(bench_md.ROOT, "bench")


def importable(python, module):
    return os.path.exists(python) and subprocess.run([python, "-c", "import " + module],
                                                     capture_output=True).returncode == 0


def main():
    p = argparse.ArgumentParser()
    p.add_argument("--reps", type=int, default=3)
    p.add_argument("--threads", default="1,2")
    p.add_argument("--batch", type=int, default=128)
    p.add_argument("--samples", type=int, default=60000)
    p.add_argument("--python", default=os.path.join(bench_md.ROOT, ".venv-bench", "bin", "python"))
    p.add_argument("--tf-python", default=os.path.join(bench_md.ROOT, ".venv-py", "bin", "python"))
    p.add_argument("--write", action="store_true")
    p.add_argument("--smoke", action="store_true")
    a = p.parse_args()
    if a.smoke:
        r = bench_md.run_json([TRAIN, "--batch-size", "64", "--threads", "1", "--samples", "512"], 1)
        print("smoke: convnet tensorbox %.0f samples/s on 512 samples" % r["samples_per_s"])
        return 0
    peers = []  # (key, label, command builder)
    if importable(a.python, "torch"):
        for key, label, extra in (("pt", "PyTorch eager", []), ("pt_cl", "PyTorch channels_last", ["--channels-last"])):
            peers.append((key, label, lambda t, extra=extra: [a.python, os.path.join(BENCH, "torch_convnet.py"),
                                                              "--batch-size", str(a.batch), "--threads", str(t),
                                                              "--samples", str(a.samples)] + extra))
    else:
        print("PyTorch is not importable by %s: skipped (bench/run installs it)" % a.python)
    if importable(a.tf_python, "tensorflow"):
        for mode, label in (("default", "TF fit"), ("eager", "TF eager"), ("xla", "TF XLA")):
            peers.append(("tf_" + mode, label, lambda t, m=mode: [a.tf_python, os.path.join(BENCH, "tf_convnet.py"),
                                                                  "--batch-size", str(a.batch), "--threads", str(t),
                                                                  "--samples", str(a.samples), "--mode", m]))
    else:
        print("TensorFlow is not importable by %s: skipped (scripts/python-env installs it)" % a.tf_python)
    rows, versions = [], {}
    for threads in [int(t) for t in a.threads.split(",")]:
        tb, got = [], {k: [] for k, _, _ in peers}
        for _ in range(a.reps):
            tb.append(bench_md.run_json([TRAIN, "--batch-size", str(a.batch), "--threads", str(threads),
                                         "--samples", str(a.samples)], threads))
            for key, _, cmd in peers:
                q = bench_md.run_json(cmd(threads), threads)
                got[key].append(q["samples_per_s"])
                versions["torch" if key.startswith("pt") else "tensorflow"] = q.get("torch") or q.get("tensorflow")
        sps = [r["samples_per_s"] for r in tb]
        row = {"threads": threads, "tb": statistics.median(sps), "tb_spread": (min(sps), max(sps)),
               "gflops": statistics.median(r["step_gflops"] for r in tb),
               "peak": statistics.median(r["sgemm_peak_gflops"] for r in tb), "onednn": tb[0]["onednn"],
               "mflop": tb[0]["mflop_per_sample"],
               "peers": {k: (statistics.median(v), min(v), max(v)) for k, v in got.items()}}
        rows.append(row)
        print("threads=%d: tensorbox %.0f samples/s (%.0f GFLOP/s, %.0f%% of sgemm peak %.0f)" % (
            threads, row["tb"], row["gflops"], 100 * row["gflops"] / row["peak"], row["peak"])
            + "".join(", %s %.0f (%.2fx)" % (label, row["peers"][k][0], row["tb"] / row["peers"][k][0])
                      for k, label, _ in peers), flush=True)
    if a.write:
        write(a, rows, peers, versions)
    return 0


def write(a, rows, peers, versions):
    labels = [label for _, label, _ in peers]
    lines = [
        "## MNIST convnet training (keras.io example), one MNIST epoch at batch %d" % a.batch,
        "",
        "- Model: Conv2D 32 3x3 relu -> MaxPooling 2 -> Conv2D 64 3x3 relu -> MaxPooling 2 -> Flatten ->",
        "  Dropout 0.5 -> Dense 10 softmax, Adam, categorical cross-entropy (PyTorch: the same layers,",
        "  cross-entropy on the logits); %.2f MFLOP per training sample." % rows[0]["mflop"],
        "- Date: %s; engine: %s; PyTorch: %s; TensorFlow: %s" % (
            datetime.date.today().isoformat(), rows[0]["onednn"], versions.get("torch", "not installed"),
            versions.get("tensorflow", "not installed")),
        "- Command: `python3 bench/compare_convnet.py --reps %d --write --python %s --tf-python %s` (run by `bench/run`)"
        % (a.reps, os.path.relpath(a.python, bench_md.ROOT), os.path.relpath(a.tf_python, bench_md.ROOT)),
        "- Share of peak: the step's FLOPs per second over oneDNN sgemm at 1024^3 measured in the same process.",
        "",
        "Samples/s, median (min-max) of %d runs per system, in alternation; ratios are tensorbox over each peer." % a.reps,
        "",
        "| threads | tensorbox | " + " | ".join(labels) + " | " + " | ".join("tb / " + l for l in labels)
        + " | share of sgemm peak |",
        "|" + "---:|" * (3 + 2 * len(labels)),
    ]
    for r in rows:
        cells = ["%.0f (%.0f-%.0f)" % r["peers"][k] for k, _, _ in peers]
        ratios = ["%.2fx" % (r["tb"] / r["peers"][k][0]) for k, _, _ in peers]
        lines.append("| %d | %.0f (%.0f-%.0f) | " % (r["threads"], r["tb"], *r["tb_spread"]) + " | ".join(cells + ratios)
                     + " | %.0f%% of %.0f GFLOP/s |" % (100 * r["gflops"] / r["peak"], r["peak"]))
    by = {r["threads"]: r for r in rows}
    if 1 in by and 2 in by:
        lines += ["", "2 threads vs 1 thread (tensorbox): %.2fx." % (by[2]["tb"] / by[1]["tb"])]
    if 1 in by and "pt" in by[1]["peers"]:
        lines += ["", "Issue 5's target, 1.5x PyTorch eager: %.2fx on 1 thread, %.2fx on 2 threads." % (
            by[1]["tb"] / by[1]["peers"]["pt"][0], by[2]["tb"] / by[2]["peers"]["pt"][0] if 2 in by else float("nan"))]
    lines += [
        "",
        "Notes: tensorbox keeps activations NHWC end to end and hands oneDNN its filters reordered per call",
        "(a few KB); the step is convolution-bound (both convolutions' forward, backward-data and",
        "backward-weights passes are oneDNN JIT kernels, see tests/cpp/ops/conv_ops_test.cpp). PyTorch",
        "runs NCHW by default; its channels_last mode is listed because it is the usual advice for CPU",
        "convnets. TensorFlow's numbers are its `fit` with the graph traced before timing; `jit_compile`",
        "(XLA) and `run_eagerly` are slower than its default on this CPU.",
        "",
        "Where the time goes (`perf record -g` over one epoch of `bench/convnet_train --threads 1`, whole process):",
        "81% in oneDNN (74% its JIT kernels, 7.5% its compiled code, unresolved: Debian's library is stripped),",
        "6% tensorbox's float32 binary elementwise kernel (ReLU gradients, dropout masks), 2.5% drawing dropout's random numbers,",
        "6% in the kernel (5% zeroing fresh huge pages for new activation buffers), 1% reading MNIST. What is",
        "left to win is against the machine, not the peers: reusing activation buffers across steps (the page",
        "zeroing) and fusing the ReLU gradient and dropout into fewer passes.",
    ]
    bench_md.write_section("convnet", lines)


if __name__ == "__main__":
    sys.exit(main())
