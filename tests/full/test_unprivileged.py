"""Rootless grading: the sandbox's tests, and the corpus's cases that the sandbox defends
(reading beyond the workdir, harming others), pass again as an unprivileged user that this
test creates, where cgroups are out of reach and bubblewrap alone confines."""

import os
import re
import sys
import tempfile
from pathlib import Path

import pytest
from markers import needs_sandbox
from unprivileged import run_as_user

from autograder.sandbox.runner import interpreter
from autograder.settings import KIT_ROOT

pytestmark = [needs_sandbox, pytest.mark.skipif(os.geteuid() != 0, reason="creating a user needs root (as any other "
                                                                      "user, the sandbox tests already run rootless)")]
# The corpus's cases that the sandbox defends; the rest (exports, CPU time, probes) are the grader's own work.
SELECTED = ["tests/full/test_sandbox.py", "tests/full/test_corpus.py", "-k",
            "not test_case or reading or (harming and not export and not endless)"]


def test_the_sandbox_and_its_corpus_cases_hold_for_an_unprivileged_grader(record_property):
    with tempfile.TemporaryDirectory(prefix="autograder-rootless-") as home:
        Path(home).chmod(0o755)
        environment = {"PATH": os.environ["PATH"], "REQUIRE_SANDBOX": "1",
                       **({"MNIST_PATH": os.environ["MNIST_PATH"]} if "MNIST_PATH" in os.environ else {})}
        pytest_run = [sys.executable, "-m", "pytest", "-p", "no:cacheprovider", "-q", "-rs", "--rootdir", str(KIT_ROOT),
                      "--basetemp", f"{home}/tmp", *(str(KIT_ROOT / part) if part.startswith("tests/") else part
                                                     for part in SELECTED)]
        data = [Path(os.environ["MNIST_PATH"]).resolve().parent] if "MNIST_PATH" in os.environ else []
        finished = run_as_user(pytest_run, [*interpreter(), KIT_ROOT, *data], Path(home), environment)
    lines = finished.stdout.splitlines()
    assert finished.returncode == 0, finished.stdout[-6000:] + finished.stderr[-2000:]
    assert re.search(r"\d+ passed", lines[-1]) and "failed" not in lines[-1]
    skipped = [line for line in lines if line.startswith("SKIPPED")]
    assert all("cgroup limits need root" in line or "needs root: without root" in line for line in skipped), skipped
    corpus = [line for line in lines if re.match(r"(reading|harming others): \d+ cases", line)]
    assert len(corpus) == 2 and all(" 0 not, " in line for line in corpus), lines[-40:]
    summary = [line for line in lines if line in corpus or line.startswith("    skipped: ")]
    record_property("corpus_summary", [f"as an unprivileged user, {line.lstrip()}" if line in corpus else line
                                       for line in summary])
