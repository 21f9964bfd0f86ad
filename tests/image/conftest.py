"""The image, run the way users run it: podman (or docker) with host networking on free loopback
ports. Needs the image built first (env/build-image; scripts/test does it)."""
import json
import os
import subprocess
import sys
import tempfile
import time
import shutil

import pytest

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
sys.path.insert(0, os.path.join(ROOT, "tests", "env"))
from netutil import free_port, http  # noqa: E402  (tests/env's helpers)

IMAGE = os.environ.get("TB_IMAGE", "localhost/tensorbox:cpu")
MNIST = os.path.realpath(os.path.join(ROOT, "..", "shared", "data", "mnist"))
CONF = os.path.realpath(os.path.join(ROOT, "..", "shared", "containers", "containers.conf"))
if "CONTAINERS_CONF" not in os.environ and os.path.exists(CONF):
    os.environ["CONTAINERS_CONF"] = CONF


def podman(*args, check=True, timeout=600):
    r = subprocess.run(["podman", *args], capture_output=True, text=True, timeout=timeout)
    if check and r.returncode != 0:
        raise AssertionError("podman %s failed (%d):\n%s%s" % (" ".join(args), r.returncode, r.stdout, r.stderr))
    return r


class Container:
    def __init__(self, name, image=IMAGE, run_args=(), up_args=()):
        self.name, self.port, self.health_port = name, free_port(), free_port()
        podman("rm", "-f", name, check=False)
        podman("run", "-d", "--name", name, "--network=host", "-v", MNIST + ":/data/mnist:ro", *run_args, image,
               "--ip", "127.0.0.1", "--port", str(self.port), "--health-port", str(self.health_port), *up_args)
        self.token = None

    def url(self, path):
        return "http://127.0.0.1:%d%s" % (self.port, path)

    def logs(self):
        r = podman("logs", self.name, check=False)
        return [json.loads(line) for line in (r.stdout + r.stderr).splitlines() if line.startswith("{")]

    def wait_healthy(self, timeout=120):
        """Until the image's own HEALTHCHECK passes (podman healthcheck run), then reads the token."""
        deadline = time.time() + timeout
        while time.time() < deadline:
            state = podman("inspect", "--format", "{{.State.Status}}", self.name).stdout.strip()
            assert state == "running", "container %s is %s:\n%s" % (self.name, state, podman("logs", self.name, check=False).stderr)
            if podman("healthcheck", "run", self.name, check=False).returncode == 0:
                for e in self.logs():
                    if e["msg"].startswith("JupyterLab is ready"):
                        self.token = e["fields"]["url"].split("token=")[1]
                        return
            time.sleep(0.5)
        raise AssertionError("not healthy after %d s:\n%s" % (timeout, podman("logs", self.name, check=False).stdout))

    def exec(self, *cmd):
        return podman("exec", self.name, *cmd)

    def remove(self):
        podman("rm", "-f", "-t", "0", self.name, check=False)


@pytest.fixture(scope="session")
def image():
    assert podman("image", "exists", IMAGE, check=False).returncode == 0, "build the image first: env/build-image"
    return IMAGE


@pytest.fixture
def host_dir():
    d = tempfile.mkdtemp(prefix="tb-image-")
    os.chmod(d, 0o777)  # the container's uid (1000 or arbitrary) writes here
    yield d
    shutil.rmtree(d, ignore_errors=True)


@pytest.fixture
def container(request):
    made = []

    def make(*args, **kw):
        c = Container("tb-test-%s-%d" % (request.node.name[:30].replace("[", "-").replace("]", ""), len(made)), *args, **kw)
        made.append(c)
        return c

    yield make
    for c in made:
        c.remove()
