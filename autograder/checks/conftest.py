"""Fixtures over one stored run: its record, arrays, the evaluation and the expectations."""

import json
from pathlib import Path

import numpy as np
import pytest

from autograder.evaluation.evaluator import EVALUATION, EXPECTED
from autograder.sandbox.exports import read_probe_arrays, read_probes, read_record, refusal
from autograder.settings import Limits


def pytest_addoption(parser):
    parser.addoption("--run-dir", action="append", default=[],
                     help="a folder with record.json, arrays.npz, evaluation.json, expected.npz (repeatable)")
    parser.addoption("--expectations", help="solutions/<assignment>/expectations.json")
    parser.addoption("--allowed-layer", action="append", default=[],
                     help="a layer class the network may have beside the practical's (repeatable)")
    parser.addoption("--unpacked-limit", type=int, default=Limits().unpacked_arrays_bytes,
                     help="largest .npz once inflated")


def pytest_configure(config):
    config.addinivalue_line("markers", "points(cell, n): the grade cell this check scores, and its points")


def pytest_generate_tests(metafunc):
    """Every check runs once per --run-dir, its run's index in the test's id: the fixtures below are
    made afresh for each run, so one session checks a whole class."""
    if "run_dir" in metafunc.fixturenames:
        folders = [Path(folder) for folder in metafunc.config.getoption("--run-dir")]
        metafunc.parametrize("run_dir", folders, ids=[str(index) for index in range(len(folders))], scope="session")


@pytest.fixture(scope="session")
def record(run_dir) -> dict:
    """The notebook run's record; {"refused": why} when it was there but refused."""
    why = refusal(run_dir)
    return {"refused": why} if why else read_record(run_dir)


@pytest.fixture(scope="session")
def probes(run_dir) -> dict:
    """What the probe phase recorded: the step functions' answers, LABEL_ENCODING."""
    return read_probes(run_dir)


@pytest.fixture(scope="session")
def arrays(run_dir, pytestconfig) -> dict:
    """The arrays the step functions returned."""
    return read_probe_arrays(run_dir, pytestconfig.getoption("--unpacked-limit"))


@pytest.fixture(scope="session")
def evaluation(run_dir) -> dict:
    path = run_dir / EVALUATION
    return json.loads(path.read_text()) if path.is_file() else {}


@pytest.fixture(scope="session")
def expected(run_dir) -> dict:
    path = run_dir / EXPECTED
    with np.load(path, allow_pickle=False) as archive:
        return {key: archive[key] for key in archive.files}


@pytest.fixture(scope="session")
def allowed_layers(pytestconfig) -> frozenset[str]:
    """The layer classes the instructor allows beside the practical's (c.Autograder.allowed_extra_layers)."""
    return frozenset(pytestconfig.getoption("--allowed-layer"))


@pytest.fixture(scope="session")
def expectations(pytestconfig) -> dict:
    return json.loads(Path(pytestconfig.getoption("--expectations")).read_text())


@pytest.fixture(scope="session")
def probe(probes):
    """probe("normalize") is what the function returned on the probe inputs; a step that
    was missing or raised fails every check that needs it, with the reason."""

    def get(name: str) -> dict:
        answers = probes.get("probes", {})
        failures = "; ".join(f"cell {cell['id']}: {cell['error']}" for cell in probes.get("cells", [])[:2])
        assert name in answers, (f"{name}() is not defined in the notebook: write it as `def {name}(...)` in its "
                                 "cell (without a decorator), and keep that cell free of errors"
                                 + (f" (loading the notebook's definitions failed in {failures})" if failures else ""))
        error = answers[name].get("error", "")
        assert not error.startswith("NotImplementedError"), \
            f"{name}() is not written yet: replace `raise NotImplementedError()` with your code"
        assert not error, f"{name}() raised {error}"
        return answers[name]

    return get


@pytest.fixture(scope="session")
def returned_array(probe, arrays):
    def get(name: str) -> np.ndarray:
        result = probe(name)
        assert "array" in result and result["array"] in arrays, \
            f"{name}() returned a {result.get('type')}, not an array of numbers"
        return arrays[result["array"]]

    return get
