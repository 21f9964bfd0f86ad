"""env/os-lock drift: how an image's package set is compared with env/os-packages.lock (the line
CI's log shows after each image build, and what a release build refuses on). The builds
themselves are in tests/image/test_os_lock.py."""
import os
import subprocess

from conftest import ROOT

OS_LOCK = os.path.join(ROOT, "env", "os-lock")


def drift(tmp_path, expected, actual):
    (tmp_path / "expected").write_text(expected)
    (tmp_path / "actual").write_text(actual)
    return subprocess.run([OS_LOCK, "drift", str(tmp_path / "expected"), str(tmp_path / "actual")],
                          capture_output=True, text=True)


def test_the_same_set_in_another_order_with_comments_is_no_drift(tmp_path):
    r = drift(tmp_path, "# header\nruntime zlib1g 1:1.2.13.dfsg-1\nbuilder g++ 4:12.2.0-3\n",
              "builder g++ 4:12.2.0-3\nruntime zlib1g 1:1.2.13.dfsg-1\n")
    assert (r.returncode, r.stdout) == (0, "")


def test_each_kind_of_difference_is_one_line_naming_stage_package_and_versions(tmp_path):
    r = drift(tmp_path,
              "runtime zlib1g 1:1.2.13.dfsg-1\nruntime libgone1 1.0-1\nbuilder zlib1g 1:1.2.13.dfsg-1\n",
              "runtime zlib1g 1:1.2.13.dfsg-1+deb12u1\nruntime libnew2 2.0-1\nbuilder zlib1g 1:1.2.13.dfsg-1\n")
    assert r.returncode == 1
    assert r.stdout.splitlines() == [
        "  runtime libgone1: lock 1.0-1, not installed",
        "  runtime libnew2: 2.0-1 installed, not in the lock",
        "  runtime zlib1g: lock 1:1.2.13.dfsg-1, installed 1:1.2.13.dfsg-1+deb12u1",
    ]


def test_an_empty_lock_or_image_lists_every_package_of_the_other(tmp_path):
    assert drift(tmp_path, "# nothing pinned yet\n", "runtime bash 5.2.15-2+b7\n").stdout == \
        "  runtime bash: 5.2.15-2+b7 installed, not in the lock\n"
    assert drift(tmp_path, "runtime bash 5.2.15-2+b7\n", "").stdout == "  runtime bash: lock 5.2.15-2+b7, not installed\n"


def test_a_package_is_compared_within_its_stage(tmp_path):
    r = drift(tmp_path, "builder python3 3.11.2-1+b1\n", "runtime python3 3.11.2-1+b1\n")
    assert r.returncode == 1
    assert r.stdout.splitlines() == ["  builder python3: lock 3.11.2-1+b1, not installed",
                                     "  runtime python3: 3.11.2-1+b1 installed, not in the lock"]


def test_bad_calls_are_usage_errors(tmp_path):
    for args in ([], ["drift", "one"], ["install", "runtime"], ["nonsense"]):
        r = subprocess.run([OS_LOCK, *args], capture_output=True, text=True)
        assert r.returncode == 2 and "usage: os-lock" in r.stderr, (args, r.stderr)


def test_the_committed_lock_has_both_stages_and_one_version_per_package():
    rows = [line.split() for line in open(os.path.join(ROOT, "env", "os-packages.lock"))
            if line.strip() and not line.startswith("#")]
    assert all(len(r) == 3 and r[0] in ("builder", "runtime") for r in rows)
    keys = [(r[0], r[1]) for r in rows]
    assert len(keys) == len(set(keys))
    wanted = [line.split() for line in open(os.path.join(ROOT, "env", "os-packages"))
              if line.strip() and not line.startswith("#")]
    assert set(map(tuple, wanted)) <= set(keys)  # every package env/os-packages names is locked
