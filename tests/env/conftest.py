"""Real `tensorbox up` processes on free loopback ports, for the environment tests.

`Up` starts the command built by CMake (build/release/env/tensorbox) with the environment's
Python runtime (.venv-env, from scripts/env-python), reads its JSON log, and stops it with SIGTERM.
Workspaces live in a world-traversable temporary folder: when the tests run as root, services run
as an unprivileged user who must reach them.
"""
import json
import os
import re
import shutil
import signal
import subprocess
import tempfile
import time

import pytest

from netutil import free_port, http  # noqa: F401  (the tests import them from here)

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
# TB_TENSORBOX runs the suite against another build (scripts/test: the ASan+UBSan one as well).
TENSORBOX = os.environ.get("TB_TENSORBOX") or os.path.join(ROOT, "build", "release", "env", "tensorbox")
ENV_PYTHON = os.path.join(ROOT, ".venv-env", "bin", "python")


def parse_prometheus(text):
    """{(name, frozenset(labels)): value}; raises AssertionError on a line that is not valid
    Prometheus text format 0.0.4."""
    samples = {}
    sample = re.compile(r'^([a-zA-Z_:][a-zA-Z0-9_:]*)(\{(.*)\})? (\S+)$')
    label = re.compile(r'([a-zA-Z_][a-zA-Z0-9_]*)="((?:[^"\\]|\\.)*)"')
    typed = set()
    for line in text.splitlines():
        if line.startswith("# HELP "):
            continue
        if line.startswith("# TYPE "):
            name, kind = line.split()[2:4]
            assert kind in ("counter", "gauge", "histogram", "summary", "untyped"), line
            typed.add(name)
            continue
        m = sample.match(line)
        assert m, "not a Prometheus sample line: %r" % line
        labels = frozenset(label.findall(m.group(3) or ""))
        assert m.group(1) in typed, "sample before its # TYPE: %r" % line
        samples[(m.group(1), labels)] = float(m.group(4))
    return samples


def descendants(pid):
    children = {}
    for d in os.listdir("/proc"):
        if not d.isdigit():
            continue
        try:
            with open("/proc/%s/stat" % d) as f:
                ppid = int(f.read().rsplit(")", 1)[1].split()[1])
        except (OSError, IndexError, ValueError):
            continue
        children.setdefault(ppid, []).append(int(d))
    out, todo = [], [pid]
    while todo:
        for c in children.get(todo.pop(), []):
            out.append(c)
            todo.append(c)
    return out


def cmdline(pid):
    try:
        with open("/proc/%d/cmdline" % pid, "rb") as f:
            return f.read().replace(b"\0", b" ").decode()
    except OSError:
        return ""


def proc_uid(pid):
    with open("/proc/%d/status" % pid) as f:
        for line in f:
            if line.startswith("Uid:"):
                return int(line.split()[1])
    raise AssertionError("no Uid line for pid %d" % pid)


def alive(pid):
    try:
        with open("/proc/%d/stat" % pid) as f:
            return f.read().rsplit(")", 1)[1].split()[0] != "Z"
    except OSError:
        return False


class Up:
    def __init__(self, base, *args, workspace=None, env=None, python=ENV_PYTHON, hooks=None):
        self.port, self.health_port = free_port(), free_port()
        self.workspace = workspace or os.path.join(base, "ws-%d" % self.port)
        self.log_path = os.path.join(base, "up-%d.log" % self.port)
        self.hooks = hooks or os.path.join(base, "no-system-hooks")
        defaults = {"--port": str(self.port), "--health-port": str(self.health_port), "--workspace": self.workspace,
                    "--python": python, "--hooks-dir": self.hooks}
        cmd = [TENSORBOX, "up"]
        for flag, value in defaults.items():
            if flag not in args:  # a test's own value wins
                cmd += [flag, value]
        cmd += list(args)
        self.log_file = open(self.log_path, "w")
        self.proc = subprocess.Popen(cmd, stdout=self.log_file, stderr=subprocess.STDOUT,
                                     env={**os.environ, **(env or {})})
        self.token = None

    def url(self, path):
        return "http://127.0.0.1:%d%s" % (self.port, path)

    def health(self, path):
        return "http://127.0.0.1:%d%s" % (self.health_port, path)

    def log(self):
        with open(self.log_path) as f:
            return [json.loads(line) for line in f if line.strip()]

    def wait_log(self, predicate, timeout=10):
        """The log entries matching `predicate`, once there is one (the supervisor logs an event
        right after it acts, so a client may see the effect first)."""
        deadline = time.time() + timeout
        while True:
            found = [e for e in self.log() if predicate(e)]
            if found or time.time() > deadline:
                return found
            time.sleep(0.05)

    def log_text(self):
        with open(self.log_path) as f:
            return f.read()

    def wait_ready(self, timeout=60):
        deadline = time.time() + timeout
        while time.time() < deadline:
            assert self.proc.poll() is None, "tensorbox up exited with %s:\n%s" % (self.proc.returncode, self.log_text())
            status, _ = http(self.health("/readyz"), timeout=3)
            if status == 200:
                for entry in self.log():
                    if entry["msg"].startswith("JupyterLab is ready"):
                        url = entry["fields"]["url"]
                        self.token = url.split("token=")[1] if "token=" in url else None
                        return
            time.sleep(0.2)
        raise AssertionError("not ready after %d s:\n%s" % (timeout, self.log_text()))

    def service_pid(self, needle):
        for p in descendants(self.proc.pid):
            if needle in cmdline(p):
                return p
        return None

    def stop(self, timeout=15):
        if self.proc.poll() is None:
            self.proc.send_signal(signal.SIGTERM)
        try:
            self.proc.wait(timeout)
        finally:
            if self.proc.poll() is None:
                self.proc.kill()
                self.proc.wait()
            self.log_file.close()
        return self.proc.returncode

    def wait_exit(self, timeout=30):
        self.proc.wait(timeout)
        self.log_file.close()
        return self.proc.returncode


@pytest.fixture(scope="session")
def base():
    assert os.access(TENSORBOX, os.X_OK), "build the command first (scripts/build release): " + TENSORBOX
    assert os.access(ENV_PYTHON, os.X_OK), "make the environment's runtime first (scripts/env-python): " + ENV_PYTHON
    d = tempfile.mkdtemp(prefix="tb-env-")
    os.chmod(d, 0o755)
    yield d
    shutil.rmtree(d, ignore_errors=True)


@pytest.fixture
def up(base):
    started = []

    def start(*args, **kw):
        u = Up(base, *args, **kw)
        started.append(u)
        return u

    yield start
    for u in started:
        u.stop()
