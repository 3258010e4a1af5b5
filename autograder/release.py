"""Generate the student version (release/) with nbgrader's own generate_assignment."""

import os
import subprocess
import sys
from pathlib import Path

from .errors import KitError
from .settings import Settings


def release(settings: Settings, course_root: Path | None = None) -> Path:
    """Run `nbgrader generate_assignment` in the course directory; return the release folder."""
    root = course_root or settings.course_root
    done = subprocess.run(
        [sys.executable, "-m", "nbgrader", "generate_assignment", settings.assignment,
         "--force", "--log-level=WARN", f"--CourseDirectory.root={root}"],
        cwd=root, capture_output=True, text=True, env=with_venv_on_path(),
    )
    if done.returncode != 0:
        raise KitError(f"nbgrader generate_assignment failed; its last words:\n{done.stderr.strip()[-2000:]}\n"
                       "Fix what it names (often a cell's nbgrader metadata in the source notebook) and run it again.")
    return root / "release" / settings.assignment


def with_venv_on_path() -> dict[str, str]:
    """nbgrader runs `alembic` by name, so this interpreter's bin/ must be on PATH."""
    return {**os.environ, "PATH": os.pathsep.join([os.path.dirname(sys.executable), os.environ.get("PATH", "")])}
