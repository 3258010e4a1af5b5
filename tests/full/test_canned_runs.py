"""The canned runs that the fast tier checks are still what a real run produces."""

import json

import pytest
from markers import needs_sandbox
from fixtures.canned_runs import FOLDER, generate

from autograder.checks.runner import run_checks
from autograder.settings import Limits

pytestmark = needs_sandbox
CASES = ["blank", "no_legend"]


def answers(run_dir) -> dict:
    """The probes' answers, without their timings."""
    probes = json.loads((run_dir / "probes.json").read_text())["probes"]
    return {step: {key: value for key, value in answer.items() if key != "seconds"} for step, answer in probes.items()}


def verdicts(run_dir, settings) -> dict:
    return {o["check"]: (o["passed"], o["message"])
            for o in run_checks(run_dir, settings.solutions_dir / "expectations.json", Limits())}


@pytest.fixture(scope="module")
def fresh(settings, tmp_path_factory):
    folder = tmp_path_factory.mktemp("canned")
    generate(folder, settings, CASES)
    return folder


@pytest.mark.parametrize("case", CASES)
def test_a_fresh_run_answers_the_probes_as_the_canned_one(case, fresh):
    assert answers(fresh / case) == answers(FOLDER / case), "run `python tests/fixtures/canned_runs.py`"


@pytest.mark.parametrize("case", CASES)
def test_a_fresh_run_gets_the_canned_runs_verdicts(case, fresh, settings, tmp_path):
    import shutil

    canned = shutil.copytree(FOLDER / case, tmp_path / case)
    assert verdicts(fresh / case, settings) == verdicts(canned, settings), "run `python tests/fixtures/canned_runs.py`"
