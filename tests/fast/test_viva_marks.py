"""Viva grades land where formgrader keeps them: a group graded once marks every member but those
graded on their own, and no write ever silently overwrites one the grader did not see."""

import os
import shutil
from pathlib import Path

import pytest
from nbgrader.api import Gradebook

from autograder.course import notebooks
from autograder.course.nbgrader_commands import with_venv_on_path
from autograder.viva.decisions import QuestionDecisions
from autograder.viva.gradebook_grades import Mark, question_marks, read_mark, write_mark
from autograder.viva.group_grading import Where, grade_group, grade_student, join_group
from autograder.viva.grouping import Group
from autograder.viva.questions import viva_questions

STUDENTS = ["ada", "bo", "cy", "di"]


@pytest.fixture(scope="module")
def empty_gradebook(tmp_path_factory) -> Path:
    """A gradebook with the four students' submissions, made once (nbgrader's alembic takes seconds)."""
    path = tmp_path_factory.mktemp("gradebook") / "gradebook.db"
    os.environ["PATH"] = with_venv_on_path()["PATH"]  # nbgrader runs alembic by name
    with Gradebook(f"sqlite:///{path}") as gb:
        gb.add_assignment("mnist_ann")
        gb.add_notebook("mnist_ann", "mnist_ann")
        gb.add_grade_cell("answer_q1", "mnist_ann", "mnist_ann", max_score=2, cell_type="markdown")
        gb.add_solution_cell("answer_q1", "mnist_ann", "mnist_ann")
        for student in STUDENTS:
            gb.add_student(student)
            gb.add_submission("mnist_ann", student)
    return path


@pytest.fixture
def gradebook(empty_gradebook, tmp_path):
    shutil.copy(empty_gradebook, tmp_path / "gradebook.db")
    with Gradebook(f"sqlite:///{tmp_path / 'gradebook.db'}") as gb:
        yield gb


@pytest.fixture
def where(gradebook, settings) -> Where:
    return Where(gradebook, "mnist_ann", "mnist_ann", viva_questions(notebooks.read(settings.source_notebook))[0])


@pytest.fixture
def groups() -> QuestionDecisions:
    decisions = QuestionDecisions()
    decisions.add([Group("a", "reshapes", ["ada", "bo", "cy"]), Group("b", "normalises", ["di"])])
    return decisions


def marks(where: Where) -> dict[str, Mark]:
    return {student: read_mark(where.gb, "mnist_ann", "mnist_ann", student, "answer_q1") for student in STUDENTS}


def test_a_mark_lands_where_formgrader_keeps_a_manual_grade_and_comment(gradebook):
    assert write_mark(gradebook, "mnist_ann", "mnist_ann", "ada", "answer_q1", Mark(1.0, "one of two"),
                      seen=Mark(None)) is None
    grade = gradebook.find_grade("answer_q1", "mnist_ann", "mnist_ann", "ada")
    assert (grade.manual_score, grade.score, grade.needs_manual_grade) == (1.0, 1.0, False)
    assert gradebook.find_comment("answer_q1", "mnist_ann", "mnist_ann", "ada").manual_comment == "one of two"


def test_a_mark_over_one_the_grader_did_not_see_is_refused_with_the_current_one(gradebook):
    write_mark(gradebook, "mnist_ann", "mnist_ann", "ada", "answer_q1", Mark(2.0, "in formgrader"), seen=None)
    conflict = write_mark(gradebook, "mnist_ann", "mnist_ann", "ada", "answer_q1", Mark(0.0), seen=Mark(None))
    assert conflict is not None and conflict.current == Mark(2.0, "in formgrader")
    assert read_mark(gradebook, "mnist_ann", "mnist_ann", "ada", "answer_q1") == Mark(2.0, "in formgrader")


def test_a_group_graded_once_marks_every_member_with_the_ticked_items_and_comment(where, groups):
    outcome = grade_group(where, groups, "g1", [True, False], "no word on parameters", None, "")
    assert outcome.written == ["ada", "bo", "cy"] and not outcome.stale
    assert marks(where) == {**dict.fromkeys(["ada", "bo", "cy"], Mark(1.0, "no word on parameters")), "di": Mark(None)}


def test_an_individual_grade_stays_when_its_group_is_regraded(where, groups):
    grade_group(where, groups, "g1", [True, False], "", None, "")
    assert grade_student(where, groups, "bo", Mark(0.5, "half, for the wording"), seen=Mark(1.0)) is None
    outcome = grade_group(where, groups, "g1", [True, True], "both", [True, False], "")
    assert outcome.kept == {"bo": Mark(0.5, "half, for the wording")}
    assert marks(where)["bo"] == Mark(0.5, "half, for the wording") and marks(where)["ada"] == Mark(2.0, "both")


def test_a_mark_changed_in_formgrader_since_is_kept_and_named_when_the_group_is_regraded(where, groups):
    grade_group(where, groups, "g1", [True, False], "", None, "")
    write_mark(where.gb, "mnist_ann", "mnist_ann", "cy", "answer_q1", Mark(2.0, "formgrader"), seen=None)
    outcome = grade_group(where, groups, "g1", [False, False], "", [True, False], "")
    assert outcome.kept == {"cy": Mark(2.0, "formgrader")} and marks(where)["cy"] == Mark(2.0, "formgrader")


def test_a_second_tab_grading_a_group_it_saw_before_anothers_grade_is_told_and_writes_nothing(where, groups):
    grade_group(where, groups, "g1", [True, True], "first tab", None, "")
    outcome = grade_group(where, groups, "g1", [False, False], "second tab", None, "")
    assert outcome.stale and outcome.written == [] and marks(where)["ada"] == Mark(2.0, "first tab")


def test_an_answer_moved_into_a_graded_group_takes_its_mark_and_an_emptied_group_is_gone(where, groups):
    grade_group(where, groups, "g1", [True, False], "one of two", None, "")
    key, conflicts = join_group(where, groups, ["di"], "g1", seen={"di": Mark(None)})
    assert (key, conflicts) == ("g1", []) and "g2" not in groups.groups
    assert marks(where)["di"] == Mark(1.0, "one of two")


def test_a_merge_gives_the_group_its_mark_but_leaves_an_answer_graded_on_its_own_as_it_is(where, groups):
    grade_group(where, groups, "g1", [True, False], "one of two", None, "")
    assert grade_student(where, groups, "di", Mark(2.0, "all of it"), seen=Mark(None)) is None
    key, conflicts = join_group(where, groups, ["di"], "g1", seen={"di": Mark(2.0, "all of it")}, keep_own=True)
    assert (key, conflicts) == ("g1", []) and "di" in groups.individual
    assert marks(where)["di"] == Mark(2.0, "all of it")


def test_a_split_makes_a_new_group_that_is_ungraded_until_graded(where, groups):
    grade_group(where, groups, "g1", [True, False], "", None, "")
    key, _ = join_group(where, groups, ["cy"], None, seen={}, label="cy's own take")
    assert key == "g3" and groups.groups[key].students == ["cy"] and groups.groups["g1"].students == ["ada", "bo"]
    grade_group(where, groups, key, [False, True], "", None, "")
    assert marks(where)["cy"] == Mark(1.0, "")



def test_a_questions_marks_read_at_once_are_each_students_mark(where, groups):
    grade_group(where, groups, "g1", [True, False], "one", None, "")
    grade_student(where, groups, "di", Mark(2.0, "all"), seen=Mark(None))
    assert question_marks(where.gb, "mnist_ann", "mnist_ann", "answer_q1") == marks(where)
