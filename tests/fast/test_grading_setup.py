"""Before any submission is graded: the sandbox can be built, or the instructor said to go without it."""

import pytest

from autograder.errors import KitError
from autograder.grading import class_grading
from autograder.grading.class_grading import prepare


@pytest.fixture
def defences(monkeypatch):
    def set_to(available: bool):
        monkeypatch.setattr(class_grading, "defences", lambda: dict.fromkeys(class_grading.REQUIRED_DEFENCES, available))

    return set_to


def test_without_the_sandboxs_defences_grading_is_refused_and_says_what_to_do(settings, defences, tmp_path):
    defences(False)
    with pytest.raises(KitError, match="cannot build the sandbox.*apt install bubblewrap.*--unsafe-no-sandbox"):
        prepare(settings.model_copy(update={"results_root": tmp_path}))


def test_the_instructor_may_grade_without_them_knowingly(settings, defences, tmp_path):
    import shutil

    defences(False)
    shutil.copytree(settings.course_root / "release", tmp_path / "release")
    grading = prepare(settings.model_copy(update={"course_root": tmp_path, "unsafe_no_sandbox": True}))
    assert grading.release.cells and len(grading.secret) == 32


def test_a_wrong_assignment_name_says_what_is_missing(settings, defences, tmp_path):
    defences(True)
    with pytest.raises(KitError, match=r"There is no .*release/mnist_nn/mnist_nn.ipynb: check the assignment's name"):
        prepare(settings.model_copy(update={"assignment": "mnist_nn", "results_root": tmp_path}))
