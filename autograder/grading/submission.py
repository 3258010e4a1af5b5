"""Grade one submission: intake → sandboxed run → evaluation → checks → result record.

Each stage reads the previous stage's output from the submission's results folder,
so a result can be rejudged (checks only) without running any student code again.
"""

import tempfile
import time
from dataclasses import dataclass, field
from pathlib import Path

from nbformat import NotebookNode

from .. import __version__
from ..checks.runner import checks_of, run_checks
from ..data.splits import pixel_key, training_split
from ..course import notebooks
from ..course.notebooks import cell_points
from ..evaluation.evaluator import evaluate_in_fresh_process
from ..evaluation.reference_answers import answers_file, prepare_answers
from ..sandbox.cancellation import Cancellation
from ..sandbox.leftovers import owned_name
from ..sandbox.exports import refusal, training_history
from ..sandbox.preflight import check_sandbox
from ..sandbox.runner import run_submission, without_self_checks
from ..settings import Settings
from ..submissions.intake import NotANotebook, content_hash, read_submission, restore_protected_cells
from .cores import CoreSlots
from .result import RESULT, CheckResult, Result


@dataclass
class Grading:
    """What every submission of one grading shares: settings, data, the release, and how to stop."""

    settings: Settings
    mnist: Path  # the full, verified MNIST: the evaluator's test split and, reordered, the sandbox's training split
    release: NotebookNode
    secret: bytes = b""  # the course's, from which each submission's pixel order is derived
    cores: CoreSlots = field(default_factory=lambda: CoreSlots(1))  # each run's own cores
    cancellation: Cancellation = field(default_factory=Cancellation)

    def folder(self, student: str) -> Path:
        return self.settings.results_dir / student

    @property
    def reference(self) -> Path:
        return self.settings.solutions_dir / "reference.py"

    @property
    def answers(self) -> Path:
        """Where the reference's answers to each seed's probes are kept (any course may share them)."""
        return self.settings.cache_dir / "reference_answers"

    def new_result(self, student: str, digest: str = "", problem: str | None = None) -> Result:
        return Result(student=student, assignment=self.settings.assignment, kit_version=__version__,
                      content_hash=digest, problem=problem, cell_points=cell_points(self.release))


def grade(path: Path, student: str, grading: Grading) -> Result:
    """The stored result if this exact file was graded by this kit version; otherwise grade it."""
    stored = stored_result(path, grading.folder(student))
    if stored:
        return stored
    result = grading.new_result(student, content_hash(path))
    try:
        intake = restore_protected_cells(read_submission(path), grading.release)
    except NotANotebook as problem:
        result.problem = str(problem)
    else:
        result.altered_cells = intake.altered
        execute_and_check(intake.notebook, result, grading.folder(student) / "run", grading)
    grading.cancellation.raise_if_requested()  # interrupted mid-way: store nothing, grade it afresh next time
    result.write(grading.folder(student) / RESULT)
    return result


def probe_seed(digest: str) -> int:
    """Fresh probe inputs for each submission, the same on a re-run."""
    return int(digest[:8], 16)


def stored_result(path: Path, folder: Path) -> Result | None:
    """The result kept for exactly this file and this kit version, if there is one."""
    stored = Result.read(folder / RESULT)
    if stored and path.is_file() and stored.content_hash == content_hash(path) and stored.kit_version == __version__:
        return stored
    return None


