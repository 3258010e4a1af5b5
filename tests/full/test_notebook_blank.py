"""The blank student release: every self-check fails, each with its own plain message."""

import pytest
from conftest import checks_of

from autograder.course import notebooks


@pytest.fixture(scope="module")
def outcomes(settings, small_mnist, tmp_path_factory):
    return checks_of(notebooks.read(settings.release_notebook), small_mnist, tmp_path_factory.mktemp("blank"), settings)


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
