"""Run the checks (autograder/checks/) over one stored run, in their own pytest process."""

import json
import subprocess
import sys
from pathlib import Path

CHECKS = Path(__file__).resolve().parent / "checks"


def run_checks(run_dir: Path, expectations: Path) -> list[dict]:
    """One entry per check: check, cell, points, passed, message."""
    results = run_dir / "checks.json"
    results.unlink(missing_ok=True)
    command = [sys.executable, "-m", "pytest", str(CHECKS), "-q", "-p", "no:cacheprovider", "-p", "autograder.collector",
               "-o", "addopts=", "--rootdir", str(CHECKS), "--run-dir", str(run_dir),
               "--expectations", str(expectations), "--results-json", str(results)]
    done = subprocess.run(command, capture_output=True, text=True, timeout=300, start_new_session=True)
    if not results.is_file():
        raise RuntimeError(f"the checks did not run: {done.stdout[-1000:]} {done.stderr[-1000:]}")
    return json.loads(results.read_text())
