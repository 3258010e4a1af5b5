"""nbgrader's own commands, run in a course directory, and setting up a course beside this one."""

import os
import shutil
import subprocess
import sys
from pathlib import Path

from ..errors import KitError
from ..settings import Settings, course_directory


def nbgrader(root: Path, *args: str, advice: str = "") -> None:
    """Run one nbgrader command in the course at `root`; a failure is a KitError quoting nbgrader."""
    done = subprocess.run([sys.executable, "-m", "nbgrader", *args, "--log-level=WARN",
                           f"--CourseDirectory.root={root}"],
                          cwd=root, capture_output=True, text=True, env=with_venv_on_path())
    if done.returncode != 0:
        raise KitError(f"nbgrader {args[0]} failed; its last words:\n{done.stderr.strip()[-2000:]}\n{advice}".strip())


def with_venv_on_path() -> dict[str, str]:
    """nbgrader runs `alembic` by name, so this interpreter's bin/ must be on PATH."""
    here, path = os.path.dirname(sys.executable), os.environ.get("PATH", "")
    return {**os.environ, "PATH": path if here in path.split(os.pathsep) else os.pathsep.join([here, path])}


def copy_course(settings: Settings, into: Path) -> Path:
    """A new course at `into` with this one's source/, solutions/ and nbgrader_config.py."""
    shutil.rmtree(into, ignore_errors=True)
    for folder in (course_directory(settings.course_root).source_directory, "solutions"):
        shutil.copytree(settings.course_root / folder, into / folder)
    shutil.copy(settings.course_root / "nbgrader_config.py", into)
    return into
