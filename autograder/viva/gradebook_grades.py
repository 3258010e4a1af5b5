"""Viva grades read from and written to nbgrader's gradebook exactly where formgrader keeps a
manual grade and its comment, so that formgrader, `nbgrader export`, nbgrader's feedback and the
kit's reports all show them.

A write names what the grader saw before (`seen`): when the gradebook holds something else by
then (another tab, formgrader, a colleague), nothing is written and the current value comes
back as a Conflict, so no write is ever lost silently.
"""

from dataclasses import dataclass

from nbgrader.api import Assignment, BaseCell, Comment, Grade, Gradebook, Notebook, SubmittedAssignment, \
    SubmittedNotebook


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


def question_marks(gb: Gradebook, assignment: str, notebook: str, grade_id: str) -> dict[str, Mark]:
    """Every student's mark on one answer cell, in two queries (not two a student: a class of 300
    opens at once)."""
    def of(model, value):
        return dict(gb.db.query(SubmittedAssignment.student_id, value)
                    .join(SubmittedNotebook, SubmittedNotebook.assignment_id == SubmittedAssignment.id)
                    .join(model, model.notebook_id == SubmittedNotebook.id)
                    .join(BaseCell, BaseCell.id == model.cell_id)
                    .join(Notebook, Notebook.id == BaseCell.notebook_id)
                    .join(Assignment, Assignment.id == Notebook.assignment_id)
                    .filter(BaseCell.name == grade_id, Notebook.name == notebook, Assignment.name == assignment).all())

    scores, comments = of(Grade, Grade.manual_score), of(Comment, Comment.manual_comment)
    return {student: Mark(score, comments.get(student) or "") for student, score in scores.items()}
