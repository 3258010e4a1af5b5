"""Grading one submission: what each kind of submission scores, and what is recorded."""

import json

import pytest
from conftest import needs_sandbox
from fixtures.submissions import HOSTILE, MISTAKES, VARIANTS, Edit, edited, reads

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


def test_reference_scores_full_marks_on_the_full_data(grade_nb, reference_nb, mnist, tmp_path_factory):
    result = grade_nb(reference_nb, data=mnist)
    assert [check.message for check in result.failed] == []
    assert result.score == result.max_score == 16
    assert result.measured_accuracy >= 0.95


def test_blank_release_scores_zero_without_a_crash(grade_nb, settings):
    result = grade_nb(settings.release_notebook)
    assert result.score == 0 and result.problem is None
    messages = {check.cell: check.message for check in result.failed}
    assert messages["check_normalize"].startswith("normalize() is not written yet")


def test_a_file_that_is_not_a_notebook_is_recorded_with_a_clear_message(grade_nb, tmp_path):
    broken = tmp_path / "broken.ipynb"
    broken.write_text('{"cells": [')
    result = grade_nb(broken)
    assert result.score == 0 and "is not a valid Jupyter notebook" in result.problem


@pytest.mark.parametrize("name", sorted(MISTAKES))
def test_mistake_loses_exactly_the_points_of_its_check(name, grade_nb, reference_nb):
    mistake = MISTAKES[name]
    result = grade_nb(edited(reference_nb, mistake.edit))
    assert failed_cells(result) == {mistake.check}
    lost = sum(check.points for check in result.failed if check.cell == mistake.check)
    assert 0 < lost <= result.cell_points[mistake.check]


def test_endless_loop_hits_the_wall_clock_and_keeps_its_earlier_points(grade_nb, reference_nb):
    result = grade_nb(edited(reference_nb, *HOSTILE["loops_forever"]), wall_seconds=30)
    assert result.limits_hit == ["wall clock (30 s)"]
    assert {"check_normalize", "check_flatten", "check_one_hot", "check_build_model"}.isdisjoint(failed_cells(result))


def test_memory_exhaustion_is_recorded(grade_nb, reference_nb):
    result = grade_nb(edited(reference_nb, *HOSTILE["exhausts_memory"]), memory_bytes=1 << 30)
    assert result.limits_hit == ["memory (1024 MiB)"]
    assert "check_normalize" not in failed_cells(result)


def test_a_run_cannot_fill_the_disk_or_its_inodes(grade_nb, reference_nb, tmp_path):
    fill = Edit("label_encoding", 'LABEL_ENCODING = "one_hot"', """LABEL_ENCODING = "one_hot"
import os
written = files = 0
try:
    while written < 1 << 30:
        with open(f"filler{files}", "wb") as out:
            out.write(bytes(1 << 20))
        written, files = written + (1 << 20), files + 1
except OSError as error:
    print("stopped:", error.strerror, "after", written >> 20, "MiB")
for index in range(files):
    os.remove(f"filler{index}")
created = 0
try:
    while created < 100_000:
        open(f"empty{created}", "w").close()
        created += 1
except OSError as error:
    print("stopped:", error.strerror, "after", created, "files")
for index in range(created):
    os.remove(f"empty{index}")""")
    result = grade_nb(edited(reference_nb, fill), workdir_bytes=200 << 20, workdir_files=3000)
    output = (tmp_path / "results" / "mnist_ann" / "student" / "run" / "output.log").read_text()
    assert "stopped: No space left on device after" in output
    mib = int(output.split("stopped: No space left on device after ")[1].split()[0])
    files = int(output.split("stopped: No space left on device after ")[2].split()[0])
    assert mib < 200 and files < 3000
    assert failed_cells(result) == set()  # it cleaned up after itself: the rest of the run went on


def test_os_exit_ends_the_run_and_costs_the_accuracy_only(grade_nb, reference_nb):
    result = grade_nb(edited(reference_nb, *HOSTILE["calls_os_exit"]))
    assert result.exit_code == 3 and failed_cells(result) == set()  # the definitions are probed on their own
    assert result.measured_accuracy is None


def test_sys_exit_is_an_error_in_its_cell_only(grade_nb, reference_nb):
    result = grade_nb(edited(reference_nb, *HOSTILE["calls_sys_exit"]))
    assert result.cell_errors["label_encoding"].startswith("SystemExit")
    assert failed_cells(result) <= {"check_labels_match_loss"}


def test_faking_keras_accuracy_does_not_change_the_measured_accuracy(grade_nb, reference_nb):
    result = grade_nb(edited(reference_nb, *HOSTILE["fakes_keras_accuracy"]))
    assert result.measured_accuracy < 0.99
    assert "check_evaluate_model" in failed_cells(result)


def test_hard_coded_results_fail_the_checks_that_probe_them(grade_nb, reference_nb):
    result = grade_nb(edited(reference_nb, *HOSTILE["hard_codes_results"]))
    assert failed_cells(result) == {"check_evaluate_model", "check_confusion_matrix", "check_split_sizes"}


def test_tensorflow_warnings_cost_no_points(grade_nb, reference_nb, tmp_path):
    result = grade_nb(edited(reference_nb, *VARIANTS["flatten_with_input_shape_as_in_the_seed"]))
    output = (tmp_path / "results" / "mnist_ann" / "student" / "run" / "output.log").read_text()
    assert "UserWarning: Do not pass an `input_shape`" in output
    assert failed_cells(result) == set()


@pytest.mark.parametrize("target", ["reference solution", "MNIST"])
def test_reading_outside_the_workdir_fails_in_the_students_own_cell(grade_nb, reference_nb, settings, mnist, target):
    path = mnist if target == "MNIST" else settings.solutions_dir / "reference.py"
    result = grade_nb(edited(reference_nb, reads(path)))
    assert result.cell_errors["label_encoding"].startswith(("FileNotFoundError", "PermissionError"))


def test_numpy_integers_from_split_sizes_count_as_whole_numbers(grade_nb, reference_nb):
    numpy_ints = Edit("split_sizes", "return n_train, n_images - n_train", "return np.int64(n_train), np.int64(n_images - n_train)")
    assert failed_cells(grade_nb(edited(reference_nb, numpy_ints))) == set()


def test_an_older_nbformat_4_minor_version_is_read(grade_nb, reference_nb):
    old = edited(reference_nb, MISTAKES["no_legend"].edit)
    old.nbformat_minor = 2
    for cell in old.cells:
        cell.pop("id", None)
    assert failed_cells(grade_nb(old)) == {"check_plot_history"}


def test_an_edited_check_cell_is_restored_and_recorded(grade_nb, reference_nb):
    tampered = edited(reference_nb, MISTAKES["no_scaling"].edit)
    notebooks.cell_by_id(tampered, "check_normalize").source = "pass  # nothing to see"
    result = grade_nb(tampered)
    assert result.altered_cells == ["check_normalize"]
    assert failed_cells(result) == {"check_normalize"}


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
