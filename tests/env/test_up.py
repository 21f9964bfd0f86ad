"""`tensorbox up` for real: JupyterLab behind the relay, auth, the reference notebook through a
kernel, /readyz and /metrics, restarts, the unprivileged user, JSON logs, clean stops."""
import json
import os
import signal
import subprocess
import time

import pytest

from conftest import alive, descendants, http, parse_prometheus, proc_uid
from kernel import SEED_NOTEBOOK, Kernel, run_notebook


def kernel_environ(u):
    """The environment a notebook sees: Jupyter's, which its kernels inherit. (Read from inside,
    since /proc/<pid>/environ of another user is closed to root without CAP_SYS_PTRACE.)"""
    kernel = Kernel(u)
    try:
        out, error = kernel.execute("import json, os; print(json.dumps(dict(os.environ)))")
    finally:
        kernel.close()
    assert error is None, error
    return json.loads(out)


def test_jupyter_auth_notebook_training_metrics_and_user(up):
    u = up()
    u.wait_ready()
    assert u.token and len(u.token) >= 32
    # Auth is on: no token, no API; with it, the API answers.
    for path in ("/api/contents", "/api/kernels", "/api/sessions"):
        assert http(u.url(path))[0] == 403, path
        assert http(u.url(path), "wrong-token")[0] == 403, path
        assert http(u.url(path), u.token)[0] == 200, path
    # The workspace was seeded with the example notebook, and Jupyter serves it.
    status, body = http(u.url("/api/contents"), u.token)
    assert "seed.ipynb" in [e["name"] for e in json.loads(body)["content"]]

    # The reference notebook runs in a kernel of this Jupyter and trains.
    kernel = Kernel(u)
    try:
        text = run_notebook(kernel, SEED_NOTEBOOK)
    finally:
        kernel.close()
    accuracy = float(text.split("test accuracy:")[1].split()[0])
    assert accuracy >= 0.975, text[-2000:]

    # The kernel's fit() published its metrics, and /metrics shows them.
    status, body = http(u.health("/metrics"))
    assert status == 200
    m = parse_prometheus(body)
    steps = {k: v for k, v in m.items() if k[0] == "tensorbox_training_steps_total"}
    assert len(steps) == 1, body
    (_, labels), value = next(iter(steps.items()))
    assert value == 5 * 422  # 5 epochs of ceil(54000 / 128) batches (validation_split=0.1)
    assert m[("tensorbox_training_samples_total", labels)] == 5 * 54000
    assert m[("tensorbox_training_epoch", labels)] == 5
    assert m[("tensorbox_training_running", labels)] == 0
    assert 0 < m[("tensorbox_training_loss", labels)] < 0.5
    assert m[("tensorbox_service_up", frozenset({("service", "jupyter")}))] == 1
    assert m[("tensorbox_process_resident_memory_bytes", frozenset({("service", "jupyter")}))] > 50e6
    kernel_pid = int(dict(labels)["pid"])
    assert kernel_pid in descendants(u.proc.pid)

    # Jupyter and its kernel run as an unprivileged user; only the supervisor may be root.
    jupyter = u.service_pid("jupyterlab")
    expected_uid = 1000 if os.geteuid() == 0 else os.geteuid()
    assert proc_uid(jupyter) == expected_uid
    assert proc_uid(kernel_pid) == expected_uid
    # The token reached Jupyter through a private file, not its command line or environment.
    with open("/proc/%d/cmdline" % jupyter, "rb") as f:
        assert u.token.encode() not in f.read()
    assert not [k for k, v in kernel_environ(u).items() if u.token in v]

    # Every line of the log is one JSON object with the fields in order.
    with open(u.log_path) as f:
        lines = [line for line in f if line.strip()]
    assert len(lines) > 10
    for line in lines:
        entry = json.loads(line)
        assert list(entry) == ["ts", "level", "component", "msg", "fields"], line
    assert any(json.loads(line)["component"] == "jupyter" for line in lines)


