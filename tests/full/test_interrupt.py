"""Stopping the grader: Ctrl-C stops it at once, and even a grader killed outright leaves nothing
behind; what finished is kept, and the next run resumes where it stopped."""

import os
import signal
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import pytest
from markers import needs_sandbox
from fixtures.submissions import HOSTILE, edited

from autograder.authoring.release import release
from autograder.course import notebooks
from autograder.course.nbgrader_commands import copy_course
from autograder.settings import Settings

pytestmark = needs_sandbox


@pytest.fixture
def class_of_two(settings, reference_nb, tmp_path):
    """A course, a blank notebook graded first (quick), then one that loops until its wall clock (20 s)."""
    course = tmp_path / "course"
    copy_course(settings, course)
    release(Settings(course_root=course))
    loose = tmp_path / "loose"
    loose.mkdir()
    notebooks.write(notebooks.read(settings.release_notebook), loose / "a_first.ipynb")
    notebooks.write(edited(reference_nb, *HOSTILE["loops_forever"]), loose / "b_loops.ipynb")
    env = {**os.environ, "AUTOGRADER_COURSE_ROOT": str(course), "AUTOGRADER_LIMITS": '{"wall_seconds": 20}'}
    command = [sys.executable, "-m", "autograder", "grade", "--from", str(loose), "--workers", "1", "--no-gradebook"]
    return command, env, course / "results" / "mnist_ann"


def start_and_stop_during_the_second(command, env, results, stop) -> subprocess.Popen:
    grading = subprocess.Popen(command, env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
                               start_new_session=True)
    while not (results / "a_first" / "result.json").exists():
        assert grading.poll() is None, grading.communicate()
        time.sleep(0.5)
    time.sleep(3)  # b_loops is now running in its sandbox
    stop(grading)
    return grading


def resume_keeps_the_first_and_finishes_the_second(command, env, results, first_run: int) -> None:
    resumed = subprocess.run(command, env=env, capture_output=True, text=True, timeout=300)
    assert resumed.returncode == 0, resumed.stderr[-1500:]
    assert (results / "a_first" / "run" / "output.log").stat().st_mtime_ns == first_run
    assert "wall clock (20 s)" in (results / "b_loops" / "result.json").read_text()


def test_interrupted_grading_keeps_finished_results_and_resumes(class_of_two):
    command, env, results = class_of_two
    grading = start_and_stop_during_the_second(command, env, results,
                                               lambda process: os.killpg(process.pid, signal.SIGINT))  # as Ctrl-C
    _, stderr = grading.communicate(timeout=120)  # a loaded machine tears a sandbox down slowly
    assert grading.returncode == 130 and "run the same command again" in stderr
    assert not (results / "b_loops" / "result.json").exists()
    resume_keeps_the_first_and_finishes_the_second(command, env, results,
                                                   (results / "a_first" / "run" / "output.log").stat().st_mtime_ns)


def test_a_grader_killed_outright_leaves_nothing_behind_once_resumed(class_of_two):
    command, env, results = class_of_two
    grading = start_and_stop_during_the_second(command, env, results, lambda process: process.kill())
    grading.communicate(timeout=120)  # a loaded machine tears a sandbox down slowly
    killed = grading.pid
    groups = list(Path("/sys/fs/cgroup").glob(f"*/autograder-{killed}-*"))
    assert groups
    for _ in range(30):  # its runs die with it (SIGKILL on their parent's death), within moments
        if not any((group / "cgroup.procs").read_text().strip() for group in groups):
            break
        time.sleep(0.5)
    assert not any((group / "cgroup.procs").read_text().strip() for group in groups)
    assert not (results / "b_loops" / "result.json").exists()

    resume_keeps_the_first_and_finishes_the_second(command, env, results,
                                                   (results / "a_first" / "run" / "output.log").stat().st_mtime_ns)
    assert f"-{killed}-" not in Path("/proc/mounts").read_text()
    assert not list(Path("/sys/fs/cgroup").glob(f"*/autograder-{killed}-*"))
    assert not list(Path(tempfile.gettempdir()).glob(f"autograder-*-{killed}-*"))
