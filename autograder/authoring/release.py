"""Generate the student version (release/) with nbgrader's own generate_assignment."""

from pathlib import Path

from ..course.nbgrader_commands import nbgrader
from ..settings import Settings


def release(settings: Settings, course_root: Path | None = None) -> Path:
    """Run `nbgrader generate_assignment` in the course directory; return the release folder."""
    target = settings.model_copy(update={"course_root": course_root}) if course_root else settings
    nbgrader(target.course_root, "generate_assignment", settings.assignment, "--force",
             advice="Fix what it names (often a cell's nbgrader metadata in the source notebook) and run it again.")
    return target.course_path("release")
