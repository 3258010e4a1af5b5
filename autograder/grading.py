"""Grade one submission: intake → sandboxed run → evaluation → checks → result record.

Each stage reads the previous stage's output from the submission's results folder,
so a result can be rejudged (checks only) without running any student code again.
"""

import time
from pathlib import Path

from nbformat import NotebookNode

from . import __version__, notebooks, sandbox
from .checking import run_checks
from .evaluator import evaluate_in_fresh_process
from .intake import NotANotebook, content_hash, read_submission, restore_protected_cells
from .results import CheckResult, Result
from .run import run_submission
from .settings import Settings


def cell_points(release: NotebookNode) -> dict[str, float]:
    """Each auto-graded cell's points, as the release declares them."""
    return {notebooks.grade_id(cell): float(notebooks.nbgrader_meta(cell)["points"])
            for cell in release.cells if notebooks.is_self_check(cell)}


def grade(path: Path, student: str, settings: Settings, mnist: Path, train_only: Path, release: NotebookNode) -> Result:
    """The stored result if this exact file was graded by this kit version; otherwise grade it."""
    folder = settings.results_dir / student
    stored = stored_result(path, student, settings)
    if stored:
        return stored
    digest = content_hash(path)
    result = Result(student=student, assignment=settings.assignment, kit_version=__version__,
                    content_hash=digest, cell_points=cell_points(release))
    try:
        intake = restore_protected_cells(read_submission(path), release)
    except NotANotebook as problem:
        result.problem = str(problem)
    else:
        result.altered_cells = intake.altered
        execute_and_check(intake.notebook, result, folder / "run", settings, mnist, train_only)
    if sandbox.STOPPING.is_set():  # interrupted mid-way: store nothing, grade it afresh next time
        raise sandbox.Interrupted("grading was interrupted")
    result.write(folder / "result.json")
    return result


def stored_result(path: Path, student: str, settings: Settings) -> Result | None:
    """The result kept for exactly this file and this kit version, if there is one."""
    stored = Result.read(settings.results_dir / student / "result.json")
    if stored and path.is_file() and stored.content_hash == content_hash(path) and stored.kit_version == __version__:
        return stored
    return None


def execute_and_check(nb: NotebookNode, result: Result, run_dir: Path, settings: Settings, mnist: Path,
                      train_only: Path) -> None:
    seed = int(result.content_hash[:8], 16)  # fresh probes per submission, the same on a re-run
    started = time.monotonic()
    run = run_submission(nb, train_only, settings, seed, run_dir)
    result.seconds["run"] = round(time.monotonic() - started, 2)
    result.limits_hit, result.exit_code = run.outcome.limits_hit, run.outcome.exit_code
    result.peak_memory_bytes = run.outcome.peak_memory_bytes
    result.cell_errors = {cell["id"]: cell["error"] for cell in run.record.get("cells", []) if cell.get("error")}
    started = time.monotonic()
    evaluation = evaluate_in_fresh_process(run_dir, mnist, settings.solutions_dir / "reference.py", seed)
    result.measured_accuracy = evaluation.get("test_accuracy")
    result.seconds["evaluate"] = round(time.monotonic() - started, 2)
    check(result, run_dir, settings)


def check(result: Result, run_dir: Path, settings: Settings) -> None:
    started = time.monotonic()
    result.checks = [CheckResult(**entry) for entry in run_checks(run_dir, settings.solutions_dir / "expectations.json")]
    result.seconds["checks"] = round(time.monotonic() - started, 2)


def rejudge(student: str, settings: Settings) -> Result | None:
    """Re-run only the checks on the stored records (after a check or the threshold changed)."""
    folder = settings.results_dir / student
    result = Result.read(folder / "result.json")
    if result is None or result.problem:
        return result
    check(result, folder / "run", settings)
    result.write(folder / "result.json")
    return result
