"""The reference solution, run like a student's Restart & Run All on the full data."""

import copy
import json

import pytest

from autograder.course import notebooks
from autograder.authoring.trusted_run import execute
from autograder.authoring.trusted_run import self_check_outcomes


@pytest.fixture(scope="module")
def executed(reference_nb, mnist, settings, tmp_path_factory):
    return execute(copy.deepcopy(reference_nb), tmp_path_factory.mktemp("reference"),
                   {"MNIST_PATH": str(mnist)}, settings.notebook_timeout)


def outputs_of(nb, cell_id: str) -> list:
    return notebooks.cell_by_id(nb, cell_id).outputs


def test_reference_passes_every_self_check(executed):
    outcomes = self_check_outcomes(executed)
    assert {check: o.message for check, o in outcomes.items() if not o.passed} == {}
    assert len(outcomes) == 14


def test_reference_reaches_the_derived_accuracy_threshold(executed, settings):
    threshold = json.loads((settings.solutions_dir / "expectations.json").read_text())["min_test_accuracy"]
    outcome = self_check_outcomes(executed)["check_test_accuracy"]
    assert outcome.passed and f"at least {threshold:.0%}" in outcome.message


def test_student_sees_one_line_per_epoch_for_ten_epochs(executed):
    printed = "".join(out.get("text", "") for out in outputs_of(executed, "run_train_model"))
    assert "Epoch 10/10" in printed and "val_accuracy" in printed
    assert len(printed) < 3000, "one line an epoch, not a progress bar's redraws"


def test_nothing_reaches_stderr_in_a_graded_cell(executed):
    written = {notebooks.grade_id(cell): out.text for cell in executed.cells if notebooks.is_self_check(cell)
               for out in cell.outputs if out.get("name") == "stderr"}
    assert written == {}


def test_the_summary_says_the_notebook_is_ready(executed):
    summary = "".join(out.get("text", "") for out in outputs_of(executed, "summary"))
    assert "self-checks passed: 16 of 16 points" in summary and "Ready to submit" in summary


@pytest.mark.parametrize("cell_id", ["run_plot_history", "run_confusion_matrix"])
def test_student_sees_the_plot(executed, cell_id):
    assert any("image/png" in out.get("data", {}) for out in outputs_of(executed, cell_id))
