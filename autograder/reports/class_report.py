"""The class report: an HTML page of scores, pass rates per check and each student's problems."""

import statistics
from pathlib import Path

from jinja2 import Environment, PackageLoader

from .. import __version__
from ..grading.result import Result


def write_class_report(results: list[Result], path: Path, results_dir: Path) -> Path:
    environment = Environment(loader=PackageLoader("autograder.reports"), autoescape=True)  # messages quote students
    template = environment.get_template("class_report.html.j2")
    checks: dict[str, dict] = {}
    for result in results:
        for check in result.checks:
            row = checks.setdefault(check.check, {"check": check.check, "cell": check.cell, "passed": 0, "total": 0})
            row["passed"] += check.passed
            row["total"] += 1
    scores = [result.score for result in results] or [0]
    path.write_text(template.render(
        assignment=results[0].assignment if results else "", results=results, checks=list(checks.values()),
        mean=statistics.mean(scores), median=statistics.median(scores),
        maximum=max((result.max_score for result in results), default=0), kit_version=__version__,
        results_dir=results_dir))
    return path
