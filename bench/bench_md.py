"""Shared by the benchmark scripts: run a harness process and read its JSON line, and replace
one script's own section of BENCHMARKS.md (from its marker to the next marker or the end),
atomically, leaving the other sections as they are."""
import json
import os
import subprocess

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
BENCHMARKS = os.path.join(ROOT, "BENCHMARKS.md")
MARK = "<!-- section: %s -->"


def run_json(cmd, threads, extra_env=None):
    env = dict(os.environ, OMP_NUM_THREADS=str(threads), **(extra_env or {}))
    out = subprocess.run(cmd, env=env, check=True, capture_output=True, text=True).stdout
    return json.loads(out.strip().splitlines()[-1])


def write_section(name, lines):
    mark = MARK % name
    old = open(BENCHMARKS).read() if os.path.exists(BENCHMARKS) else ""
    if mark in old:
        start = old.index(mark)
        nxt = old.find("<!-- section:", start + len(mark))
        head, tail = old[:start].rstrip("\n"), ("\n\n" + old[nxt:].rstrip("\n")) if nxt >= 0 else ""
    else:
        head, tail = old.rstrip("\n"), ""
    text = head + "\n\n" + "\n".join([mark] + lines) + tail + "\n"
    with open(BENCHMARKS + ".tmp", "w") as f:
        f.write(text)
    os.replace(BENCHMARKS + ".tmp", BENCHMARKS)
    print("wrote BENCHMARKS.md (section %s)" % name)
