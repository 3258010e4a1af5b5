"""Shared fixtures: settings, MNIST (honouring MNIST_PATH), and a notebook runner."""

import copy
from pathlib import Path

import numpy as np
import pytest

import os

from autograder.course import notebooks
from autograder.sandbox import confinement
from autograder.authoring.trusted_run import execute
from autograder.data.mnist import find_mnist
from autograder.authoring.trusted_run import self_check_outcomes
from autograder.settings import Settings


# Sandbox tests need bubblewrap and user namespaces; the cgroup limits need root too. CI sets
# REQUIRE_SANDBOX=1 so that a machine without them fails those tests instead of skipping them.
REQUIRED = bool(os.environ.get("REQUIRE_SANDBOX"))
DEFENCES = confinement.defences()
needs_sandbox = pytest.mark.skipif(not DEFENCES["bubblewrap sandbox"] and not REQUIRED,
                                   reason="needs bubblewrap and unprivileged user namespaces")
needs_cgroups = pytest.mark.skipif(os.geteuid() != 0 or not (all(DEFENCES.values()) or REQUIRED),
                                   reason="cgroup limits need root and cgroup v1 memory, pids and cpuset")


@pytest.fixture(scope="session")
def settings() -> Settings:
    return Settings()


@pytest.fixture(scope="session")
def mnist(settings) -> Path:
    """The full, verified MNIST; CI points MNIST_PATH at ../shared/data/mnist.npz."""
    return find_mnist(settings)


@pytest.fixture(scope="session")
def small_mnist(mnist, tmp_path_factory) -> Path:
    """A slice of MNIST (6,000 training and 1,000 test images) so a notebook trains in seconds."""
    path = tmp_path_factory.mktemp("mnist") / "small.npz"
    with np.load(mnist) as data:
        np.savez(path, x_train=data["x_train"][:6000], y_train=data["y_train"][:6000],
                 x_test=data["x_test"][:1000], y_test=data["y_test"][:1000])
    return path


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
