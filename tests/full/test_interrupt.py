"""Ctrl-C stops grading at once; what finished is kept, and the next run resumes."""

import os
import signal
import subprocess
import sys
import time

from conftest import needs_sandbox
from fixtures.submissions import HOSTILE, edited

from autograder.course import notebooks
from autograder.authoring.release import release
from autograder.course.nbgrader_commands import copy_course
from autograder.settings import Settings

pytestmark = needs_sandbox


def test_interrupted_grading_keeps_finished_results_and_resumes(settings, reference_nb, tmp_path):
    course = tmp_path / "course"
    copy_course(settings, course)
    release(Settings(course_root=course))
    loose = tmp_path / "loose"
    loose.mkdir()
    notebooks.write(reference_nb, loose / "a_first.ipynb")
    notebooks.write(edited(reference_nb, *HOSTILE["loops_forever"]), loose / "b_loops.ipynb")
    env = {**os.environ, "AUTOGRADER_COURSE_ROOT": str(course), "AUTOGRADER_LIMITS": '{"wall_seconds": 20}'}
    command = [sys.executable, "-m", "autograder", "grade", "--from", str(loose), "--workers", "1", "--no-gradebook"]
    results = course / "results" / "mnist_ann"

    grading = subprocess.Popen(command, env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
                               start_new_session=True)
    while not (results / "a_first" / "result.json").exists():
        assert grading.poll() is None, grading.communicate()
        time.sleep(0.5)
    time.sleep(3)  # b_loops is now running in its sandbox
    os.killpg(grading.pid, signal.SIGINT)  # as a terminal's Ctrl-C: to the whole process group
    _, stderr = grading.communicate(timeout=15)
    assert grading.returncode == 130 and "run the same command again" in stderr
    assert not (results / "b_loops" / "result.json").exists()

    first_run = (results / "a_first" / "run" / "output.log").stat().st_mtime_ns
    resumed = subprocess.run(command, env=env, capture_output=True, text=True, timeout=300)
    assert resumed.returncode == 0, resumed.stderr[-1500:]
    assert (results / "a_first" / "run" / "output.log").stat().st_mtime_ns == first_run
    assert "wall clock (20 s)" in (results / "b_loops" / "result.json").read_text()
