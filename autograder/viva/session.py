"""One grader's viva session on one assignment: the questions, the class's answers, the groups and
decisions, and the gradebook, held by the page's server (one request at a time) and saved after
every change, so closing the page or restarting the server loses nothing.
"""

from dataclasses import dataclass
from pathlib import Path

from nbgrader.api import Assignment, Gradebook, SubmittedAssignment

from ..course import notebooks
from ..gradebook.update import open_gradebook
from ..settings import Settings
from . import decisions as stored
from .answers import ClassAnswers, class_answers
from .copying import Pair, copied_pairs
from .gradebook_grades import Mark, question_marks
from .group_grading import Where
from .questions import Question, viva_questions


@dataclass
class Session:
    settings: Settings
    questions: list[Question]
    answers: ClassAnswers
    decisions: stored.Decisions
    gb: Gradebook

    @property
    def path(self) -> Path:
        return decisions_path(self.settings)

    def question(self, grade_id: str) -> Question:
        return next(question for question in self.questions if question.grade_id == grade_id)

    def where(self, grade_id: str) -> Where:
        return Where(self.gb, self.settings.assignment, self.settings.assignment, self.question(grade_id))

    def groups(self, grade_id: str) -> stored.QuestionDecisions:
        return stored.grouped(self.decisions, grade_id, self.graded_answers(grade_id))

    def graded_answers(self, grade_id: str) -> dict[str, str]:
        """The answers of the students the gradebook holds a submission of (the page grades those)."""
        graded = self.in_gradebook
        return {student: text for student, text in self.answers.texts[grade_id].items() if student in graded}

    @property
    def in_gradebook(self) -> set[str]:
        found = self.gb.db.query(SubmittedAssignment.student_id).join(Assignment).filter(
            Assignment.name == self.settings.assignment)
        return {student for (student,) in found}

    def marks(self, grade_id: str) -> dict[str, Mark]:
        return question_marks(self.gb, self.settings.assignment, self.settings.assignment, grade_id)

    def progress(self, grade_id: str) -> tuple[int, int]:
        """(answers graded, answers in all) for one question, as the gradebook has them."""
        marks = self.marks(grade_id)
        return sum(mark.score is not None for mark in marks.values()), len(marks)

    def copying(self) -> list[Pair]:
        answers = {question.number: self.graded_answers(question.grade_id) for question in self.questions}
        set_aside = {question.number: f"{question.model_answer}\n{question.rubric}" for question in self.questions}
        return copied_pairs(answers, set_aside, self.settings.viva_copying_threshold)

    def save(self) -> None:
        stored.save(self.decisions, self.path)


def decisions_path(settings: Settings) -> Path:
    return settings.course_root / "viva" / f"{settings.assignment}.json"


def open_session(settings: Settings) -> Session:
    questions = viva_questions(notebooks.read(settings.source_notebook))
    answers = class_answers(settings, [question.grade_id for question in questions])
    return Session(settings, questions, answers, stored.load(decisions_path(settings)), open_gradebook(settings))
