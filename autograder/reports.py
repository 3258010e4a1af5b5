"""Reports from stored results only: grades CSV, Gradescope results.json, a class report."""

import csv
import json
import statistics
from pathlib import Path

from jinja2 import Environment, PackageLoader

from . import __version__
from .results import Result


def stored_results(results_dir: Path) -> list[Result]:
    found = (Result.read(path) for path in sorted(results_dir.glob("*/result.json")))
    return [result for result in found if result is not None]


def write_grades_csv(results: list[Result], path: Path) -> Path:
    cells = sorted({cell for result in results for cell in result.cell_points})
    with open(path, "w", newline="") as out:
        writer = csv.writer(out)
        writer.writerow(["student", "score", "max_score", *cells, "problem", "limits_hit"])
        for result in results:
            scores = result.cell_scores()
            writer.writerow([result.student, f"{result.score:g}", f"{result.max_score:g}",
                             *(f"{scores.get(cell, 0):g}" for cell in cells), result.problem or "",
                             "; ".join(result.limits_hit)])
    return path


def gradescope_results(result: Result) -> dict:
    """Gradescope's results.json for one submission: a test per check, the messages as output."""
    tests = [{"name": check.check.removeprefix("test_").replace("_", " "), "score": check.points if check.passed else 0,
              "max_score": check.points, "output": check.message, "status": "passed" if check.passed else "failed"}
             for check in result.checks]
    return {"score": result.score, "output": result.problem or "", "tests": tests,
            "extra_data": {"kit_version": result.kit_version, "limits_hit": result.limits_hit}}


def write_gradescope(results: list[Result], results_dir: Path) -> None:
    for result in results:
        (results_dir / result.student / "gradescope_results.json").write_text(json.dumps(gradescope_results(result)))


def write_class_report(results: list[Result], path: Path, results_dir: Path) -> Path:
    environment = Environment(loader=PackageLoader("autograder"), autoescape=True)  # messages quote student text
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
