"""Before any submission is graded: the sandbox can be built, or the instructor said to go without it; and
after, a class that every run stopped alike in the set-up cell is the grader's fault."""

import nbformat
import pytest

from autograder.errors import KitError
from autograder.grading import class_grading
from autograder.grading.class_grading import prepare, refuse_a_class_stopped_alike
from autograder.grading.result import RESULT, Result
from autograder.grading.submission import Grading
from autograder.sandbox.preflight import SandboxBroken
from autograder.settings import Settings


@pytest.fixture
def defences(monkeypatch):
    def set_to(available: bool):
        monkeypatch.setattr(class_grading, "defences", lambda: dict.fromkeys(class_grading.REQUIRED_DEFENCES, available))

    return set_to


def test_without_the_sandboxs_defences_grading_is_refused_and_says_what_to_do(settings, defences, tmp_path,
                                                                             monkeypatch):
    from test_host import a_host

    defences(False)
    monkeypatch.setattr(class_grading, "this_host", lambda: a_host(bubblewrap=None))
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


def stopped(student: str, where: str = "code cell 1 (setup), which starts `import inspect`,", code: int = 1,
            **fields) -> Result:
    return Result(student=student, assignment="mnist_ann", kit_version="t", content_hash="h", run_finished=False,
                  stopped_in=where, exit_code=code, **fields)


def test_a_class_whose_every_run_stopped_alike_in_the_set_up_cell_is_the_graders_fault_and_not_kept(tmp_path):
    grading = Grading(Settings(course_root=tmp_path), tmp_path / "mnist.npz", nbformat.v4.new_notebook())
    class_ = [stopped(name) for name in ("ann", "ben", "cai")]
    for result in class_:
        result.write(grading.folder(result.student) / RESULT)
    with pytest.raises(SandboxBroken, match="All 3 notebooks graded stopped in code cell 1 \\(setup\\)"):
        refuse_a_class_stopped_alike(class_, grading)
    assert not list(grading.settings.results_dir.rglob(RESULT))


def test_runs_whose_harness_had_started_are_each_students_own_however_alike(tmp_path):
    """Three step functions that kill their harness stop alike in cell 1, but their own code did it."""
    grading = Grading(Settings(course_root=tmp_path), tmp_path / "mnist.npz", nbformat.v4.new_notebook())
    class_ = [stopped(name, code=-9) for name in ("ann", "ben", "cai")]
    for result in class_:
        result.write(grading.folder(result.student) / RESULT)
        (grading.folder(result.student) / "run").mkdir()
        (grading.folder(result.student) / "run" / "output.log").write_text("network: no socket may be opened\n")
    refuse_a_class_stopped_alike(class_, grading)  # raises nothing
    assert len(list(grading.settings.results_dir.rglob(RESULT))) == 3


def test_runs_that_stopped_in_different_places_or_at_a_limit_are_each_students_own(tmp_path):
    grading = Grading(Settings(course_root=tmp_path), tmp_path / "mnist.npz", nbformat.v4.new_notebook())
    for class_ in ([stopped("ann"), stopped("ben"), stopped("cai", "code cell 7 (build_model)")],
                   [stopped("ann"), stopped("ben")],
                   [stopped(name, limits_hit=["CPU time (30 s)"]) for name in ("ann", "ben", "cai")],
                   [stopped("ann"), stopped("ben"), stopped("cai", code=-9)]):
        refuse_a_class_stopped_alike(class_, grading)  # raises nothing