def execute_and_check(nb: NotebookNode, result: Result, run_dir: Path, grading: Grading) -> None:
    settings = grading.settings
    seed = probe_seed(result.content_hash)
    key = pixel_key(grading.secret, result.content_hash)  # the pixel order of this submission's data
    with tempfile.TemporaryDirectory(prefix=owned_name("data")) as scratch, grading.cores.held() as cpus:
        check_sandbox(settings.limits, cpus)  # once: a sandbox that cannot run a notebook grades no one
        split = training_split(grading.mnist, Path(scratch), key)
        run = run_submission(nb, split, settings, seed, run_dir, cpus, grading.cancellation)
    probing = min(float(run.probes.get("seconds", 0.0)), run.outcome.seconds)  # the harness's own clock
    result.seconds["probes"], result.seconds["run"] = probing, round(run.outcome.seconds - probing, 2)
    result.limits_hit, result.exit_code = run.outcome.limits_hit, run.outcome.exit_code
    # A record refused (too large, too deep, not the schema) says nothing of where the run stopped:
    # the checks say it was refused, and nothing here calls it a run that stopped early.
    result.run_finished = None if refusal(run_dir) else run.record.get("finished", False)
    result.peak_memory_bytes = run.outcome.peak_memory_bytes
    result.cell_errors = {cell["id"] or f"cell {number}": cell["error"]
                          for number, cell in enumerate(run.record.get("cells", []), 1) if cell["error"]}
    result.history = training_history(run.record)
    result.stopped_in = cell_running(nb, len(run.record.get("cells", []))) if result.run_finished is False else None
    started = time.monotonic()
    prepare_answers(grading.answers, grading.reference, [seed], settings.limits)  # done already for a class
    evaluation = evaluate_in_fresh_process(run_dir, grading.mnist, answers_file(grading.answers, grading.reference, seed),
                                           seed, key, settings.limits)
    result.measured_accuracy = evaluation.get("test_accuracy")
    result.confusion_matrix = evaluation.get("confusion_matrix")
    result.seconds["evaluate"] = round(time.monotonic() - started, 2)
    score_checks(result, run_dir, settings)


def cell_running(nb: NotebookNode, cells_done: int) -> str | None:
    """The code cell after the last one the run finished, as a student finds it: its number among the
    code cells, its name, its first line of code."""
    cells = [cell for cell in without_self_checks(nb).cells if cell.cell_type == "code"]
    if cells_done >= len(cells):
        return None
    cell = cells[cells_done]
    name = notebooks.grade_id(cell)
    code = [line.strip() for line in cell.source.splitlines() if line.strip() and not line.strip().startswith("#")]
    first = code[0] if code else ""
    return (f"code cell {cells_done + 1}" + (f" ({name})" if name else "")
            + (f", which starts `{first[:60]}{'…' if len(first) > 60 else ''}`," if first else ""))


def score_checks(result: Result, run_dir: Path, settings: Settings) -> None:
    started = time.monotonic()
    outcomes = run_checks(run_dir, settings.solutions_dir / "expectations.json", settings.limits,
                          settings.allowed_extra_layers)
    result.checks = [CheckResult(**entry) for entry in outcomes]
    result.seconds["checks"] = round(time.monotonic() - started, 2)


def rejudge(student: str, settings: Settings) -> Result | None:
    """Re-run only the checks on the stored records (after a check or the threshold changed)."""
    return next(iter(rejudge_all([student], settings)), None)


def rejudge_all(students: list[str], settings: Settings) -> list[Result]:
    """rejudge for many students in one checks session; a run that session could not finish is
    checked again on its own, so one run's trouble is never another's."""
    results = [result for student in students if (result := Result.read(settings.results_dir / student / RESULT))]
    judged = {settings.results_dir / result.student / "run": result for result in results if not result.problem}
    started = time.monotonic()
    outcomes = checks_of(list(judged), settings.solutions_dir / "expectations.json", settings.limits,
                         settings.allowed_extra_layers) if judged else {}
    share = round((time.monotonic() - started) / max(len(judged), 1), 2)
    for run_dir, result in judged.items():
        if isinstance(outcomes[run_dir], RuntimeError):
            score_checks(result, run_dir, settings)
        else:
            result.checks, result.seconds["checks"] = [CheckResult(**entry) for entry in outcomes[run_dir]], share
        result.write(run_dir.parent / RESULT)
    return results