def test_readyz_before_jupyter_answers_and_healthz(up):
    u = up()
    # The health port answers at once; /readyz says why it is not ready until Jupyter answers.
    deadline = time.time() + 10
    while http(u.health("/healthz"))[0] != 200:
        assert time.time() < deadline, u.log_text()
        time.sleep(0.05)
    status, body = http(u.health("/readyz"))
    if status == 503:
        assert json.loads(body)["ready"] is False and json.loads(body)["reason"]
    u.wait_ready()
    status, body = http(u.health("/readyz"))
    assert status == 200 and json.loads(body)["ready"] is True
    # `tensorbox healthcheck` (the image's HEALTHCHECK, which has no curl) says the same.
    from conftest import TENSORBOX
    ok = subprocess.run([TENSORBOX, "healthcheck", "--port", str(u.health_port)], capture_output=True, text=True)
    assert ok.returncode == 0 and json.loads(ok.stdout)["ready"] is True
    # Without --port it finds the health port `up` announced in the workspace (a custom
    # --health-port cannot break the image's HEALTHCHECK).
    found = subprocess.run([TENSORBOX, "healthcheck", "--workspace", u.workspace], capture_output=True, text=True,
                           env={k: v for k, v in os.environ.items() if not k.startswith("TENSORBOX_")})
    assert found.returncode == 0, found.stderr
    u.stop()
    down = subprocess.run([TENSORBOX, "healthcheck", "--port", str(u.health_port)], capture_output=True, text=True)
    assert down.returncode == 1 and "Connection" in down.stderr


def test_killed_jupyter_is_restarted_and_counted(up):
    u = up()
    u.wait_ready()
    first = u.service_pid("jupyterlab")
    os.kill(first, signal.SIGKILL)
    deadline = time.time() + 60
    while True:
        second = u.service_pid("jupyterlab")
        if second and second != first and http(u.health("/readyz"))[0] == 200:
            break
        assert time.time() < deadline, u.log_text()
        time.sleep(0.2)
    m = parse_prometheus(http(u.health("/metrics"))[1])
    assert m[("tensorbox_service_restarts_total", frozenset({("service", "jupyter")}))] == 1
    assert "jupyter was killed by signal 9" in u.log_text()
    # The old token still works: the auth config is kept across restarts.
    assert http(u.url("/api/contents"), u.token)[0] == 200


def test_sigterm_stops_everything_within_10_seconds_without_orphans(up):
    u = up()
    u.wait_ready()
    status, body = http(u.url("/api/kernels"), u.token, "POST", {"name": "python3"})
    assert status == 201
    deadline = time.time() + 30
    while not any("ipykernel" in open("/proc/%d/cmdline" % p).read() for p in descendants(u.proc.pid) if alive(p)):
        assert time.time() < deadline
        time.sleep(0.2)
    family = descendants(u.proc.pid)
    assert len(family) >= 2
    rc = u.stop(timeout=12)
    assert rc == 0, u.log_text()
    # Everything ended on SIGTERM inside the supervisor's 8 s grace period, within Docker's 10 s:
    # had anything needed the SIGKILL that follows it, the supervisor would have logged so.
    assert "killed processes left after the grace period" not in u.log_text()
    time.sleep(0.2)
    left = [p for p in family if alive(p)]
    assert not left, left
    assert "all services stopped" in u.log_text()


def test_workspace_is_kept_and_seeded_once(up, base):
    ws = os.path.join(base, "kept-workspace")
    u = up(workspace=ws)
    u.wait_ready()
    status, _ = http(u.url("/api/contents/mine.txt"), u.token, "PUT",
                     {"type": "file", "format": "text", "content": "saved work\n"})
    assert status == 201
    os.remove(os.path.join(ws, "seed.ipynb"))  # a user deletes the example: it must not come back
    u.stop()
    with open(os.path.join(ws, "mine.txt")) as f:
        assert f.read() == "saved work\n"
    if os.geteuid() == 0:
        assert os.stat(os.path.join(ws, "mine.txt")).st_uid == 1000
    u2 = up(workspace=ws)
    u2.wait_ready()
    names = [e["name"] for e in json.loads(http(u2.url("/api/contents"), u2.token)[1])["content"]]
    assert "mine.txt" in names and "seed.ipynb" not in names


def test_start_hooks_run_in_order_and_a_failing_one_does_not_stop_start_up(up, base):
    ws = os.path.join(base, "hooked")
    system_hooks = os.path.join(base, "system-hooks")
    os.makedirs(system_hooks, exist_ok=True)
    with open(os.path.join(system_hooks, "10-fail"), "w") as f:
        f.write("#!/bin/sh\necho about to fail\nexit 3\n")
    with open(os.path.join(system_hooks, "20-mark"), "w") as f:
        f.write('#!/bin/sh\necho "system hook ran" > "$TENSORBOX_WORKSPACE/system-hook.txt"\n')
    for name in ("10-fail", "20-mark"):
        os.chmod(os.path.join(system_hooks, name), 0o755)
    os.makedirs(os.path.join(ws, ".tensorbox", "start.d"), exist_ok=True)
    user_hook = os.path.join(ws, ".tensorbox", "start.d", "50-whoami")
    with open(user_hook, "w") as f:
        f.write('#!/bin/sh\nid -u > "$TENSORBOX_WORKSPACE/user-hook-uid.txt"\n')
    os.chmod(user_hook, 0o755)
    if os.geteuid() == 0:
        os.chown(ws, 1000, 1000)  # the user's own workspace
    u = up(workspace=ws, hooks=system_hooks)
    u.wait_ready()
    text = u.log_text()
    assert "start hook %s/10-fail failed" % system_hooks in text
    assert "about to fail" in text
    assert text.index("10-fail") < text.index("20-mark") < text.index("50-whoami")
    assert open(os.path.join(ws, "system-hook.txt")).read() == "system hook ran\n"
    # The workspace's hooks (which its user can edit) never run as root.
    expected = 1000 if os.geteuid() == 0 else os.geteuid()
    assert open(os.path.join(ws, "user-hook-uid.txt")).read().strip() == str(expected)


