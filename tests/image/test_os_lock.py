"""The OS layer against env/os-packages.lock (issue 15): a tolerant build survives Debian moving on
and says what drifted; a release build installs exactly the lock or refuses, naming the package
and the command that re-pins. Each build here is the image's real OS stage (`--target os` of
env/Containerfile, on the base env/build-image made), from a copy of the build context whose lock
is edited; --no-cache, so apt really runs every time."""
import os
import re
import shutil
import subprocess
import tempfile

import pytest

from conftest import ROOT, podman

BASE = os.environ.get("BASE", "localhost/debian:bookworm")
LOCK = os.path.join(ROOT, "env", "os-packages.lock")
OS_LOCK = os.path.join(ROOT, "env", "os-lock")


def lock_entries(text):
    return [line.split() for line in text.splitlines() if line.strip() and not line.startswith("#")]


@pytest.fixture
def context():
    """A build context with env/Containerfile, env/os-packages, env/os-lock and an editable lock."""
    d = tempfile.mkdtemp(prefix="tb-os-lock-")
    os.makedirs(os.path.join(d, "env"))
    for name in ("Containerfile", "os-packages", "os-lock", "os-packages.lock"):
        shutil.copy2(os.path.join(ROOT, "env", name), os.path.join(d, "env", name))
    yield d
    shutil.rmtree(d, ignore_errors=True)


def build_os_stage(context, mode, tag):
    r = podman("build", "--network=host", "--no-cache", "--target", "os", "--build-arg", "BASE=" + BASE,
               "--build-arg", "OS_MODE=" + mode, "-t", tag, "-f", os.path.join(context, "env", "Containerfile"),
               context, check=False, timeout=900)
    return r.returncode, r.stdout + r.stderr


def write_lock(context, entries):
    with open(os.path.join(context, "env", "os-packages.lock"), "w") as f:
        f.write("# edited by the test\n" + "".join("%s %s %s\n" % tuple(e) for e in entries))


def test_a_vanished_version_stops_a_release_build_and_not_a_tolerant_one(image, context):
    with open(LOCK) as f:
        entries = lock_entries(f.read())
    # A version Debian's mirror never had stands for one that a point release replaced.
    row = next(e for e in entries if e[0] == "runtime" and e[1] == "libbrotli1")
    row[2] = "1.0.9-2+deb12u0vanished"
    write_lock(context, entries)
    tag = "localhost/tensorbox-os-lock-test"
    try:
        rc, out = build_os_stage(context, "release", tag)
        assert rc != 0, out
        assert "release build refused" in out and "libbrotli1 1.0.9-2+deb12u0vanished" in out, out
        assert "env/build-image --pin" in out, out
        assert podman("image", "exists", tag, check=False).returncode != 0  # no image came of it

        rc, out = build_os_stage(context, "tolerant", tag)
        assert rc == 0, out
        assert "runtime stage drifted from env/os-packages.lock" in out, out
        m = re.search(r"runtime libbrotli1: lock 1\.0\.9-2\+deb12u0vanished, installed (\S+)", out)
        assert m, out
        installed = podman("run", "--rm", "--entrypoint", "dpkg-query", tag, "-W", "-f=${Version}", "libbrotli1").stdout
        assert m.group(1) == installed  # the mirror's version went in instead
    finally:
        podman("rmi", "-f", tag, check=False)


def test_a_release_build_of_the_images_own_package_set_installs_exactly_it(image, context):
    # The package set the image under test was built from matches today's mirror by definition.
    resolved = podman("run", "--rm", "--entrypoint", "cat", image, "/etc/tensorbox/os-packages.builder.lock",
                      "/etc/tensorbox/os-packages.runtime.lock").stdout
    entries = lock_entries(resolved)
    assert {e[0] for e in entries} == {"builder", "runtime"}
    assert ["runtime", "openssh-server"] in [e[:2] for e in entries]
    write_lock(context, entries)
    tag = "localhost/tensorbox-os-lock-release-test"
    try:
        rc, out = build_os_stage(context, "release", tag)
        assert rc == 0, out
        n = sum(1 for e in entries if e[0] == "runtime")
        assert "runtime stage matches env/os-packages.lock (%d packages)" % n in out, out
        got = podman("run", "--rm", "--entrypoint", "cat", tag, "/etc/tensorbox/os-packages.runtime.lock").stdout
        assert lock_entries(got) == [e for e in entries if e[0] == "runtime"]
    finally:
        podman("rmi", "-f", tag, check=False)


def test_the_image_records_what_both_stages_installed_against_the_committed_lock(image):
    resolved = podman("run", "--rm", "--entrypoint", "cat", image, "/etc/tensorbox/os-packages.builder.lock",
                      "/etc/tensorbox/os-packages.runtime.lock").stdout
    names = {(e[0], e[1]) for e in lock_entries(resolved)}
    assert ("builder", "g++") in names and ("runtime", "openssh-server") in names
    assert ("runtime", "g++") not in names  # the compilers never reach the image
    with tempfile.NamedTemporaryFile("w", suffix=".lock") as f:
        f.write(resolved)
        f.flush()
        r = subprocess.run([OS_LOCK, "drift", LOCK, f.name], capture_output=True, text=True)
    # Either the mirror still serves the committed versions, or each difference is one line.
    assert r.returncode in (0, 1), r.stderr
    assert all(re.match(r"  (builder|runtime) \S+: ", line) for line in r.stdout.splitlines()), r.stdout
