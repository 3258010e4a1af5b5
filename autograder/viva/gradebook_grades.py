"""Viva grades read from and written to nbgrader's gradebook exactly where formgrader keeps a
manual grade and its comment, so that formgrader, `nbgrader export`, nbgrader's feedback and the
kit's reports all show them.

A write names what the grader saw before (`seen`): when the gradebook holds something else by
then (another tab, formgrader, a colleague), nothing is written and the current value comes
back as a Conflict, so no write is ever lost silently.
"""

from dataclasses import dataclass

from nbgrader.api import Gradebook


@dataclass(frozen=True)
class Mark:
    score: float | None  # None: not graded yet
    comment: str = ""


@dataclass
class Conflict:
    student: str
    current: Mark


def read_mark(gb: Gradebook, assignment: str, notebook: str, student: str, grade_id: str) -> Mark:
    grade = gb.find_grade(grade_id, notebook, assignment, student)
    comment = gb.find_comment(grade_id, notebook, assignment, student)
    return Mark(grade.manual_score, comment.manual_comment or "")


def write_mark(gb: Gradebook, assignment: str, notebook: str, student: str, grade_id: str, mark: Mark,
               seen: Mark | None) -> Conflict | None:
    """Write `mark` unless the gradebook no longer holds `seen` (None: write whatever is there)."""
    grade = gb.find_grade(grade_id, notebook, assignment, student)
    comment = gb.find_comment(grade_id, notebook, assignment, student)
    current = Mark(grade.manual_score, comment.manual_comment or "")
    if seen is not None and current != seen:
        return Conflict(student, current)
    grade.manual_score = mark.score
    grade.needs_manual_grade = mark.score is None and grade.auto_score is None  # as formgrader sets it
    comment.manual_comment = mark.comment or None
    gb.db.commit()
    return None
