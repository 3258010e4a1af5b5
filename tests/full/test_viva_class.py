"""The generated class of 300 (fixtures/viva_class.py) graded through the viva page's own requests,
as an instructor would: a tenth of formgrader's judgements or fewer, and every answer's points in
nbgrader's gradebook."""

import pytest

from autograder.gradebook.update import open_gradebook
from autograder.viva.gradebook_grades import Mark, question_marks
from fixtures.viva_class import viva_class
from fixtures.viva_grading import build_course, grade_every_question, viva_page

CLASS = viva_class(300)


@pytest.fixture(scope="module")
def graded(tmp_path_factory):
    course = build_course(tmp_path_factory.mktemp("viva-class"), CLASS)
    with viva_page(course) as page:
        return course, grade_every_question(course, page, CLASS)


def test_the_class_of_300_is_graded_in_at_most_a_tenth_of_formgraders_judgements(graded):
    _, done = graded
    assert done.answers == 1500
    assert done.actions <= 150, f"{done.group_decisions} group decisions and {done.overrides} overrides"


def test_every_answer_holds_the_points_its_pattern_deserves_in_the_gradebook(graded):
    course, _ = graded
    with open_gradebook(course) as gb:
        for number in range(1, 6):
            marks = question_marks(gb, "mnist_ann", "mnist_ann", f"answer_q{number}")
            assert marks == {student: Mark(answers[number].points) for student, answers in CLASS.items()}
