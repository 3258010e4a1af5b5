"""The reference solution, run like a student's Restart & Run All on the full data."""

import json

import pytest
from conftest import checks_of


@pytest.fixture(scope="module")
def outcomes(reference_nb, mnist, settings, tmp_path_factory):
    return checks_of(reference_nb, mnist, tmp_path_factory.mktemp("reference"), settings)


def test_reference_passes_every_self_check(outcomes):
    failed = {check: outcome.message for check, outcome in outcomes.items() if not outcome.passed}
    assert failed == {}
    assert len(outcomes) >= 12


def test_reference_reaches_the_derived_accuracy_threshold(outcomes, settings):
    threshold = json.loads((settings.solutions_dir / "expectations.json").read_text())["min_test_accuracy"]
    assert outcomes["check_test_accuracy"].passed
    assert f"at least {threshold:.0%}" in outcomes["check_test_accuracy"].message
