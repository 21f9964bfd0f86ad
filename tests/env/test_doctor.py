"""`tensorbox doctor`: every field of the JSON report, and each problem with its fix."""
import glob
import json
import os
import subprocess

from conftest import ENV_PYTHON, ROOT, TENSORBOX


def doctor(*args):
    r = subprocess.run([TENSORBOX, "doctor", *args], capture_output=True, text=True, timeout=120)
    return r.returncode, r.stdout, r.stderr


def test_json_report_has_every_field(base):
    ws = os.path.join(base, "doctor-ws")
    os.makedirs(ws, exist_ok=True)
    os.chmod(ws, 0o777)
    rc, out, err = doctor("--json", "--python", ENV_PYTHON, "--workspace", ws)
    assert rc == 0, out + err
    r = json.loads(out)
    assert set(r) == {"version", "cpu", "memory", "shm", "gpu", "python", "workspace", "manifest", "problems", "ok"}
    assert r["ok"] is True and r["version"] == "0.1.0"
    flags = open("/proc/cpuinfo").read().split("flags")[1].split("\n")[0].split()
    assert r["cpu"]["features"]["avx2"] == ("avx2" in flags)
    assert r["cpu"]["features"]["avx512_bf16"] == ("avx512_bf16" in flags)
    assert r["cpu"]["logical_cpus"] == os.cpu_count()
    k = r["cpu"]["kernels"]
    assert k["simd_target"] and k["onednn"].startswith("oneDNN ") and isinstance(k["native_bf16_gemm"], bool)
    assert r["memory"]["total_bytes"] > 0 and r["memory"]["available_bytes"] > 0
    assert r["shm"]["size_bytes"] > 0
    g = r["gpu"]
    assert set(g) >= {"nvml", "driver_version", "cuda_driver_version", "device_nodes", "devices", "engine_backend", "summary"}
    if not glob.glob("/dev/nvidia*"):
        # This machine has no GPU: said plainly, and not a problem.
        assert g["nvml"] is False and g["devices"] == [] and "no NVIDIA GPU visible" in g["summary"]
        assert not [p for p in r["problems"] if p["check"] == "gpu"]
    p = r["python"]
    assert p["tensorbox"] == "0.1.0"
    assert p["lock_file"] == os.path.join(ROOT, "env", "requirements.lock")
    assert p["locked_packages"] > 50
    assert p["drift"] == [], p["drift"]  # .venv-env was installed from the lock
    assert r["workspace"] == {"path": ws, "exists": True, "writable": True,
                              "service_uid": 1000 if os.geteuid() == 0 else os.geteuid()}
    assert r["manifest"] is None or isinstance(r["manifest"], dict)


def test_drift_from_the_lock_is_reported_with_the_fix(base):
    lock = os.path.join(base, "drifted.lock")
    with open(lock, "w") as f:
        f.write("numpy==0.0.1 \\\n    --hash=sha256:00\nnot-installed-package==1.0\n")
    ws = os.path.join(base, "doctor-ws")
    os.makedirs(ws, exist_ok=True)
    os.chmod(ws, 0o777)
    rc, out, _ = doctor("--json", "--python", ENV_PYTHON, "--lock", lock, "--workspace", ws)
    r = json.loads(out)
    assert rc == 0  # drift is a warning
    drift = {d["package"]: d for d in r["python"]["drift"]}
    assert drift["numpy"]["locked"] == "0.0.1" and drift["numpy"]["installed"] == "1.26.4"
    assert drift["not-installed-package"]["installed"] is None
    problem = next(p for p in r["problems"] if p["check"] == "python")
    assert problem["severity"] == "warning"
    assert "pip install --require-hashes -r " + lock in problem["fix"]


def test_missing_python_and_unwritable_workspace_are_errors(base):
    ws = os.path.join(base, "readonly-ws")
    os.makedirs(ws, exist_ok=True)
    os.chmod(ws, 0o555)
    rc, out, _ = doctor("--json", "--python", "/nonexistent/python3", "--workspace", ws)
    r = json.loads(out)
    assert rc == 1 and r["ok"] is False
    checks = {p["check"]: p for p in r["problems"]}
    assert "cannot run the Python interpreter '/nonexistent/python3'" in checks["python"]["problem"]
    assert "--python" in checks["python"]["fix"]
    assert "not writable by uid" in checks["workspace"]["problem"]
    assert "chown -R" in checks["workspace"]["fix"]


def test_text_report_names_each_section(base):
    rc, out, _ = doctor("--python", ENV_PYTHON, "--workspace", base)
    for section in ("CPU", "kernels", "Memory", "/dev/shm", "GPU", "Python", "Workspace", "Manifest"):
        assert section in out, out
    assert ("No problems found." in out) == (rc == 0 and "Problems:" not in out)
