"""The command line reports user mistakes in one plain line, with exit status 2."""

import os
import subprocess
import sys


def test_wrong_mnist_path_exits_2_with_a_plain_message(tmp_path):
    done = subprocess.run([sys.executable, "-m", "autograder", "--mnist", str(tmp_path / "nope.npz"), "mnist"],
                          capture_output=True, text=True)
    assert done.returncode == 2
    assert done.stderr.startswith("error: MNIST_PATH is set to")
    assert "Traceback" not in done.stderr


def test_mnist_command_prints_the_path_it_found(mnist):
    done = subprocess.run([sys.executable, "-m", "autograder", "--mnist", str(mnist), "mnist"],
                          capture_output=True, text=True)
    assert done.returncode == 0 and done.stdout.strip() == str(mnist)


def test_grade_without_submissions_says_how_to_get_them(tmp_path):
    done = subprocess.run([sys.executable, "-m", "autograder", "grade", "mnist_ann"], capture_output=True, text=True,
                          env={**os.environ, "AUTOGRADER_COURSE_ROOT": str(tmp_path)})
    assert done.returncode == 2
    assert "nbgrader collect mnist_ann" in done.stderr and "--from" in done.stderr


def test_grade_from_a_missing_folder_is_a_plain_error(tmp_path):
    done = subprocess.run([sys.executable, "-m", "autograder", "grade", "--from", str(tmp_path / "nowhere")],
                          capture_output=True, text=True)
    assert done.returncode == 2 and "does not exist" in done.stderr and "Traceback" not in done.stderr
