"""A submission brings in no more than a notebook's worth: a file over the notebook limit is never
read, hashed or parsed, and its student alone is recorded as too large; the grader's own memory
stays far below the file's size (measured by the process's own accounting: the kernel's VmHWM, its
peak resident memory; not ru_maxrss, which keeps the peak of the process that started it)."""

import subprocess
import sys
import zipfile

import nbformat
import pytest

from autograder.grading.class_grading import already_graded, needing_a_run
from autograder.grading.result import RESULT, Result
from autograder.grading.submission import Grading
from autograder.settings import Settings
from autograder.submissions.collect import submission_of
from autograder.submissions.intake import NotANotebook, read_submission
from autograder.viva.answers import class_answers

GIB = 1 << 30
PEAK = ("import sys; sys.path[:0] = {path!r}\n{code}\n"
        "print(next(int(line.split()[1]) * 1024 for line in open('/proc/self/status') if line.startswith('VmHWM:')))")


def peak_bytes(code: str) -> int:
    """Run `code` in a fresh Python and return its peak resident memory, as the kernel counted it."""
    done = subprocess.run([sys.executable, "-c", PEAK.format(path=sys.path, code=code)], capture_output=True,
                          text=True, timeout=600)
    assert done.returncode == 0, done.stderr[-3000:]
    return int(done.stdout.split()[-1])


def sparse(path, size: int):
    """A file of `size` bytes that takes no room on disk (and would take `size` bytes of memory to read)."""
    path.parent.mkdir(parents=True, exist_ok=True)
    with path.open("wb") as file:
        file.truncate(size)
    return path


@pytest.fixture
def course(tmp_path) -> Settings:
    return Settings(course_root=tmp_path)


def test_a_2_gib_notebook_in_submitted_is_that_students_too_large_without_a_run(course):
    huge = submission_of(course, "mallory")
    sparse(huge.path, 2 * GIB)
    grading = Grading(course, course.course_root / "mnist.npz", nbformat.v4.new_notebook())
    assert needing_a_run([huge], grading) == []
    result = already_graded(huge, grading)
    assert "too large to grade: at least 2,147,483,648 bytes, over the 16,777,216 bytes" in result.problem
    assert Result.read(grading.folder("mallory") / RESULT).problem == result.problem


def test_recording_a_2_gib_notebook_as_too_large_takes_the_grader_little_memory(course):
    sparse(submission_of(course, "mallory").path, 2 * GIB)
    peak = peak_bytes(
        "import nbformat; from pathlib import Path; from autograder.settings import Settings; "
        "from autograder.grading.submission import Grading; "
        "from autograder.grading.class_grading import already_graded, needing_a_run; "
        "from autograder.submissions.collect import submission_of; "
        f"course = Settings(course_root=Path({str(course.course_root)!r})); "
        "grading = Grading(course, Path('mnist.npz'), nbformat.v4.new_notebook()); "
        "huge = submission_of(course, 'mallory'); needing_a_run([huge], grading); "
        "assert 'too large' in already_graded(huge, grading).problem")
    assert peak < 500 << 20, f"{peak >> 20} MiB"


def test_importing_a_zip_whose_member_inflates_to_512_mib_takes_the_grader_little_memory(tmp_path):
    """(It took 1.7 GB before; tests/full/test_intake_bounds.py grades a class with a 2 GiB one.)"""
    bundle = tmp_path / "export.zip"
    with zipfile.ZipFile(bundle, "w") as archive:
        member = zipfile.ZipInfo("mallory.ipynb")
        member.compress_type = zipfile.ZIP_DEFLATED
        with archive.open(member, "w") as sink:
            for _ in range(512):
                sink.write(bytes(1 << 20))
        archive.writestr("ann.ipynb", "{}")
    assert bundle.stat().st_size < 1 << 20
    peak = peak_bytes(
        "from pathlib import Path; from autograder.settings import Settings; "
        "from autograder.submissions.lms_import import import_loose; "
        f"imported = import_loose(Path({str(bundle)!r}), Settings(course_root=Path({str(tmp_path)!r}))); "
        "assert {s.student: s.path.stat().st_size for s in imported} == {'ann': 2, 'mallory': 16 * 2**20 + 1}")
    assert peak < 500 << 20, f"{peak >> 20} MiB"


def test_a_deeply_nested_notebook_is_not_a_notebook_not_a_crash(tmp_path):
    nested = tmp_path / "nested.ipynb"
    nested.write_text('{"cells": [], "nbformat": 4, "nbformat_minor": 5, "metadata": {"x": '
                      + "[" * 200_000 + "]" * 200_000 + "}}")
    with pytest.raises(NotANotebook, match="not a valid Jupyter notebook"):
        read_submission(nested)


def test_a_notebook_of_millions_of_empty_objects_within_the_limit_is_refused_before_parsing(tmp_path):
    """16 MB of `{},{},...` would take the parser 2.8 GB: the objects are counted first."""
    wide = tmp_path / "wide.ipynb"
    wide.write_text('{"cells": [], "nbformat": 4, "nbformat_minor": 5, "metadata": {"x": ['
                    + ",".join(["{}"] * 5_500_000) + "]}}")
    assert wide.stat().st_size < Settings().limits.notebook_bytes
    peak = peak_bytes(
        "from pathlib import Path; from autograder.submissions.intake import NotANotebook, read_submission\n"
        f"try: read_submission(Path({str(wide)!r}))\n"
        "except NotANotebook as refused: assert '5,500,004 JSON objects and lists' in str(refused)\n"
        "else: raise AssertionError('read')")
    assert peak < 500 << 20, f"{peak >> 20} MiB"


def test_the_viva_page_reads_no_answer_from_a_notebook_over_the_limit(course):
    sparse(course.notebook_in("submitted", "mallory"), 2 * GIB)
    found = class_answers(course, ["answer_q1"])
    assert "too large to grade" in found.unreadable["mallory"] and found.texts["answer_q1"]["mallory"] == ""
