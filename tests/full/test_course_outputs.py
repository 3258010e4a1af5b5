"""An instructor's whole round, from outside the kit: `init` a new course, `grade` a Mac zip of a
mixed class from an LMS, and read every output. Nothing of the kit checkout is touched."""

import csv
import subprocess
import sys
import zipfile

import nbformat
import pytest
from browser import needs_chromium, render
from conftest import ON_A_SLICE, mnist_slice
from markers import needs_sandbox

from autograder.course import notebooks
from fixtures.submissions import HOSTILE, MISTAKES, edited

pytestmark = needs_sandbox
CLASS = {"adajones": "correct", "bensmith": "sgd", "faylong": "loops", "gusgray": "not a notebook"}


def kit_status(settings) -> dict:
    """Every file (and its time) where grading could write in the kit's own course."""
    root = settings.course_root
    places = [root / name for name in ("submitted", "autograded", "feedback", "reports", "results", "gradebook.db")]
    return {str(path): path.stat().st_mtime for place in places if place.exists()
            for path in ([place] if place.is_file() else place.rglob("*"))}


@pytest.fixture(scope="module")
def course(tmp_path_factory, settings, mnist, reference_nb):
    """A course made by `init`, graded from a Canvas zip made on a Mac; (course folder, grade's output)."""
    root = tmp_path_factory.mktemp("instructor")
    before = kit_status(settings)
    run = [sys.executable, "-m", "autograder"]
    subprocess.run([*run, "init", "lab2"], cwd=root, check=True, capture_output=True, timeout=600)
    course = root / "lab2"
    with open(course / "nbgrader_config.py", "a") as config:  # a looping notebook stops at 30 CPU-s
        config.write('\nc.Autograder.limits = {"cpu_seconds": 30, "probe_cpu_seconds": 30}\n')
    notebooks_of = {"correct": reference_nb, "sgd": edited(reference_nb, MISTAKES["sgd_optimizer"].edit),
                    "loops": edited(reference_nb, *HOSTILE["loops_forever"])}
    with zipfile.ZipFile(root / "submissions.zip", "w") as bundle:
        for number, (student, kind) in enumerate(CLASS.items()):
            name = f"submissions/{student}_{1000 + number}_{5000 + number}_mnist_ann.ipynb"
            text = nbformat.writes(notebooks_of[kind]) if kind in notebooks_of else "sorry, no notebook\n"
            bundle.writestr(name, text)
            bundle.writestr(f"__MACOSX/submissions/._{name.split('/')[1]}", b"\0\5\26\7 Mac resource fork")
        bundle.writestr("submissions/notes.txt", "remember to grade the viva")
    data = mnist_slice(mnist, root / "mnist_slice.npz", 1500)
    done = subprocess.run([sys.executable, "-c", ON_A_SLICE, "--mnist", str(data), "grade", "--from",
                           str(root / "submissions.zip")], cwd=course,
                          capture_output=True, text=True, timeout=2400)
    assert kit_status(settings) == before, "grading a course elsewhere changed the kit checkout"
    return course, done


def test_grade_exits_0_and_prints_where_every_output_is(course):
    folder, done = course
    assert done.returncode == 0, done.stderr[-2000:]
    for output in ("Grades (CSV):", "Class report:", "Feedback:", "Gradescope:", "Autograded notebooks:"):
        assert output in done.stdout
    assert (folder / "reports" / "grades.csv").is_file() and (folder / "reports" / "class_report.html").is_file()
    assert "notes.txt" in done.stdout + done.stderr, "a file that is not a notebook is named, not graded"


def test_every_student_has_a_status_in_the_grades(course):
    rows = {row["student"]: row for row in csv.DictReader(open(course[0] / "reports" / "grades.csv"))}
    assert {student: row["status"] for student, row in rows.items()} == {
        "adajones": "graded", "bensmith": "graded", "faylong": "limit hit", "gusgray": "not a notebook"}
    assert float(rows["gusgray"]["score"]) == 0


def page(course, student: str, name: str = "results.html") -> str:
    return (course[0] / "feedback" / student / "mnist_ann" / name).read_text()


def test_a_correct_students_page_shows_their_curves_confusion_matrix_and_accuracy(course):
    text = page(course, "adajones")
    assert text.count('src="data:image/png;base64,') == 2
    assert "The grader tested your trained network itself, on\nthe 1,000 test images" in text


