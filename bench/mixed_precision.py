#!/usr/bin/env python3
"""Training throughput of the reference MLP (784-1024-10, Adam, batch 128 and 512, real MNIST)
under float32, mixed_bfloat16 and mixed_float16 (output layer float32, as the guide says), one
fresh mlp_train process per run, the three policies alternating so they share the machine's
noise; medians, spread and the ratio to float32. Timings are reported, never asserted.

    python3 bench/mixed_precision.py --reps 5 --write     # the BENCHMARKS.md section
    python3 bench/mixed_precision.py --smoke              # CI: the harness keeps working
    python3 bench/mixed_precision.py --peers --python .venv-bench/bin/python --tf-python .venv-py/bin/python ...
        # also PyTorch (torch.autocast on the CPU; float16 with a GradScaler) and TensorFlow
        # (tf.keras mixed_precision policies) under the same three policies, alternating with tensorbox
"""
import argparse
import os
import statistics
import sys

import bench_md

MLP = os.path.join(bench_md.ROOT, "build", "release", "bench", "mlp_train")
POLICIES = ["float32", "mixed_bfloat16", "mixed_float16"]


def main():
    p = argparse.ArgumentParser()
    p.add_argument("--reps", type=int, default=5)
    p.add_argument("--threads", default="1,2")
    p.add_argument("--batches", default="128,512")
    p.add_argument("--samples", type=int, default=60000)
    p.add_argument("--smoke", action="store_true")
    p.add_argument("--write", action="store_true")
    p.add_argument("--peers", action="store_true", help="also PyTorch and TensorFlow under each policy")
    p.add_argument("--python", default=os.path.join(bench_md.ROOT, ".venv-bench", "bin", "python"))
    p.add_argument("--tf-python", default=os.path.join(bench_md.ROOT, ".venv-py", "bin", "python"))
    p.add_argument("--peer-samples", type=int, default=8192,
                   help="samples per peer run (TensorFlow's mixed_float16 trains ~100 samples/s on a CPU)")
    p.add_argument("--avx2", action="store_true",
                   help="also run 1 thread / batch 128 with oneDNN limited to AVX2 (a CPU without 16-bit arithmetic)")
    a = p.parse_args()
    if a.smoke:
        a.reps, a.threads, a.batches, a.samples = 1, "1", "128", 2048
    rows, isa = [], ""
    cells = [(int(t), int(b), None) for t in a.threads.split(",") for b in a.batches.split(",")]
    if a.avx2:
        cells.append((1, 128, "AVX2"))
    peer_rows = []
    peers = []
    if a.peers:
        peers = [("PyTorch (autocast)", lambda b, t, pol: [a.python, os.path.join(bench_md.ROOT, "bench", "torch_mlp.py"),
                                                           "--batch-size", str(b), "--threads", str(t), "--policy", pol,
                                                           "--samples", str(a.peer_samples)]),
                 ("TF fit (policy)", lambda b, t, pol: [a.tf_python, os.path.join(bench_md.ROOT, "bench", "tf_mlp.py"),
                                                        "--batch-size", str(b), "--threads", str(t), "--policy", pol,
                                                        "--samples", str(a.peer_samples)])]
    for threads, batch, limit in cells:
        runs = {pol: [] for pol in POLICIES}
        peer_runs = {(label, pol): [] for label, _ in peers for pol in POLICIES}
        for _ in range(a.reps):
            for pol in POLICIES:
                r = bench_md.run_json([MLP, "--batch-size", str(batch), "--threads", str(threads), "--samples",
                                       str(a.samples), "--policy", pol], threads,
                                      {"DNNL_MAX_CPU_ISA": limit} if limit else None)
                runs[pol].append(r["samples_per_s"])
                if not limit:
                    isa = r["onednn"]
                    for label, cmd in peers:
                        peer_runs[(label, pol)].append(bench_md.run_json(cmd(batch, threads, pol), threads)["samples_per_s"])
        med = {pol: statistics.median(v) for pol, v in runs.items()}
        rows.append((threads, batch, runs, med, limit))
        if peers and not limit:
            peer_rows.append((threads, batch, med, {k: statistics.median(v) for k, v in peer_runs.items()}))
            for label, _ in peers:
                print("  %s: " % label + ", ".join("%s %.0f (tb x%.2f)" % (pol, statistics.median(peer_runs[(label, pol)]),
                                                                            med[pol] / statistics.median(peer_runs[(label, pol)]))
                                                   for pol in POLICIES))
        print("threads=%d batch=%d%s: " % (threads, batch, " (oneDNN AVX2)" if limit else "") + ", ".join(
            "%s %.0f samples/s (x%.2f)" % (pol, med[pol], med[pol] / med["float32"]) for pol in POLICIES))
    if a.write:
        lines = ["## Mixed precision on this CPU", "",
                 "Training samples/s of the reference MLP, one epoch of real MNIST per run, %d runs per cell "
                 "(median, [min-max]), policies alternating; oneDNN reports `%s`. Command: "
                 "`python3 bench/mixed_precision.py --reps %d --write%s%s`. The \"oneDNN AVX2\" row limits oneDNN to AVX2 "
                 "(`DNNL_MAX_CPU_ISA=AVX2`): a CPU without 16-bit arithmetic, where both 16-bit policies convert "
                 "at the GEMM (only the GEMMs are limited: the conversion and elementwise kernels still run their "
                 "AVX-512 versions, so this approximates an AVX2 machine)." % (a.reps, isa, a.reps, " --avx2" if a.avx2 else "", " --peers" if a.peers else ""), "",
                 "| threads | batch | float32 | mixed_bfloat16 | mixed_float16 | bf16 / f32 | f16 / f32 |",
                 "|---|---|---|---|---|---|---|"]
        for threads, batch, runs, med, limit in rows:
            text = ["%.0f [%.0f-%.0f]" % (med[p], min(runs[p]), max(runs[p])) for p in POLICIES]
            label = "%d (oneDNN AVX2)" % threads if limit else "%d" % threads
            lines.append("| %s | %d | %s | %.2f | %.2f |" % (label, batch, " | ".join(text),
                                                             med["mixed_bfloat16"] / med["float32"],
                                                             med["mixed_float16"] / med["float32"]))
        lines += ["", "Where each pays off: bfloat16 runs oneDNN's native bf16 GEMMs (AVX-512 BF16 here), so "
                  "mixed_bfloat16 beats float32 on CPUs that have them. This CPU has no float16 arithmetic: "
                  "mixed_float16 converts to float32 at the GEMM (vectorized, F16C) and keeps Keras's float16 "
                  "numerics and loss scaling, so it costs the conversions; it is the GPU policy (Tensor Cores), "
                  "kept on CPUs for portability of the same script."]
        if peer_rows:
            lines += ["", "The same policies in the peers (`--peers`; each peer run trains %d samples, since TensorFlow's "
                      "mixed_float16 runs at about 100 samples/s on a CPU; samples/s, medians): PyTorch with "
                      "`torch.autocast(\"cpu\", dtype)` (float16 with `torch.amp.GradScaler`), TensorFlow with "
                      "`tf.keras.mixed_precision.set_global_policy` (output layer float32). Ratios are tensorbox over the peer." % a.peer_samples, "",
                      "| threads | batch | policy | tensorbox | " + " | ".join(label for label, _ in peers) + " | "
                      + " | ".join("tb / " + label for label, _ in peers) + " |",
                      "|---|---|---|---|" + "---|" * (2 * len(peers))]
            for threads, batch, med, pm in peer_rows:
                for pol in POLICIES:
                    lines.append("| %d | %d | %s | %.0f | %s | %s |" % (
                        threads, batch, pol, med[pol], " | ".join("%.0f" % pm[(label, pol)] for label, _ in peers),
                        " | ".join("%.2fx" % (med[pol] / pm[(label, pol)]) for label, _ in peers)))
        bench_md.write_section("mixed-precision", lines)
    return 0


if __name__ == "__main__":
    sys.exit(main())
