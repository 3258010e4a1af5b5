"""Rootless grading: the sandbox's tests and a real sandboxed run pass again as an unprivileged
user that this test creates, where cgroups are out of reach and bubblewrap alone confines."""

import os
import re
import sys
import tempfile
from pathlib import Path

import pytest
from conftest import needs_sandbox
from unprivileged import run_as_user

from autograder.sandbox.runner import interpreter
from autograder.settings import KIT_ROOT

pytestmark = [needs_sandbox, pytest.mark.skipif(os.geteuid() != 0, reason="creating a user needs root (as any other "
                                                                      "user, the sandbox tests already run rootless)")]
MODULES = ["tests/full/test_sandbox.py", "tests/full/test_run.py"]


def test_the_sandbox_and_a_real_run_hold_for_an_unprivileged_grader():
    with tempfile.TemporaryDirectory(prefix="autograder-rootless-") as home:
        Path(home).chmod(0o755)
        environment = {"PATH": os.environ["PATH"], "REQUIRE_SANDBOX": "1",
                       **({"MNIST_PATH": os.environ["MNIST_PATH"]} if "MNIST_PATH" in os.environ else {})}
        pytest_run = [sys.executable, "-m", "pytest", "-p", "no:cacheprovider", "-q", "-rs", "--rootdir", str(KIT_ROOT),
                      "--basetemp", f"{home}/tmp", *(str(KIT_ROOT / module) for module in MODULES)]
        data = [Path(os.environ["MNIST_PATH"]).resolve().parent] if "MNIST_PATH" in os.environ else []
        finished = run_as_user(pytest_run, [*interpreter(), KIT_ROOT, *data], Path(home), environment)
    summary = finished.stdout.strip().splitlines()[-1]
    assert finished.returncode == 0, finished.stdout[-4000:] + finished.stderr[-2000:]
    assert re.search(r"\d+ passed", summary) and "failed" not in summary
    skipped = [line for line in finished.stdout.splitlines() if line.startswith("SKIPPED")]
    assert all("cgroup limits need root" in line for line in skipped), skipped
