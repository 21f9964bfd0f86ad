"""Writes the image's manifest (/etc/tensorbox/manifest.json), run at build time in the final stage:
every OS package and version (dpkg), every Python package and version of the runtime (the venv),
and how the engine was built (from the builder stage). `tensorbox doctor` prints it.

    /opt/tensorbox/venv/bin/python manifest.py BUILD_INFO_JSON OUT_JSON
"""
import importlib.metadata
import json
import os
import platform
import subprocess
import sys


def main():
    build_info, out = sys.argv[1], sys.argv[2]
    rows = subprocess.run(["dpkg-query", "-W", "-f=${Package}\t${Version}\n"], check=True,
                          capture_output=True, text=True).stdout.splitlines()
    manifest = {
        "image": "tensorbox",
        "version": os.environ.get("TB_IMAGE_VERSION", ""),
        "revision": os.environ.get("TB_IMAGE_REVISION", ""),
        "base": os.environ.get("TB_IMAGE_BASE", ""),
        "base_digest": os.environ.get("TB_IMAGE_BASE_DIGEST", ""),
        # tolerant (the mirror's newest, may differ from env/os-packages.lock) or release (exactly it)
        "os_mode": os.environ.get("TB_IMAGE_OS_MODE", ""),
        "os_packages": dict(sorted(row.split("\t", 1) for row in rows)),
        "python": platform.python_version(),
        "python_packages": dict(sorted((d.metadata["Name"], d.version) for d in importlib.metadata.distributions())),
        "engine_build": json.load(open(build_info)),
    }
    os.makedirs(os.path.dirname(out), exist_ok=True)
    with open(out + ".tmp", "w") as f:
        json.dump(manifest, f, indent=1)
        f.write("\n")
    os.replace(out + ".tmp", out)


if __name__ == "__main__":
    main()
