"""Put the results into nbgrader's gradebook through nbgrader's own autograde (one writer).

Its first preprocessor (see nbgrader_config.py) reads the stored results, so this
step runs no student code; it writes autograded/ and the gradebook, and keeps
manual grades (the viva answers) as nbgrader always does. A file nbgrader cannot
read gets zeros, as nbgrader gives a missing notebook; the file itself is kept.
"""

import hashlib
import os
import tempfile
import warnings
from dataclasses import dataclass, field

from nbgrader.api import Gradebook, MissingEntry
from sqlalchemy.exc import SAWarning

from ..course import notebooks
from ..course.nbgrader_commands import nbgrader, with_venv_on_path
from ..errors import KitError
from ..grading.result import Result
from ..settings import Settings, course_directory
from .preprocessor import verdict


ENTERED = "in_gradebook.txt"  # beside a result: the digest of the result last entered (its timings aside)


@dataclass
class GradebookUpdate:
    problems: list[str] = field(default_factory=list)  # a line per student nbgrader failed on (given zeros)
    entered: list[str] = field(default_factory=list)  # students whose scores were (re)entered
    unchanged: list[str] = field(default_factory=list)  # already there exactly as stored: left alone


def update_gradebook(settings: Settings, results: list[Result], autograde_all=None) -> GradebookUpdate:
    """Each student's scores into the gradebook, unless this very result is there already (an
    unchanged re-run then costs no nbgrader process). When nbgrader fails on one student, that
    student gets zeros and a line in `problems`, and the class goes on."""
    autograde_all, update = autograde_all or autograde, GradebookUpdate()
    if results:
        learn_assignment(settings)
        register_students(settings, [result.student for result in results])
    present, digests, readable = students_with_submissions(settings), {}, []
    for result in results:
        digests[result.student] = digest = hashlib.sha256(result.model_dump_json(exclude={"seconds"}).encode()).hexdigest()
        entered = settings.results_dir / result.student / ENTERED
        if result.student in present and entered.is_file() and entered.read_text() == digest \
                and settings.notebook_in("autograded", result.student).is_file():
            update.unchanged.append(result.student)
        elif result.problem:
            record_zeros(settings, result.student)
            autograded_in_its_place(settings, result)
            update.entered.append(result.student)
        else:
            readable.append(result.student)
    failed = autograde_all(settings, readable) if readable else {}
    for student in readable:
        if student in failed:
            update.problems.append(f"{student}: {failed[student]}")
            record_zeros(settings, student)
        else:
            update.entered.append(student)
    for student in update.entered:
        if (settings.results_dir / student).is_dir():
            (settings.results_dir / student / ENTERED).write_text(digests[student])
    return update


def students_with_submissions(settings: Settings) -> set[str]:
    with open_gradebook(settings) as gb:
        try:
            return {submission.student.id for submission in gb.assignment_submissions(settings.assignment)}
        except MissingEntry:
            return set()


def learn_assignment(settings: Settings) -> None:
    """A gradebook that does not know the assignment yet learns it from source/, as nbgrader's
    generate_assignment teaches it; the course's release/ is left as it is."""
    with open_gradebook(settings) as gb:
        try:
            gb.find_assignment(settings.assignment)
            return
        except MissingEntry:
            pass
    with tempfile.TemporaryDirectory() as scratch:
        nbgrader(settings.course_root, "generate_assignment", settings.assignment, "--force",
                 f"--CourseDirectory.release_directory={scratch}",
                 advice="The gradebook does not know the assignment yet, and nbgrader could not enter it from source/.")


def register_students(settings: Settings, students: list[str]) -> None:
    """Students new to the gradebook are entered under their id (formgrader would show "None, None");
    names an instructor gave are kept."""
    with open_gradebook(settings) as gb:
        for student in students:
            entry = gb.update_or_create_student(student)
            if entry.first_name is None and entry.last_name is None:
                entry.last_name, entry.first_name = student, ""
        gb.db.commit()


def autograde(settings: Settings, students: list[str]) -> dict[str, KitError]:
    """nbgrader's autograde for `students`, in one nbgrader process (the kit's preprocessor enters the
    stored results). nbgrader goes on past a student it fails on and leaves that one no autograded
    notebook; each such student is tried once more alone, for nbgrader's words about that student."""
    for student in students:
        settings.notebook_in("autograded", student).unlink(missing_ok=True)
    try:
        nbgrader(settings.course_root, "autograde", settings.assignment, "--force", "--create",
                 *excluding(settings, "submitted", students))
    except KitError:
        pass  # who failed shows below
    failed = {}
    for student in students:
        if not settings.notebook_in("autograded", student).is_file():
            try:
                nbgrader(settings.course_root, "autograde", settings.assignment, "--force", "--create",
                         f"--student={student}", advice=f"{student}'s results are kept in {settings.results_dir}.")
            except KitError as error:
                failed[student] = error
    return failed


def excluding(settings: Settings, step: str, students: list[str]) -> list[str]:
    """nbgrader's option that leaves out every student in the course's `step` folder but `students`."""
    folder = settings.course_folder(step)
    others = sorted(path.name for path in folder.iterdir() if path.is_dir() and path.name not in students) \
        if folder.is_dir() else []
    return [f"--CourseDirectory.student_id_exclude={','.join(others)}"] if others else []


def generate_feedback(settings: Settings, only: list[str] | None = None) -> None:
    """nbgrader's feedback notebooks (HTML) from the autograded notebooks and the gradebook, for every
    student, or `only` those (one nbgrader process for them all)."""
    if only is not None and not only:
        return
    nbgrader(settings.course_root, "generate_feedback", settings.assignment, "--force",
             *(excluding(settings, "autograded", only) if only is not None else []),
             advice="The kit's own feedback pages are written all the same.")


def open_gradebook(settings: Settings) -> Gradebook:
    """The course's gradebook, located by the course's own nbgrader_config.py. (nbgrader creates a
    missing one with `alembic`, which it runs by name: this interpreter's bin/ goes on PATH.)"""
    os.environ["PATH"] = with_venv_on_path()["PATH"]
    warnings.filterwarnings("ignore", category=SAWarning)  # nbgrader's own, many a line per student: not the user's
    course = course_directory(settings.course_root)
    return Gradebook(course.db_url, course.course_id)


def seconds_late(settings: Settings) -> dict[str, float]:
    """How late each submission was, from nbgrader's timestamps and the due date."""
    with open_gradebook(settings) as gb:
        return {s.student.id: s.total_seconds_late for s in gb.assignment_submissions(settings.assignment)}


def autograded_in_its_place(settings: Settings, result: Result) -> None:
    """A submission nbgrader cannot read gets an autograded notebook all the same: the release with the
    problem under every check cell. Formgrader then shows it graded, with 0 and why, and
    generate_feedback gives the student that page too (the submitted file is kept as it was)."""
    nb = notebooks.read(settings.release_notebook)
    for cell in nb.cells:
        if notebooks.is_self_check(cell):
            cell.outputs = verdict(notebooks.grade_id(cell), result)
    path = settings.notebook_in("autograded", result.student)
    path.parent.mkdir(parents=True, exist_ok=True)
    notebooks.write(nb, path)


def record_zeros(settings: Settings, student: str) -> None:
    with open_gradebook(settings) as gb:
        gb.update_or_create_student(student)
        submission = gb.update_or_create_submission(settings.assignment, student)
        for notebook in submission.notebooks:
            for grade in notebook.grades:
                grade.auto_score, grade.needs_manual_grade = 0, False
        gb.db.commit()
