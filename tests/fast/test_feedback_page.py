"""Each student's own page: their score per step, what to fix, their curves, the grader's confusion
matrix and measured accuracy, why a run stopped, their viva grades."""

from autograder.grading.result import CheckResult, Result
from autograder.reports.feedback_page import write_feedback_page

HISTORY = {"accuracy": [0.9, 0.95], "val_accuracy": [0.94, 0.96], "loss": [0.3, 0.1], "val_loss": [0.2, 0.15]}


def page_of(tmp_path, viva=None, **fields) -> str:
    checks = [CheckResult(check="test_optimizer_is_adam", cell="check_compile_model", points=1, passed=False,
                          message="compile_model() uses SGD: use keras.optimizers.Adam()"),
              CheckResult(check="test_layer_sizes", cell="check_build_model", points=2, passed=True)]
    result = Result(student="ann", assignment="mnist_ann", kit_version="t", content_hash="0123456789abcdef",
                    checks=checks, cell_points={"check_build_model": 2.0, "check_compile_model": 1.0}, **fields)
    return write_feedback_page(result, tmp_path, 0.95, viva).read_text()


def test_the_page_gives_each_steps_points_and_what_to_fix(tmp_path):
    page = page_of(tmp_path)
    assert "2 of 3 points" in page
    assert "build model</td><td class=\"num\">2 / 2" in page and "compile model</td><td class=\"num\">0 / 1" in page
    assert "use keras.optimizers.Adam()" in page and "layer sizes" in page


def test_the_page_shows_the_students_curves_and_the_graders_confusion_matrix(tmp_path):
    page = page_of(tmp_path, history=HISTORY, confusion_matrix=[[10 * (i == j) for j in range(10)] for i in range(10)],
                   measured_accuracy=0.9731)
    assert page.count('src="data:image/png;base64,') == 2
    assert "97.31%" in page and "at least 95%" in page


def test_without_a_trained_network_there_are_no_figures(tmp_path):
    page = page_of(tmp_path)
    assert "data:image/png" not in page and "Your training" not in page


def test_a_limit_names_itself_the_cell_and_what_to_change(tmp_path):
    page = page_of(tmp_path, limits_hit=["wall clock (900 s)"], run_finished=False,
                   stopped_in="code cell 14 (run_train_model): history = train_model(model)")
    assert "stopped your notebook at its wall clock (900 s) limit while code cell 14 (run_train_model)" in page
    assert "loop that never ends" in page


def test_viva_grades_and_comments_are_shown_once_given(tmp_path):
    viva = [{"question": "answer q1", "score": 1.5, "max": 2.0, "comment": "say why ReLU helps"},
            {"question": "answer q2", "score": None, "max": 2.0, "comment": None}]
    page = page_of(tmp_path, viva=viva)
    assert "say why ReLU helps" in page and "not graded yet" in page and "1.5 of 4 for the viva answers" in page


def test_the_page_escapes_what_students_wrote(tmp_path):
    page = page_of(tmp_path, problem="<img src=x onerror=alert(1)>")
    assert "<img src=x" not in page and "&lt;img src=x" in page


def test_an_import_the_grader_cannot_satisfy_is_named_as_such(tmp_path):
    page = page_of(tmp_path, cell_errors={"run_confusion_matrix": "ModuleNotFoundError: No module named 'plotly'"})
    assert "The grader has no module &#39;plotly&#39;: it offers numpy, pandas, matplotlib, seaborn" in page


def test_a_page_drawn_from_the_same_result_is_not_drawn_again(tmp_path):
    page_of(tmp_path, history=HISTORY)
    page = tmp_path / "results.html"
    page.write_text(page.read_text().replace("Step by step", "kept"))
    assert "kept" in page_of(tmp_path, history=HISTORY)
    assert "Step by step" in page_of(tmp_path, history=HISTORY, measured_accuracy=0.97)  # a new result: drawn anew
