"""The command line reports user mistakes in one plain line, with exit status 2."""

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