def test_the_looping_students_page_names_the_limit_and_the_cell(course):
    text = page(course, "faylong")
    assert "at its CPU time (30 s) limit while code cell" in text and "(label_encoding)" in text


def test_nbgraders_feedback_shows_the_students_own_run(course):
    autograded = notebooks.read(course[0] / "autograded" / "adajones" / "mnist_ann" / "mnist_ann.ipynb")
    shown = [output for cell in autograded.cells if cell.cell_type == "code" for output in cell.get("outputs", [])]
    assert any("image/png" in output.get("data", {}) for output in shown), "the student's figures are shown"
    assert any("Epoch 10/10" in output.get("text", "") for output in shown), "the training log is shown"
    assert "### BEGIN HIDDEN TESTS" not in page(course, "adajones", "mnist_ann.html")


def test_a_file_that_is_not_a_notebook_still_gets_feedback_with_its_reason(course):
    assert "is not a valid Jupyter notebook" in page(course, "gusgray", "mnist_ann.html")
    assert "is not a valid Jupyter notebook" in page(course, "gusgray")


@needs_chromium
def test_the_class_report_and_feedback_pages_render_in_a_browser(course, tmp_path):
    for name, path in {"class": course[0] / "reports" / "class_report.html",
                       "correct": course[0] / "feedback" / "adajones" / "mnist_ann" / "results.html",
                       "looping": course[0] / "feedback" / "faylong" / "mnist_ann" / "results.html"}.items():
        shown = render(path, tmp_path / f"{name}.png")
        assert all(image["loaded"] and image["width"] > 100 for image in shown.images), (name, shown.images)
        assert shown.console_errors == [], (name, shown.console_errors)
        assert shown.inked > 0.02, f"{name} rendered nearly blank ({shown.inked:.1%} inked)"


def test_students_are_in_the_gradebook_under_their_ids(course):
    from nbgrader.api import Gradebook

    with Gradebook(f"sqlite:///{course[0] / 'gradebook.db'}", "dlt-mnist") as gb:
        assert {(s.id, s.last_name) for s in gb.students} == {(student, student) for student in CLASS}


def test_report_rewrites_the_outputs_with_the_viva_grades_given_since(course):
    from nbgrader.api import Gradebook

    folder, _ = course
    with Gradebook(f"sqlite:///{folder / 'gradebook.db'}", "dlt-mnist") as gb:
        gb.find_grade("answer_q1", "mnist_ann", "mnist_ann", "adajones").manual_score = 1.5
        gb.find_comment("answer_q1", "mnist_ann", "mnist_ann", "adajones").manual_comment = "Say why it has no weights."
        gb.db.commit()
    done = subprocess.run([sys.executable, "-m", "autograder", "report"], cwd=folder, capture_output=True, text=True,
                          timeout=600)
    assert done.returncode == 0, done.stderr[-2000:]
    assert "Say why it has no weights." in page(course, "adajones") and "1.5 of 10 for the viva answers" in page(course, "adajones")
    assert "Viva: 1 graded, mean 1.5 of 10." in (folder / "reports" / "class_report.html").read_text()


def test_one_student_and_a_rejudge_from_the_command_line_run_no_student_code_again(course):
    folder, _ = course
    run_logs = sorted((folder / "results" / "mnist_ann").glob("*/run/output.log"))
    stamps = [log.stat().st_mtime_ns for log in run_logs]
    for options in (["--student", "adajones"], ["--rejudge"]):
        done = subprocess.run([sys.executable, "-m", "autograder", "grade", "--no-gradebook", *options], cwd=folder,
                              capture_output=True, text=True, timeout=600)
        assert done.returncode == 0, done.stderr[-1500:]
        assert "adajones" in done.stdout and "14 / 16" in done.stdout
        assert ("bensmith" in done.stdout) == (options == ["--rejudge"]), "--student grades that student only"
    assert [log.stat().st_mtime_ns for log in run_logs] == stamps and run_logs


def test_an_unchanged_regrade_remakes_feedback_that_went_missing(course):
    folder, _ = course
    lost = folder / "feedback" / "bensmith" / "mnist_ann" / "mnist_ann.html"
    lost.unlink()
    done = subprocess.run([sys.executable, "-m", "autograder", "grade"], cwd=folder, capture_output=True, text=True,
                          timeout=600)
    assert done.returncode == 0, done.stderr[-1500:]
    assert lost.is_file()
