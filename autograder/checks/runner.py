"""Run the checks (this folder's test_*.py) over stored runs, in a pytest process of their own."""

import json
import os
import sys
from pathlib import Path

from ..sandbox.confinement import run_limited
from ..settings import Limits

CHECKS = Path(__file__).resolve().parent
OUTCOMES = "checks.json"


def run_checks(run_dir: Path, expectations: Path, limits: Limits, allowed_layers: list[str] = ()) -> list[dict]:
    """One entry per check: check, cell, points, passed, message (report_plugin.py)."""
    outcomes = checks_of([run_dir], expectations, limits, allowed_layers)[run_dir]
    if isinstance(outcomes, RuntimeError):
        raise outcomes
    return outcomes


def checks_of(run_dirs: list[Path], expectations: Path, limits: Limits,
              allowed_layers: list[str] = ()) -> dict[Path, list[dict] | RuntimeError]:
    """The checks of several runs in one pytest process (one start-up for them all); a run whose
    outcomes that process did not write (it was stopped, say) gets the reason instead. `allowed_layers`:
    layer classes the instructor accepts beside the practical's."""
    for run_dir in run_dirs:
        (run_dir / OUTCOMES).unlink(missing_ok=True)
    command = [sys.executable, "-m", "pytest", str(CHECKS), "-q", "-p", "no:cacheprovider",
               "-p", "autograder.checks.report_plugin", "-o", "addopts=", "--rootdir", str(CHECKS),
               *(f"--run-dir={run_dir}" for run_dir in run_dirs), "--expectations", str(expectations),
               "--outcomes-json", OUTCOMES, "--unpacked-limit", str(limits.unpacked_arrays_bytes),
               *(f"--allowed-layer={layer}" for layer in allowed_layers)]
    environment = {"PATH": os.defpath, "HOME": str(run_dirs[0]), "PYTHONDONTWRITEBYTECODE": "1",
                   "PYTEST_DISABLE_PLUGIN_AUTOLOAD": "1",  # the checks need no plugin but their own: 3 s less
                   # the very kit this grader is: a course folder holding a copy of the kit makes `python -m
                   # autograder` import that copy, and pytest refuses a conftest of another copy than its own
                   "PYTHONPATH": str(CHECKS.parents[1])}
    done = run_limited(command, run_dirs[0], "checks.log", limits, limits.checks_memory_bytes,
                       limits.checks_seconds * len(run_dirs), environment)
    why = (f"the checks did not run ({'; '.join(done.limits_hit) or 'exit ' + str(done.exit_code)}): "
           f"{done.output_tail[-1500:]}")
    return {run_dir: json.loads((run_dir / OUTCOMES).read_text()) if (run_dir / OUTCOMES).is_file()
            else RuntimeError(why) for run_dir in run_dirs}
