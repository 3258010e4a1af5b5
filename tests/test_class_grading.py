"""Grading a class: every student gets an outcome, no one's affects another's, nbgrader agrees."""

import io
import subprocess
import sys
import zipfile

import pytest
from conftest import needs_sandbox
from fixtures.submissions import HOSTILE, MISTAKES, edited
from rich.console import Console

from autograder import batch, notebooks
from autograder.grade_command import grade_command
from autograder.release import copy_course, release, with_venv_on_path
from autograder.sandbox import Limits
from autograder.settings import Settings

pytestmark = needs_sandbox


@pytest.fixture(scope="module")
def course(settings, tmp_path_factory):
    root = tmp_path_factory.mktemp("course")
    copy_course(settings, root)
    release(settings, course_root=root)
    return root


@pytest.fixture(scope="module")
def course_settings(course):
    return Settings(course_root=course, limits=Limits(wall_seconds=45))


def hand_in(course, student, nb=None, text=None):
    folder = course / "submitted" / student / "mnist_ann"
    folder.mkdir(parents=True)
    if nb is not None:
        notebooks.write(nb, folder / "mnist_ann.ipynb")
    else:
        (folder / "mnist_ann.ipynb").write_text(text)


def grade_quietly(settings, **options):
    return {r.student: r for r in grade_command(settings, None, None, 2, False, console=Console(file=io.StringIO()),
                                                **options)}


@pytest.fixture(scope="module")
def graded(course, course_settings, reference_nb):
    hand_in(course, "alice", reference_nb)
    hand_in(course, "bob", edited(reference_nb, *HOSTILE["loops_forever"]))
    hand_in(course, "carol", text="this is not a notebook")
    hand_in(course, "dave", edited(reference_nb, MISTAKES["one_epoch"].edit))
    return grade_quietly(course_settings)


def gradebook_scores(course) -> dict[str, float]:
    from nbgrader.api import Gradebook

    with Gradebook(f"sqlite:///{course / 'gradebook.db'}", "dlt-mnist") as gb:
        return {s.student.id: s.score for s in gb.assignment_submissions("mnist_ann")}


def test_every_student_gets_a_recorded_outcome(graded):
    assert sorted(graded) == ["alice", "bob", "carol", "dave"]
    assert graded["bob"].limits_hit == ["wall clock (45 s)"]
    assert "not a valid Jupyter notebook" in graded["carol"].problem


def test_a_broken_or_hostile_submission_costs_no_one_else(graded):
    assert graded["alice"].score == 16
    assert {check.cell for check in graded["dave"].failed} == {"check_train_model"}


def test_the_gradebook_holds_the_kits_scores(graded, course):
    assert gradebook_scores(course) == {student: result.score for student, result in graded.items()}


def test_nbgrader_autograde_on_its_own_gives_the_same_scores(graded, course):
    """A real regrade into empty results (bob's endless loop and carol's unreadable file left out)."""
    fresh = {**with_venv_on_path(), "AUTOGRADER_RESULTS_ROOT": str(course / "fresh_results")}
    done = subprocess.run([sys.executable, "-m", "nbgrader", "autograde", "mnist_ann", "--force",
                           "--CourseDirectory.student_id_exclude=bob,carol"], cwd=course,
                          capture_output=True, text=True, env=fresh)
    assert done.returncode == 0, done.stderr[-2000:]
    regraded = sorted(p.parent.name for p in (course / "fresh_results" / "mnist_ann").glob("*/result.json"))
    assert regraded == ["alice", "dave"]  # graded afresh, not read back from the kit's stored results
    assert gradebook_scores(course) == {student: result.score for student, result in graded.items()}


def test_a_regrade_keeps_manual_viva_grades(graded, course, course_settings):
    from nbgrader.api import Gradebook

    url = f"sqlite:///{course / 'gradebook.db'}"
    with Gradebook(url, "dlt-mnist") as gb:
        gb.find_grade("answer_q1", "mnist_ann", "mnist_ann", "alice").manual_score = 2
        gb.db.commit()
    grade_quietly(course_settings)
    with Gradebook(url, "dlt-mnist") as gb:
        assert gb.find_grade("answer_q1", "mnist_ann", "mnist_ann", "alice").manual_score == 2
        assert gb.find_submission("mnist_ann", "alice").score == 18


def test_loose_files_from_an_lms_are_imported_under_their_file_names(tmp_path, course_settings):
    settings = course_settings.model_copy(update={"course_root": tmp_path})
    bundle = tmp_path / "export.zip"
    with zipfile.ZipFile(bundle, "w") as archive:
        archive.writestr("Eve Smith.ipynb", "{}")
        archive.writestr("../../escape/frank.ipynb", "{}")
    imported = batch.import_loose(bundle, settings)
    assert sorted(s.student for s in imported) == ["Eve_Smith", "frank"]
    assert all(s.path.is_file() for s in imported)
    assert not list(tmp_path.parent.rglob("escape"))  # the "../../" member was written by its base name only


def test_feedback_shows_the_verdicts_but_not_the_hidden_tests(graded, course_settings, course):
    from autograder.demo import feedback

    feedback(course_settings)
    page = (course / "feedback" / "dave" / "mnist_ann" / "mnist_ann.html").read_text()
    assert "train_model() trains for 1 epoch(s); use 10" in page
    assert "HIDDEN TESTS" not in page and "default_rng(1)" not in page


def test_nbgrader_export_lists_the_same_scores(graded, course):
    import csv

    done = subprocess.run([sys.executable, "-m", "nbgrader", "export"], cwd=course, capture_output=True, text=True,
                          env=with_venv_on_path())
    assert done.returncode == 0, done.stderr[-1500:]
    rows = {row["student_id"]: float(row["score"]) for row in csv.DictReader(open(course / "grades.csv"))}
    assert rows == gradebook_scores(course)  # auto scores, plus any manual viva grades
    assert rows["bob"] == graded["bob"].score and rows["dave"] == graded["dave"].score


def test_two_files_that_would_be_one_student_are_refused(tmp_path, course_settings):
    from autograder.errors import KitError

    settings = course_settings.model_copy(update={"course_root": tmp_path})
    bundle = tmp_path / "export.zip"
    with zipfile.ZipFile(bundle, "w") as archive:
        archive.writestr("Eve Smith.ipynb", "{}")
        archive.writestr("Eve_Smith.ipynb", "{}")
    with pytest.raises(KitError, match="would be graded as the same student.*Eve_Smith"):
        batch.import_loose(bundle, settings)
    assert not (tmp_path / "submitted").exists()


def test_a_zipped_submission_keeps_its_own_time_for_lateness(tmp_path, course_settings):
    settings = course_settings.model_copy(update={"course_root": tmp_path})
    bundle = tmp_path / "export.zip"
    with zipfile.ZipFile(bundle, "w") as archive:
        archive.writestr(zipfile.ZipInfo("ann.ipynb", date_time=(2026, 3, 1, 9, 30, 0)), "{}")
    (submission,) = batch.import_loose(bundle, settings)
    stamp = (submission.path.parent / "timestamp.txt").read_text()
    local = __import__("datetime").datetime(2026, 3, 1, 9, 30).astimezone(__import__("datetime").timezone.utc)
    assert stamp.startswith(local.strftime("%Y-%m-%d %H:%M:%S"))
