#!/usr/bin/env python3
"""Per-op eager overhead from Python: ns per call of a one-element add (the arithmetic is nothing;
the time is the front end's conversion, the op's checks, allocation and dispatch), for tensorbox,
PyTorch eager and TensorFlow eager, each in a fresh process, in alternation, median of the
repeats. The C++ figure is bench/kernels_bench's BM_EagerAddOverhead. Reported, never asserted.

    python3 bench/op_overhead.py --python .venv-bench/bin/python --tf-python .venv-py/bin/python
    python3 bench/op_overhead.py --smoke      # tensorbox only, tiny (CI: the harness keeps working)
"""
import argparse
import json
import os
import statistics
import subprocess
import sys
import time

CHILD = r"""
import json, os, sys, time
system, calls, reps = sys.argv[1], int(sys.argv[2]), int(sys.argv[3])
os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "3")
if system == "tensorbox":
    import tensorbox as lib
    a, b = lib.constant([1.5]), lib.constant([2.5])
    add = lib.add
elif system == "pytorch":
    import torch as lib
    torch = lib
    torch.set_num_threads(1)
    a, b = torch.tensor([1.5]), torch.tensor([2.5])
    add = torch.add
else:
    import tensorflow as lib
    a, b = lib.constant([1.5]), lib.constant([2.5])
    add = lib.add
for _ in range(1000):
    add(a, b)
out = []
for _ in range(reps):
    t0 = time.perf_counter()
    for _ in range(calls):
        add(a, b)
    out.append((time.perf_counter() - t0) / calls * 1e9)
print(json.dumps(out))
"""


def run(python, system, calls, reps):
    env = dict(os.environ, OMP_NUM_THREADS="1")
    res = subprocess.run([python, "-c", CHILD, system, str(calls), str(reps)], capture_output=True, text=True, env=env,
                         check=True)
    return json.loads(res.stdout.strip().splitlines()[-1])


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--python", help="interpreter with PyTorch (.venv-bench)")
    ap.add_argument("--tf-python", default=os.path.join(os.path.dirname(__file__), "..", ".venv-py", "bin", "python"),
                    help="interpreter with tensorbox and TensorFlow (.venv-py)")
    ap.add_argument("--rounds", type=int, default=3)
    ap.add_argument("--smoke", action="store_true")
    args = ap.parse_args()
    calls, reps = (2000, 2) if args.smoke else (100000, 5)
    systems = [("tensorbox", args.tf_python)]
    if not args.smoke:
        if args.python:
            systems.append(("pytorch", args.python))
        systems.append(("tensorflow", args.tf_python))
    samples = {s: [] for s, _ in systems}
    for _ in range(1 if args.smoke else args.rounds):
        for system, python in systems:
            samples[system] += run(python, system, calls, reps)
    print("| system | ns per add (median) | min-max |")
    print("|---|---:|---:|")
    for system, vals in samples.items():
        print("| %s | %.0f | %.0f-%.0f |" % (system, statistics.median(vals), min(vals), max(vals)))


if __name__ == "__main__":
    sys.exit(main())
