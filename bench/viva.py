"""The viva page on a class of 300 (tests/fixtures/viva_class.py): how long the page takes to open
and to group all five questions, how pure its groups are against the generator's known rubric
levels, and how many grading actions (group decisions plus overrides) the whole class takes
through the page, against formgrader's one judgement per answer. Prints figures; asserts nothing.

    .venv/bin/python bench/viva.py [STUDENTS]
"""

import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "tests"))

from fixtures.viva_class import viva_class  # noqa: E402
from fixtures.viva_grading import build_course, grade_every_question, viva_page  # noqa: E402

from autograder.viva.grouping import answer_groups  # noqa: E402


def main(students: int) -> None:
    answers = viva_class(students)
    print(f"{students} students, {5 * students} answers")
    started = time.perf_counter()
    groups = {number: answer_groups({student: theirs[number].text for student, theirs in answers.items()})
              for number in range(1, 6)}
    print(f"grouping all five questions: {time.perf_counter() - started:.2f} s "
          f"({', '.join(f'Q{number} {len(found)} groups' for number, found in groups.items())})")
    with tempfile.TemporaryDirectory(prefix="viva-bench-") as folder:
        course = build_course(Path(folder), answers)
        with viva_page(course) as page:
            started = time.perf_counter()
            page.open("/")
            print(f"index (progress of five questions, copying signal), first open: "
                  f"{time.perf_counter() - started:.2f} s")
            for number in range(1, 6):
                started = time.perf_counter()
                page.open(f"/q/answer_q{number}")
                print(f"Q{number} page, first open (groups computed): {time.perf_counter() - started:.2f} s")
            started = time.perf_counter()
            graded = grade_every_question(course, page, answers)
            took = time.perf_counter() - started
    print(f"grading through the page: {graded.group_decisions} group decisions + {graded.overrides} overrides "
          f"= {graded.actions} actions for {graded.answers} answers, against {graded.answers} in formgrader "
          f"({graded.answers / graded.actions:.1f}x fewer); the page's requests took {took:.1f} s")
    print(f"groups' purity (answers whose group's majority level is their own): {100 * graded.purity:.1f} %")


if __name__ == "__main__":
    main(int(sys.argv[1]) if len(sys.argv) > 1 else 300)
