"""Grading on a Dask cluster (`grade --dask ADDRESS`): one task per submission, graded on a worker by
the very stages a local worker runs (submission.grade), its results folder sent back and written
here as each task finishes. So the records, the cache and the resume after an interruption are the
local pool's; a task whose worker dies is run again by Dask on another, and its record is written
once, when it comes back.

A worker needs the kit installed, the sandbox and MNIST (MNIST_PATH, or the usual routes); the
course (its release, solutions/ and secret) and the reference's answers travel with each task.
Dask is imported only here.
"""

import functools
import os
import shutil
import tempfile
from dataclasses import dataclass
from pathlib import Path
from typing import Callable

from ..course import notebooks
from ..course.files import write_atomically
from ..data.mnist import find_mnist
from ..errors import KitError
from ..evaluation.reference_answers import answers_file
from ..sandbox.leftovers import clear_leftovers
from ..settings import Limits, Settings
from ..submissions.collect import Submission
from ..submissions.intake import content_hash
from .class_grading import already_graded, ask_the_reference_once, recorded_problem
from .result import GRADER_FAILED, RESULT, Result
from .submission import Grading, grade, probe_seed


@dataclass(frozen=True)
class Course:
    """What a worker needs of the course, as plain data."""

    assignment: str
    release: bytes  # the released notebook
    solutions: dict[str, bytes]  # solutions/<assignment>/, file by file
    secret: bytes
    limits: dict
    allowed_extra_layers: tuple[str, ...] = ()

    @classmethod
    def of(cls, grading: Grading) -> "Course":
        settings = grading.settings
        solutions = {path.name: path.read_bytes() for path in settings.solutions_dir.iterdir() if path.is_file()}
        return cls(settings.assignment, settings.release_notebook.read_bytes(), solutions, grading.secret,
                   settings.limits.model_dump(), tuple(settings.allowed_extra_layers))


def grade_on_worker(student: str, notebook: bytes, answers: bytes, course: Course) -> dict[str, bytes]:
    """Runs on a Dask worker: grade `notebook` in a scratch course made from `course`; return the
    student's results folder, file by file (paths relative to it)."""
    with tempfile.TemporaryDirectory(prefix="autograder-dask-") as scratch:
        root = Path(scratch)
        settings = Settings(course_root=root, assignment=course.assignment, limits=Limits(**course.limits),
                            results_root=root / "results", allowed_extra_layers=list(course.allowed_extra_layers))
        settings.release_notebook.parent.mkdir(parents=True)
        settings.release_notebook.write_bytes(course.release)
        settings.solutions_dir.mkdir(parents=True)
        for name, content in course.solutions.items():
            (settings.solutions_dir / name).write_bytes(content)
        grading = Grading(settings, worker_mnist(), notebooks.read(settings.release_notebook), course.secret)
        path = root / "submission.ipynb"
        path.write_bytes(notebook)
        kept = answers_file(grading.answers, grading.reference, probe_seed(content_hash(path)))
        kept.parent.mkdir(parents=True, exist_ok=True)
        write_atomically(kept, lambda partial: partial.write_bytes(answers))
        grade(path, student, grading)
        folder = grading.folder(student)
        return {str(file.relative_to(folder)): file.read_bytes() for file in folder.rglob("*") if file.is_file()}


@functools.cache
def worker_mnist() -> Path:
    """This worker's MNIST, found once; its first task also clears what a killed worker left."""
    if os.geteuid() == 0:
        clear_leftovers()
    return find_mnist(Settings())


def keep(files: dict[str, bytes], folder: Path) -> Result:
    """Write a worker's results folder here: the run's files first, result.json last, so a record
    is never there without its run."""
    shutil.rmtree(folder / "run", ignore_errors=True)
    for name, content in sorted(files.items(), key=lambda item: item[0] == RESULT):
        relative = Path(name)
        if relative.is_absolute() or ".." in relative.parts:
            continue
        (folder / relative).parent.mkdir(parents=True, exist_ok=True)
        write_atomically(folder / relative, lambda partial, content=content: partial.write_bytes(content))
    result = Result.read(folder / RESULT)
    if result is None:
        raise KitError(f"the worker sent back no {RESULT}")
    return result


def grade_on_dask(submissions: list[Submission], grading: Grading, address: str,
                  on_result: Callable[[Result], None] = lambda result: None) -> list[Result]:
    """grade_class's work, sent to the Dask scheduler at `address`."""
    from distributed import Client, as_completed

    try:
        client = Client(address, timeout="30s")
    except OSError as error:
        raise KitError(f"No Dask scheduler answers at {address} ({error}). Start one (`dask scheduler`) and "
                       "its workers (`dask worker ADDRESS`), or grade here without --dask.") from None
    results, pending = [], {}
    with client:
        ask_the_reference_once(submissions, grading)
        course = client.scatter(Course.of(grading), broadcast=True)
        for submission in submissions:
            done = already_graded(submission, grading)
            if done:
                results.append(done)
                on_result(done)
                continue
            notebook, digest = submission.path.read_bytes(), content_hash(submission.path)
            answers = answers_file(grading.answers, grading.reference, probe_seed(digest)).read_bytes()
            future = client.submit(grade_on_worker, submission.student, notebook, answers, course, pure=False,
                                   key=f"grade-{submission.student}-{digest[:12]}")
            pending[future] = submission
        try:
            for future in as_completed(pending):
                results.append(kept_or_failed(future, pending[future], grading))
                on_result(results[-1])
        except KeyboardInterrupt:
            client.cancel(list(pending))
            raise
    return sorted(results, key=lambda result: result.student)


def kept_or_failed(future, submission: Submission, grading: Grading) -> Result:
    try:
        return keep(future.result(), grading.folder(submission.student))
    except Exception as error:  # the worker's fault or the cluster's: this student's record says so
        return recorded_problem(submission, grading, f"{GRADER_FAILED} on Dask ({type(error).__name__}: {error})")
