"""The student's own run, shown in the autograded notebook: each run cell gets the text and
figures it produced in the sandbox, its error, and where a limit stopped the run. nbgrader's
feedback and formgrader then show them as if the notebook had run there.

Only what outputs.json let through (sandbox/exports.py: text, PNGs) becomes an output:
the student's HTML or JavaScript never reaches a page an instructor opens.
"""

from pathlib import Path

from nbformat import NotebookNode
from nbformat.v4 import new_output

from ..course import notebooks
from ..grading.result import Result
from ..sandbox.exports import CellShown, read_outputs, read_record


def show_run_outputs(nb: NotebookNode, run_dir: Path, result: Result) -> None:
    """Fill the run cells (code cells that are not self-checks) in order with the run's outputs;
    stop at the first cell whose name does not match the run's, so nothing lands in the wrong cell."""
    shown, ran = read_outputs(run_dir), read_record(run_dir).get("cells", [])
    cells = [cell for cell in nb.cells if cell.cell_type == "code" and not notebooks.is_self_check(cell)]
    for index, cell in enumerate(cells):
        if index >= len(shown) or shown[index].id != notebooks.grade_id(cell):
            if index == len(shown) and result.limits_hit:
                cell.outputs = [stopped(result)]
            return
        error = ran[index].get("error") if index < len(ran) else None
        cell.outputs = outputs(shown[index], error)


def outputs(shown: CellShown, error: str | None) -> list:
    found = [new_output("stream", name=name, text=text + "\n")
             for name, text in (("stdout", shown.stdout), ("stderr", shown.stderr)) if text]
    found += [new_output("display_data", data={"image/png": image}) for image in shown.images]
    if error:
        ename, _, evalue = error.partition(": ")
        found.append(new_output("error", ename=ename, evalue=evalue, traceback=[error]))
    return found


def stopped(result: Result) -> NotebookNode:
    why = f"The grader stopped your notebook here: it reached its {' and '.join(result.limits_hit)} limit."
    return new_output("error", ename="Stopped", evalue=why, traceback=[why])
