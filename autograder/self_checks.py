"""Read the outcome of each public self-check from an executed notebook."""

from dataclasses import dataclass

from nbformat import NotebookNode

from . import notebooks


@dataclass(frozen=True)
class CheckOutcome:
    grade_id: str
    passed: bool
    message: str  # what the check printed on success, or the error it raised


def self_check_outcomes(executed: NotebookNode) -> dict[str, CheckOutcome]:
    """One outcome per self-check cell, in notebook order."""
    outcomes = {}
    for cell in executed.cells:
        if not notebooks.is_self_check(cell):
            continue
        check = notebooks.grade_id(cell)
        errors = [out for out in cell.outputs if out.output_type == "error"]
        stderr = "".join(out.text for out in cell.outputs if out.get("name") == "stderr").strip()
        if errors:
            outcomes[check] = CheckOutcome(check, False, f"{errors[0].ename}: {errors[0].evalue}")
        elif stderr:  # nbgrader gives a grade cell that writes to stderr no points
            outcomes[check] = CheckOutcome(check, False, f"wrote to stderr: {stderr[:300]}")
        elif cell.get("execution_count") is None:
            outcomes[check] = CheckOutcome(check, False, "not run")
        else:
            printed = "".join(out.get("text", "") for out in cell.outputs if out.output_type == "stream")
            outcomes[check] = CheckOutcome(check, True, printed.strip())
    return outcomes
