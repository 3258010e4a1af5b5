"""`python -m autograder init DIR`: a new course from the kit, so that one install serves many courses."""

from pathlib import Path

from ..authoring.release import release
from ..course.nbgrader_commands import copy_course
from ..errors import KitError
from ..settings import Settings


def init_course(settings: Settings, folder: Path) -> Path:
    """source/, solutions/ and nbgrader_config.py copied from `settings`' course, and the student
    notebook released (nbgrader's generate_assignment, which also enters it in the gradebook)."""
    folder = folder.resolve()
    if folder.exists() and any(folder.iterdir()):
        raise KitError(f"{folder} is not empty: give init a new folder (nothing there is changed).")
    copy_course(settings, folder)
    release(settings, course_root=folder)
    return folder
