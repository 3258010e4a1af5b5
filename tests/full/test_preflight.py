"""A grader that refuses rather than zero a class: before the first student's code runs, the sandbox is
started as a run is and checked (sandbox/preflight.py); where it cannot run a notebook, `grade` stops
before anyone is graded, says why, and leaves the gradebook untouched. And the kit works wherever its
venv lives, /tmp included, which the sandbox's own /tmp once hid."""

import os
import shutil
import subprocess
import sys
from pathlib import Path

import nbformat
import pytest
from conftest import ON_A_SLICE, mnist_slice
from markers import needs_sandbox

from autograder.course import notebooks
from autograder.sandbox import preflight
from autograder.settings import Limits
from fixtures.submissions import MISTAKES, edited

pytestmark = needs_sandbox


@pytest.fixture(scope="module")
def class_folder(tmp_path_factory, reference_nb, settings) -> Path:
    """Four students' notebooks, as an LMS gives them: correct, blank, a mistake, not a notebook."""
    folder = tmp_path_factory.mktemp("class")
    blank = notebooks.read(settings.release_notebook)
    sgd = edited(reference_nb, MISTAKES["sgd_optimizer"].edit)
    for name, nb in {"ada": reference_nb, "ben": blank, "cleo": sgd}.items():
        nbformat.write(nb, str(folder / f"{name}_100_200_mnist_ann.ipynb"))
    (folder / "dev_100_200_mnist_ann.ipynb").write_text("not a notebook")
    return folder


def new_course(root: Path, python: str = sys.executable, limits: str = "") -> Path:
    subprocess.run([python, "-m", "autograder", "init", "course"], cwd=root, check=True, capture_output=True,
                   timeout=600)
    if limits:
        with open(root / "course" / "nbgrader_config.py", "a") as config:
            config.write(f"\nc.Autograder.limits = {limits}\n")
    return root / "course"


def grade(course: Path, data: Path, class_folder: Path, python: str = sys.executable) -> subprocess.CompletedProcess:
    return subprocess.run([python, "-c", ON_A_SLICE, "--mnist", str(data), "grade", "--from", str(class_folder)],
                          cwd=course, capture_output=True, text=True, timeout=2400)


@pytest.fixture(scope="module")
def data(mnist, tmp_path_factory) -> Path:
    return mnist_slice(mnist, tmp_path_factory.mktemp("data") / "slice.npz", 1500)


@pytest.fixture(scope="module")
def venv_under_tmp() -> tuple[Path, bool]:
    """This kit's venv, seen under /tmp (the place itself, whatever TMPDIR says): hard links where /tmp is on
    the same disk, else bound there (root); and whether it was bound (its folders are then the venv's own)."""
    root = Path("/tmp") / f"kit-under-tmp-{os.getpid()}"
    venv = root / ".venv"
    root.mkdir()
    bound = subprocess.run(["cp", "-al", sys.prefix, str(venv)], capture_output=True).returncode != 0
    if bound:
        shutil.rmtree(venv, ignore_errors=True)
        if os.geteuid() != 0:
            pytest.skip("/tmp is on another disk and binding the venv there needs root")
        venv.mkdir()
        subprocess.run(["mount", "--bind", sys.prefix, str(venv)], check=True)
    yield venv, bound
    if bound:
        subprocess.run(["umount", str(venv)], check=False)
        venv.rmdir()
    shutil.rmtree(root, ignore_errors=True)


def test_a_kit_installed_under_tmp_grades_a_class_as_elsewhere(venv_under_tmp, data, class_folder, tmp_path):
    venv, _ = venv_under_tmp
    python = str(venv / "bin" / "python")
    seen = subprocess.run([python, "-c", "from autograder.sandbox.runner import interpreter; print(interpreter())"],
                          capture_output=True, text=True, check=True).stdout
    assert str(venv) in seen
    done = grade(new_course(tmp_path, python), data, class_folder, python)
    assert done.returncode == 0, done.stdout[-2000:] + done.stderr[-2000:]
    rows = {line.split(",")[0]: line.split(",") for line in (tmp_path / "course" / "reports" / "grades.csv")
            .read_text().splitlines()[1:]}
    scores = {student: (row[1], float(row[2])) for student, row in rows.items()}
    assert scores["ada"] == ("graded", 14.0) and 12.0 <= scores["cleo"][1] < 14.0, scores  # 14: all but the accuracy
    assert scores["ben"][1] == 0.0 and scores["dev"] == ("not a notebook", 0.0), scores


def test_grade_refuses_before_the_first_student_when_python_cannot_start(data, class_folder, tmp_path):
    course = new_course(tmp_path, limits='{"address_space_bytes": 40000000}')
    done = grade(course, data, class_folder)
    assert done.returncode != 0
    said = done.stdout + done.stderr
    assert "no student was graded" in said and "failed in the sandbox" in said, said[-3000:]
    assert not list((course / "results").rglob("result.json")), "a result was stored from a broken sandbox"
    assert not (course / "gradebook.db").exists() or "ada" not in gradebook_students(course)


def test_grade_refuses_when_the_run_cannot_read_the_venv(venv_under_tmp, data, class_folder, tmp_path):
    venv, bound = venv_under_tmp
    if os.geteuid() != 0 or bound:
        pytest.skip("needs root (whose runs are nobody) and a venv copy of its own to make unreadable")
    python = str(venv / "bin" / "python")
    course = new_course(tmp_path, python)
    mode = venv.stat().st_mode
    venv.chmod(0o700)  # readable by root, not by the user the runs are (nobody)
    try:
        done = grade(course, data, class_folder, python)
    finally:
        venv.chmod(mode)
    assert done.returncode != 0 and "no student was graded" in done.stdout + done.stderr
    assert not list((course / "results").rglob("result.json"))


def gradebook_students(course: Path) -> set[str]:
    from nbgrader.api import Gradebook

    with Gradebook(f"sqlite:///{course / 'gradebook.db'}", "dlt-mnist") as gb:
        return {student.id for student in gb.students}


def test_a_working_sandbox_passes_and_a_broken_one_names_what_failed():
    assert preflight.run_faults(Limits()) == []
    faults = preflight.run_faults(Limits(address_space_bytes=40_000_000))
    assert faults and all("failed in the sandbox" in fault or "did not start" in fault for fault in faults), faults



def test_doctor_says_what_this_machine_offers_and_that_the_preflight_passed(tmp_path):
    done = subprocess.run([sys.executable, "-m", "autograder", "doctor"], cwd=tmp_path, capture_output=True,
                          text=True, timeout=600, env={**os.environ, "COLUMNS": "200"})
    assert done.returncode == 0, done.stderr[-2000:]
    assert "builds the sandbox" in done.stdout and "yes" in done.stdout
    assert "passed: Python, NumPy and Keras start in the sandbox" in done.stdout, done.stdout


def test_doctor_exits_2_and_says_grading_would_stop_when_the_preflight_fails(tmp_path):
    done = subprocess.run([sys.executable, "-m", "autograder", "doctor"], cwd=tmp_path, capture_output=True,
                          text=True, timeout=600, env={**os.environ, "COLUMNS": "200",
                                                       "AUTOGRADER_LIMITS": '{"address_space_bytes": 40000000}'})
    assert done.returncode == 2, done.stdout[-2000:]
    assert "FAILED" in done.stdout and "would stop here" in done.stdout and "Nothing to add" not in done.stdout
