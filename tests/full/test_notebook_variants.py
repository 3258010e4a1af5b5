"""Other correct ways to do the practical pass every self-check. On a slice of MNIST, so the
accuracy check may go either way (in the class grading, the practical's own snippets, which use
two of these variants, score 16/16 on the full data)."""

import pytest
from fixtures.submissions import VARIANTS, edited

ACCURACY = "check_test_accuracy"


@pytest.mark.parametrize("name", sorted(VARIANTS))
def test_variant_passes_every_self_check(name, reference_nb, small_mnist, run_checks):
    outcomes = run_checks(edited(reference_nb, *VARIANTS[name]), small_mnist)
    assert {check: o.message for check, o in outcomes.items() if not o.passed and check != ACCURACY} == {}
    assert outcomes[ACCURACY].passed or "below the" in outcomes[ACCURACY].message
