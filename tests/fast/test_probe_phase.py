"""The probe phase (sandbox/inside/probe_run.py), run as the sandboxed process runs it: its limits."""

import json
import os
import subprocess
import sys
import time

from autograder.sandbox.inside.record_format import PROBE_RECORD

SLEEPERS = "import time\n\ndef normalize(images):\n    time.sleep(120)\n\ndef flatten(images):\n    time.sleep(120)\n"


def test_functions_that_sleep_cannot_hold_the_probes_past_their_wall_clock(tmp_path):
    """Sleeping uses no CPU, so only the probes' wall clock stops it: all of them share it, and the
    notebook's run keeps the rest of its own."""
    notebook = tmp_path / "submission.ipynb"
    notebook.write_text(json.dumps({"cells": [{"cell_type": "code", "source": SLEEPERS, "metadata": {}}]}))
    (tmp_path / "answers").mkdir()
    code = ("import os, sys\nfrom autograder.sandbox.inside.probe_run import probe\n"
            "probe(sys.argv[1], os.open(sys.argv[2], os.O_RDONLY | os.O_DIRECTORY), 1, 10, 3)")
    started = time.monotonic()
    subprocess.run([sys.executable, "-c", code, str(notebook), str(tmp_path / "answers")], check=True, timeout=200,
                   env={**os.environ, "MPLBACKEND": "Agg"}, capture_output=True)
    took = time.monotonic() - started
    probes = json.loads((tmp_path / "answers" / PROBE_RECORD).read_text())["probes"]
    assert probes["normalize"]["error"] == "TimeoutError: the probes' wall clock ran out during this call"
    assert probes["flatten"]["error"] == "TimeoutError: the probes' wall clock ran out before this function was asked"
    assert took < 100, f"{took:.0f} s: two functions that sleep for 120 s each were waited for"
