"""What the grader decided on the viva page, kept in one JSON file beside the gradebook
(viva/<assignment>.json in the course folder): which group each answer is in (as first computed,
then as the grader moved, split and merged), each group's ticked rubric items and comment, and
the answers graded one by one, which a group's regrade leaves alone. The grades themselves live
in nbgrader's gradebook, where formgrader keeps them.

Groups are computed once per question and then kept, so that a group graded yesterday is the
same group today; a student who submitted since is grouped among the newcomers.
"""

from pathlib import Path

from pydantic import BaseModel, Field

from ..course.files import write_text_atomically
from .grouping import Group, answer_groups


class GroupDecision(BaseModel):
    label: str
    students: list[str]
    items: list[bool] | None = None  # ticked rubric items; None until the group is graded
    comment: str = ""


class QuestionDecisions(BaseModel):
    groups: dict[str, GroupDecision] = Field(default_factory=dict)  # "g1", "g2"... in the order first shown
    individual: list[str] = Field(default_factory=list)  # students graded one by one

    def group_of(self, student: str) -> str | None:
        return next((key for key, group in self.groups.items() if student in group.students), None)

    def add(self, groups: list[Group]) -> list[str]:
        keys = []
        for group in groups:
            keys.append(f"g{max((int(key[1:]) for key in self.groups), default=0) + 1}")
            self.groups[keys[-1]] = GroupDecision(label=group.label, students=group.students)
        return keys

    def move(self, students: list[str], to: str | None, label: str = "") -> str:
        """Move `students` into group `to`, or into a new group (a split) labelled `label`; a group left
        empty is gone. Returns the group they are in."""
        if to is None:
            (to,) = self.add([Group(key="", label=label, students=[])])
        for key, group in list(self.groups.items()):
            group.students = [student for student in group.students if student not in students]
            if not group.students and key != to:
                del self.groups[key]
        self.groups[to].students = sorted(self.groups[to].students + students)
        return to


class Decisions(BaseModel):
    questions: dict[str, QuestionDecisions] = Field(default_factory=dict)  # by the answer cell's grade id


def load(path: Path) -> Decisions:
    return Decisions.model_validate_json(path.read_text()) if path.is_file() else Decisions()


def save(decisions: Decisions, path: Path) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    write_text_atomically(path, decisions.model_dump_json(indent=1))


def grouped(decisions: Decisions, grade_id: str, answers: dict[str, str]) -> QuestionDecisions:
    """The question's groups: those kept, plus groups of the students none of them holds yet."""
    question = decisions.questions.setdefault(grade_id, QuestionDecisions())
    known = {student for group in question.groups.values() for student in group.students}
    newcomers = {student: text for student, text in answers.items() if student not in known}
    if newcomers:
        question.add(answer_groups(newcomers))
    return question
