"""The command line reports user mistakes in one plain line, with exit status 2."""

import os
import subprocess
import sys

import pytest


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


def test_report_before_any_grading_says_to_grade_first(tmp_path):
    done = subprocess.run([sys.executable, "-m", "autograder", "report"], capture_output=True, text=True,
                          env={**os.environ, "AUTOGRADER_COURSE_ROOT": str(tmp_path)})
    assert done.returncode == 2 and "run `python -m autograder grade` first" in done.stderr


def test_grade_without_submissions_says_how_to_get_them(tmp_path):
    done = subprocess.run([sys.executable, "-m", "autograder", "grade", "mnist_ann"], capture_output=True, text=True,
                          env={**os.environ, "AUTOGRADER_COURSE_ROOT": str(tmp_path)})
    assert done.returncode == 2
    assert "nbgrader collect mnist_ann" in done.stderr and "--from" in done.stderr


def test_grade_from_a_missing_folder_is_a_plain_error(tmp_path):
    done = subprocess.run([sys.executable, "-m", "autograder", "grade", "--from", str(tmp_path / "nowhere")],
                          capture_output=True, text=True)
    assert done.returncode == 2 and "does not exist" in done.stderr and "Traceback" not in done.stderr


def autograder(*arguments, cwd=None) -> subprocess.CompletedProcess:
    environment = {key: value for key, value in os.environ.items() if key != "AUTOGRADER_COURSE_ROOT"}
    return subprocess.run([sys.executable, "-m", "autograder", *arguments], capture_output=True, text=True, cwd=cwd,
                          env=environment)


def test_a_course_folder_without_nbgrader_config_is_refused_with_the_way_to_start_one(tmp_path):
    done = autograder("--course", str(tmp_path), "grade")
    assert done.returncode == 2 and "Traceback" not in done.stderr
    assert "has no nbgrader_config.py" in done.stderr and f"python -m autograder init {tmp_path}" in done.stderr


def test_init_starts_a_course_where_grade_then_works_from_the_folder_itself(tmp_path):
    course = tmp_path / "course"
    done = autograder("init", str(course))
    assert done.returncode == 0, done.stderr[-2000:]
    assert (course / "release" / "mnist_ann" / "mnist_ann.ipynb").is_file()
    assert (course / "solutions" / "mnist_ann" / "reference.py").is_file()
    graded = autograder("grade", cwd=course)  # no --course: the current folder holds nbgrader_config.py
    assert graded.returncode == 2 and f"There is no {course / 'submitted'}" in graded.stderr


def test_init_never_overwrites_a_folder_in_use(tmp_path):
    (tmp_path / "notes.txt").write_text("mine")
    done = autograder("init", str(tmp_path))
    assert done.returncode == 2 and "is not empty" in done.stderr
    assert (tmp_path / "notes.txt").read_text() == "mine"


@pytest.mark.parametrize("name", ["mnist", "derive", "release", "measure", "demo", "init", "grade"])
def test_every_command_says_what_it_does_in_its_help(name, capsys):
    from autograder.cli import main

    with pytest.raises(SystemExit) as done:
        main([name, "--help"])
    help_text = capsys.readouterr().out
    assert done.value.code == 0 and help_text.split("\n\n")[1].strip()[0].isupper()
