"""Grading a class: every student gets an outcome, no one's affects another's, nbgrader agrees."""

import io
import subprocess
import sys

import pytest
from markers import needs_sandbox
from fixtures.submissions import HOSTILE, MISTAKES, PRACTICAL_SNIPPETS, edited
from rich.console import Console

from autograder.course import notebooks
from autograder.commands.grade import grade_command
from autograder.authoring.release import release
from autograder.course.nbgrader_commands import copy_course, with_venv_on_path
from autograder.settings import Limits
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
    # CPU time, not the wall clock, stops bob's endless loop: a loaded machine slows alice, never fails her.
    return Settings(course_root=course, limits=Limits(cpu_seconds=40))


def hand_in(course, student, nb=None, text=None):
    folder = course / "submitted" / student / "mnist_ann"
    folder.mkdir(parents=True)
    if nb is not None:
        notebooks.write(nb, folder / "mnist_ann.ipynb")
    else:
        (folder / "mnist_ann.ipynb").write_text(text)


def grade_quietly(settings, **options):
    return {r.student: r for r in grade_command(settings, workers=2, console=Console(file=io.StringIO()),
                                                **options)}


@pytest.fixture(scope="module")
def graded(course, course_settings, reference_nb):
    hand_in(course, "alice", edited(reference_nb, *PRACTICAL_SNIPPETS))  # correct, in the practical's own words
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
    assert graded["bob"].limits_hit == ["CPU time (40 s)"]
    assert "not a valid Jupyter notebook" in graded["carol"].problem


def test_a_broken_or_hostile_submission_costs_no_one_else(graded):
    assert graded["alice"].score == 16
    # one epoch lands near the threshold (95.05 % measured): its accuracy may go either way
    assert "check_train_model" in {check.cell for check in graded["dave"].failed}
    assert {check.cell for check in graded["dave"].failed} <= {"check_train_model", "check_test_accuracy"}


def test_the_practicals_own_snippets_pasted_into_the_steps_score_full_marks(graded):
    assert {check.check: check.message for check in graded["alice"].failed} == {}
    assert graded["alice"].score == 16


def test_grade_writes_the_grades_the_class_report_and_gradescopes_files(graded, course):
    import csv

    rows = {row["student"]: row for row in csv.DictReader(open(course / "reports" / "grades.csv"))}
    assert sorted(rows) == sorted(graded)
    assert "alice" in (course / "reports" / "class_report.html").read_text()
    assert (course / "results" / "mnist_ann" / "dave" / "gradescope_results.json").is_file()


def test_the_gradebook_holds_the_kits_scores(graded, course):
    assert gradebook_scores(course) == {student: result.score for student, result in graded.items()}


def test_nbgrader_autograde_on_its_own_gives_the_same_scores(graded, course):
    """A real regrade into empty results, of dave (one epoch: the quickest to train)."""
    fresh = {**with_venv_on_path(), "AUTOGRADER_RESULTS_ROOT": str(course / "fresh_results")}
    done = subprocess.run([sys.executable, "-m", "nbgrader", "autograde", "mnist_ann", "--force",
                           "--CourseDirectory.student_id=dave"], cwd=course,
                          capture_output=True, text=True, env=fresh)
    assert done.returncode == 0, done.stderr[-2000:]
    regraded = sorted(p.parent.name for p in (course / "fresh_results" / "mnist_ann").glob("*/result.json"))
    assert regraded == ["dave"]  # graded afresh, not read back from the kit's stored results
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


def test_nbgraders_feedback_shows_the_verdicts_and_the_checks_the_grader_runs(graded, course):
    page = (course / "feedback" / "dave" / "mnist_ann" / "mnist_ann.html").read_text()
    assert "train_model() trains for 1 epoch(s); use 10" in page
    assert "What the grader checks here" in page and "HIDDEN TESTS" not in page


def test_nbgrader_export_lists_the_same_scores(graded, course):
    import csv

    done = subprocess.run([sys.executable, "-m", "nbgrader", "export"], cwd=course, capture_output=True, text=True,
                          env=with_venv_on_path())
    assert done.returncode == 0, done.stderr[-1500:]
    rows = {row["student_id"]: float(row["score"]) for row in csv.DictReader(open(course / "grades.csv"))}
    assert rows == gradebook_scores(course)  # auto scores, plus any manual viva grades
    assert rows["bob"] == graded["bob"].score and rows["dave"] == graded["dave"].score
