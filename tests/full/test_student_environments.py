"""The notebook works unchanged where students work: Keras 2.15 (many university labs) and Keras 3
on JAX, each in its own environment (tests/environments.py), besides the kit's pinned one.

Each environment runs the solved notebook, the blank release and one mistake as Restart & Run All
does (stopping only at an error in a cell not tagged raises-exception), on a slice of MNIST.
"""

import copy
import os

import pytest
from conftest import mnist_slice
from environments import ENVIRONMENTS, built, kernel_spec
from fixtures.submissions import MISTAKES, edited

from autograder.authoring.trusted_run import execute, self_check_outcomes
from autograder.course import notebooks

ACCURACY = "check_test_accuracy"  # a slice of MNIST may train to below the threshold: that check may go either way


@pytest.fixture(scope="module", params=sorted(ENVIRONMENTS))
def run_in(request, mnist, settings, tmp_path_factory, monkeypatch_module):
    folder = tmp_path_factory.mktemp("kernels")
    name = kernel_spec(built(ENVIRONMENTS[request.param]), folder)
    monkeypatch_module.setenv("JUPYTER_PATH", os.pathsep.join(filter(None, [str(folder), os.environ.get("JUPYTER_PATH")])))
    data = mnist_slice(mnist, folder / "mnist.npz", 3000)

    def run(nb):
        executed = execute(copy.deepcopy(nb), tmp_path_factory.mktemp("run"), {"MNIST_PATH": str(data)},
                           settings.notebook_timeout, allow_errors=False, kernel_name=name)
        return executed, self_check_outcomes(executed)

    return run


@pytest.fixture(scope="module")
def monkeypatch_module():
    with pytest.MonkeyPatch.context() as patch:
        yield patch


def test_the_solved_notebook_passes_every_self_check_without_notes_from_keras(run_in, reference_nb):
    _, outcomes = run_in(reference_nb)
    failed = {check: o.message for check, o in outcomes.items() if not o.passed and check != ACCURACY}
    assert failed == {} and len(outcomes) == 14
    assert outcomes[ACCURACY].passed or "below the" in outcomes[ACCURACY].message
    assert [o.message for o in outcomes.values() if "caused a warning" in o.message] == []


def test_the_blank_release_fails_every_self_check_with_its_own_message(run_in, settings):
    executed, outcomes = run_in(notebooks.read(settings.release_notebook))
    assert [check for check, o in outcomes.items() if o.passed] == []
    assert all(o.message.startswith("SelfCheckError: ") for o in outcomes.values()), outcomes
    summary = "".join(out.get("text", "") for out in notebooks.cell_by_id(executed, "summary").outputs)
    assert "self-checks passed: 0 of 16 points" in summary


def test_one_mistake_fails_its_own_step_and_no_other(run_in, reference_nb):
    _, outcomes = run_in(edited(reference_nb, MISTAKES["sigmoid_hidden_layers"].edit))
    assert {check for check, o in outcomes.items() if not o.passed} - {ACCURACY} == {"check_build_model"}
    assert "activation='relu'" in outcomes["check_build_model"].message
