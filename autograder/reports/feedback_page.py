"""Each student's own results page: score per step, what failed and what to do, their training
curves, the confusion matrix the grader measured, their measured accuracy, viva grades when given."""

from dataclasses import dataclass, field
from pathlib import Path

from ..grading.result import CheckResult, Result
from .advice import cell_error_advice, what_happened
from .figures import confusion_heatmap, data_uri, learning_curves
from .pages import drawn_from, fingerprint, write_page

FEEDBACK_PAGE = "results.html"  # beside nbgrader's feedback notebook, so release_feedback sends both


@dataclass
class Step:
    title: str
    score: float
    maximum: float
    checks: list[CheckResult] = field(default_factory=list)


def steps(result: Result) -> list[Step]:
    """The graded cells in the notebook's order, each with its checks."""
    scores = result.cell_scores()
    return [Step(cell.removeprefix("check_").replace("_", " "), scores[cell], maximum,
                 [check for check in result.checks if check.cell == cell])
            for cell, maximum in result.cell_points.items()]


def write_feedback_page(result: Result, folder: Path, threshold: float, viva: list[dict] | None = None) -> Path:
    """`folder`/results.html, one self-contained file; `viva`: [{"question", "score", "max", "comment"}].
    A page already drawn from the same result, viva grades and threshold is left as it is (the figures
    are most of a re-run's time)."""
    viva = viva or []
    page = folder / FEEDBACK_PAGE
    digest = fingerprint(result.model_dump(mode="json", exclude={"seconds"}), viva, threshold)
    if drawn_from(page, digest):
        return page
    curves = learning_curves(result.history) if result.history else None
    heatmap = confusion_heatmap(result.confusion_matrix) if result.confusion_matrix else None
    return write_page(page, "feedback.html.j2", fingerprint=digest, result=result, steps=steps(result),
                      happened=what_happened(result), threshold=threshold, viva=viva,
                      cell_errors=[(cell, error, cell_error_advice(error)) for cell, error in result.cell_errors.items()],
                      viva_score=sum(answer["score"] or 0 for answer in viva),
                      tested=sum(map(sum, result.confusion_matrix or [])),
                      viva_graded=any(answer["score"] is not None for answer in viva),
                      viva_max=sum(answer["max"] for answer in viva),
                      curves=curves and data_uri(curves), heatmap=heatmap and data_uri(heatmap))
