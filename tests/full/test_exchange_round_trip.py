"""The course works with nbgrader's exchange: release, fetch, submit, collect, then grade."""

import io
import subprocess
import sys
import time
from datetime import datetime, timezone

import pytest
from markers import needs_sandbox
from rich.console import Console

from autograder.commands.grade import grade_command
from autograder.authoring.release import release
from autograder.course.nbgrader_commands import copy_course, with_venv_on_path
from autograder.settings import Settings

pytestmark = needs_sandbox


def nbgrader(*args, cwd, user="instructor", exchange):
    """Run an nbgrader command as `user` would (all share this machine's account)."""
    env = {**with_venv_on_path(), "USER": user, "LOGNAME": user}
    done = subprocess.run([sys.executable, "-m", "nbgrader", *args, f"--Exchange.root={exchange}",
                           "--CourseDirectory.course_id=dlt-mnist", "--log-level=WARN"],
                          cwd=cwd, env=env, capture_output=True, text=True)
    assert done.returncode == 0, done.stderr[-2000:]
    return done


@pytest.fixture(scope="module")
def round_trip(settings, tmp_path_factory):
    course, exchange, homes = (tmp_path_factory.mktemp(name) for name in ("course", "exchange", "homes"))
    exchange.chmod(0o777)
    copy_course(settings, course)
    course_settings = Settings(course_root=course)
    release(course_settings)
    nbgrader("release_assignment", "mnist_ann", cwd=course, exchange=exchange)
    for student in ("amir", "bea"):
        (homes / student).mkdir()
        nbgrader("fetch_assignment", "mnist_ann", cwd=homes / student, user=student, exchange=exchange)
    nbgrader("submit", "mnist_ann", "--student=amir", cwd=homes / "amir", user="amir", exchange=exchange)
    time.sleep(1)
    due = datetime.now(timezone.utc)
    time.sleep(1)
    nbgrader("submit", "mnist_ann", "--student=bea", cwd=homes / "bea", user="bea", exchange=exchange)
    nbgrader("db", "assignment", "add", "mnist_ann", f"--duedate={due:%Y-%m-%d %H:%M:%S.%f} UTC", cwd=course,
             exchange=exchange)
    nbgrader("collect", "mnist_ann", cwd=course, exchange=exchange)
    console = Console(file=io.StringIO(), width=200)
    results = grade_command(course_settings, workers=2, console=console)
    return course, {result.student: result for result in results}, console.file.getvalue()


def test_collected_submissions_are_graded(round_trip):
    course, results, _ = round_trip
    assert sorted(results) == ["amir", "bea"]
    assert all((course / "submitted" / s / "mnist_ann" / "mnist_ann.ipynb").is_file() for s in results)
    assert all(result.problem is None and result.score == 0 for result in results.values())  # blank notebooks


def test_late_submissions_are_flagged_from_nbgraders_timestamps(round_trip):
    from nbgrader.api import Gradebook

    course, _, summary = round_trip
    with Gradebook(f"sqlite:///{course / 'gradebook.db'}", "dlt-mnist") as gb:
        late = {s.student.id: s.total_seconds_late for s in gb.assignment_submissions("mnist_ann")}
    assert late["amir"] == 0 and late["bea"] > 0
    bea_row = next(line for line in summary.splitlines() if "bea" in line)
    assert "late by" in bea_row and "late by" not in next(line for line in summary.splitlines() if "amir" in line)
