"""The result record of one graded submission: versioned, validated when written and read,
written atomically. Reports and the gradebook read these; nothing re-runs student code."""

from pathlib import Path

from pydantic import BaseModel, Field, ValidationError

from ..course.files import write_text_atomically
from ..errors import KitError

SCHEMA_VERSION = 1
RESULT = "result.json"
NOTHING_SUBMITTED, GRADER_FAILED = "no notebook was submitted", "the grader failed"  # problems of no student's making


class UnreadableResult(KitError):
    """A stored result exists but cannot be read: reported, never a reason to re-grade silently."""


class CheckResult(BaseModel):
    check: str
    cell: str | None
    points: float
    passed: bool
    message: str = ""

    @property
    def display_name(self) -> str:
        """How students and instructors see the check named: `test_optimizer_is_adam` → "optimizer is adam"."""
        return self.check.removeprefix("test_").replace("_", " ")


class Result(BaseModel):
    schema_version: int = SCHEMA_VERSION
    student: str
    assignment: str
    kit_version: str
    content_hash: str = Field(description="sha256 of the submitted file; with kit_version, decides re-runs")
    problem: str | None = Field(None, description="why the submission could not be run at all")
    checks: list[CheckResult] = []
    cell_points: dict[str, float] = Field({}, description="each graded cell's maximum, from the release")
    cell_errors: dict[str, str] = {}
    altered_cells: list[str] = Field([], description="locked or check cells the student deleted or edited")
    limits_hit: list[str] = []
    exit_code: int | None = None
    run_finished: bool | None = Field(None, description="whether the notebook run reached its last cell")
    peak_memory_bytes: int | None = None
    seconds: dict[str, float] = {}
    measured_accuracy: float | None = None
    confusion_matrix: list[list[int]] | None = Field(None, description="true digits (rows) against predicted "
                                                     "(columns) on the real test set, measured by the grader")
    history: dict[str, list[float]] = Field({}, description="the training curves the student's run exported")
    stopped_in: str | None = Field(None, description="the cell that was running when the run stopped early")

    def cell_scores(self) -> dict[str, float]:
        """Points per grade cell: its passed checks' points, never above the cell's maximum."""
        scores = {cell: 0.0 for cell in self.cell_points}
        for check in self.checks:
            if check.passed and check.cell in scores:
                scores[check.cell] += check.points
        return {cell: min(score, self.cell_points[cell]) for cell, score in scores.items()}

    @property
    def score(self) -> float:
        return sum(self.cell_scores().values())

    @property
    def max_score(self) -> float:
        return sum(self.cell_points.values())

    @property
    def status(self) -> str:
        """One phrase for the grades table: graded, limit hit, stopped early, not a notebook, missing."""
        if self.problem:
            return ("missing" if self.problem == NOTHING_SUBMITTED else
                    "grader error" if self.problem.startswith(GRADER_FAILED) else "not a notebook")
        if self.limits_hit:
            return "limit hit"
        return "stopped early" if self.run_finished is False else "graded"

    @property
    def failed(self) -> list[CheckResult]:
        return [check for check in self.checks if not check.passed]

    def write(self, path: Path) -> None:
        write_text_atomically(path, self.model_validate(self.model_dump()).model_dump_json(indent=1))

    @classmethod
    def read(cls, path: Path) -> "Result | None":
        """The stored result; None when there is none; UnreadableResult when it is damaged."""
        try:
            text = path.read_text()
        except FileNotFoundError:
            return None
        try:
            return cls.model_validate_json(text)
        except (ValidationError, ValueError) as error:
            raise UnreadableResult(f"{path} is damaged ({str(error).splitlines()[0]}): delete it, and the next "
                                   "`grade` grades that submission afresh") from None


def stored_results(results_dir: Path) -> tuple[list[Result], list[str]]:
    """Every stored result under `results_dir`, and a line for each one that could not be read."""
    results, damaged = [], []
    for path in sorted(results_dir.glob(f"*/{RESULT}")):
        try:
            results.append(Result.read(path))
        except UnreadableResult as problem:
            damaged.append(str(problem))
    return results, damaged
