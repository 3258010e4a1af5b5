"""One decision for many students: a group graded by ticking rubric items (and a comment) gives
every member that mark in the gradebook, except a member graded on their own: one graded
individually on the page, or whose mark in the gradebook is no longer the group's last one
(changed in formgrader, say). Those keep their mark and are named.

Every change names what the grader saw: a group's decision as the page showed it, or a student's
mark. When another tab or formgrader changed it since, nothing is written and the current value
comes back, so the grader decides again knowing it.
"""

from dataclasses import dataclass, field

from nbgrader.api import Gradebook

from .decisions import QuestionDecisions
from .gradebook_grades import Conflict, Mark, read_mark, write_mark
from .questions import Question


@dataclass(frozen=True)
class Where:
    """A question's answer cell in the gradebook."""
    gb: Gradebook
    assignment: str
    notebook: str
    question: Question


@dataclass
class Outcome:
    written: list[str] = field(default_factory=list)
    kept: dict[str, Mark] = field(default_factory=dict)  # members graded on their own, and their mark
    stale: bool = False  # the group's decision had changed since the page showed it: nothing written


def score_of(question: Question, items: list[bool]) -> float:
    return sum(item.points for item, ticked in zip(question.items, items, strict=True) if ticked)


def group_mark(question: Question, items: list[bool] | None, comment: str) -> Mark:
    return Mark(None if items is None else score_of(question, items), comment)


def grade_group(where: Where, decisions: QuestionDecisions, key: str, items: list[bool], comment: str,
                seen_items: list[bool] | None, seen_comment: str) -> Outcome:
    group = decisions.groups[key]
    if (group.items, group.comment) != (seen_items, seen_comment):
        return Outcome(stale=True)
    before, after = group_mark(where.question, group.items, group.comment), group_mark(where.question, items, comment)
    outcome = Outcome()
    for student in group.students:
        if student in decisions.individual:
            outcome.kept[student] = mark_of(where, student)
            continue
        conflict = write_mark(where.gb, where.assignment, where.notebook, student, where.question.grade_id, after,
                              seen=before)
        if conflict is None:
            outcome.written.append(student)
        else:
            outcome.kept[student] = conflict.current
    group.items, group.comment = items, comment
    return outcome


def grade_student(where: Where, decisions: QuestionDecisions, student: str, mark: Mark, seen: Mark) -> Conflict | None:
    """An override: this student's own mark, which the group's later regrades leave alone."""
    conflict = write_mark(where.gb, where.assignment, where.notebook, student, where.question.grade_id, mark, seen)
    if conflict is None and student not in decisions.individual:
        decisions.individual.append(student)
    return conflict


def join_group(where: Where, decisions: QuestionDecisions, students: list[str], key: str | None,
               seen: dict[str, Mark], label: str = "", keep_own: bool = False) -> tuple[str, list[Conflict]]:
    """Move `students` to group `key` (None: a group of their own) and give them its mark, if it has
    one. A student moved on their own is no longer graded on their own; in a merge (`keep_own`), one
    graded on their own keeps that mark. Returns the group and any mark that had changed."""
    key = decisions.move(students, key, label)
    group, conflicts = decisions.groups[key], []
    own = set(decisions.individual) & set(students) if keep_own else set()
    decisions.individual = [student for student in decisions.individual if student not in students or student in own]
    if group.items is not None:
        mark = group_mark(where.question, group.items, group.comment)
        for student in (student for student in students if student not in own):
            conflict = write_mark(where.gb, where.assignment, where.notebook, student, where.question.grade_id,
                                  mark, seen.get(student))
            if conflict is not None:
                conflicts.append(conflict)
    return key, conflicts


def mark_of(where: Where, student: str) -> Mark:
    return read_mark(where.gb, where.assignment, where.notebook, student, where.question.grade_id)
