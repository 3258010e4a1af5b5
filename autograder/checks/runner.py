"""Run the checks (this folder's test_*.py) over one stored run, in their own pytest process."""

import json
import subprocess
import sys
from pathlib import Path

from ..settings import Limits

CHECKS = Path(__file__).resolve().parent
OUTCOMES = "checks.json"


def run_checks(run_dir: Path, expectations: Path, limits: Limits) -> list[dict]:
    """One entry per check: check, cell, points, passed, message (report_plugin.py)."""
    outcomes = run_dir / OUTCOMES
    outcomes.unlink(missing_ok=True)
    command = [sys.executable, "-m", "pytest", str(CHECKS), "-q", "-p", "no:cacheprovider",
               "-p", "autograder.checks.report_plugin", "-o", "addopts=", "--rootdir", str(CHECKS),
               "--run-dir", str(run_dir), "--expectations", str(expectations), "--outcomes-json", str(outcomes),
               "--unpacked-limit", str(limits.unpacked_arrays_bytes)]
    done = subprocess.run(command, capture_output=True, text=True, timeout=limits.checks_seconds,
                          start_new_session=True)
    if not outcomes.is_file():
        raise RuntimeError(f"the checks did not run: {done.stdout[-1000:]} {done.stderr[-1000:]}")
    return json.loads(outcomes.read_text())
