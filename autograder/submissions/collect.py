"""The submissions to grade, in nbgrader's submitted/ layout (wherever the course puts it)."""

from dataclasses import dataclass
from pathlib import Path

from ..errors import KitError
from ..settings import Settings


@dataclass(frozen=True)
class Submission:
    student: str
    path: Path


def submission_of(settings: Settings, student: str) -> Submission:
    return Submission(student, settings.notebook_in("submitted", student))


def submitted(settings: Settings) -> list[Submission]:
    """One submission per student folder that holds this assignment."""
    root = settings.course_folder("submitted")
    if not root.is_dir():
        raise KitError(f"There is no {root}: collect submissions with `nbgrader collect {settings.assignment}`, "
                       "or grade a folder or zip of notebooks with --from")
    students = sorted(folder.name for folder in root.iterdir() if settings.course_path("submitted", folder.name).is_dir())
    return [submission_of(settings, student) for student in students]
