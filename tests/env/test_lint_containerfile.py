"""env/lint-containerfile: the image rules it checks hold for our Containerfiles, and a file that
breaks each rule is caught."""
import os
import subprocess

from conftest import ROOT

LINT = os.path.join(ROOT, "env", "lint-containerfile")


def lint(*paths):
    return subprocess.run([LINT, *paths], capture_output=True, text=True)


def test_our_containerfiles_pass():
    r = lint(*(os.path.join(ROOT, p) for p in ("env/Containerfile", "env/Containerfile.gpu",
                                                "examples/custom-image/Containerfile")))
    assert r.returncode == 0, r.stdout
    assert "3 file(s), 0 problem(s)" in r.stdout


def test_each_broken_rule_is_reported(tmp_path):
    bad = tmp_path / "Containerfile"
    bad.write_text("FROM debian:latest\n"
                   "RUN apt-get install -y curl\n"
                   "RUN pip install requests\n"
                   "RUN /tmp/os/os-lock install runtime tolerant names lock\n"
                   "FRM typo\n"
                   "ENTRYPOINT tensorbox up\n")
    r = lint(str(bad))
    assert r.returncode == 1
    for expected in ("FROM debian:latest: use ARG BASE", "FROM ...:latest is not pinned",
                     "ARG BASE (or FROM) must come before the first FROM",
                     "apt-get install without --no-install-recommends",
                     "apt-get install without apt-get update", "Containerfile:2: apt lists not removed",
                     "Containerfile:4: apt lists not removed",
                     "pip install without --require-hashes", "unknown instruction FRM",
                     "must end as an unprivileged USER", "has no HEALTHCHECK", "ENTRYPOINT must be in exec form"):
        assert expected in r.stdout, (expected, r.stdout)
