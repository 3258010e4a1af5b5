"""Grading one submission: full marks on the full data, what is recorded, what is re-run.

(What each kind of submission scores, hostile ones included, is the corpus: test_corpus.py.)"""

import json

import pytest
from markers import needs_sandbox
from fixtures.submissions import MISTAKES, Edit, edited

from autograder.course import notebooks
from autograder.checks.runner import CHECKS
from autograder.course.notebooks import cell_points
from autograder.grading.submission import Grading, grade, rejudge
from autograder.settings import Limits
from autograder.settings import Settings

pytestmark = needs_sandbox
ACCURACY = "check_test_accuracy"  # on the small training slice no submission reaches the threshold


@pytest.fixture(scope="module")
def release(settings):
    return notebooks.read(settings.release_notebook)


@pytest.fixture
def grade_nb(tmp_path, small_mnist, release):
    """Grade a notebook (or a raw file) on the small training slice; results in tmp_path."""

    def run(nb_or_path, data=None, **limits):
        path = nb_or_path
        if not hasattr(nb_or_path, "exists"):
            path = tmp_path / "submission.ipynb"
            notebooks.write(nb_or_path, path)
        settings = Settings(results_root=tmp_path / "results", limits=Limits(**limits))
        return grade(path, "student", Grading(settings, data or small_mnist, release))

    return run


def failed_cells(result) -> set[str]:
    return {check.cell for check in result.failed} - {ACCURACY}


def test_numpy_integers_from_split_sizes_count_as_whole_numbers(grade_nb, reference_nb):
    numpy_ints = Edit("split_sizes", "return n_train, n_images - n_train", "return np.int64(n_train), np.int64(n_images - n_train)")
    assert failed_cells(grade_nb(edited(reference_nb, numpy_ints))) == set()


def test_an_older_nbformat_4_minor_version_is_read(grade_nb, reference_nb):
    old = edited(reference_nb, MISTAKES["no_legend"].edit)
    old.nbformat_minor = 2
    for cell in old.cells:
        cell.pop("id", None)
    assert failed_cells(grade_nb(old)) == {"check_plot_history"}


def test_an_unchanged_submission_is_not_run_again(grade_nb, reference_nb, tmp_path):
    first = grade_nb(edited(reference_nb, MISTAKES["one_epoch"].edit))
    run_log = tmp_path / "results" / "mnist_ann" / "student" / "run" / "output.log"
    stamp = run_log.stat().st_mtime_ns
    assert grade_nb(edited(reference_nb, MISTAKES["one_epoch"].edit)) == first
    assert run_log.stat().st_mtime_ns == stamp


def test_rejudge_reruns_only_the_checks_on_stored_records(grade_nb, reference_nb, tmp_path, settings):
    grade_nb(edited(reference_nb, MISTAKES["no_legend"].edit))
    run_log = tmp_path / "results" / "mnist_ann" / "student" / "run" / "output.log"
    stamp = run_log.stat().st_mtime_ns
    stricter = json.loads((settings.solutions_dir / "expectations.json").read_text())
    stricter["fit"]["epochs"] = 12
    solutions = tmp_path / "solutions" / "mnist_ann"
    solutions.mkdir(parents=True)
    (solutions / "expectations.json").write_text(json.dumps(stricter))
    rejudged = rejudge("student", Settings(results_root=tmp_path / "results", course_root=tmp_path))
    assert "check_train_model" in failed_cells(rejudged)
    assert run_log.stat().st_mtime_ns == stamp


def test_checks_share_out_exactly_each_cells_points(settings, release):
    import ast

    points: dict[str, float] = {}
    for module in CHECKS.glob("test_*.py"):
        for node in ast.walk(ast.parse(module.read_text())):
            if isinstance(node, ast.Call) and getattr(node.func, "attr", "") == "points":
                cell, value = (arg.value for arg in node.args)
                points[cell] = points.get(cell, 0) + value
    assert points == cell_points(release)
