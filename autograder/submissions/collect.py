"""The submissions to grade, in nbgrader's submitted/ layout (wherever the course puts it)."""

from dataclasses import dataclass
from pathlib import Path
from typing import Callable

from ..errors import KitError
from ..settings import Settings


@dataclass(frozen=True)
class Submission:
    student: str
    path: Path


def submission_of(settings: Settings, student: str) -> Submission:
    return Submission(student, settings.notebook_in("submitted", student))


# Formgrader prints a student's id into its pages as it is, unescaped: an id holding any of these
# would be markup there, run in the instructor's browser.
MARKUP = set("<>&\"'`")


def submitted(settings: Settings, skipped: Callable[[str], None] = lambda name: None) -> list[Submission]:
    """One submission per student folder that holds this assignment; a folder whose name could be
    markup in formgrader is left out (and named to `skipped`)."""
    root = settings.course_folder("submitted")
    if not root.is_dir():
        raise KitError(f"There is no {root}: collect submissions with `nbgrader collect {settings.assignment}`, "
                       "or grade a folder or zip of notebooks with --from")
    students = sorted(folder.name for folder in root.iterdir() if settings.course_path("submitted", folder.name).is_dir())
    for student in [student for student in students if MARKUP & set(student) or not student.isprintable()]:
        skipped(student)
        students.remove(student)
    return [submission_of(settings, student) for student in students]
