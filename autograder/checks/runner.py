"""Run the checks (this folder's test_*.py) over one stored run, in their own pytest process."""

import json
import os
import sys
from pathlib import Path

from ..sandbox.confinement import run_limited
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
    environment = {"PATH": os.defpath, "HOME": str(run_dir), "PYTHONDONTWRITEBYTECODE": "1",
                   "PYTEST_DISABLE_PLUGIN_AUTOLOAD": "1"}  # the checks need no plugin but their own: 3 s less
    done = run_limited(command, run_dir, "checks.log", limits, limits.checks_memory_bytes, limits.checks_seconds,
                       environment)
    if not outcomes.is_file():
        raise RuntimeError(f"the checks did not run ({'; '.join(done.limits_hit) or 'exit ' + str(done.exit_code)}): "
                           f"{done.output_tail[-1500:]}")
    return json.loads(outcomes.read_text())
