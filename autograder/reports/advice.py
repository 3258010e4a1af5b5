"""What a student reads when the grader could not finish with their notebook: what happened, what to do."""

import re

from ..grading.result import Result

# What a notebook may import in the grader's sandbox besides the standard library (pyproject.toml).
GRADER_LIBRARIES = "numpy, pandas, matplotlib, seaborn, scikit-learn and Keras on TensorFlow"

LIMIT_ADVICE = {
    "wall clock": "Look in that cell for a loop that never ends, or for training far longer than the practical "
                  "asks; then Restart & Run All and time it.",
    "CPU time": "Look in that cell for a loop that never ends, or for training far longer than the practical asks.",
    "memory": "That cell kept too much in memory: do not make many copies of the data set (e.g. in a loop), and "
              "keep the network at the sizes the practical gives.",
}
STATUS_ADVICE = {  # "not a notebook" needs none: intake's message says what to submit
    "missing": "Nothing was submitted: submit your notebook before the deadline.",
    "grader error": "This is the grader's fault, not yours: your instructor has been told and will re-grade.",
    "stopped early": "Your notebook ended before its last cell: run Restart & Run All and fix the first cell that "
                     "fails.",
}


def what_happened(result: Result) -> str | None:
    """One paragraph when the run did not end normally; None when it did."""
    if result.problem:
        return f"{result.problem.rstrip('.')}. {STATUS_ADVICE.get(result.status, '')}".strip()
    if result.limits_hit:
        where = f" while {result.stopped_in} was running" if result.stopped_in else ""
        advice = next((text for name, text in LIMIT_ADVICE.items() if result.limits_hit[0].startswith(name)), "")
        return f"The grader stopped your notebook at its {' and '.join(result.limits_hit)} limit{where}. {advice}"
    if result.status == "stopped early":
        where = f" in {result.stopped_in}" if result.stopped_in else ""
        return f"Your notebook stopped early{where} (exit code {result.exit_code}). {STATUS_ADVICE['stopped early']}"
    return None


def cell_error_advice(error: str) -> str:
    """A line for an error a cell of the student's run raised, when the grader knows more than the error."""
    missing = re.match(r"ModuleNotFoundError: No module named '([^']+)'", error)
    if missing:
        return (f"The grader has no module {missing[1]!r}: it offers {GRADER_LIBRARIES}. Use one of those "
                "(matplotlib's imshow draws a heatmap, for instance) and Restart & Run All.")
    return ""
