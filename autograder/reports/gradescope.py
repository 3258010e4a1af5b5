"""Gradescope's results.json for each submission, to its autograder specification: a test per check,
numbered by the step it grades, its message as output; what stopped the run (a limit, a file that is
not a notebook) as the submission's output."""

import json
from pathlib import Path

from ..grading.result import Result
from .advice import cell_error_advice, what_happened

VISIBLE = "visible"  # every check's verdict and words are the student's to read, as in the feedback page


def gradescope_results(result: Result) -> dict:
    steps = {cell: number for number, cell in enumerate(result.cell_points, 1)}
    tests, seen = [], {}
    for check in sorted(result.checks, key=lambda check: steps.get(check.cell, len(steps) + 1)):
        step = steps.get(check.cell, len(steps) + 1)
        seen[step] = seen.get(step, 0) + 1
        tests.append({"name": check.display_name, "number": f"{step}.{seen[step]}",
                      "score": check.points if check.passed else 0.0, "max_score": check.points,
                      "status": "passed" if check.passed else "failed", "output": check.message,
                      "visibility": VISIBLE})
    return {"score": result.score, "execution_time": round(sum(result.seconds.values())),
            "output": output(result), "visibility": VISIBLE, "stdout_visibility": "hidden",
            "tests": tests,
            "extra_data": {"kit_version": result.kit_version, "limits_hit": result.limits_hit,
                           "measured_accuracy": result.measured_accuracy}}


def output(result: Result) -> str:
    """What stopped the run, if anything, then each error a cell raised in it (as the feedback page shows)."""
    errors = [f"- {cell}: {error}" + (f"\n  {advice}" if (advice := cell_error_advice(error)) else "")
              for cell, error in result.cell_errors.items()]
    parts = [what_happened(result) or "", *(["Cells that raised an error when the grader ran your notebook:",
                                              *errors] if errors else [])]
    return "\n".join(part for part in parts if part)


def write_gradescope(results: list[Result], results_dir: Path) -> None:
    for result in results:
        (results_dir / result.student / "gradescope_results.json").write_text(json.dumps(gradescope_results(result)))
