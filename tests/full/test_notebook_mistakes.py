"""Each common mistake fails the self-check that names it, and no other step check."""

import pytest
from fixtures.submissions import MISTAKES, edited

from autograder.course import notebooks


@pytest.mark.parametrize("name", sorted(MISTAKES))
def test_mistake_fails_only_its_own_self_check(name, reference_nb, small_mnist, run_checks):
    mistake = MISTAKES[name]
    outcomes = run_checks(edited(reference_nb, mistake.edit), small_mnist)
    step_checks = {check for check in outcomes
                   if "self-check" in notebooks.cell_by_id(reference_nb, check).metadata.get("tags", [])}
    failed = {check for check in step_checks if not outcomes[check].passed}
    assert failed == {mistake.check}
    assert mistake.says in outcomes[mistake.check].message
