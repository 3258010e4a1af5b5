"""Reports are made from stored results alone: CSV, Gradescope results.json, the class report."""

import csv
import json
from pathlib import Path

import jsonschema
import pytest

from autograder.grading.result import stored_results
from autograder.reports.class_report import write_class_report
from autograder.reports.gradescope import gradescope_results
from autograder.reports.grades_csv import write_grades_csv
from autograder.grading.result import CheckResult, Result

GRADESCOPE_SCHEMA = json.loads((Path(__file__).parents[1] / "fixtures" / "gradescope_results.schema.json").read_text())


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


def test_gradescope_results_list_each_check_numbered_by_its_step(results_dir):
    ann = gradescope_results(stored_results(results_dir)[0][0])
    assert ann["score"] == 2 and [test["number"] for test in ann["tests"]] == ["1.1", "2.1", "2.2"]
    assert ann["tests"][0] == {"name": "normalize", "number": "1.1", "score": 0, "max_score": 1.0, "status": "failed",
                               "output": "normalize() returned values up to 255.0: divide the pixels by 255.0",
                               "visibility": "visible"}


def test_gradescope_results_follow_gradescopes_specification(results_dir):
    for result in stored_results(results_dir)[0]:
        jsonschema.validate(json.loads(json.dumps(gradescope_results(result))), GRADESCOPE_SCHEMA)


def test_gradescope_output_says_why_a_submission_was_not_graded(results_dir):
    bo = gradescope_results(stored_results(results_dir)[0][1])
    assert bo["score"] == 0 and bo["tests"] == [] and "bo.ipynb is not a valid Jupyter notebook" in bo["output"]


def test_gradescope_output_names_a_limit_hit_and_each_cell_error():
    result = Result(student="cy", assignment="mnist_ann", kit_version="t", content_hash="h",
                    limits_hit=["CPU time (60 s)"], stopped_in="code cell 12 (label_encoding)", run_finished=False,
                    cell_errors={"plots": "ModuleNotFoundError: No module named 'plotly'"})
    told = gradescope_results(result)["output"]
    assert "stopped your notebook at its CPU time (60 s) limit while code cell 12 (label_encoding)" in told
    assert "- plots: ModuleNotFoundError: No module named 'plotly'" in told and "The grader has no module" in told


def test_grades_csv_says_each_students_status(results_dir, tmp_path):
    rows = list(csv.DictReader(open(write_grades_csv(stored_results(results_dir)[0], tmp_path / "grades.csv"))))
    assert [(row["student"], row["status"]) for row in rows] == [("ann", "graded"), ("bo", "not a notebook")]


def class_of(*results: Result, tmp_path) -> str:
    return write_class_report(list(results), tmp_path, threshold=0.95).read_text()


def student(name: str, *failed: tuple[str, str], **fields) -> Result:
    checks = [CheckResult(check=check, cell="check_normalize", points=1, passed=False, message=message)
              for check, message in failed]
    checks.append(CheckResult(check="test_sizes", cell="check_build_model", points=2, passed=True))
    return Result(student=name, assignment="mnist_ann", kit_version="t", content_hash="h", checks=checks,
                  cell_points={"check_normalize": 1.0, "check_build_model": 2.0}, **fields)


def test_class_report_sorts_checks_by_failure_rate(tmp_path):
    page = class_of(student("a", ("test_normalize", "x")), student("b"), tmp_path=tmp_path)
    assert page.index("normalize</td>") < page.index("sizes</td>")
    assert "1 of 1" in page and "0 of 2" in page


def test_class_report_ranks_mistakes_alike_but_for_their_numbers_as_one(tmp_path):
    page = class_of(student("a", ("test_normalize", "values up to 255.0: divide by 255")),
                    student("b", ("test_normalize", "values up to 254.0: divide by 255")),
                    student("c", ("test_optimizer", "use Adam")), tmp_path=tmp_path)
    mistakes = page[page.index("Most common mistakes"):page.index("Checks, most failed first")]
    assert '<td class="num">2</td><td>normalize</td>' in mistakes
    assert mistakes.index("normalize") < mistakes.index("optimizer")


def test_class_report_says_who_could_not_be_graded_and_why(tmp_path):
    page = class_of(student("a", limits_hit=["wall clock (900 s)"], stopped_in="code cell 7 (run_train_model)"),
                    student("b", problem="b.ipynb is not a valid Jupyter notebook"), tmp_path=tmp_path)
    assert "wall clock (900 s) limit while code cell 7 (run_train_model) was running" in page
    assert "b.ipynb is not a valid Jupyter notebook" in page and "limit hit" in page and "not a notebook" in page


def test_class_report_draws_the_score_and_accuracy_distributions_also_as_png(tmp_path):
    page = class_of(student("a", measured_accuracy=0.97), student("b", measured_accuracy=0.91), tmp_path=tmp_path)
    assert page.count('src="data:image/png;base64,') == 2
    assert (tmp_path / "score_histogram.png").read_bytes().startswith(b"\x89PNG")
    assert (tmp_path / "accuracy_distribution.png").read_bytes().startswith(b"\x89PNG")
    assert "1 of 2 trained networks reach the 95% test accuracy" in page


def test_class_report_totals_the_viva_once_graded(tmp_path):
    viva = {"a": [{"question": "q1", "score": 1.5, "max": 2.0, "comment": None},
                  {"question": "q2", "score": 2.0, "max": 2.0, "comment": None}],
            "b": [{"question": "q1", "score": None, "max": 2.0, "comment": None}]}
    page = write_class_report([student("a"), student("b")], tmp_path, 0.95, viva).read_text()
    assert "Viva: 1 graded, mean 3.5 of 4." in page


def test_class_report_escapes_what_students_wrote(tmp_path):
    hostile = Result(student="x", assignment="mnist_ann", kit_version="t", content_hash="h",
                     problem="<script>alert(1)</script>")
    page = write_class_report([hostile], tmp_path, 0.95).read_text()
    assert "<script>" not in page and "&lt;script&gt;" in page


def test_a_damaged_result_is_a_plain_error_that_says_what_to_do(results_dir):
    from autograder.errors import KitError

    with pytest.raises(KitError, match="cy/result.json is damaged.*delete it"):
        Result.read(results_dir / "cy" / "result.json")


def test_a_class_report_drawn_from_the_same_results_is_not_drawn_again(tmp_path):
    results = [student("a", measured_accuracy=0.97), student("b", measured_accuracy=0.91)]
    page = write_class_report(results, tmp_path, 0.95)
    page.write_text(page.read_text().replace("trained networks", "kept"))
    assert "kept" in class_of(*results, tmp_path=tmp_path)
    assert "kept" not in write_class_report(results, tmp_path, 0.96).read_text()  # a new threshold: drawn anew


def test_class_report_and_feedback_page_forbid_every_script_by_their_policy(tmp_path):
    from autograder.reports.feedback_page import write_feedback_page
    from autograder.reports.pages import CONTENT_SECURITY_POLICY

    hostile = Result(student="x", assignment="mnist_ann", kit_version="t", content_hash="h", problem="<b>x</b>")
    (tmp_path / "class").mkdir()
    for page in (write_class_report([hostile], tmp_path / "class", 0.95), write_feedback_page(hostile, tmp_path, 0.95)):
        head = page.read_text().split("</head>")[0]
        assert '<meta http-equiv="Content-Security-Policy"' in head, page.name
        assert "script-src &#39;none&#39;" in head and "default-src &#39;none&#39;" in head
    assert "'unsafe-inline'" not in CONTENT_SECURITY_POLICY.split("style-src")[0], "no inline script allowed"
