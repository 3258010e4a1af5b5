"""Grading the viva by question: the questions and rubric items come from the source notebook,
answers are gathered into groups of one level, and copies stand out."""

import collections

import pytest

from autograder.course import notebooks
from autograder.viva.copying import copied_pairs
from autograder.viva.grouping import NO_ANSWER, answer_groups
from autograder.viva.questions import Item, rubric_items, viva_questions
from fixtures.viva_class import UNTOUCHED, viva_class

CLASS = viva_class()


@pytest.fixture(scope="module")
def questions(settings):
    return viva_questions(notebooks.read(settings.source_notebook))


def answers_to(question: int) -> dict[str, str]:
    return {student: answers[question].text for student, answers in CLASS.items()}


def test_the_five_questions_come_from_the_source_with_prompt_model_answer_and_two_one_point_items(questions):
    assert [question.grade_id for question in questions] == [f"answer_q{number}" for number in range(1, 6)]
    first = questions[0]
    assert first.prompt.startswith("What does the Flatten layer do") and "Rubric" not in first.model_answer
    assert first.items == (Item("reshapes 28×28 to 784 for the Dense layers", 1.0),
                           Item("has no trainable parameters", 1.0))
    assert all(sum(item.points for item in question.items) == question.points == 2 for question in questions)


def test_a_rubric_of_another_shape_is_one_item_worth_the_whole_question():
    assert rubric_items("Full marks for a clear explanation.", 3) == (Item("Full marks for a clear explanation.", 3),)


def test_the_generated_class_answers_every_question_from_at_least_15_patterns():
    for question in range(1, 6):
        assert len({answers[question].pattern for answers in CLASS.values()} - {-1}) >= 15


@pytest.mark.parametrize("question", range(1, 6))
def test_each_group_holds_answers_of_one_level_and_far_fewer_groups_than_students(question):
    groups = answer_groups(answers_to(question))
    assert sorted(student for group in groups for student in group.students) == sorted(CLASS)
    for group in groups:
        levels = collections.Counter(CLASS[student][question].points for student in group.students)
        assert len(levels) == 1, (group.label, levels)
    assert len(groups) <= 25


def test_blank_and_untouched_answers_are_one_group_of_their_own():
    groups = answer_groups({"a": "", "b": UNTOUCHED, "c": "  \n", "d": "Softmax gives probabilities."})
    assert [(group.key, group.students) for group in groups] == [(NO_ANSWER, ["a", "b", "c"]), (groups[1].key, ["d"])]


def test_answers_identical_but_for_case_and_spacing_are_always_together():
    texts = {f"s{index}": text for index, text in enumerate(
        ["It reshapes the image.", "it  reshapes the IMAGE.", "Adam adapts the learning rate per weight.",
         "Softmax makes probabilities that sum to one.", "It reshapes the image"])}
    together = next(group for group in answer_groups(texts, distance=0.01) if "s0" in group.students)
    assert {"s0", "s1"} <= set(together.students)


def test_groups_come_largest_first_labelled_by_a_member():
    groups = answer_groups(answers_to(2))
    assert [len(group.students) for group in groups] == sorted((len(group.students) for group in groups), reverse=True)
    assert all(group.label == "(no answer)" or group.label in answers_to(2).values() for group in groups)


def test_the_copied_pairs_come_first_with_every_question_they_copied(questions):
    set_aside = {question.number: f"{question.model_answer}\n{question.rubric}" for question in questions}
    pairs = copied_pairs({question: answers_to(question) for question in range(1, 6)}, set_aside, threshold=0.5)
    copied = {(f"student{2 * pair:03d}", f"student{2 * pair + 1:03d}"): 2 + pair % 3 for pair in range(4)}
    assert {pair.students: len(pair.likeness) for pair in pairs[:4]} == copied
    assert all(len(pair.likeness) == 1 for pair in pairs[4:])


def test_wording_taken_from_the_model_answer_is_not_a_sign_of_copying():
    model = "Flatten only rearranges: it turns each 28x28 grid into a vector of 784 values, row after row."
    answers = {"a": model, "b": model + " ok", **{f"other{n}": f"answer number {n} about layers" for n in range(5)}}
    assert copied_pairs({1: answers}, {1: model}, threshold=0.3) == []
    assert copied_pairs({1: answers}, {1: ""}, threshold=0.3)[0].students == ("a", "b")
