"""Shared fixtures: settings, MNIST (honouring MNIST_PATH), and a notebook runner."""

import copy
import re
from pathlib import Path

import numpy as np
import pytest

from autograder.course import notebooks
from autograder.authoring.trusted_run import execute
from autograder.data.mnist import find_mnist
from autograder.authoring.trusted_run import self_check_outcomes
from autograder.settings import Settings


@pytest.fixture(scope="session")
def settings() -> Settings:
    return Settings()


@pytest.fixture(scope="session")
def mnist(settings) -> Path:
    """The full, verified MNIST; CI points MNIST_PATH at ../shared/data/mnist.npz."""
    return find_mnist(settings)


# The kit's command line as an instructor runs it, except that it accepts a slice of MNIST (so no notebook
# trains for minutes): the kit refuses any file that is not the original, checksum by checksum.
ON_A_SLICE = ("import sys, autograder.data.mnist as mnist; mnist.verified = lambda path: path; "
              "from autograder.cli import main; sys.exit(main(sys.argv[1:]))")


def mnist_slice(mnist: Path, into: Path, train: int, test: int = 1000) -> Path:
    """The first `train` training and `test` test images of MNIST, as an .npz at `into`."""
    with np.load(mnist) as data:
        np.savez(into, x_train=data["x_train"][:train], y_train=data["y_train"][:train],
                 x_test=data["x_test"][:test], y_test=data["y_test"][:test])
    return into


@pytest.fixture(scope="session")
def small_mnist(mnist, tmp_path_factory) -> Path:
    """A slice of MNIST (6,000 training and 1,000 test images) so a notebook trains in seconds."""
    return mnist_slice(mnist, tmp_path_factory.mktemp("mnist") / "small.npz", 6000)


@pytest.fixture(scope="session")
def reference_nb(settings):
    return notebooks.read(settings.solutions_dir / f"{settings.assignment}.ipynb")


def checks_of(nb, data: Path, workdir: Path, settings: Settings):
    """Execute a copy of `nb` on `data` in a fresh kernel; return its self-check outcomes."""
    executed = execute(copy.deepcopy(nb), workdir, {"MNIST_PATH": str(data)}, settings.notebook_timeout)
    return self_check_outcomes(executed)


@pytest.fixture
def run_checks(tmp_path, settings):
    return lambda nb, data: checks_of(nb, data, tmp_path, settings)


def pytest_terminal_summary(terminalreporter):
    """A line per kind of corpus case: how many, how many defended, which were skipped and why."""
    kinds: dict[str, dict[str, list]] = {}
    for status in ("passed", "failed", "skipped", "error"):
        for report in terminalreporter.stats.get(status, []):
            nodeid = getattr(report, "nodeid", "")
            if not re.search(r"test_(corpus|instructor_browser)\.py::test_case\[", nodeid) or (status == "passed" and report.when != "call"):
                continue
            kind = nodeid.split("[", 1)[1].split(":", 1)[0]
            reason = report.longrepr[2] if status == "skipped" and isinstance(report.longrepr, tuple) else ""
            kinds.setdefault(kind, {}).setdefault(status, []).append(reason)
    rootless = [line for report in terminalreporter.stats.get("passed", [])
                for key, lines in getattr(report, "user_properties", []) if key == "corpus_summary" for line in lines]
    if kinds or rootless:
        terminalreporter.section("attack corpus")
    for line in rootless:
        terminalreporter.write_line(line)
    for kind, outcomes in kinds.items():
        cases = sum(map(len, outcomes.values()))
        skipped = outcomes.get("skipped", [])
        line = (f"{kind}: {cases} cases, {len(outcomes.get('passed', []))} defended, "
                f"{len(outcomes.get('failed', [])) + len(outcomes.get('error', []))} not, {len(skipped)} skipped")
        terminalreporter.write_line(line + "".join(f"\n    skipped: {reason}" for reason in skipped))
