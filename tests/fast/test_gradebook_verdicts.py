"""What nbgrader is shown for each check cell: a score it can read, never stderr."""

from autograder.gradebook.preprocessor import verdict
from autograder.grading.result import CheckResult, Result

CELLS = {"check_build_model": 2.0}


def result_with(*passed: bool, problem=None) -> Result:
    checks = [CheckResult(check=f"test_part_{i}", cell="check_build_model", points=1, passed=p,
                          message="" if p else f"part {i} is wrong") for i, p in enumerate(passed)]
    return Result(student="s", assignment="a", kit_version="v", content_hash="h", checks=checks, cell_points=CELLS,
                  problem=problem)


def test_a_cell_with_no_points_is_an_error_listing_what_failed():
    (output,) = verdict("check_build_model", result_with(False, False))
    assert output.output_type == "error" and output.ename == "NotPassed"
    assert output.evalue == "✘ part 0 is wrong\n✘ part 1 is wrong"


def test_partial_credit_is_the_cells_value_beside_the_ticks_and_crosses():
    printed, value = verdict("check_build_model", result_with(True, False))
    assert printed.text == "✔ part 0\n✘ part 1 is wrong\n1 of 2 points:\n"
    assert value.data["text/plain"] == "1"


def test_full_marks_show_the_ticks_only_with_no_stray_score():
    (printed,) = verdict("check_build_model", result_with(True, True))
    assert printed.output_type == "stream" and printed.text == "✔ part 0\n✔ part 1\n"


def test_a_submission_that_could_not_run_says_why_in_every_cell():
    (output,) = verdict("check_build_model", result_with(problem="essay.ipynb is not a valid Jupyter notebook"))
    assert output.evalue == "✘ essay.ipynb is not a valid Jupyter notebook"
