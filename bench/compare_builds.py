#!/usr/bin/env python3
"""Two builds of tensorbox side by side (an engine change's before and after): the reference MLP's
training epoch (mlp_train), the MNIST convnet's (convnet_train) and the per-op eager overhead
(kernels_bench BM_EagerAdd*), each cell run old, new, old, new ... so both see the same machine
noise; medians, [min-max] and new/old. Reported, never asserted.

    git worktree add /tmp/old <commit> && (cd /tmp/old && scripts/build release)
    python3 bench/compare_builds.py --old /tmp/old/build/release --new build/release --reps 3
"""
import argparse
import json
import os
import statistics
import subprocess
import sys

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))


def run_json(cmd):
    out = subprocess.run(cmd, capture_output=True, text=True, check=True, env=dict(os.environ, OMP_NUM_THREADS="1"))
    return json.loads(out.stdout.strip().splitlines()[-1])


def eager_ns(build, name):
    out = subprocess.run([os.path.join(build, "bench", "kernels_bench"), "--benchmark_filter=BM_%s$" % name,
                          "--benchmark_format=json", "--benchmark_min_time=0.5"], capture_output=True, text=True,
                         check=True, env=dict(os.environ, OMP_NUM_THREADS="1", TB_BENCH_THREADS="1"))
    return json.loads(out.stdout)["benchmarks"][0]["real_time"]


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--old", required=True)
    ap.add_argument("--new", required=True)
    ap.add_argument("--reps", type=int, default=3)
    ap.add_argument("--samples", type=int, default=60000)
    a = ap.parse_args()
    cells = []
    for batch in (32, 128, 512):
        cells.append(("MLP epoch, batch %d, 1 thread (samples/s)" % batch, True,
                      lambda b, batch=batch: run_json([os.path.join(b, "bench", "mlp_train"), "--batch-size", str(batch),
                                                       "--threads", "1", "--samples", str(a.samples)])["samples_per_s"]))
    cells.append(("convnet epoch, batch 128, 1 thread (samples/s)", True,
                  lambda b: run_json([os.path.join(b, "bench", "convnet_train"), "--batch-size", "128", "--threads", "1",
                                      "--samples", str(min(a.samples, 12800))])["samples_per_s"]))
    cells.append(("one-element add from C++ (ns per call)", False, lambda b: eager_ns(b, "EagerAddOverhead")))
    cells.append(("the same add recorded on a tape (ns per call)", False, lambda b: eager_ns(b, "EagerAddRecorded")))
    print("| cell | old | new | new / old |")
    print("|---|---:|---:|---:|")
    for label, higher_is_better, fn in cells:
        old, new = [], []
        for _ in range(a.reps):
            old.append(fn(a.old))
            new.append(fn(a.new))
        mo, mn = statistics.median(old), statistics.median(new)
        print("| %s | %.0f [%.0f-%.0f] | %.0f [%.0f-%.0f] | %.3f |" % (label, mo, min(old), max(old), mn, min(new), max(new),
                                                                     mn / mo), flush=True)
    print("\n(new / old above 1 is faster for samples/s, slower for ns per call.)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
