"""Reports are made from stored results alone: CSV, Gradescope results.json, the class report."""

import csv
import json

import pytest

from autograder.grading.result import stored_results
from autograder.reports.class_report import write_class_report
from autograder.reports.gradescope import gradescope_results
from autograder.reports.grades_csv import write_grades_csv
from autograder.grading.result import CheckResult, Result


@pytest.fixture
def results_dir(tmp_path):
    cells = {"check_normalize": 1.0, "check_build_model": 2.0}
    checks = [CheckResult(check="test_normalize", cell="check_normalize", points=1, passed=False,
                          message="normalize() returned values up to 255.0: divide the pixels by 255.0"),
              CheckResult(check="test_sizes", cell="check_build_model", points=1, passed=True),
              CheckResult(check="test_activations", cell="check_build_model", points=1, passed=True)]
    folder = tmp_path / "results"
    Result(student="ann", assignment="mnist_ann", kit_version="t", content_hash="h", checks=checks,
           cell_points=cells, measured_accuracy=0.9712).write(folder / "ann" / "result.json")
    Result(student="bo", assignment="mnist_ann", kit_version="t", content_hash="", cell_points=cells,
           problem="bo.ipynb is not a valid Jupyter notebook").write(folder / "bo" / "result.json")
    (folder / "cy").mkdir()
    (folder / "cy" / "result.json").write_text("{ torn")  # a damaged record is skipped, not fatal
    return folder


def test_stored_results_are_read_and_damaged_ones_named(results_dir):
    results, damaged = stored_results(results_dir)
    assert [result.student for result in results] == ["ann", "bo"]
    assert len(damaged) == 1 and "cy/result.json is damaged" in damaged[0]


def test_grades_csv_has_a_row_per_student_with_cell_scores(results_dir, tmp_path):
    rows = list(csv.DictReader(open(write_grades_csv(stored_results(results_dir)[0], tmp_path / "grades.csv"))))
    assert [(r["student"], r["score"], r["check_build_model"], r["check_normalize"]) for r in rows] == [
        ("ann", "2", "2", "0"), ("bo", "0", "0", "0")]
    assert rows[1]["problem"].startswith("bo.ipynb is not a valid")


def test_gradescope_results_list_each_check_with_its_message(results_dir):
    ann = gradescope_results(stored_results(results_dir)[0][0])
    assert ann["score"] == 2 and len(ann["tests"]) == 3
    assert ann["tests"][0] == {"name": "normalize", "score": 0, "max_score": 1.0, "status": "failed",
                               "output": "normalize() returned values up to 255.0: divide the pixels by 255.0"}
    json.dumps(ann)


def test_class_report_shows_pass_rates_and_what_each_student_should_fix(results_dir, tmp_path):
    page = write_class_report(stored_results(results_dir)[0], tmp_path / "report.html", results_dir).read_text()
    assert "test_normalize</td><td>check_normalize</td><td>0 / 1" in page
    assert "divide the pixels by 255.0" in page and "97.12%" in page
    assert "not a valid Jupyter notebook" in page


def test_class_report_escapes_what_students_wrote(tmp_path):
    hostile = Result(student="x", assignment="mnist_ann", kit_version="t", content_hash="h",
                     problem="<script>alert(1)</script>")
    page = write_class_report([hostile], tmp_path / "report.html", tmp_path).read_text()
    assert "<script>" not in page and "&lt;script&gt;" in page


def test_a_damaged_result_is_a_plain_error_that_says_what_to_do(results_dir):
    from autograder.errors import KitError

    with pytest.raises(KitError, match="cy/result.json is damaged.*delete it"):
        Result.read(results_dir / "cy" / "result.json")
