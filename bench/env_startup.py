#!/usr/bin/env python3
"""Cold start of the environment: seconds from launching `tensorbox up` to its /readyz answering
200, next to the seconds from launching JupyterLab alone (same interpreter, same flags, no
supervisor) to its /api answering, so the supervisor's own share is visible. Runs alternate
(up, Jupyter, up, Jupyter, ...); each `up` gets a fresh workspace (first start: notebooks
copied, state folder made). Medians and ranges are printed; nothing is asserted.

    python3 bench/env_startup.py --reps 5 --write   # the BENCHMARKS.md section
    python3 bench/env_startup.py --smoke            # one run of each (CI: the harness keeps working)
    python3 bench/env_startup.py --image localhost/tensorbox:cpu --reps 5 --write
        # also the image: its size, and `podman run` to /readyz (a new container each run)
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


def time_container(image, mnist):
    port, health = free_port(), free_port()
    name = "tb-bench-startup-%d" % port
    t0 = time.monotonic()
    subprocess.run(["podman", "run", "-d", "--name", name, "--network=host", "-v", mnist + ":/data/mnist:ro", image,
                    "--ip", "127.0.0.1", "--port", str(port), "--health-port", str(health)],
                   check=True, capture_output=True)
    try:
        t_end = time.monotonic() + 120
        while time.monotonic() < t_end:
            try:
                with urllib.request.urlopen("http://127.0.0.1:%d/readyz" % health, timeout=2) as r:
                    if r.status == 200:
                        return time.monotonic() - t0
            except OSError:
                pass
            time.sleep(0.02)
        raise RuntimeError("container not ready in 120 s")
    finally:
        subprocess.run(["podman", "rm", "-f", "-t", "10", name], capture_output=True)


def image_size_mb(image):
    out = subprocess.run(["podman", "image", "inspect", "--format", "{{.Size}}", image],
                         check=True, capture_output=True, text=True).stdout
    return int(out.strip()) / 1e6


def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--reps", type=int, default=5)
    ap.add_argument("--smoke", action="store_true")
    ap.add_argument("--write", action="store_true")
    ap.add_argument("--image", help="also time this image (podman run to /readyz) and report its size")
    a = ap.parse_args()
    conf = os.path.join(bench_md.ROOT, "..", "shared", "containers", "containers.conf")
    if a.image and "CONTAINERS_CONF" not in os.environ and os.path.exists(conf):
        os.environ["CONTAINERS_CONF"] = os.path.realpath(conf)
    mnist = os.path.realpath(os.path.join(bench_md.ROOT, "..", "shared", "data", "mnist"))
    reps = 1 if a.smoke else a.reps
    base = tempfile.mkdtemp(prefix="tb-startup-")
    os.chmod(base, 0o755)  # services run as an unprivileged user when this runs as root
    ups, jups, cons = [], [], []
    try:
        for _ in range(reps):
            ups.append(time_up(base))
            jups.append(time_jupyter(base))
            if a.image:
                cons.append(time_container(a.image, mnist))
    finally:
        shutil.rmtree(base, ignore_errors=True)
    fmt = lambda xs: "%.2f [%.2f-%.2f]" % (statistics.median(xs), min(xs), max(xs))
    print("tensorbox up -> /readyz 200: %s s" % fmt(ups))
    print("JupyterLab alone -> /api 200: %s s" % fmt(jups))
    print("supervisor's share (median difference): %.2f s" % (statistics.median(ups) - statistics.median(jups)))
    image_rows = []
    if a.image:
        size = image_size_mb(a.image)
        print("image %s: %.0f MB; podman run -> /readyz 200: %s s" % (a.image, size, fmt(cons)))
        image_rows = ["| `podman run %s` -> `/readyz` (new container) | %s |" % (a.image, fmt(cons))]
    if a.write:
        bench_md.write_section("env-startup", [
            "## Environment cold start",
            "",
            "Seconds from launching `tensorbox up` (fresh workspace) to `/readyz` answering 200, and from launching "
            "JupyterLab alone (same interpreter and flags, no supervisor) to its `/api` answering 200; "
            "%d runs each, alternating (median, [min-max]). Issue 6's target: up to ready <= 3 s." % reps,
            "",
            "Command: `python3 bench/env_startup.py --reps %d --write%s`" % (reps, " --image " + a.image if a.image else ""),
            "",
            "| start | seconds to ready |",
            "|---|---|",
            "| `tensorbox up` -> `/readyz` | %s |" % fmt(ups),
            "| JupyterLab alone -> `/api` | %s |" % fmt(jups),
        ] + image_rows + [
            "",
            "Jupyter's own start (importing the server and its extensions) is almost all of it; the median "
            "difference, %.2f s, is what the supervisor adds (workspace set-up, ports, relay), and is within the "
            "run-to-run spread." % (statistics.median(ups) - statistics.median(jups)),
        ] + ([
            "",
            "Image size (`podman image inspect`): %.0f MB for `%s` (issue 7's target: <= 600 MB; TensorFlow's CPU "
            "image is about 1.76 GB). A container's start adds the runtime's set-up (namespaces, the overlay "
            "mount) to the same JupyterLab start." % (image_size_mb(a.image), a.image),
        ] if a.image else []))


if __name__ == "__main__":
    main()
