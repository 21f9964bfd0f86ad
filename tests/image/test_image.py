"""The image as users run it (issue 7): healthy by its own HEALTHCHECK, auth on, the reference
notebook trained inside it, work kept on the host, unprivileged and hardened, extensible by
inheritance, and stopped cleanly."""
import json
import os

from conftest import ROOT, http, podman
from kernel import SEED_NOTEBOOK, Kernel, run_notebook


def test_runs_healthy_trains_the_notebook_keeps_work_and_stops_cleanly(image, container, host_dir):
    c = container(run_args=["-v", host_dir + ":/workspace"])
    c.wait_healthy()
    # Auth is on, through the image's entrypoint too.
    assert http(c.url("/api/contents"))[0] == 403
    assert http(c.url("/api/contents"), c.token)[0] == 200
    # First start seeded the (mounted, empty) workspace with the example notebook.
    assert os.path.exists(os.path.join(host_dir, "seed.ipynb"))

    # The reference notebook trains inside the container, in a kernel of its Jupyter.
    kernel = Kernel(c)
    try:
        out = run_notebook(kernel, SEED_NOTEBOOK)
        # Work saved from the kernel lands in /workspace.
        _, error = kernel.execute("open('/workspace/result.txt', 'w').write('kept\\n')")
        assert error is None
    finally:
        kernel.close()
    assert float(out.split("test accuracy:")[1].split()[0]) >= 0.975, out[-1500:]

    # Every process of the container runs as uid 1000; none as root.
    uids = c.exec("python3", "-c",
                  "import os; print(sorted({int(open('/proc/%s/status' % p).read().split('Uid:')[1].split()[0])"
                  " for p in os.listdir('/proc') if p.isdigit()}))").stdout
    assert json.loads(uids) == [1000], uids

    # `podman stop -t 10` sends SIGTERM and SIGKILLs after 10 s (exit code 137): exit code 0 says
    # the container ended on SIGTERM within the 10 s.
    podman("stop", "-t", "10", c.name)
    assert podman("inspect", "--format", "{{.State.ExitCode}}", c.name).stdout.strip() == "0"
    c.remove()
    # The work is on the host after the container is gone.
    with open(os.path.join(host_dir, "result.txt")) as f:
        assert f.read() == "kept\n"


def test_arbitrary_uid_read_only_root_and_no_capabilities(image, container, host_dir):
    c = container(run_args=["--user", "12345", "--read-only", "--tmpfs", "/tmp", "--cap-drop=ALL",
                            "-v", host_dir + ":/workspace"])
    c.wait_healthy()
    status, _ = http(c.url("/api/contents/made-by-12345.txt"), c.token, "PUT",
                     {"type": "file", "format": "text", "content": "x"})
    assert status == 201
    assert os.stat(os.path.join(host_dir, "made-by-12345.txt")).st_uid == 12345
    kernel = Kernel(c)
    try:
        out, error = kernel.execute("import os, tensorbox as tf; print(os.getuid(), float(tf.reduce_sum(tf.ones([3]))))")
    finally:
        kernel.close()
    assert error is None and out.split() == ["12345", "3.0"], (out, error)


def test_no_compiler_no_setuid_and_the_manifest(image):
    r = podman("run", "--rm", "--entrypoint", "sh", image, "-c",
               "for c in g++ gcc cc c++ clang make; do command -v $c; done; "
               "find / -xdev -perm /6000 -type f 2>/dev/null; echo end", check=False)
    assert r.stdout.strip() == "end", r.stdout  # nothing found before the marker
    doctor = podman("run", "--rm", "--entrypoint", "tensorbox", image, "doctor", "--json", check=False)
    report = json.loads(doctor.stdout)
    m = report["manifest"]
    assert m["image"] == "tensorbox" and m["version"] == "0.1.0" and len(m["revision"]) == 40
    assert m["base_digest"].startswith("sha256:")
    assert "openssh-server" in m["os_packages"] and "g++" not in m["os_packages"]
    assert m["python_packages"]["jupyterlab"] == "4.6.6" and m["python_packages"]["tensorbox"] == "0.1.0"
    assert m["engine_build"]["cmake_build_type"] == "RelWithDebInfo (stripped)"
    assert m["os_mode"] == os.environ.get("TB_IMAGE_OS_MODE", "tolerant")
    assert report["python"]["drift"] == [] and report["python"]["tensorbox"] == "0.1.0"
    labels = json.loads(podman("image", "inspect", "--format", "{{json .Labels}}", image).stdout)
    assert labels["org.opencontainers.image.revision"] == m["revision"]
    assert labels["org.opencontainers.image.base.digest"] == m["base_digest"]
    assert labels["io.tensorbox.manifest"] == "/etc/tensorbox/manifest.json"
    inspect = json.loads(podman("image", "inspect", image).stdout)[0]
    assert inspect["Healthcheck"]["Test"] == ["CMD", "tensorbox", "healthcheck"]
    assert inspect["User"] == "1000"
    assert inspect["Config"]["Entrypoint"] == ["tensorbox", "up", "--ip", "0.0.0.0"]
    assert "/workspace" in inspect["Config"]["Volumes"]
    assert set(inspect["Config"]["ExposedPorts"]) == {"8888/tcp", "8889/tcp", "2222/tcp"}


def test_custom_image_builds_from_it_and_its_hook_runs(image, container, host_dir):
    tag = "localhost/tensorbox-custom-test"
    podman("build", "--network=host", "--format", "docker", "--build-arg", "FROM=" + image, "-t", tag,
           "-f", os.path.join(ROOT, "examples", "custom-image", "Containerfile"),
           os.path.join(ROOT, "examples", "custom-image"), timeout=900)
    try:
        c = container(image=tag, run_args=["-v", host_dir + ":/workspace"])
        c.wait_healthy()
        assert any(e["component"] == "hook:50-greeting" and e["msg"].startswith("custom image hook: jq jq-1.")
                   for e in c.logs())
        with open(os.path.join(host_dir, "CUSTOM-IMAGE.txt")) as f:
            assert "custom image" in f.read()
    finally:
        podman("rmi", "-f", tag, check=False)
