"""Gradescope's results.json for each submission: a test per check, its message as output."""

import json
from pathlib import Path

from ..grading.result import Result


def gradescope_results(result: Result) -> dict:
    tests = [{"name": check.display_name, "score": check.points if check.passed else 0,
              "max_score": check.points, "output": check.message, "status": "passed" if check.passed else "failed"}
             for check in result.checks]
    return {"score": result.score, "output": result.problem or "", "tests": tests,
            "extra_data": {"kit_version": result.kit_version, "limits_hit": result.limits_hit}}


def write_gradescope(results: list[Result], results_dir: Path) -> None:
    for result in results:
        (results_dir / result.student / "gradescope_results.json").write_text(json.dumps(gradescope_results(result)))
