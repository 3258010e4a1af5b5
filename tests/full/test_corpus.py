"""The published corpus (fixtures/corpus.py), graded as one class, two submissions at a time:
each case gets its score range and shows its words; none costs another case anything; every
result is recorded and readable. `make test` ends with a line per kind of case."""

import os
from pathlib import Path

import pytest
from conftest import mnist_slice
from markers import needs_sandbox
from fixtures.corpus import BROWSER_KIND, Case, corpus, costs_its_author_only, submission

from autograder.course import notebooks
from autograder.grading.class_grading import grade_class
from autograder.grading.cores import CoreSlots
from autograder.grading.result import Result, stored_results
from autograder.grading.submission import Grading
from autograder.sandbox.runner import interpreter
from autograder.settings import GiB, Limits, MiB, Settings
from autograder.submissions.collect import Submission

pytestmark = needs_sandbox
SETTINGS = Settings()
CASES = [case for case in corpus(SETTINGS.course_root, SETTINGS.mnist_path or SETTINGS.cache_dir / "mnist.npz",
                                 SETTINGS.results_dir, {path.parts[1] for path in interpreter()})
         if case.kind != BROWSER_KIND]  # graded by `grade`, then opened in a browser: test_instructor_browser.py
# CPU time, not the wall clock, stops the endless cases: a loaded machine slows them, never fails them.
LIMITS = Limits(cpu_seconds=30, wall_seconds=900, memory_bytes=2 * GiB, workdir_bytes=64 * MiB, workdir_files=3000)


@pytest.fixture(scope="module")
def corpus_mnist(mnist, tmp_path_factory) -> Path:
    """1,500 training images (ten epochs in about a second) and 1,000 test images."""
    return mnist_slice(mnist, tmp_path_factory.mktemp("mnist") / "corpus.npz", 1500)


@pytest.fixture(scope="module")
def graded(request, reference_nb, corpus_mnist, settings, tmp_path_factory) -> dict[str, Result]:
    """The selected cases (all, unless -k says otherwise), graded as one class."""
    folder = tmp_path_factory.mktemp("corpus")
    blank = notebooks.read(settings.release_notebook)
    selected = {item.callspec.params["case"].id for item in request.session.items if hasattr(item, "callspec")
                and item.originalname == "test_case" and item.path == request.path}
    submissions = {}
    for index, case in enumerate(CASES):
        if case.id in selected and not (case.residual or skipped_here(case)):
            path = folder / "submitted" / f"case{index:02d}.ipynb"
            path.parent.mkdir(exist_ok=True)
            submission(case, reference_nb, blank)(path)
            submissions[case.id] = Submission(f"case{index:02d}", path)
    grading = Grading(Settings(results_root=folder / "results", limits=LIMITS), corpus_mnist, blank, b"c" * 32,
                      CoreSlots(2))
    results = {result.student: result for result in grade_class(list(submissions.values()), grading, workers=2)}
    stored, damaged = stored_results(grading.settings.results_dir)
    assert damaged == [] and {result.student for result in stored} == set(results)
    return {case_id: results[found.student] for case_id, found in submissions.items()}


def skipped_here(case: Case) -> bool:
    return bool(case.root_only) and os.geteuid() != 0


@pytest.mark.parametrize("case", CASES, ids=lambda case: case.id)
def test_case(case: Case, graded):
    if case.residual:
        pytest.skip(f"known residual: {case.residual}")
    if skipped_here(case):
        pytest.skip(f"needs root: {case.root_only}")
    costs_its_author_only(case, graded[case.id])
