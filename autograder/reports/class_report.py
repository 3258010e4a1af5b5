"""The class report: what an instructor reads in ten seconds (the distributions, the checks the
class fails most, the commonest mistakes, who could not be graded and why), then a row per student."""

import re
import statistics
from collections import Counter
from dataclasses import dataclass
from pathlib import Path

from ..grading.result import Result
from .advice import what_happened
from .figures import accuracy_distribution, data_uri, score_histogram
from .pages import drawn_from, fingerprint, write_page

CLASS_REPORT = "class_report.html"
FIGURES = {"scores": "score_histogram.png", "accuracy": "accuracy_distribution.png"}


@dataclass
class CheckRow:
    check: str
    cell: str | None
    failed: int
    total: int

    @property
    def failure_rate(self) -> float:
        return self.failed / self.total if self.total else 0.0


def checks_by_failure_rate(results: list[Result]) -> list[CheckRow]:
    rows: dict[str, CheckRow] = {}
    for result in results:
        for check in result.checks:
            row = rows.setdefault(check.check, CheckRow(check.display_name, check.cell, 0, 0))
            row.failed += not check.passed
            row.total += 1
    return sorted(rows.values(), key=lambda row: (-row.failure_rate, row.check))


def common_mistakes(results: list[Result], top: int = 10) -> list[tuple[str, int, str]]:
    """(check, students, one example message), most frequent first; messages alike but for their
    numbers count as one mistake."""
    counts, examples = Counter(), {}
    for result in results:
        for key, check in {(check.check, re.sub(r"\d+(\.\d+)?", "#", check.message)): check
                           for check in result.failed}.items():
            counts[key] += 1
            examples.setdefault(key, check)
    return [(examples[key].display_name, count, examples[key].message) for key, count in counts.most_common(top)]


def write_class_report(results: list[Result], folder: Path, threshold: float,
                       viva: dict[str, list[dict]] | None = None) -> Path:
    """folder/class_report.html (self-contained) and its figures as PNG beside it."""
    viva = viva or {}
    digest = fingerprint([result.model_dump(mode="json") for result in results], viva, threshold)
    if drawn_from(folder / CLASS_REPORT, digest) and all((folder / name).is_file() for name in FIGURES.values()):
        return folder / CLASS_REPORT
    scores = [result.score for result in results if result.status != "missing"]
    maximum = max((result.max_score for result in results), default=0)
    accuracies = [result.measured_accuracy for result in results if result.measured_accuracy is not None]
    figures = {"scores": score_histogram(scores, maximum) if scores else None,
               "accuracy": accuracy_distribution(accuracies, threshold) if accuracies else None}
    for name, image in figures.items():
        if image:
            (folder / FIGURES[name]).write_bytes(image)
    viva_totals = {student: sum(answer["score"] or 0 for answer in answers) for student, answers in viva.items()
                   if any(answer["score"] is not None for answer in answers)}
    return write_page(
        folder / CLASS_REPORT, "class_report.html.j2", fingerprint=digest,
        assignment=results[0].assignment if results else "", results=results, maximum=maximum, threshold=threshold,
        statuses=Counter(result.status for result in results), scores=scores,
        mean=statistics.mean(scores) if scores else 0, median=statistics.median(scores) if scores else 0,
        passed_threshold=sum(accuracy >= threshold for accuracy in accuracies), measured=len(accuracies),
        checks=checks_by_failure_rate(results), mistakes=common_mistakes(results),
        trouble=[(result, why) for result in results if (why := what_happened(result))],
        figures={name: data_uri(image) for name, image in figures.items() if image},
        viva_totals=viva_totals, viva_max=max((sum(a["max"] for a in answers) for answers in viva.values()), default=0))
