"""Each student's viva answers as they wrote them: the answer cells of the notebook in submitted/
(the autograded copy holds a cleaned rendering where the text held markup; the page escapes
the original instead). A notebook that cannot be read gives that student no answers, named in
`unreadable`; the rest of the class is unaffected.
"""

from dataclasses import dataclass, field
from pathlib import Path

from ..course import notebooks
from ..settings import Settings
from ..submissions.intake import read_submission, too_large


@dataclass
class ClassAnswers:
    texts: dict[str, dict[str, str]] = field(default_factory=dict)  # grade id -> student -> text
    unreadable: dict[str, str] = field(default_factory=dict)  # student -> why their notebook gave nothing


def submitted_students(settings: Settings) -> list[str]:
    """Every student with a submitted copy of this assignment's notebook."""
    top = settings.course_folder("submitted")
    return sorted(path.name for path in top.iterdir() if settings.notebook_in("submitted", path.name).is_file()) \
        if top.is_dir() else []


def class_answers(settings: Settings, grade_ids: list[str]) -> ClassAnswers:
    found = ClassAnswers({grade_id: {} for grade_id in grade_ids})
    for student in submitted_students(settings):
        path = settings.notebook_in("submitted", student)
        try:
            if refused := too_large(path, settings.limits.notebook_bytes):
                raise ValueError(refused)
            answers = answers_in(path, grade_ids)
        except Exception as error:  # any damage to the file: this student's answers alone are missing
            found.unreadable[student] = f"{type(error).__name__}: {str(error)[:200]}"
            answers = {}
        for grade_id in grade_ids:
            found.texts[grade_id][student] = answers.get(grade_id, "")
    return found


def answers_in(path: Path, grade_ids: list[str]) -> dict[str, str]:
    nb = read_submission(path, validate=False)  # the answers' cells are all it needs
    wanted = set(grade_ids)
    return {notebooks.grade_id(cell): cell.source for cell in nb.cells
            if cell.cell_type == "markdown" and notebooks.grade_id(cell) in wanted}
