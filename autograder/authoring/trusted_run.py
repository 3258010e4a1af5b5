"""Run a notebook top to bottom in a fresh Jupyter kernel, as a student's Restart & Run All
would, and read what its public self-checks said.

This is the trusted path (the reference, measurements, tests): it runs instructor
code. Student submissions go through the sandbox instead.
"""

import os
from dataclasses import dataclass
from pathlib import Path

from nbclient import NotebookClient
from nbformat import NotebookNode

from ..course import notebooks


@dataclass(frozen=True)
class SelfCheckOutcome:
    grade_id: str
    passed: bool
    message: str  # what the self-check printed on success, or the error it raised


def execute(nb: NotebookNode, workdir: Path, env: dict[str, str], timeout: int,
            allow_errors: bool = True, kernel_name: str = "python3") -> NotebookNode:
    """Execute `nb` in place, carrying on past errors so every self-check reports. With
    allow_errors=False it stops as Jupyter's Run All does: at an error in a cell not tagged
    `raises-exception` (nbclient's CellExecutionError)."""
    client = NotebookClient(nb, timeout=timeout, kernel_name=kernel_name, allow_errors=allow_errors,
                            resources={"metadata": {"path": str(workdir)}})
    inline = {"MPLBACKEND": "module://matplotlib_inline.backend_inline"}  # TensorFlow's logs: the notebook's own setting
    client.execute(env={**{k: v for k, v in os.environ.items() if k != "TF_CPP_MIN_LOG_LEVEL"}, **inline, **env})
    return nb


def self_check_outcomes(executed: NotebookNode) -> dict[str, SelfCheckOutcome]:
    """One outcome per self-check cell, in notebook order; a cell that wrote to stderr
    failed, as nbgrader scores it."""
    outcomes = {}
    for cell in filter(notebooks.is_self_check, executed.cells):
        check = notebooks.grade_id(cell)
        errors = [out for out in cell.outputs if out.output_type == "error"]
        stderr = "".join(out.text for out in cell.outputs if out.get("name") == "stderr").strip()
        if errors:
            outcomes[check] = SelfCheckOutcome(check, False, f"{errors[0].ename}: {errors[0].evalue}")
        elif stderr:
            outcomes[check] = SelfCheckOutcome(check, False, f"wrote to stderr: {stderr[:300]}")
        elif cell.get("execution_count") is None:
            outcomes[check] = SelfCheckOutcome(check, False, "not run")
        else:
            printed = "".join(out.get("text", "") for out in cell.outputs if out.output_type == "stream")
            outcomes[check] = SelfCheckOutcome(check, True, printed.strip())
    return outcomes
