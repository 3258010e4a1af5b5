"""Grading from the command line, end to end: one student, then a rejudge."""

import os
import subprocess
import sys

from conftest import needs_sandbox

from autograder.authoring.release import release
from autograder.course import notebooks
from autograder.course.nbgrader_commands import copy_course
from autograder.settings import Settings

pytestmark = needs_sandbox


def test_grade_one_student_then_rejudge_from_the_command_line(tmp_path, settings, reference_nb):
    copy_course(settings, tmp_path)
    release(Settings(course_root=tmp_path))
    for student in ("ann", "bob"):
        notebooks.write(reference_nb, tmp_path / "submitted" / student / "mnist_ann" / "mnist_ann.ipynb")
    env = {**os.environ, "AUTOGRADER_COURSE_ROOT": str(tmp_path)}
    grade = [sys.executable, "-m", "autograder", "grade", "mnist_ann", "--no-gradebook"]
    done = subprocess.run(grade + ["--student", "ann"], env=env, capture_output=True, text=True, timeout=300)
    assert done.returncode == 0, done.stderr[-1500:]
    assert (tmp_path / "results/mnist_ann/ann/result.json").is_file()
    assert not (tmp_path / "results/mnist_ann/bob").exists()
    rejudged = subprocess.run(grade + ["--rejudge"], env=env, capture_output=True, text=True, timeout=300)
    assert rejudged.returncode == 0 and "ann" in rejudged.stdout and "16 / 16" in rejudged.stdout