def test_flags_from_environment_variables_and_log_file(up, base):
    log_file = os.path.join(base, "env-flags.log")
    u = up(env={"TENSORBOX_ALLOW_FROM": "127.0.0.1/32", "TENSORBOX_LOG_FILE": log_file,
                "JUPYTER_TOKEN": "must-not-reach-jupyter"})
    u.wait_ready()
    from test_up_security import connect_from
    got = connect_from("127.0.0.2", u.port)
    assert isinstance(got, ConnectionResetError) or got == b"", got
    # The supervisor's settings and secrets by habit are not passed on; the metrics folder is.
    env = kernel_environ(u)
    assert "TENSORBOX_ALLOW_FROM" not in env and "TENSORBOX_LOG_FILE" not in env and "JUPYTER_TOKEN" not in env
    assert env["TENSORBOX_METRICS_DIR"].endswith("/.tensorbox/metrics")
    u.stop()
    with open(log_file) as f:
        assert f.read() == u.log_text()


def workspace_with_jupyter_config(base, name, config_text):
    """A new workspace whose user Jupyter server config (<ws>/.tensorbox/jupyter/config) says
    config_text, owned by the service user (uid 1000) when we are root."""
    ws = os.path.join(base, name)
    config = os.path.join(ws, ".tensorbox", "jupyter", "config")
    os.makedirs(config)
    with open(os.path.join(config, "jupyter_server_config.py"), "w") as f:
        f.write(config_text)
    if os.geteuid() == 0:
        for d in (ws, os.path.dirname(os.path.dirname(config)), os.path.dirname(config), config):
            os.chown(d, 1000, 1000)
    return ws


def test_a_service_that_keeps_failing_is_given_up_with_exit_3(up, base):
    # A real Jupyter that crashes on every start: the user's own server config exits the process.
    ws = workspace_with_jupyter_config(base, "crashing-config", "raise SystemExit(7)\n")
    u = up(workspace=ws)  # exits at once, every time: 1+2+4+8 s of back-off
    assert u.wait_exit(timeout=90) == 3
    text = u.log_text()
    assert "jupyter exited with code 7" in text and "it failed 5 times in a row, giving up" in text
    assert text.count("started jupyter") == 5


def test_an_unwritable_workspace_stops_start_up_at_once_with_the_fix(up, base):
    ws = os.path.join(base, "read-only-ws")
    os.makedirs(ws)
    os.chmod(ws, 0o555)  # root's (or ours) and not writable: services run as uid 1000 (or us)
    u = up(workspace=ws)
    assert u.wait_exit(timeout=10) == 1
    msg = u.log()[-1]["msg"]
    assert "is not writable by uid" in msg and "Fix: `chown -R" in msg, msg
    assert "started jupyter" not in u.log_text()
    assert os.listdir(ws) == []  # nothing was written into it


@pytest.mark.parametrize("python, message", [
    ("/usr/bin/python3", "has no jupyterlab and ipykernel"),  # Debian's interpreter, without them
    ("/bin/false", "does not run as uid"),
])
def test_an_interpreter_that_cannot_serve_jupyter_stops_start_up_at_once(up, python, message):
    u = up("--python", python)
    assert u.wait_exit(timeout=10) == 1
    msg = u.log()[-1]["msg"]
    assert ("the Python interpreter " + python) in msg and message in msg and "Fix: pass --python" in msg, msg
    assert "started jupyter" not in u.log_text()


def test_readiness_follows_a_custom_base_url_from_the_users_jupyter_config(up, base):
    ws = workspace_with_jupyter_config(base, "base-url", 'c.ServerApp.base_url = "/custom/"\n')
    u = up(workspace=ws)
    u.wait_ready()
    ready = [e for e in u.log() if e["msg"].startswith("JupyterLab is ready")][0]
    assert ready["fields"]["url"].startswith(u.url("/custom/lab?token="))
    assert http(u.url("/custom/api/contents"), u.token)[0] == 200
    assert http(u.url("/api/contents"), u.token)[0] == 404
