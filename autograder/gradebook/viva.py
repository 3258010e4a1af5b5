"""The hand-graded viva answers as formgrader left them: each student's points and comments,
read from nbgrader's gradebook for the reports (which never open the gradebook themselves)."""

from nbgrader.api import MissingEntry

from ..settings import Settings
from .update import open_gradebook


def viva_grades(settings: Settings) -> dict[str, list[dict]]:
    """{student: [{"question", "score" (None until graded), "max", "comment"}]}, per written answer."""
    answers: dict[str, list[dict]] = {}
    with open_gradebook(settings) as gb:
        try:
            submissions = gb.assignment_submissions(settings.assignment)
        except MissingEntry:
            return {}
        for submission in submissions:
            for notebook in submission.notebooks:
                comments = {comment.name: comment.comment for comment in notebook.comments}
                answers[submission.student.id] = [
                    {"question": grade.name.replace("answer_q", "question ").replace("_", " "), "max": grade.max_score,
                     "score": grade.score if grade.manual_score is not None else None,
                     "comment": comments.get(grade.name)}
                    for grade in notebook.grades if grade.cell.cell_type == "markdown"]
    return answers
