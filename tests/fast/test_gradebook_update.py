"""One student's nbgrader failure never stops the class or its gradebook."""

import pytest

from autograder.authoring.release import release
from autograder.course.nbgrader_commands import copy_course
from autograder.errors import KitError
from autograder.gradebook.update import open_gradebook, update_gradebook
from autograder.grading.result import Result
from autograder.settings import Settings


@pytest.fixture(scope="module")
def course(settings, tmp_path_factory):
    root = copy_course(settings, tmp_path_factory.mktemp("course"))
    release(Settings(course_root=root))
    return Settings(course_root=root)


def test_a_student_nbgrader_fails_on_gets_zeros_and_the_rest_are_recorded(course):
    results = [Result(student=name, assignment="mnist_ann", kit_version="t", content_hash="h")
               for name in ("ann", "bad", "cy")]
    recorded = []

    def autograde(settings, student):
        if student == "bad":
            raise KitError("nbgrader autograde failed; its last words: Notebook failed to validate")
        recorded.append(student)

    problems = update_gradebook(course, results, autograde_one=autograde)
    assert recorded == ["ann", "cy"]
    assert problems == ["bad: nbgrader autograde failed; its last words: Notebook failed to validate"]
    with open_gradebook(course) as gb:
        assert gb.find_submission("mnist_ann", "bad").score == 0
