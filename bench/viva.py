"""The viva page on a class of 300 (tests/fixtures/viva_class.py): how long the page takes to open
and to group all five questions, and how many decisions the grader makes against formgrader's one
judgement per answer. Prints figures; asserts nothing.

    .venv/bin/python bench/viva.py [STUDENTS]
"""

import os
import shutil
import sys
import tempfile
import time
import warnings
from pathlib import Path

import requests

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "tests"))

from fixtures.viva_class import viva_class  # noqa: E402
from nbgrader.api import Gradebook  # noqa: E402

from autograder.course import notebooks  # noqa: E402
from autograder.course.nbgrader_commands import with_venv_on_path  # noqa: E402
from autograder.settings import Settings  # noqa: E402
from autograder.viva.grouping import answer_groups  # noqa: E402


def build_course(root: Path, students: int) -> Settings:
    kit = Settings()
    shutil.copytree(kit.course_root / "source", root / "source")
    shutil.copy(kit.course_root / "nbgrader_config.py", root / "nbgrader_config.py")
    course = Settings(course_root=root)
    answers = viva_class(students)
    for student, theirs in answers.items():
        nb = notebooks.read(kit.release_notebook)
        for number, answer in theirs.items():
            notebooks.cell_by_id(nb, f"answer_q{number}").source = answer.text
        notebooks.write(nb, course.notebook_in("submitted", student))
    os.environ["PATH"] = with_venv_on_path()["PATH"]
    warnings.filterwarnings("ignore", module="nbgrader")  # nbgrader's own SQLAlchemy warnings, one a student
    with Gradebook(f"sqlite:///{root / 'gradebook.db'}", "dlt-mnist") as gb:
        gb.add_assignment("mnist_ann")
        gb.add_notebook("mnist_ann", "mnist_ann")
        for number in range(1, 6):
            gb.add_grade_cell(f"answer_q{number}", "mnist_ann", "mnist_ann", max_score=2, cell_type="markdown")
            gb.add_solution_cell(f"answer_q{number}", "mnist_ann", "mnist_ann")
        for student in answers:
            gb.add_student(student)
            gb.add_submission("mnist_ann", student)
    return course


def main(students: int) -> None:
    with tempfile.TemporaryDirectory(prefix="viva-bench-") as folder:
        course = build_course(Path(folder), students)
        answers = {number: {student: theirs[number].text for student, theirs in viva_class(students).items()}
                   for number in range(1, 6)}
        started = time.perf_counter()
        groups = {number: answer_groups(texts) for number, texts in answers.items()}
        grouping = time.perf_counter() - started
        print(f"{students} students, {5 * students} answers")
        print(f"grouping all five questions: {grouping:.2f} s")
        print("groups per question: " + ", ".join(f"Q{n} {len(found)}" for n, found in groups.items()))
        decisions = sum(map(len, groups.values()))
        print(f"decisions: {decisions} group grades against {5 * students} answer grades in formgrader "
              f"({5 * students / decisions:.1f}x fewer)")
        served(course)


def served(course: Settings) -> None:
    """The page itself, as `viva` serves it: first open of the index and of each question (groups computed)."""
    import subprocess

    port = 47900
    server = subprocess.Popen([sys.executable, "-m", "autograder", "--course", str(course.course_root), "viva",
                               "--port", str(port)], stdout=subprocess.PIPE, text=True)
    try:
        token = server.stdout.readline() and server.stdout.readline().split("token=")[1].strip()
        client = requests.Session()
        started = time.perf_counter()
        client.get(f"http://127.0.0.1:{port}/?token={token}").raise_for_status()
        print(f"index (progress of five questions, copying signal): {time.perf_counter() - started:.2f} s")
        for number in range(1, 6):
            started = time.perf_counter()
            client.get(f"http://127.0.0.1:{port}/q/answer_q{number}").raise_for_status()
            print(f"Q{number} page, first open: {time.perf_counter() - started:.2f} s")
    finally:
        server.terminate()
        server.wait()


if __name__ == "__main__":
    main(int(sys.argv[1]) if len(sys.argv) > 1 else 300)
