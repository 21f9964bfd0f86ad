#!/usr/bin/env python3
"""Side-by-side inference on the reference MLP (784-1024-10): batch-1 latency (median and p99,
microseconds, each call timed on its own) and batch-512 throughput, for tensorbox from C++
(bench/mlp_infer) and from Python, PyTorch eager (inference_mode) and TensorFlow (eager,
tf.function, tf.function with XLA). Every system runs in alternation, each run a fresh process,
on 1 and 2 threads; medians over the runs are reported. With --write the table goes to
BENCHMARKS.md. Timings are reported, never asserted; a peer whose interpreter lacks it is skipped
with a printed reason.

    python3 bench/compare_inference.py --python .venv-bench/bin/python --tf-python .venv-py/bin/python [--reps 3] [--write]
    python3 bench/compare_inference.py --smoke      # tensorbox (C++) alone, briefly (CI)
"""
import argparse
import os
import statistics
import subprocess
import sys

import bench_md

INFER = os.path.join(bench_md.ROOT, "build", "release", "bench", "mlp_infer")
PEER = os.path.join(bench_md.ROOT, "bench", "peer_infer.py")


def importable(python, module):
    return os.path.exists(python) and subprocess.run([python, "-c", "import " + module],
                                                     capture_output=True).returncode == 0


def main():
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("--reps", type=int, default=3)
    p.add_argument("--threads", default="1,2")
    p.add_argument("--calls", type=int, default=2000)
    p.add_argument("--python", default=os.path.join(bench_md.ROOT, ".venv-bench", "bin", "python"),
                   help="interpreter with torch")
    p.add_argument("--tf-python", default=os.path.join(bench_md.ROOT, ".venv-py", "bin", "python"),
                   help="interpreter with tensorflow and tensorbox")
    p.add_argument("--write", action="store_true")
    p.add_argument("--smoke", action="store_true")
    a = p.parse_args()
    if a.smoke:
        r = bench_md.run_json([INFER, "--threads", "1", "--calls", "50"], 1)
        print("smoke: tensorbox batch-1 %.0f us median, batch-512 %.0f samples/s" %
              (r["latency_us_median"], r["throughput_512"]))
        return
    systems = [("tensorbox", "tensorbox C++", lambda t: [INFER, "--threads", str(t), "--calls", str(a.calls)])]
    peer = lambda python, name: (lambda t: [python, PEER, "--system", name, "--threads", str(t),  # noqa: E731
                                             "--calls", str(a.calls)])
    if importable(a.tf_python, "tensorbox"):
        systems.append(("tensorbox-python", "tensorbox Python", peer(a.tf_python, "tensorbox-python")))
    if importable(a.python, "torch"):
        systems.append(("torch", "PyTorch eager", peer(a.python, "torch")))
    else:
        print("PyTorch is not importable by %s: skipped (bench/run installs it)" % a.python)
    if importable(a.tf_python, "tensorflow"):
        for name, label in (("tf-eager", "TF eager"), ("tf-function", "TF tf.function"), ("tf-xla", "TF XLA")):
            systems.append((name, label, peer(a.tf_python, name)))
    else:
        print("TensorFlow is not importable by %s: skipped (scripts/python-env installs it)" % a.tf_python)
    rows = []
    for threads in [int(t) for t in a.threads.split(",")]:
        runs = {key: [] for key, _, _ in systems}
        for _ in range(a.reps):
            for key, _, cmd in systems:
                runs[key].append(bench_md.run_json(cmd(threads), threads))
        med = {key: {m: statistics.median(r[m] for r in rs) for m in ("latency_us_median", "latency_us_p99", "throughput_512")}
               for key, rs in runs.items()}
        for key, label, _ in systems:
            m = med[key]
            print("threads=%d %-18s batch-1 %8.1f us (p99 %8.1f)  batch-512 %8.0f samples/s" %
                  (threads, label, m["latency_us_median"], m["latency_us_p99"], m["throughput_512"]))
        rows.append((threads, med))
    if a.write:
        tb = lambda med, key: med["tensorbox"]  # noqa: E731
        lines = ["## Inference (reference MLP forward pass)", "",
                 "Batch-1 latency (each call timed alone; median and p99 in microseconds) and batch-512 throughput "
                 "(samples/s) of `model(x)`; every system a fresh process per run, systems alternating, %d runs, medians. "
                 "PyTorch under `torch.inference_mode()`; TensorFlow eager, in a `tf.function`, and in a "
                 "`tf.function(jit_compile=True)`; tensorbox from C++ and from Python. Ratios: tensorbox C++ latency "
                 "over the peer's is below 1 when tensorbox is faster; throughput ratios above 1." % a.reps, "",
                 "Command: `python3 bench/compare_inference.py --reps %d --write`" % a.reps, "",
                 "| threads | system | batch-1 median us | batch-1 p99 us | batch-512 samples/s | tb latency / this | tb throughput / this |",
                 "|---:|---|---:|---:|---:|---:|---:|"]
        for threads, med in rows:
            for key, label, _ in systems:
                m = med[key]
                lines.append("| %d | %s | %.1f | %.1f | %.0f | %.2f | %.2f |" % (
                    threads, label, m["latency_us_median"], m["latency_us_p99"], m["throughput_512"],
                    tb(med, key)["latency_us_median"] / m["latency_us_median"],
                    tb(med, key)["throughput_512"] / m["throughput_512"]))
        bench_md.write_section("inference", lines)


if __name__ == "__main__":
    sys.exit(main())
