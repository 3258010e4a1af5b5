"""One student's nbgrader failure never stops the class or its gradebook."""

import pytest

from autograder.authoring.release import release
from autograder.course.nbgrader_commands import copy_course
from autograder.errors import KitError
from autograder.gradebook.update import open_gradebook, record_zeros, update_gradebook
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
    asked = []

    def autograde(settings, students):
        asked.extend(students)
        return {"bad": KitError("nbgrader autograde failed; its last words: Notebook failed to validate")}

    update = update_gradebook(course, results, autograde_all=autograde)
    assert asked == ["ann", "bad", "cy"] and update.entered == ["ann", "cy"]
    assert update.problems == ["bad: nbgrader autograde failed; its last words: Notebook failed to validate"]
    with open_gradebook(course) as gb:
        assert gb.find_submission("mnist_ann", "bad").score == 0


def test_a_gradebook_that_does_not_know_the_assignment_learns_it_and_release_is_left_alone(settings, tmp_path):
    root = copy_course(settings, tmp_path / "course")
    release(Settings(course_root=root))
    (root / "gradebook.db").unlink()  # as in a course whose gradebook was made before the assignment
    released = (root / "release" / "mnist_ann" / "mnist_ann.ipynb").read_bytes()
    result = Result(student="carol", assignment="mnist_ann", kit_version="t", content_hash="h", problem="not a notebook")
    assert update_gradebook(Settings(course_root=root), [result]).problems == []
    with open_gradebook(Settings(course_root=root)) as gb:
        assert gb.find_submission("mnist_ann", "carol").score == 0
    assert (root / "release" / "mnist_ann" / "mnist_ann.ipynb").read_bytes() == released


def test_a_result_already_in_the_gradebook_is_not_entered_again(course):
    def autograde(settings, students):  # what nbgrader's autograde leaves: an entry and an autograded notebook
        for student in students:
            record_zeros(settings, student)
            settings.notebook_in("autograded", student).parent.mkdir(parents=True, exist_ok=True)
            settings.notebook_in("autograded", student).write_text("{}")
        return {}

    result = Result(student="dee", assignment="mnist_ann", kit_version="t", content_hash="h")
    result.write(course.results_dir / "dee" / "result.json")
    first = update_gradebook(course, [result], autograde_all=autograde)
    again = update_gradebook(course, [result], autograde_all=autograde)
    assert (first.entered, again.entered, again.unchanged) == (["dee"], [], ["dee"])
    result.seconds["checks"] = 1.5  # a rejudge that changed no verdict: nothing to enter
    assert update_gradebook(course, [result], autograde_all=autograde).unchanged == ["dee"]
    result.measured_accuracy = 0.9
    result.write(course.results_dir / "dee" / "result.json")  # graded afresh: entered again
    assert update_gradebook(course, [result], autograde_all=autograde).entered == ["dee"]


def test_nbgrader_failing_on_one_student_of_a_batch_costs_that_student_alone(course):
    released = course.release_notebook.read_text()
    results = []
    for student, text in (("eve", released), ("fay", "{ not a notebook")):
        course.notebook_in("submitted", student).parent.mkdir(parents=True, exist_ok=True)
        course.notebook_in("submitted", student).write_text(text)
        results.append(Result(student=student, assignment="mnist_ann", kit_version="t", content_hash="h"))
        results[-1].write(course.results_dir / student / "result.json")
    update = update_gradebook(course, results)
    assert update.entered == ["eve"] and course.notebook_in("autograded", "eve").is_file()
    assert [line.split(":")[0] for line in update.problems] == ["fay"] and "nbgrader autograde failed" in update.problems[0]
    with open_gradebook(course) as gb:
        assert gb.find_submission("mnist_ann", "fay").score == 0
