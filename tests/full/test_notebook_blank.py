"""The blank student release: every self-check fails, each with its own plain message."""

import pytest

from autograder.authoring.trusted_run import execute, self_check_outcomes
from autograder.course import notebooks


@pytest.fixture(scope="module")
def executed(settings, small_mnist, tmp_path_factory):
    """The blank release run as Jupyter's Restart & Run All runs it: stopping at an error in any cell
    that is not tagged raises-exception (nbclient raises then, failing every test here)."""
    return execute(notebooks.read(settings.release_notebook), tmp_path_factory.mktemp("blank"),
                   {"MNIST_PATH": str(small_mnist)}, settings.notebook_timeout, allow_errors=False)


@pytest.fixture(scope="module")
def outcomes(executed):
    return self_check_outcomes(executed)


def error_shown(nb, cell_id: str) -> list[str]:
    (error,) = [out for out in notebooks.cell_by_id(nb, cell_id).outputs if out.output_type == "error"]
    return error.traceback


def test_blank_release_fails_every_self_check(outcomes):
    assert outcomes
    assert [check for check, outcome in outcomes.items() if outcome.passed] == []


def test_blank_release_messages_are_plain_and_distinct(outcomes):
    messages = [outcome.message for outcome in outcomes.values()]
    assert all(message.startswith("SelfCheckError: ") for message in messages), messages
    assert len(set(messages)) == len(messages), messages


def test_blank_release_says_which_function_to_write(outcomes):
    assert "normalize() is not written yet" in outcomes["check_normalize"].message
    assert "LABEL_ENCODING is None" in outcomes["check_labels_match_loss"].message
    assert "There is no test accuracy yet" in outcomes["check_test_accuracy"].message


def test_run_all_goes_on_past_every_failing_step_to_the_summary(executed):
    summary = "".join(out.get("text", "") for out in notebooks.cell_by_id(executed, "summary").outputs)
    assert "✘ normalize" in summary and "✘ split sizes" in summary
    assert "self-checks passed: 0 of 16 points" in summary and "Not ready yet" in summary


def test_a_failing_self_check_shows_its_message_alone(executed):
    assert error_shown(executed, "check_normalize") == [
        "✘ normalize() is not written yet: replace `raise NotImplementedError()` with your code."]


def test_a_run_cell_after_a_missing_step_says_which_step_to_finish_in_one_line(executed):
    assert error_shown(executed, "run_flatten") == [
        "✘ `x_train` does not exist yet: finish step 1 (normalize), run its cells, then this one."]
    assert error_shown(executed, "run_evaluate_model") == [
        "✘ `history` does not exist yet: finish step 6 (train_model), run its cells, then this one."]
