"""The result record of one graded submission: versioned, validated, written atomically."""

from pathlib import Path

from pydantic import BaseModel, Field

SCHEMA_VERSION = 1


class CheckResult(BaseModel):
    check: str
    cell: str | None
    points: float
    passed: bool
    message: str = ""


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
    peak_memory_bytes: int | None = None
    seconds: dict[str, float] = {}
    measured_accuracy: float | None = None

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
    def failed(self) -> list[CheckResult]:
        return [check for check in self.checks if not check.passed]

    def write(self, path: Path) -> None:
        path.parent.mkdir(parents=True, exist_ok=True)
        partial = path.with_name(path.name + ".partial")
        partial.write_text(self.model_dump_json(indent=1))
        partial.replace(path)

    @classmethod
    def read(cls, path: Path) -> "Result | None":
        try:
            return cls.model_validate_json(path.read_text())
        except (OSError, ValueError):
            return None
